// Runs against this machine's real OpenCL (PoCL's CPU device, from pocl-opencl-icd) and, for the
// loading failures, against the in-memory FakeEnv, whose OpenLibrary finds nothing.
#include "verify/opencl_verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fake_env.h"

namespace devpick {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Small enough to stay well under a second on two shared cores, large enough to tile 16 x 16.
VerifyOptions SmallOptions() {
  VerifyOptions options;
  options.matrix_size = 64;
  options.copy_bytes = 1 << 20;
  options.runs = 2;
  return options;
}

VerifyTarget FirstCpu() {
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.first_cpu = true;
  return target;
}

TEST(VerifyOpenCl, PoclCpuComputesCorrectSgemmAndMeasuresThroughput) {
  std::unique_ptr<Env> env = NewRealEnv();
  std::vector<std::string> progress;
  VerifyOptions options = SmallOptions();
  options.progress = [&](std::string_view step) { progress.emplace_back(step); };
  VerifyResult result = VerifyOpenCl(*env, FirstCpu(), options);
  ASSERT_TRUE(result.correct) << result.failed_step << ": " << result.detail;
  EXPECT_EQ(result.api, "opencl");
  EXPECT_THAT(result.device, StartsWith("opencl "));
  EXPECT_THAT(result.device, HasSubstr("pthread"));  // PoCL's CPU device name
  ASSERT_TRUE(result.gflops.has_value());
  EXPECT_GT(*result.gflops, 0);
  ASSERT_TRUE(result.copy_gbps.has_value());
  EXPECT_GT(*result.copy_gbps, 0);
  EXPECT_LE(result.max_rel_error, kMaxAcceptedRelError);
  EXPECT_EQ(result.failed_step, "");
  EXPECT_EQ(result.matrix_size, 64u);
  EXPECT_EQ(result.copy_bytes, 1u << 20);
  EXPECT_EQ(progress, result.steps);
  EXPECT_THAT(result.steps, ::testing::ElementsAre("load libOpenCL.so.1", "select device",
                                                   "create context", "build SGEMM kernel",
                                                   "upload SGEMM inputs", "run SGEMM 64x64 x2",
                                                   "check SGEMM result", "upload copy source 1 MiB",
                                                   "copy 1 MiB x2", "check copy result"));
}

TEST(VerifyOpenCl, MissingDeviceIndexIsReportedExactly) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.platform = 0;
  target.device = 99;
  VerifyResult result = VerifyOpenCl(*env, target, SmallOptions());
  EXPECT_FALSE(result.correct);
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, "OpenCL platform 0 has 1 device; device 99 does not exist");
  EXPECT_FALSE(result.gflops.has_value());
}

TEST(VerifyOpenCl, MissingPlatformIndexIsReportedExactly) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.platform = 5;
  VerifyResult result = VerifyOpenCl(*env, target, SmallOptions());
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, "OpenCL platform 5 does not exist (1 platform)");
}

TEST(VerifyOpenCl, KernelCompileFailureNamesClBuildProgramAndShowsTheLog) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyResult result = verify_internal::VerifyOpenClWithSource(
      *env, FirstCpu(), SmallOptions(), "__kernel void sgemm(uint n) { this is not C; }");
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
  VerifyResult result =
      verify_internal::VerifyOpenClWithSource(*env, FirstCpu(), SmallOptions(), kWrong);
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "check SGEMM result");
  EXPECT_THAT(result.detail, StartsWith("max relative error "));
  EXPECT_THAT(result.detail, HasSubstr(" exceeds 0.0001"));
  EXPECT_GT(result.max_rel_error, kMaxAcceptedRelError);
}

TEST(VerifyOpenCl, MissingLibraryFailsTheLoadStep) {
  testing::FakeEnv env;  // opens no library
  VerifyResult result = VerifyOpenCl(env, FirstCpu(), SmallOptions());
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "load libOpenCL.so.1");
  EXPECT_EQ(result.detail,
            "libOpenCL.so.1: cannot open shared object file: No such file or directory");
}

TEST(VerifyOpenCl, InvalidOptionsFailBeforeLoading) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyOptions options = SmallOptions();
  options.matrix_size = 20;
  VerifyResult result = VerifyOpenCl(*env, FirstCpu(), options);
  EXPECT_EQ(result.failed_step, "check options");
  EXPECT_EQ(result.detail, "matrix size 20 is not a positive multiple of 16");
  EXPECT_TRUE(result.steps.empty());
}

}  // namespace
}  // namespace devpick
