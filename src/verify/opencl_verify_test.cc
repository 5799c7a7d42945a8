// Runs against this machine's real OpenCL (PoCL's CPU device, from pocl-opencl-icd) and, for the
// loading failures, against the in-memory FakeEnv, whose OpenLibrary finds nothing.
#include "verify/opencl_verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fake_env.h"
#include "verify/verify_test_util.h"

namespace devpick {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(VerifyOpenCl, PoclCpuComputesCorrectSgemmAndMeasuresThroughput) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyResult result = testing::VerifySmallWithProgress(
      VerifyOpenCl, *env, testing::FirstCpuTarget(VerifyApi::kOpenCl));
  testing::ExpectMeasuredSuccess(
      result, "opencl",
      {"load libOpenCL.so.1", "select device", "create context", "build SGEMM kernel",
       "upload SGEMM inputs", "run SGEMM 64x64 x2", "check SGEMM result",
       "upload copy source 1 MiB", "copy 1 MiB x2", "check copy result"});
  EXPECT_THAT(result.device, StartsWith("opencl "));
  EXPECT_THAT(result.device, HasSubstr("pthread"));  // PoCL's CPU device name
  EXPECT_EQ(result.matrix_size, 64u);
  EXPECT_EQ(result.copy_bytes, 1u << 20);
}

TEST(VerifyOpenCl, MissingDeviceIndexIsReportedExactly) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.platform = 0;
  target.device = 99;
  VerifyResult result = VerifyOpenCl(*env, target, testing::SmallVerifyOptions());
  testing::ExpectMissingDevice(result, "OpenCL platform 0 has 1 device; device 99 does not exist");
}

TEST(VerifyOpenCl, MissingPlatformIndexIsReportedExactly) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.platform = 5;
  VerifyResult result = VerifyOpenCl(*env, target, testing::SmallVerifyOptions());
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, "OpenCL platform 5 does not exist (1 platform)");
}

TEST(VerifyOpenCl, KernelCompileFailureNamesClBuildProgramAndShowsTheLog) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyResult result = verify_internal::VerifyOpenClWithSource(
      *env, testing::FirstCpuTarget(VerifyApi::kOpenCl), testing::SmallVerifyOptions(),
      "__kernel void sgemm(uint n) { this is not C; }");
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "clBuildProgram");
  EXPECT_THAT(result.detail, StartsWith("clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11): "));
  EXPECT_THAT(result.detail, HasSubstr("undeclared identifier 'this'"));  // PoCL's clang log
  EXPECT_EQ(result.steps.back(), "build SGEMM kernel");
  EXPECT_FALSE(result.gflops.has_value());
}

TEST(VerifyOpenCl, WrongKernelFailsTheResultCheck) {
  std::unique_ptr<Env> env = NewRealEnv();
  // Computes A + B instead of A * B: runs fine, answers wrong.
  const char kWrong[] = R"CL(
    __kernel void sgemm(const uint n, __global const float* a, __global const float* b,
                        __global float* c) {
      const uint i = get_global_id(1) * n + get_global_id(0);
      c[i] = a[i] + b[i];
    })CL";
  VerifyResult result = verify_internal::VerifyOpenClWithSource(
      *env, testing::FirstCpuTarget(VerifyApi::kOpenCl), testing::SmallVerifyOptions(), kWrong);
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "check SGEMM result");
  EXPECT_THAT(result.detail, StartsWith("max relative error "));
  EXPECT_THAT(result.detail, HasSubstr(" exceeds 0.0001"));
  EXPECT_GT(result.max_rel_error, kMaxAcceptedRelError);
}

TEST(VerifyOpenCl, MissingLibraryFailsTheLoadStep) {
  testing::FakeEnv env;  // opens no library
  VerifyResult result =
      VerifyOpenCl(env, testing::FirstCpuTarget(VerifyApi::kOpenCl), testing::SmallVerifyOptions());
  testing::ExpectMissingLibrary(result, "libOpenCL.so.1");
}

TEST(VerifyOpenCl, InvalidOptionsFailBeforeLoading) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyOptions options = testing::SmallVerifyOptions();
  options.matrix_size = 20;
  VerifyResult result = VerifyOpenCl(*env, testing::FirstCpuTarget(VerifyApi::kOpenCl), options);
  EXPECT_EQ(result.failed_step, "check options");
  EXPECT_EQ(result.detail, "matrix size 20 is not a positive multiple of 16");
  EXPECT_TRUE(result.steps.empty());
}

}  // namespace
}  // namespace devpick
