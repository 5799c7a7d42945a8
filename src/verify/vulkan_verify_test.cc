// Runs against this machine's real Vulkan loader and lavapipe (mesa-vulkan-drivers), whose one
// physical device is a CPU, and, for the loading failure, against the in-memory FakeEnv.
#include "verify/vulkan_verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_env.h"
#include "verify/verify_test_util.h"

namespace devpick {
namespace {

TEST(VerifyVulkan, LavapipeComputesCorrectSgemmAndMeasuresThroughput) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyResult result = testing::VerifySmallWithProgress(
      VerifyVulkan, *env, testing::FirstCpuTarget(VerifyApi::kVulkan));
  EXPECT_THAT(result.device, ::testing::StartsWith("vulkan 0 (llvmpipe"));
  testing::ExpectMeasuredSuccess(
      result, "vulkan",
      {"load libvulkan.so.1", "create instance", "select device", "create device",
       "create compute pipelines", "upload SGEMM inputs", "run SGEMM 64x64 x2",
       "check SGEMM result", "upload copy source 1 MiB", "copy 1 MiB x2", "check copy result"});
}

TEST(VerifyVulkan, DeviceIndexZeroIsLavapipeToo) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.device = 0;
  VerifyOptions options = testing::SmallVerifyOptions();
  options.matrix_size = 32;
  options.copy_bytes = 4096;
  options.runs = 1;
  VerifyResult result = VerifyVulkan(*env, target, options);
  ASSERT_TRUE(result.correct) << result.failed_step << ": " << result.detail;
  EXPECT_EQ(result.matrix_size, 32u);
  EXPECT_EQ(result.copy_bytes, 4096u);
}

TEST(VerifyVulkan, MissingDeviceIndexIsReportedExactly) {
  std::unique_ptr<Env> env = NewRealEnv();
  VerifyTarget target;
  target.device = 99;
  VerifyResult result = VerifyVulkan(*env, target, testing::SmallVerifyOptions());
  testing::ExpectMissingDevice(result,
                               "Vulkan reports 1 physical device; device 99 does not exist");
  EXPECT_FALSE(result.copy_gbps.has_value());
}

TEST(VerifyVulkan, WrongShaderFailsTheResultCheck) {
  std::unique_ptr<Env> env = NewRealEnv();
  // The copy shader in the SGEMM slot: same layout, so it runs, but C is never written.
  VerifyResult result = verify_internal::VerifyVulkanWithShader(
      *env, testing::FirstCpuTarget(VerifyApi::kVulkan), testing::SmallVerifyOptions(),
      verify_internal::VulkanCopySpirv());
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "check SGEMM result");
  EXPECT_THAT(result.detail, ::testing::StartsWith("max relative error "));
  EXPECT_THAT(result.detail, ::testing::HasSubstr(" exceeds 0.0001"));
  EXPECT_FALSE(result.gflops.has_value());
}

TEST(VerifyVulkan, EmbeddedShadersAreSpirv) {
  // SPIR-V's magic number opens every module (glslangValidator -V output, embedded at build time).
  ASSERT_FALSE(verify_internal::VulkanSgemmSpirv().empty());
  ASSERT_FALSE(verify_internal::VulkanCopySpirv().empty());
  EXPECT_EQ(verify_internal::VulkanSgemmSpirv()[0], 0x07230203u);
  EXPECT_EQ(verify_internal::VulkanCopySpirv()[0], 0x07230203u);
}

TEST(VerifyVulkan, MissingLoaderFailsTheLoadStep) {
  testing::FakeEnv env;  // opens no library
  VerifyResult result =
      VerifyVulkan(env, testing::FirstCpuTarget(VerifyApi::kVulkan), testing::SmallVerifyOptions());
  testing::ExpectMissingLibrary(result, "libvulkan.so.1");
  EXPECT_THAT(result.steps, ::testing::ElementsAre("load libvulkan.so.1"));
}

}  // namespace
}  // namespace devpick
