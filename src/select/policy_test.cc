#include "select/policy.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

Device Make(std::string id, DeviceKind kind, std::optional<double> tflops,
            std::optional<std::uint64_t> memory, std::optional<std::string> pci) {
  Device d;
  d.id = std::move(id);
  d.kind = kind;
  d.compute.est_fp32_tflops = tflops;
  d.memory.total_bytes = memory;
  d.memory.shared_with_host = kind != DeviceKind::kDgpu;
  d.pci_address = std::move(pci);
  return d;
}

TEST(Policy, PerformanceKindOrderThenThroughputMemoryAndPciAddress) {
  Device fast = Make("gpu1", DeviceKind::kDgpu, 20.0, 8ull << 30, "0000:03:00.0");
  Device slow = Make("gpu2", DeviceKind::kDgpu, 10.0, 24ull << 30, "0000:04:00.0");
  Device igpu = Make("gpu0", DeviceKind::kIgpu, 100.0, 64ull << 30, "0000:00:02.0");
  Device cpu = Make("cpu", DeviceKind::kCpu, 4.0, 64ull << 30, std::nullopt);
  Device npu = Make("npu0", DeviceKind::kNpu, std::nullopt, std::nullopt, "0000:00:0b.0");
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, fast, slow));
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, slow, igpu));
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, igpu, cpu));
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, cpu, npu));
  EXPECT_FALSE(RanksBefore(Policy::kPerformance, fast, fast));
  Device twin = Make("gpu3", DeviceKind::kDgpu, 20.0, 8ull << 30, "0000:05:00.0");
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, fast, twin));  // lower PCI address
  Device unknown = Make("gpu4", DeviceKind::kDgpu, std::nullopt, 48ull << 30, "0000:01:00.0");
  EXPECT_TRUE(RanksBefore(Policy::kPerformance, slow, unknown));  // unknown throughput is last
}

TEST(Policy, EfficiencyAndMemory) {
  Device dgpu = Make("gpu1", DeviceKind::kDgpu, 20.0, 8ull << 30, "0000:03:00.0");
  Device big = Make("gpu2", DeviceKind::kDgpu, 10.0, 24ull << 30, "0000:04:00.0");
  Device igpu = Make("gpu0", DeviceKind::kIgpu, 1.0, 64ull << 30, "0000:00:02.0");
  Device npu = Make("npu0", DeviceKind::kNpu, std::nullopt, std::nullopt, "0000:00:0b.0");
  EXPECT_TRUE(RanksBefore(Policy::kEfficiency, npu, igpu));
  EXPECT_TRUE(RanksBefore(Policy::kEfficiency, igpu, dgpu));
  EXPECT_TRUE(RanksBefore(Policy::kMemory, big, dgpu));
  EXPECT_TRUE(RanksBefore(Policy::kMemory, dgpu, igpu));  // shared memory is not dedicated
  EXPECT_EQ(DedicatedMemoryBytes(igpu), 0u);
}

TEST(Policy, ParseAndPrint) {
  EXPECT_EQ(*ParsePolicy("efficiency"), Policy::kEfficiency);
  EXPECT_EQ(ToString(Policy::kMemory), "memory");
  EXPECT_EQ(ParsePolicy("fast").status().message(),
            "unknown policy 'fast'; accepted: performance, efficiency, memory, measured");
  EXPECT_EQ(*ParseFallback("cpu"), Fallback::kCpu);
  EXPECT_EQ(ParseFallback("gpu").status().message(), "unknown fallback 'gpu'; accepted: none, cpu");
}

TEST(ByteSize, ParsesUnits) {
  EXPECT_EQ(*ParseByteSize("1000000"), 1000000u);
  EXPECT_EQ(*ParseByteSize("6GiB"), 6ull << 30);
  EXPECT_EQ(*ParseByteSize("512MiB"), 512ull << 20);
  EXPECT_EQ(*ParseByteSize("8G"), 8ull << 30);
  EXPECT_EQ(*ParseByteSize("8GB"), 8000000000u);
  EXPECT_EQ(*ParseByteSize("1.5 gib"), 3ull << 29);
  EXPECT_EQ(*ParseByteSize(" 2TiB "), 2ull << 40);
  EXPECT_EQ(*ParseByteSize("100b"), 100u);
}

TEST(ByteSize, RejectsNonsense) {
  const std::string expected =
      "; expected bytes or a number with a unit: B, KiB, MiB, GiB, TiB (binary), KB, MB, GB, TB "
      "(decimal), K, M, G, T (binary), e.g. 6GiB or 512MiB";
  EXPECT_EQ(ParseByteSize("6XB").status().message(), "invalid size '6XB'" + expected);
  EXPECT_EQ(ParseByteSize("").status().message(), "invalid size ''" + expected);
  EXPECT_FALSE(ParseByteSize("GiB").ok());
  EXPECT_FALSE(ParseByteSize("-1").ok());
  EXPECT_FALSE(ParseByteSize("1.5").ok());
  EXPECT_FALSE(ParseByteSize("99999999999999999999").ok());
  EXPECT_FALSE(ParseByteSize("17000000TiB").ok());
}

TEST(ByteSize, Formats) {
  EXPECT_EQ(FormatByteSize(17079205888), "16 GiB");
  EXPECT_EQ(FormatByteSize(6ull << 30), "6 GiB");
  EXPECT_EQ(FormatByteSize(3ull << 29), "1.5 GiB");
  EXPECT_EQ(FormatByteSize(512ull << 20), "512 MiB");
  EXPECT_EQ(FormatByteSize(100), "100 B");
}

}  // namespace
}  // namespace devpick
