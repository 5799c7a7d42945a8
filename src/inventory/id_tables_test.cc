#include "inventory/id_tables.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "expect_table.h"

namespace devpick {
namespace {

TEST(IdTablesTest, IsIntelDiscreteGpu_KnowsEachDiscreteFamily) {
  EXPECT_TRUE(IsIntelDiscreteGpu(0x4905));  // DG1
  EXPECT_TRUE(IsIntelDiscreteGpu(0x56a0));  // DG2-G10 Arc A770
  EXPECT_TRUE(IsIntelDiscreteGpu(0x56a5));  // DG2-G11 Arc A380
  EXPECT_TRUE(IsIntelDiscreteGpu(0x56b3));  // DG2-G12
  EXPECT_TRUE(IsIntelDiscreteGpu(0x56c0));  // ATS-M Flex 170
  EXPECT_TRUE(IsIntelDiscreteGpu(0x0bd5));  // PVC Max 1550
  EXPECT_TRUE(IsIntelDiscreteGpu(0xe20b));  // BMG Arc B580
  EXPECT_TRUE(IsIntelDiscreteGpu(0xe222));  // BMG-G31
}

TEST(IdTablesTest, IsIntelDiscreteGpu_RejectsIntegratedAndNonGpuIds) {
  EXPECT_FALSE(IsIntelDiscreteGpu(0xa780));  // RPL-S UHD 770
  EXPECT_FALSE(IsIntelDiscreteGpu(0x7d55));  // MTL iGPU
  EXPECT_FALSE(IsIntelDiscreteGpu(0x64a0));  // LNL iGPU
  EXPECT_FALSE(IsIntelDiscreteGpu(0x0d57));  // a host bridge, not a GPU
  EXPECT_FALSE(IsIntelDiscreteGpu(0x4f90));  // DG2 audio controller
  EXPECT_FALSE(IsIntelDiscreteGpu(0x7d1d));  // MTL NPU
  EXPECT_FALSE(IsIntelDiscreteGpu(0));
}

TEST(IdTablesTest, IntelGpuArch_MapsPlatformsToXeGenerations) {
  EXPECT_EQ(IntelGpuArch(0x4905), "Xe-LP");   // DG1
  EXPECT_EQ(IntelGpuArch(0x9a49), "Xe-LP");   // TGL
  EXPECT_EQ(IntelGpuArch(0x4680), "Xe-LP");   // ADL-S
  EXPECT_EQ(IntelGpuArch(0x46c3), "Xe-LP");   // ADL-P
  EXPECT_EQ(IntelGpuArch(0xa780), "Xe-LP");   // RPL-S
  EXPECT_EQ(IntelGpuArch(0xa7ad), "Xe-LP");   // RPL-U
  EXPECT_EQ(IntelGpuArch(0x56a0), "Xe-HPG");  // DG2
  EXPECT_EQ(IntelGpuArch(0x56c1), "Xe-HPG");  // ATS-M
  EXPECT_EQ(IntelGpuArch(0x0bd5), "Xe-HPC");  // PVC
  EXPECT_EQ(IntelGpuArch(0x7d55), "Xe-LPG");  // MTL
  EXPECT_EQ(IntelGpuArch(0x7dd1), "Xe-LPG");  // ARL-H
  EXPECT_EQ(IntelGpuArch(0x64a0), "Xe2");     // LNL
  EXPECT_EQ(IntelGpuArch(0xe20b), "Xe2");     // BMG
  EXPECT_EQ(IntelGpuArch(0xb080), "Xe3");     // PTL
  EXPECT_EQ(IntelGpuArch(0xfd81), "Xe3");     // WCL
}

TEST(IdTablesTest, IntelGpuArch_UnknownForOlderAndNonGpuIds) {
  EXPECT_EQ(IntelGpuArch(0x3e92), std::nullopt);  // CFL Gen9.5
  EXPECT_EQ(IntelGpuArch(0x0d57), std::nullopt);  // host bridge
  EXPECT_EQ(IntelGpuArch(0x4684), std::nullopt);  // a gap inside the ADL-S range
  EXPECT_EQ(IntelGpuArch(0x643e), std::nullopt);  // LNL NPU
}

TEST(IdTablesTest, BuiltinGpuName_NamesDevicesThatMatter) {
  struct Case {
    std::uint32_t vendor, device;
    const char* name;
  };
  for (const Case& c :
       {Case{.vendor = 0x8086, .device = 0x56a0, .name = "Intel Arc A770 Graphics"},
        Case{.vendor = 0x8086, .device = 0xe20b, .name = "Intel Arc B580 Graphics"},
        Case{.vendor = 0x8086, .device = 0xa780, .name = "Intel UHD Graphics 770"},
        Case{.vendor = 0x8086, .device = 0x7d1d, .name = "Intel AI Boost"},
        Case{.vendor = 0x8086, .device = 0xfd3e, .name = "Intel AI Boost"},
        Case{.vendor = 0x10de, .device = 0x2684, .name = "NVIDIA GeForce RTX 4090"},
        Case{.vendor = 0x10de, .device = 0x28a0, .name = "NVIDIA GeForce RTX 4060 Laptop GPU"},
        Case{.vendor = 0x10de, .device = 0x2206, .name = "NVIDIA GeForce RTX 3080"},
        Case{.vendor = 0x1002, .device = 0x744c, .name = "AMD Radeon RX 7900 XT/7900 XTX"},
        Case{.vendor = 0x1002, .device = 0x73bf, .name = "AMD Radeon RX 6800/6800 XT/6900 XT"},
        Case{.vendor = 0x1002, .device = 0x164e, .name = "AMD Radeon Graphics (Raphael)"},
        Case{.vendor = 0x1022, .device = 0x17f0, .name = "AMD Ryzen AI NPU (Strix/Krackan)"}}) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(BuiltinGpuName(c.vendor, c.device), c.name);
  }
}

TEST(IdTablesTest, BuiltinGpuName_MatchesVendorAndDeviceTogether) {
  EXPECT_EQ(BuiltinGpuName(0x10de, 0x56a0), std::nullopt);
  EXPECT_EQ(BuiltinGpuName(0x1002, 0x1502), std::nullopt);  // the XDNA id belongs to 0x1022
  EXPECT_EQ(BuiltinGpuName(0x8086, 0x0d57), std::nullopt);
}

TEST(IdTablesTest, GfxTargetName_DecimalMajorHexMinorAndStepping) {
  EXPECT_EQ(GfxTargetName(110000), "gfx1100");
  EXPECT_EQ(GfxTargetName(90010), "gfx90a");
  EXPECT_EQ(GfxTargetName(90012), "gfx90c");
  EXPECT_EQ(GfxTargetName(100306), "gfx1036");
  EXPECT_EQ(GfxTargetName(90402), "gfx942");
  EXPECT_EQ(GfxTargetName(120001), "gfx1201");
  EXPECT_EQ(GfxTargetName(0), "");
  EXPECT_EQ(GfxTargetName(-5), "");
}

TEST(IdTablesTest, IsAmdApuGfxTarget_ApusOnly) {
  for (int apu : {90002, 90012, 90400, 100303, 100305, 100306, 110003, 110500, 110501, 110502}) {
    EXPECT_TRUE(IsAmdApuGfxTarget(apu)) << apu;
  }
  for (int dgpu : {0, 90000, 90010, 90402, 100300, 110000, 110001, 120001}) {
    EXPECT_FALSE(IsAmdApuGfxTarget(dgpu)) << dgpu;
  }
}

TEST(IdTablesTest, IsAmdApuDeviceId_IntegratedOnly) {
  for (std::uint32_t apu : {0x164eu, 0x15bfu, 0x1506u, 0x150eu, 0x1586u, 0x15c8u, 0x1681u, 0x1636u,
                            0x164cu, 0x15e7u, 0x1638u, 0x15ddu, 0x15d8u}) {
    EXPECT_TRUE(IsAmdApuDeviceId(apu)) << std::hex << apu;
  }
  EXPECT_FALSE(IsAmdApuDeviceId(0x744c));  // RX 7900 XTX
  EXPECT_FALSE(IsAmdApuDeviceId(0x73bf));  // RX 6800
  EXPECT_FALSE(IsAmdApuDeviceId(0x1637));  // Renoir HD audio function
}

TEST(IdTablesTest, LooksLikeAmdApuByMemory_OllamaThresholds) {
  constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
  EXPECT_TRUE(LooksLikeAmdApuByMemory(512 * kMiB, 16 * kGiB));  // Raphael carve-out
  EXPECT_TRUE(LooksLikeAmdApuByMemory(2 * kGiB, 8 * kGiB));     // exactly 4x, exactly 8 GiB
  EXPECT_TRUE(LooksLikeAmdApuByMemory(4 * kGiB, 16 * kGiB));    // the 4 GiB edge
  EXPECT_FALSE(LooksLikeAmdApuByMemory(2 * kGiB, 8 * kGiB - 1));
  EXPECT_FALSE(LooksLikeAmdApuByMemory(4 * kGiB + 1, 64 * kGiB));
  EXPECT_FALSE(LooksLikeAmdApuByMemory(3 * kGiB, 11 * kGiB));   // less than 4x
  EXPECT_FALSE(LooksLikeAmdApuByMemory(24 * kGiB, 32 * kGiB));  // RX 7900 XTX
  EXPECT_FALSE(LooksLikeAmdApuByMemory(0, 0));
  EXPECT_FALSE(LooksLikeAmdApuByMemory(~std::uint64_t{0}, ~std::uint64_t{0}));
}

TEST(IdTablesTest, IsSupportedRocmTarget_OfficialTargetsOnly) {
  for (int target : {90000, 90006, 90008, 90010, 90400, 90401, 90402, 90500, 100300, 110000, 110001,
                     110002, 110500, 110501, 120000, 120001}) {
    EXPECT_TRUE(IsSupportedRocmTarget(target)) << target;
  }
  EXPECT_FALSE(IsSupportedRocmTarget(100301));  // gfx1031, RX 6700 XT: needs an override
  EXPECT_FALSE(IsSupportedRocmTarget(100306));  // gfx1036, Raphael
  EXPECT_FALSE(IsSupportedRocmTarget(110003));  // gfx1103, Phoenix
  EXPECT_FALSE(IsSupportedRocmTarget(0));
}

TEST(IdTablesTest, KnownGfxOverride_OneValuePerFamily) {
  EXPECT_EQ(KnownGfxOverride(100301), "10.3.0");  // gfx1031, RX 6700 XT
  EXPECT_EQ(KnownGfxOverride(100306), "10.3.0");  // gfx1036, Raphael
  EXPECT_EQ(KnownGfxOverride(110003), "11.0.0");  // gfx1103, Phoenix
  EXPECT_EQ(KnownGfxOverride(110502), "11.0.0");  // gfx1152, Krackan
}

TEST(IdTablesTest, KnownGfxOverride_NoneForFamiliesWithoutARow) {
  EXPECT_EQ(KnownGfxOverride(100100), std::nullopt);  // gfx1010, RX 5700 XT (RDNA1)
  EXPECT_EQ(KnownGfxOverride(90012), std::nullopt);   // gfx90c, Renoir
  EXPECT_EQ(KnownGfxOverride(120001), std::nullopt);  // gfx1201, RX 9070
  EXPECT_EQ(KnownGfxOverride(0), std::nullopt);       // a KFD CPU node
}

TEST(IdTablesTest, IsExcludedDisplayDriver_BmcVirtualAndFirmwareDisplays) {
  for (std::string_view driver :
       {"ast",        "mgag200",     "hibmc",      "simpledrm", "efifb",
        "vesafb",     "virtio_gpu",  "virtio-pci", "bochs",     "bochs-drm",
        "cirrus",     "cirrus-qemu", "qxl",        "vmwgfx",    "vboxvideo",
        "hyperv_drm", "udl",         "evdi",       "vkms",      "gm12u320"}) {
    EXPECT_TRUE(IsExcludedDisplayDriver(driver)) << driver;
  }
  for (std::string_view driver :
       {"i915", "xe", "amdgpu", "nvidia", "nouveau", "intel_vpu", "", "AST", "ast "}) {
    EXPECT_FALSE(IsExcludedDisplayDriver(driver)) << driver;
  }
}

TEST(IdTablesTest, IsExcludedDisplayVendor_BmcAndVirtualVendors) {
  for (std::uint32_t vendor :
       {0x1a03u, 0x102bu, 0x1234u, 0x1af4u, 0x15adu, 0x1b36u, 0x80eeu, 0x1013u}) {
    EXPECT_TRUE(IsExcludedDisplayVendor(vendor)) << std::hex << vendor;
  }
  for (std::uint32_t vendor : {0x10deu, 0x1002u, 0x8086u, 0x1414u}) {
    EXPECT_FALSE(IsExcludedDisplayVendor(vendor)) << std::hex << vendor;
  }
}

TEST(IdTablesTest, NpuTables) {
  for (std::string_view driver : {"intel_vpu", "amdxdna", "qaic", "habanalabs"}) {
    EXPECT_TRUE(IsNpuDriver(driver)) << driver;
  }
  EXPECT_FALSE(IsNpuDriver("i915"));
  EXPECT_FALSE(IsNpuDriver("ivpu"));
  for (std::uint32_t id : {0x7d1du, 0xad1du, 0x643eu, 0xb03eu, 0xfd3eu}) {
    EXPECT_TRUE(IsIntelNpuDeviceId(id)) << std::hex << id;
  }
  EXPECT_FALSE(IsIntelNpuDeviceId(0x7d55));  // the MTL iGPU next to the NPU
  EXPECT_TRUE(IsAmdXdnaDeviceId(0x1502));
  EXPECT_TRUE(IsAmdXdnaDeviceId(0x17f0));
  EXPECT_FALSE(IsAmdXdnaDeviceId(0x164e));
}

TEST(IdTablesTest, NvidiaArch_FromComputeCapability) {
  testing::ExpectEachMapsTo<std::string_view, const char*>(NvidiaArch, {{"8.9", "sm_89"},
                                                                        {"8.6", "sm_86"},
                                                                        {"9.0", "sm_90"},
                                                                        {"10.0", "sm_100"},
                                                                        {"12.1", "sm_121"}});
  for (std::string_view bad : {"", "8", "89", "8.", ".9", "a.b", "8.9.1", "-8.9", "8.-9", "0.0",
                               " 8.9", "8.9 ", "1234.5"}) {
    EXPECT_EQ(NvidiaArch(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace devpick
