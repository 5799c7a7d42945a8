#include "inventory/throughput.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

TEST(EstimateThroughput, Rtx3080MatchesNvidiaPublishedPeak) {
  auto estimate = EstimateThroughput(Vendor::kNvidia, "sm_86", 68, 1710);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_NEAR(estimate->fp32_tflops, 29.77, 0.01);
  EXPECT_NEAR(estimate->fp16_tflops, 29.77, 0.01);
  EXPECT_EQ(estimate->source, "est. NVIDIA Ampere GA10x/Ada whitepapers, 128 FP32 lanes/SM");
}

TEST(EstimateThroughput, A100UsesGa100RowNotAmpereFamily) {
  auto estimate = EstimateThroughput(Vendor::kNvidia, "sm_80", 108, 1410);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_NEAR(estimate->fp32_tflops, 19.49, 0.01);
  EXPECT_NEAR(estimate->fp16_tflops, 77.97, 0.01);
}

TEST(EstimateThroughput, ArcA770MatchesIntelPublishedPeak) {
  auto estimate = EstimateThroughput(Vendor::kIntel, "Xe-HPG", 512, 2400);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_NEAR(estimate->fp32_tflops, 19.66, 0.01);
  EXPECT_NEAR(estimate->fp16_tflops, 39.32, 0.01);
}

TEST(EstimateThroughput, BattlemageCountsSixteenLanesPerVectorEngine) {
  auto estimate = EstimateThroughput(Vendor::kIntel, "xe2-hpg", 160, 2670);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_NEAR(estimate->fp32_tflops, 13.67, 0.01);
}

TEST(EstimateThroughput, Rx6800AndRdna3DualIssue) {
  auto rx6800 = EstimateThroughput(Vendor::kAmd, "gfx1030", 60, 2105);
  ASSERT_TRUE(rx6800.has_value());
  EXPECT_NEAR(rx6800->fp32_tflops, 16.17, 0.01);
  auto rx7900 = EstimateThroughput(Vendor::kAmd, "gfx1100", 96, 2500);
  ASSERT_TRUE(rx7900.has_value());
  EXPECT_NEAR(rx7900->fp32_tflops, 61.44, 0.01);
}

TEST(EstimateThroughput, UnknownArchOrVendorMismatchOrBadInputsGiveNothing) {
  EXPECT_FALSE(EstimateThroughput(Vendor::kNvidia, "gfx1030", 60, 2105).has_value());
  EXPECT_FALSE(EstimateThroughput(Vendor::kAmd, "gfx700", 60, 2105).has_value());
  EXPECT_FALSE(EstimateThroughput(Vendor::kNvidia, "sm_86", 0, 1710).has_value());
  EXPECT_FALSE(EstimateThroughput(Vendor::kNvidia, "sm_86", 68, -1).has_value());
  EXPECT_FALSE(EstimateThroughput(Vendor::kOther, "sm_86", 68, 1710).has_value());
}

TEST(EstimateCpuThroughput, Avx2CoresTimesClock) {
  CpuObservation cpu;
  cpu.vendor = "GenuineIntel";
  cpu.cores = 8;
  cpu.threads = 16;
  cpu.max_mhz = 5000;
  cpu.flags = {"avx", "avx2", "f16c", "fma", "sse2"};
  auto estimate = EstimateCpuThroughput(cpu);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_DOUBLE_EQ(estimate->fp32_tflops, 1.28);
  EXPECT_DOUBLE_EQ(estimate->fp16_tflops, 1.28);
  EXPECT_EQ(estimate->source, "est. 2 AVX2 FMA units per core");
}

TEST(EstimateCpuThroughput, Zen4Avx512IsDoublePumpedAndCgroupCapsCores) {
  CpuObservation cpu;
  cpu.vendor = "AuthenticAMD";
  cpu.cores = 16;
  cpu.max_mhz = 5000;
  cpu.cgroup_cpu_limit = 3.5;
  cpu.flags = {"avx2", "avx512f", "fma"};
  auto estimate = EstimateCpuThroughput(cpu);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_DOUBLE_EQ(estimate->fp32_tflops, 4 * 32 * 5000 / 1e6);
}

TEST(EstimateCpuThroughput, NeedsCoresAndClock) {
  CpuObservation cpu;
  cpu.flags = {"fma"};
  cpu.cores = 4;
  EXPECT_FALSE(EstimateCpuThroughput(cpu).has_value());
  cpu.max_mhz = 3000;
  cpu.flags.clear();
  EXPECT_FALSE(EstimateCpuThroughput(cpu).has_value());
}

}  // namespace
}  // namespace devpick
