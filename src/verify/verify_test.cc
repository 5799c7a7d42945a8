#include "verify/verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "verify/verify_test_util.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;

// ParseVerifyTarget(api, spec) refuses `spec` as an invalid argument with exactly `message`.
void ExpectTargetRejected(VerifyApi api, std::string_view spec, const std::string& message) {
  SCOPED_TRACE(spec);
  Result<VerifyTarget> target = ParseVerifyTarget(api, spec);
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(target.status().message(), message);
}

TEST(ParseVerifyApi, ReadsEachApiNameAndListsThemOnAnError) {
  EXPECT_EQ(*ParseVerifyApi("opencl"), VerifyApi::kOpenCl);
  EXPECT_EQ(*ParseVerifyApi("vulkan"), VerifyApi::kVulkan);
  EXPECT_EQ(*ParseVerifyApi("cuda"), VerifyApi::kCuda);
  Result<VerifyApi> unknown = ParseVerifyApi("metal");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown API 'metal' (expected opencl, vulkan or cuda)");
  EXPECT_EQ(VerifyApiNames(), (std::vector<std::string>{"opencl", "vulkan", "cuda"}));
}

TEST(ParseVerifyTarget, CpuMeansFirstCpuDevice) {
  Result<VerifyTarget> target = ParseVerifyTarget(VerifyApi::kVulkan, "cpu");
  ASSERT_TRUE(target.ok()) << target.status().message();
  EXPECT_TRUE(target->first_cpu);
  EXPECT_EQ(target->api, VerifyApi::kVulkan);
}

TEST(ParseVerifyTarget, EmptyMeansDeviceZero) {
  Result<VerifyTarget> target = ParseVerifyTarget(VerifyApi::kOpenCl, "");
  ASSERT_TRUE(target.ok());
  EXPECT_FALSE(target->first_cpu);
  EXPECT_EQ(target->platform, 0u);
  EXPECT_EQ(target->device, 0u);
}

TEST(ParseVerifyTarget, ReadsOpenClPlatformAndDevice) {
  Result<VerifyTarget> target = ParseVerifyTarget(VerifyApi::kOpenCl, "opencl:2/3");
  ASSERT_TRUE(target.ok()) << target.status().message();
  EXPECT_EQ(target->platform, 2u);
  EXPECT_EQ(target->device, 3u);
  Result<VerifyTarget> bare = ParseVerifyTarget(VerifyApi::kOpenCl, "1/4");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->platform, 1u);
  EXPECT_EQ(bare->device, 4u);
}

TEST(ParseVerifyTarget, ReadsVulkanIndex) {
  Result<VerifyTarget> target = ParseVerifyTarget(VerifyApi::kVulkan, "vulkan:7");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->device, 7u);
  EXPECT_FALSE(target->first_cpu);
}

TEST(ParseVerifyTarget, RejectsOtherApisPrefix) {
  ExpectTargetRejected(VerifyApi::kVulkan, "opencl:0/0",
                       "device 'opencl:0/0' is not a vulkan device (expected vulkan:N or cpu)");
}

TEST(ParseVerifyTarget, RejectsMalformedIndices) {
  for (const char* spec : {"vulkan:", "vulkan:-1", "vulkan:1x", "vulkan:99999999999", "gpu"}) {
    ExpectTargetRejected(
        VerifyApi::kVulkan, spec,
        "malformed vulkan device '" + std::string(spec) + "' (expected vulkan:N or cpu)");
  }
  ExpectTargetRejected(VerifyApi::kOpenCl, "opencl:0/",
                       "malformed opencl device 'opencl:0/' (expected opencl:P/D or cpu)");
}

TEST(ParseVerifyTarget, ReadsCudaOrdinalWithOrWithoutPrefix) {
  Result<VerifyTarget> target = ParseVerifyTarget(VerifyApi::kCuda, "cuda:3");
  ASSERT_TRUE(target.ok()) << target.status().message();
  EXPECT_EQ(target->api, VerifyApi::kCuda);
  EXPECT_EQ(target->device, 3u);
  EXPECT_FALSE(target->first_cpu);
  Result<VerifyTarget> bare = ParseVerifyTarget(VerifyApi::kCuda, "2");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->device, 2u);
  Result<VerifyTarget> empty = ParseVerifyTarget(VerifyApi::kCuda, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->device, 0u);
}

TEST(ParseVerifyTarget, CudaHasNoCpuDevice) {
  ExpectTargetRejected(VerifyApi::kCuda, "cpu",
                       "device 'cpu' is not a cuda device (expected cuda:N): CUDA drives NVIDIA "
                       "GPUs only; verify a CPU through --api opencl or --api vulkan");
}

TEST(ParseVerifyTarget, CudaErrorsListOnlyCudaForms) {
  ExpectTargetRejected(VerifyApi::kCuda, "vulkan:0",
                       "device 'vulkan:0' is not a cuda device (expected cuda:N)");
  for (const char* spec : {"cuda:", "cuda:0/1", "cuda:-1", "gpu0"}) {
    ExpectTargetRejected(VerifyApi::kCuda, spec,
                         "malformed cuda device '" + std::string(spec) + "' (expected cuda:N)");
  }
}

TEST(VerifyApiName, NamesEveryApi) {
  EXPECT_STREQ(VerifyApiName(VerifyApi::kOpenCl), "opencl");
  EXPECT_STREQ(VerifyApiName(VerifyApi::kVulkan), "vulkan");
  EXPECT_STREQ(VerifyApiName(VerifyApi::kCuda), "cuda");
}

TEST(ValidateVerifyOptions, AcceptsDefaults) {
  EXPECT_TRUE(ValidateVerifyOptions(VerifyOptions{}).ok());
}

TEST(ValidateVerifyOptions, RejectsSizesTheKernelsCannotTile) {
  VerifyOptions options;
  options.matrix_size = 100;
  EXPECT_EQ(ValidateVerifyOptions(options).message(),
            "matrix size 100 is not a positive multiple of 16");
  options = {};
  options.copy_bytes = 10;
  EXPECT_EQ(ValidateVerifyOptions(options).message(),
            "copy size 10 bytes is not a positive multiple of 16");
  options = {};
  options.runs = 0;
  EXPECT_EQ(ValidateVerifyOptions(options).message(), "runs 0 is not between 1 and 1000");
}

TEST(MakeTestMatrix, IsDeterministicAndInRange) {
  std::vector<float> first = MakeTestMatrix(16, 7);
  std::vector<float> again = MakeTestMatrix(16, 7);
  std::vector<float> other = MakeTestMatrix(16, 8);
  ASSERT_EQ(first.size(), 256u);
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
  for (float value : first) {
    EXPECT_GE(value, -1.0f);
    EXPECT_LT(value, 1.0f);
  }
}

TEST(ReferenceSgemm, MultipliesRowMajor) {
  // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
  const std::vector<float> a = {1, 2, 3, 4};
  const std::vector<float> b = {5, 6, 7, 8};
  EXPECT_THAT(ReferenceSgemm(2, a, b), ElementsAre(19, 22, 43, 50));
  const std::vector<float> signed_a = {1, -2, 3, 4};
  // |1*5| + |-2*7| = 19, |1*6| + |-2*8| = 22, ...
  EXPECT_THAT(ReferenceMagnitude(2, signed_a, b), ElementsAre(19, 22, 43, 50));
}

TEST(MaxRelativeError, ScalesByTermMagnitude) {
  const std::vector<double> want = {1.0, 0.0};
  const std::vector<double> magnitude = {2.0, 4.0};
  // Element 0 is off by 0.5 of magnitude 2; element 1 (cancelled to 0) by 1 of magnitude 4.
  const std::vector<float> got = {1.5f, 1.0f};
  EXPECT_DOUBLE_EQ(MaxRelativeError(got, want, magnitude), 0.25);
  const std::vector<float> exact = {1.0f, 0.0f};
  EXPECT_DOUBLE_EQ(MaxRelativeError(exact, want, magnitude), 0.0);
}

TEST(MaxRelativeError, NanAndSizeMismatchAreInfinite) {
  const std::vector<double> want = {1.0};
  const std::vector<double> magnitude = {1.0};
  const std::vector<float> nan = {std::numeric_limits<float>::quiet_NaN()};
  EXPECT_TRUE(std::isinf(MaxRelativeError(nan, want, magnitude)));
  const std::vector<float> longer = {1.0f, 1.0f};
  EXPECT_TRUE(std::isinf(MaxRelativeError(longer, want, magnitude)));
}

TEST(FormatVerifyBytes, UsesTheLargestExactUnit) {
  EXPECT_EQ(FormatVerifyBytes(64u << 20), "64 MiB");
  EXPECT_EQ(FormatVerifyBytes(48u << 10), "48 KiB");
  EXPECT_EQ(FormatVerifyBytes(100), "100 bytes");
  EXPECT_EQ(FormatVerifyBytes(0), "0 bytes");
}

TEST(Median, OddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
}

TEST(VerifyRecorder, RecordsStepsProgressAndFailure) {
  VerifyResult result;
  std::vector<std::string> seen;
  VerifyProgress progress = [&](std::string_view step) { seen.emplace_back(step); };
  VerifyRecorder recorder(&result, progress);
  recorder.Begin("load");
  recorder.Begin("build");
  EXPECT_FALSE(recorder.Fail("clBuildProgram", "clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)"));
  EXPECT_THAT(seen, ElementsAre("load", "build"));
  EXPECT_THAT(result.steps, ElementsAre("load", "build"));
  EXPECT_EQ(result.failed_step, "clBuildProgram");
  EXPECT_EQ(result.detail, "clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)");
  EXPECT_FALSE(result.correct);
}

TEST(VerifyResultToJson, WritesEveryFieldAndNullsForMissingMeasurements) {
  VerifyResult result = testing::CorrectLlvmpipeResult(12.5);
  result.max_rel_error = 0.0;
  result.steps = {"load", "run"};
  result.matrix_size = 256;
  result.copy_bytes = 1024;
  const nlohmann::json expected = {
      {"api", "vulkan"},          {"device", "vulkan 0 (llvmpipe)"},
      {"correct", true},          {"gflops", 12.5},
      {"copy_gbps", nullptr},     {"max_rel_error", 0.0},
      {"failed_step", nullptr},   {"detail", ""},
      {"steps", {"load", "run"}}, {"matrix_size", 256},
      {"copy_bytes", 1024},       {"device_missing", false},
  };
  EXPECT_EQ(VerifyResultToJson(result), expected);
}

}  // namespace
}  // namespace devpick
