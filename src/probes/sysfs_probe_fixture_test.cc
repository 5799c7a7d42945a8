#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "probes/sysfs_probe_test_util.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// ---- Fixture trees: whole machines, read through a rooted Env. ----

TEST(SysfsProbe, ReadsArcA770AndUhd770) {
  Observations out = ProbeSysfs(*FixtureEnv("arc-a770-uhd770"));
  ASSERT_TRUE(out.probes.sysfs.has_value());
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  EXPECT_THAT(out.probes.sysfs->module_versions, IsEmpty());
  // The audio function at 04:00.0 and the bridges of the card's switch are not recorded.
  EXPECT_THAT(Addresses(out), ElementsAre("0000:00:02.0", "0000:03:00.0"));
  {
    PciFunction expected;
    expected.address = "0000:00:02.0";
    expected.vendor = 0x8086;
    expected.device = 0xa780;
    expected.subsystem_vendor = 0x1043;
    expected.subsystem_device = 0x8882;
    expected.class_code = 0x030000;
    expected.revision = 0x04;
    expected.driver = "i915";
    expected.numa_node = -1;
    expected.boot_vga = true;
    expected.drm = {"card0", "renderD128"};
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
  {
    PciFunction expected;
    expected.address = "0000:03:00.0";
    expected.vendor = 0x8086;
    expected.device = 0x56a0;
    expected.subsystem_vendor = 0x8086;
    expected.subsystem_device = 0x1020;
    expected.class_code = 0x030000;
    expected.revision = 0x08;
    expected.driver = "i915";
    expected.numa_node = -1;
    expected.boot_vga = false;
    expected.drm = {"card1", "renderD129"};
    // From the i915 backport's card1/lmem_total_bytes.
    expected.vram_bytes = 17179869184;
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, ReadsCoreUltraLaptopWithNpuAndOptimusGpu) {
  Observations out = ProbeSysfs(*FixtureEnv("core-ultra-laptop"));
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  // No sysfs module version for nvidia: the NVRM line of /proc/driver/nvidia/version supplies it.
  EXPECT_THAT(out.probes.sysfs->module_versions, ElementsAre(Pair("nvidia", "560.35.03")));
  EXPECT_THAT(Addresses(out), ElementsAre("0000:00:02.0", "0000:00:0b.0", "0000:01:00.0"));
  // simpledrm's card0 belongs to a platform device and is attributed to no PCI function.
  {
    PciFunction expected;
    expected.address = "0000:00:02.0";
    expected.vendor = 0x8086;
    expected.device = 0x7d55;
    expected.subsystem_vendor = 0x1043;
    expected.subsystem_device = 0x1ca3;
    expected.class_code = 0x030000;
    expected.revision = 0x08;
    expected.driver = "i915";
    expected.numa_node = -1;
    expected.boot_vga = true;
    expected.drm = {"card1", "renderD128"};
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
  {
    PciFunction expected;
    expected.address = "0000:00:0b.0";
    expected.vendor = 0x8086;
    expected.device = 0x7d1d;
    expected.subsystem_vendor = 0x1043;
    expected.subsystem_device = 0x1ca3;
    expected.class_code = 0x120000;
    expected.revision = 0x04;
    expected.driver = "intel_vpu";
    expected.numa_node = -1;
    expected.accel = {"accel0"};
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
  {
    PciFunction expected;
    expected.address = "0000:01:00.0";
    expected.vendor = 0x10de;
    expected.device = 0x28a0;
    expected.subsystem_vendor = 0x1043;
    expected.subsystem_device = 0x1ca3;
    // 3D controller: no boot_vga attribute
    expected.class_code = 0x030200;
    expected.revision = 0xa1;
    expected.driver = "nvidia";
    expected.numa_node = -1;
    expected.nvidia_procfs = NvidiaProcfsGpu{.model = "NVIDIA GeForce RTX 4060 Laptop GPU",
                                             .uuid = "GPU-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                                             .device_minor = 0};
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, ReadsRx7900XtxAndRaphaelMemory) {
  Observations out = ProbeSysfs(*FixtureEnv("rx7900xtx-raphael"));
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  EXPECT_THAT(Addresses(out), ElementsAre("0000:03:00.0", "0000:12:00.0"));
  {
    PciFunction expected;
    expected.address = "0000:03:00.0";
    expected.vendor = 0x1002;
    expected.device = 0x744c;
    expected.subsystem_vendor = 0x1da2;
    expected.subsystem_device = 0x471e;
    expected.class_code = 0x030000;
    expected.revision = 0xc8;
    expected.driver = "amdgpu";
    expected.numa_node = -1;
    expected.boot_vga = true;
    expected.drm = {"card1", "renderD128"};
    expected.vram_bytes = 25753026560;
    expected.gtt_bytes = 33554432000;
    expected.board_info = true;
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
  // The APU hides board_info: its absence is recorded as false, not as unknown.
  {
    PciFunction expected;
    expected.address = "0000:12:00.0";
    expected.vendor = 0x1002;
    expected.device = 0x164e;
    expected.subsystem_vendor = 0x1002;
    expected.subsystem_device = 0x164e;
    expected.class_code = 0x030000;
    expected.revision = 0xc1;
    expected.driver = "amdgpu";
    expected.numa_node = -1;
    expected.boot_vga = false;
    expected.drm = {"card2", "renderD129"};
    expected.vram_bytes = 536870912;
    expected.gtt_bytes = 17179869184;
    expected.board_info = false;
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, ReadsTwoRtx4090WithNvidiaProcfs) {
  Observations out = ProbeSysfs(*FixtureEnv("nvidia-dual"));
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  EXPECT_THAT(out.probes.sysfs->module_versions, ElementsAre(Pair("nvidia", "550.54.14")));
  EXPECT_THAT(Addresses(out), ElementsAre("0000:01:00.0", "0000:02:00.0"));
  {
    PciFunction expected;
    expected.address = "0000:01:00.0";
    expected.vendor = 0x10de;
    expected.device = 0x2684;
    expected.subsystem_vendor = 0x1458;
    expected.subsystem_device = 0x40bf;
    expected.class_code = 0x030000;
    expected.revision = 0xa1;
    expected.driver = "nvidia";
    expected.numa_node = 0;
    expected.boot_vga = true;
    expected.nvidia_procfs = NvidiaProcfsGpu{.model = "NVIDIA GeForce RTX 4090",
                                             .uuid = "GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50",
                                             .device_minor = 0};
    ExpectFunction(out, expected);
  }
  {
    PciFunction expected;
    expected.address = "0000:02:00.0";
    expected.vendor = 0x10de;
    expected.device = 0x2684;
    expected.subsystem_vendor = 0x1043;
    expected.subsystem_device = 0x889c;
    expected.class_code = 0x030000;
    expected.revision = 0xa1;
    expected.driver = "nvidia";
    expected.numa_node = 0;
    expected.boot_vga = false;
    expected.nvidia_procfs = NvidiaProcfsGpu{.model = "NVIDIA GeForce RTX 4090",
                                             .uuid = "GPU-5e1fa3b2-8c4d-4e6f-a1b2-c3d4e5f60718",
                                             .device_minor = 1};
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, RecordsAspeedBmcButNotIntelHostBridge) {
  Observations out = ProbeSysfs(*FixtureEnv("xeon-aspeed"));
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  // The BMC display is recorded (correlation excludes it, with a reason); 00:00.0 is a bridge.
  EXPECT_THAT(Addresses(out), ElementsAre("0000:05:00.0"));
  {
    PciFunction expected;
    expected.address = "0000:05:00.0";
    expected.vendor = 0x1a03;
    expected.device = 0x2000;
    expected.subsystem_vendor = 0x1a03;
    expected.subsystem_device = 0x2000;
    expected.class_code = 0x030000;
    expected.revision = 0x52;
    expected.driver = "ast";
    expected.numa_node = 0;
    expected.boot_vga = true;
    // No render node, so render_node_accessible stays unknown.
    expected.drm = {"card0"};
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, BrokenTreeBecomesWarningsNotCrashes) {
  Observations out = ProbeSysfs(*FixtureEnv("broken"));
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(
      out.probes.sysfs->warnings,
      ElementsAre(
          "/sys/class/drm/card9: Too many levels of symbolic links",
          "/sys/bus/pci/devices/0000:01:00.0/class: expected a hex number such as 0x030000, got "
          "\"\"",
          "/sys/bus/pci/devices/0000:02:00.0/device: expected a hex number such as 0x2684, got "
          "\"0xzz\"",
          "/sys/bus/pci/devices/0000:02:00.0/revision: Is a directory",
          "/sys/bus/pci/devices/0000:03:00.0/class: expected a hex number such as 0x030000, got "
          "\"0x030000 junk\"",
          "/sys/bus/pci/devices/0000:03:00.0/numa_node: expected a decimal number such as -1, got "
          "\"NaN\"",
          "/proc/driver/nvidia/version: no version number such as 550.54.14 in \"NVRM version: "
          "garbage\""));
  EXPECT_THAT(out.probes.sysfs->module_versions, IsEmpty());
  EXPECT_THAT(Addresses(out), ElementsAre("0000:01:00.0", "0000:02:00.0", "0000:03:00.0"));
  // Kept without a class because the NVIDIA driver lists it.
  {
    PciFunction expected;
    expected.address = "0000:01:00.0";
    expected.vendor = 0x10de;
    expected.device = 0x2684;
    expected.subsystem_vendor = 0x1458;
    expected.subsystem_device = 0x40bf;
    expected.revision = 0xa1;
    expected.driver = "nvidia";
    expected.numa_node = -1;
    expected.boot_vga = true;
    expected.nvidia_procfs = NvidiaProcfsGpu{.model = "NVIDIA GeForce RTX 4090",
                                             .uuid = "GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50",
                                             .device_minor = 0};
    ExpectFunction(out, expected);
  }
  // Unbound: no driver, so no amdgpu facts, and the garbage ID is unknown rather than guessed.
  {
    PciFunction expected;
    expected.address = "0000:02:00.0";
    expected.vendor = 0x1002;
    expected.subsystem_vendor = 0x1da2;
    expected.subsystem_device = 0x471e;
    expected.class_code = 0x030000;
    expected.numa_node = -1;
    expected.boot_vga = false;
    ExpectFunction(out, expected);
  }
  // Kept without a class because it has DRM nodes.
  {
    PciFunction expected;
    expected.address = "0000:03:00.0";
    expected.vendor = 0x8086;
    expected.device = 0x56a0;
    expected.subsystem_vendor = 0x8086;
    expected.subsystem_device = 0x1020;
    expected.revision = 0x08;
    expected.driver = "i915";
    expected.boot_vga = false;
    expected.drm = {"card1", "renderD128"};
    expected.render_node_accessible = true;
    ExpectFunction(out, expected);
  }
}

TEST(SysfsProbe, LiveSystemListsNoBridges) {
  std::unique_ptr<Env> env = NewRealEnv();
  if (env->TypeOf("/sys/bus/pci/devices") == FileType::kMissing) {
    GTEST_SKIP() << "this machine has no /sys/bus/pci/devices";
  }
  Observations out = ProbeSysfs(*env);
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  for (const PciFunction& function : out.pci) {
    EXPECT_NE(function.class_code.value_or(0) >> 16, 0x06u) << function.address;
  }
}

TEST(SysfsProbe, DevNodesIncludeNvidiaMinorsAndAccelNodesOfFixture) {
  Observations nvidia = ProbeSysfs(*FixtureEnv("nvidia-dual"));
  EXPECT_THAT(nvidia.probes.sysfs->dev_nodes,
              ElementsAre(Pair("/dev/kfd", "missing"), Pair("/dev/nvidia-uvm", "missing"),
                          Pair("/dev/nvidia0", "missing"), Pair("/dev/nvidia1", "missing"),
                          Pair("/dev/nvidiactl", "missing")));
  Observations laptop = ProbeSysfs(*FixtureEnv("core-ultra-laptop"));
  EXPECT_EQ(laptop.probes.sysfs->dev_nodes.at("/dev/accel/accel0"), "rw");
  EXPECT_EQ(laptop.probes.sysfs->dev_nodes.at("/dev/dri/renderD128"), "rw");
}

}  // namespace
}  // namespace devpick::testing
