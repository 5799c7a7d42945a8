#include "probes/cpuid.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::uint32_t Bit(int n) { return std::uint32_t{1} << n; }

// Leaf 1 ECX of any AVX2-era part: FMA, SSE4.2, OSXSAVE, AVX, F16C.
constexpr std::uint32_t kLeaf1Avx2Era = Bit(12) | Bit(20) | Bit(27) | Bit(28) | Bit(29);
constexpr std::uint64_t kXcr0X87SseAvx = 0x7;
constexpr std::uint64_t kXcr0WithAvx512 = 0xe7;
constexpr std::uint64_t kXcr0WithAmx = 0x600e7;

CpuidRegisters RaptorLake() {
  return CpuidRegisters{
      .max_leaf = 0x20,
      .vendor = "GenuineIntel",
      .leaf1_ecx = kLeaf1Avx2Era,
      .leaf7_0_ebx = Bit(5),
      .leaf7_0_ecx = 0,
      .leaf7_0_edx = Bit(15),  // hybrid, not a flag we report
      .leaf7_1_eax = Bit(4),
      .xcr0 = kXcr0X87SseAvx,
      .brand = std::string("13th Gen Intel(R) Core(TM) i9-13900K") + std::string(12, '\0')};
}

CpuidRegisters SapphireRapids() {
  return CpuidRegisters{.max_leaf = 0x20,
                        .vendor = "GenuineIntel",
                        .leaf1_ecx = kLeaf1Avx2Era,
                        .leaf7_0_ebx = Bit(5) | Bit(16),
                        .leaf7_0_ecx = Bit(11),
                        .leaf7_0_edx = Bit(22) | Bit(23) | Bit(24) | Bit(25),
                        .leaf7_1_eax = Bit(4) | Bit(5),
                        .xcr0 = kXcr0WithAmx,
                        .brand = "       Intel(R) Xeon(R) w7-2495X"};
}

TEST(DecodeCpuidFlags, RaptorLakeHasAvxVnniButNoAvx512) {
  EXPECT_THAT(DecodeCpuidFlags(RaptorLake()),
              ElementsAre("avx", "avx2", "avx_vnni", "f16c", "fma", "sse4_2"));
}

TEST(DecodeCpuidFlags, SapphireRapidsHasAmxAndAvx512WhenTheOsSavesTheirState) {
  EXPECT_THAT(
      DecodeCpuidFlags(SapphireRapids()),
      ElementsAre("amx_bf16", "amx_int8", "amx_tile", "avx", "avx2", "avx512_bf16", "avx512_fp16",
                  "avx512_vnni", "avx512f", "avx_vnni", "f16c", "fma", "sse4_2"));
}

TEST(DecodeCpuidFlags, DropsAmxWhenXcr0LacksTileState) {
  CpuidRegisters registers = SapphireRapids();
  registers.xcr0 = kXcr0WithAvx512;
  std::vector<std::string> flags = DecodeCpuidFlags(registers);
  EXPECT_EQ(std::count_if(flags.begin(), flags.end(),
                          [](const std::string& f) { return f.starts_with("amx"); }),
            0);
  EXPECT_THAT(flags, ::testing::Contains("avx512f"));
}

TEST(DecodeCpuidFlags, DropsAvx512WhenXcr0LacksZmmState) {
  CpuidRegisters registers = SapphireRapids();
  registers.xcr0 = kXcr0X87SseAvx;
  EXPECT_THAT(DecodeCpuidFlags(registers),
              ElementsAre("avx", "avx2", "avx_vnni", "f16c", "fma", "sse4_2"));
}

TEST(DecodeCpuidFlags, WithoutOsxsaveOnlySse42Remains) {
  CpuidRegisters registers = SapphireRapids();
  registers.leaf1_ecx &= ~Bit(27);  // XCR0 is then unreadable, whatever it would say
  EXPECT_THAT(DecodeCpuidFlags(registers), ElementsAre("sse4_2"));
}

TEST(DecodeCpuidFlags, OsxsaveWithoutXcr0ValueMeansNoAvx) {
  CpuidRegisters registers = RaptorLake();
  registers.xcr0.reset();
  EXPECT_THAT(DecodeCpuidFlags(registers), ElementsAre("sse4_2"));
}

TEST(DecodeCpuidFlags, ZeroRegistersGiveNoFlags) {
  EXPECT_THAT(DecodeCpuidFlags(CpuidRegisters{}), IsEmpty());
}

TEST(DecodeCpuid, TrimsPaddedBrandAndKeepsVendor) {
  CpuidInfo info = DecodeCpuid(SapphireRapids());
  EXPECT_EQ(info.vendor, "GenuineIntel");
  EXPECT_EQ(info.brand, "Intel(R) Xeon(R) w7-2495X");
  EXPECT_EQ(DecodeCpuid(RaptorLake()).brand, "13th Gen Intel(R) Core(TM) i9-13900K");
}

TEST(DecodeCpuid, BlankBrandAndVendorAreAbsent) {
  CpuidRegisters registers;
  registers.brand = std::string(48, '\0');
  registers.vendor = "   ";
  CpuidInfo info = DecodeCpuid(registers);
  EXPECT_EQ(info.brand, std::nullopt);
  EXPECT_EQ(info.vendor, std::nullopt);
}

TEST(ReadCpuid, DescribesThisMachineOnlyOnX86_64) {
  std::optional<CpuidInfo> info = ReadCpuid();
#if defined(__x86_64__)
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->vendor.has_value());
  EXPECT_EQ(info->vendor->size(), 12u);
  EXPECT_THAT(info->flags, ::testing::Contains("sse4_2"));
#else
  EXPECT_FALSE(info.has_value());
#endif
}

}  // namespace
}  // namespace devpick
