#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "fake_env.h"
#include "probes/probe_runs.h"
#include "probes/sysfs_probe_test_util.h"

namespace devpick::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

constexpr char kDevices[] = "/sys/bus/pci/devices/";

// A GPU function as sysfs shows it, without symlinks (the fake has real directories).
void AddFunction(FakeEnv& env, const std::string& address, const std::string& class_code,
                 const std::string& vendor = "0x10de\n", const std::string& device = "0x2684\n") {
  std::string dir = kDevices + address;
  env.AddFile(dir + "/class", class_code);
  env.AddFile(dir + "/vendor", vendor);
  env.AddFile(dir + "/device", device);
  env.AddFile(dir + "/subsystem_vendor", "0x1458\n");
  env.AddFile(dir + "/subsystem_device", "0x40bf\n");
  env.AddFile(dir + "/revision", "0xa1\n");
}

// ---- FakeEnv: one edge case at a time. ----

TEST(SysfsProbe, NoPciBusIsAbsentNotError) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", "processor\t: 0\n");
  Observations out = ProbeSysfs(env);
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kAbsent);
  EXPECT_EQ(out.probes.sysfs->detail, "no /sys/bus/pci/devices: No such file or directory");
  EXPECT_THAT(out.pci, IsEmpty());
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
}

TEST(SysfsProbe, UnlistablePciBusIsError) {
  FakeEnv env;
  env.AddDirectory("/sys/bus/pci/devices");
  env.FailPath("/sys/bus/pci/devices", EACCES);
  Observations out = ProbeSysfs(env);
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kError);
  EXPECT_EQ(out.probes.sysfs->detail, "/sys/bus/pci/devices: Permission denied");
}

TEST(SysfsProbe, UnreadableVendorIsAWarningAndTheFunctionIsKept) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n");
  env.FailPath("/sys/bus/pci/devices/0000:03:00.0/vendor", EACCES);
  env.FailPath("/sys/bus/pci/devices/0000:03:00.0/device", EIO);
  Observations out = ProbeSysfs(env);
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/0000:03:00.0/vendor: Permission denied",
                          "/sys/bus/pci/devices/0000:03:00.0/device: Input/output error"));
  ASSERT_THAT(Addresses(out), ElementsAre("0000:03:00.0"));
  EXPECT_EQ(out.pci[0].vendor, std::nullopt);
  EXPECT_EQ(out.pci[0].device, std::nullopt);
  EXPECT_EQ(out.pci[0].class_code, 0x030000u);
  EXPECT_EQ(out.pci[0].subsystem_vendor, 0x1458u);
}

TEST(SysfsProbe, UnreadableClassWithoutOtherEvidenceIsNotRecorded) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n");
  env.FailPath("/sys/bus/pci/devices/0000:03:00.0/class", EIO);
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/0000:03:00.0/class: Input/output error"));
  EXPECT_THAT(out.pci, IsEmpty());
}

TEST(SysfsProbe, OversizedAndDirectoryAttributesAreWarnings) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n");
  env.AddDirectory("/sys/bus/pci/devices/0000:03:00.0/device");
  env.AddFile("/sys/bus/pci/devices/0000:03:00.0/mem_info_vram_total", "99999999999999999999\n");
  env.AddFile("/sys/bus/pci/devices/0000:03:00.0/vendor", "0x1002\n");
  env.AddFile("/sys/bus/pci/devices/0000:03:00.0/revision", "0x1" + std::string(5000, '0'));
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(
      out.probes.sysfs->warnings,
      ElementsAre(
          "/sys/bus/pci/devices/0000:03:00.0/device: Is a directory",
          "/sys/bus/pci/devices/0000:03:00.0/revision: larger than the 4096-byte limit for this "
          "file",
          "/sys/bus/pci/devices/0000:03:00.0/mem_info_vram_total: \"99999999999999999999\" is out "
          "of range"));
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_EQ(out.pci[0].vram_bytes, std::nullopt);
}

TEST(SysfsProbe, KeepsComputeClassesOnly) {
  FakeEnv env;
  AddFunction(env, "0000:00:00.0", "0x060000\n", "0x8086\n", "0x0d57\n");  // host bridge
  AddFunction(env, "0000:00:01.0", "0x060400\n", "0x8086\n", "0xa70d\n");  // PCI bridge
  AddFunction(env, "0000:00:0b.0", "0x120000\n", "0x8086\n", "0x7d1d\n");  // Intel NPU
  AddFunction(env, "0000:00:0c.0", "0x120100\n", "0x1022\n", "0x1234\n");  // SDXI data mover
  AddFunction(env, "0000:02:00.0", "0x020000\n", "0x8086\n", "0x125c\n");  // Ethernet
  AddFunction(env, "0000:03:00.0", "0x038000\n", "0x1002\n", "0x740f\n");  // display, other
  AddFunction(env, "0000:c2:00.1", "0x118000\n", "0x1022\n", "0x17f0\n");  // AMD XDNA NPU
  AddFunction(env, "0000:c3:00.0", "0x040300\n", "0x1002\n", "0x1640\n");  // HD audio
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  EXPECT_THAT(Addresses(out), ElementsAre("0000:00:0b.0", "0000:03:00.0", "0000:c2:00.1"));
}

TEST(SysfsProbe, AnyFunctionWithDrmOrAccelNodeIsRecorded) {
  FakeEnv env;
  AddFunction(env, "0000:05:00.0", "0x058000\n", "0x1da3\n", "0x1020\n");  // Gaudi2-like
  env.AddFile("/sys/bus/pci/devices/0000:05:00.0/accel/accel3/dev", "261:3\n");
  env.AddCharDevice("/dev/accel/accel3", /*read_write=*/false);
  AddFunction(env, "0000:06:00.0", "0x0c0330\n", "0x17e9\n", "0x4307\n");  // USB display adapter
  env.AddFile("/sys/bus/pci/devices/0000:06:00.0/drm/card2/dev", "226:2\n");
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(Addresses(out), ElementsAre("0000:05:00.0", "0000:06:00.0"));
  EXPECT_THAT(out.pci[0].accel, ElementsAre("accel3"));
  EXPECT_EQ(out.pci[0].render_node_accessible, false);
  EXPECT_THAT(out.pci[1].drm, ElementsAre("card2"));
  EXPECT_EQ(out.pci[1].render_node_accessible, std::nullopt);
}

TEST(SysfsProbe, DrmNodesSkipConnectorsAndSortNaturally) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n");
  for (const char* name : {"card10", "card10-DP-1", "card10-HDMI-A-1", "controlD64", "renderD128",
                           "card2", "renderD", "cardX", "card99999999999999999999999"}) {
    env.AddDirectory(std::string(kDevices) + "0000:03:00.0/drm/" + name);
  }
  env.AddCharDevice("/dev/dri/renderD128");
  Observations out = ProbeSysfs(env);
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_THAT(out.pci[0].drm,
              ElementsAre("card2", "card10", "card99999999999999999999999", "renderD128"));
  EXPECT_EQ(out.pci[0].render_node_accessible, true);
}

TEST(SysfsProbe, ClassDrmNodesAreAttributedThroughDeviceLinks) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n");
  env.AddDirectory(std::string(kDevices) + "0000:03:00.0/drm/card1");
  // renderD128 appears only in /sys/class/drm (a capture without the per-device drm/ directory).
  env.AddSymlink("/sys/class/drm/renderD128/device", "../../../0000:03:00.0");
  env.AddSymlink("/sys/class/drm/card0/device", "../../../simple-framebuffer.0");
  env.AddFile("/sys/class/drm/version", "drm 1.1.0 20060810\n");
  env.AddSymlink("/sys/class/drm/card1/device", "../../../0000:03:00.0");
  env.AddCharDevice("/dev/dri/renderD128", /*read_write=*/false);
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_THAT(out.pci[0].drm, ElementsAre("card1", "renderD128"));
  EXPECT_EQ(out.pci[0].render_node_accessible, false);
}

TEST(SysfsProbe, CapturedTreeWithOnlyClassAndNvidiaProcfs) {
  // A real capture: the function directory kept only `class`, and the NVIDIA driver lists the GPU.
  FakeEnv env;
  env.AddFile("/sys/bus/pci/devices/0004:05:00.0/class", "0x030000\n");
  env.AddFile("/proc/driver/nvidia/gpus/0004:05:00.0/information",
              "Model: \t\t NVIDIA H100 80GB HBM3\nGPU UUID: \t GPU-1234\nDevice Minor: \t 3\n");
  Observations out = ProbeSysfs(env);
  ASSERT_THAT(Addresses(out), ElementsAre("0004:05:00.0"));
  const PciFunction& gpu = out.pci[0];
  EXPECT_EQ(gpu.vendor, std::nullopt);  // never invented from the NVIDIA procfs entry
  EXPECT_EQ(gpu.device, std::nullopt);
  EXPECT_EQ(gpu.class_code, 0x030000u);
  EXPECT_EQ(gpu.driver, std::nullopt);
  ASSERT_TRUE(gpu.nvidia_procfs.has_value());
  EXPECT_EQ(gpu.nvidia_procfs->model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(gpu.nvidia_procfs->uuid, "GPU-1234");
  EXPECT_EQ(gpu.nvidia_procfs->device_minor, 3);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/0004:05:00.0/vendor: No such file or directory",
                          "/sys/bus/pci/devices/0004:05:00.0/device: No such file or directory",
                          "/sys/bus/pci/devices/0004:05:00.0/subsystem_vendor: No such file or "
                          "directory",
                          "/sys/bus/pci/devices/0004:05:00.0/subsystem_device: No such file or "
                          "directory",
                          "/sys/bus/pci/devices/0004:05:00.0/revision: No such file or directory"));
}

TEST(SysfsProbe, NvidiaProcfsWithoutSysfsFunctionIsRecordedInAddressOrder) {
  FakeEnv env;
  AddFunction(env, "0000:41:00.0", "0x030200\n");
  env.AddFile("/proc/driver/nvidia/gpus/0000:41:00.0/information", "Model: \t\t A\n");
  // Missing class and vendor: the function directory has only a numa_node file.
  env.AddFile("/sys/bus/pci/devices/0000:05:00.0/numa_node", "1\n");
  env.AddFile("/proc/driver/nvidia/gpus/0000:05:00.0/information", "Model: \t\t B\n");
  // No sysfs directory at all.
  env.AddFile("/proc/driver/nvidia/gpus/0000:81:00.0/information", "Model: \t\t C\n");
  env.AddDirectory("/proc/driver/nvidia/gpus/not-an-address");
  Observations out = ProbeSysfs(env);
  ASSERT_THAT(Addresses(out), ElementsAre("0000:05:00.0", "0000:41:00.0", "0000:81:00.0"));
  EXPECT_EQ(out.pci[0].nvidia_procfs->model, "B");
  EXPECT_EQ(out.pci[0].numa_node, 1);
  EXPECT_EQ(out.pci[0].class_code, std::nullopt);
  EXPECT_EQ(out.pci[1].nvidia_procfs->model, "A");
  EXPECT_EQ(out.pci[2].nvidia_procfs->model, "C");
  EXPECT_EQ(out.pci[2].vendor, std::nullopt);
  EXPECT_EQ(out.pci[2].class_code, std::nullopt);
  EXPECT_THAT(out.probes.sysfs->warnings,
              Contains("/proc/driver/nvidia/gpus/not-an-address: not a PCI address such as "
                       "0000:01:00.0"));
}

TEST(SysfsProbe, SuspendedNvidiaGpuIsNotWokenUp) {
  FakeEnv env;
  AddFunction(env, "0000:01:00.0", "0x030200\n");
  env.AddFile("/sys/bus/pci/devices/0000:01:00.0/power/runtime_status", "suspended\n");
  env.AddFile("/proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t X\n");
  Observations out = ProbeSysfs(env);
  ASSERT_EQ(out.pci.size(), 1u);
  ASSERT_TRUE(out.pci[0].nvidia_procfs.has_value());
  EXPECT_EQ(out.pci[0].nvidia_procfs->model, std::nullopt);
  EXPECT_THAT(env.reads(), Not(Contains("/proc/driver/nvidia/gpus/0000:01:00.0/information")));
}

TEST(SysfsProbe, UnreadableNvidiaInformationStillMarksTheGpu) {
  FakeEnv env;
  AddFunction(env, "0000:01:00.0", "0x030000\n");
  env.AddFile("/proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t X\n");
  env.FailPath("/proc/driver/nvidia/gpus/0000:01:00.0/information", EACCES);
  Observations out = ProbeSysfs(env);
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_TRUE(out.pci[0].nvidia_procfs.has_value());
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/proc/driver/nvidia/gpus/0000:01:00.0/information: Permission denied"));
}

TEST(SysfsProbe, ReadsModuleVersionsPreferringSysfs) {
  FakeEnv env;
  env.AddDirectory("/sys/bus/pci/devices");
  env.AddFile("/sys/module/amdgpu/version", "6.8.5\n");
  env.AddFile("/sys/module/nvidia/version", "550.54.14\n");
  env.AddFile("/sys/module/xe/version", "\xff\xfe\n");
  env.AddFile("/proc/driver/nvidia/version",
              "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.0.0  Thu\n");
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->module_versions,
              ElementsAre(Pair("amdgpu", "6.8.5"), Pair("nvidia", "550.54.14")));
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/module/xe/version: expected a version such as 550.54.14, got "
                          "\"\\xff\\xfe\""));
  // The sysfs version was enough; procfs was not read.
  EXPECT_THAT(env.reads(), Not(Contains("/proc/driver/nvidia/version")));
}

TEST(SysfsProbe, ReadsDriverBootVgaAndNumaNode) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n", "0x1002\n", "0x744c\n");
  std::string dir = std::string(kDevices) + "0000:03:00.0";
  env.AddDirectory("/sys/bus/pci/drivers/amdgpu");
  env.AddSymlink(dir + "/driver", "../../../bus/pci/drivers/amdgpu");
  env.AddFile(dir + "/boot_vga", "2\n");
  env.AddFile(dir + "/numa_node", "1\n");
  env.AddFile(dir + "/mem_info_vram_total", "25753026560\n");
  env.AddFile(dir + "/board_info", "type : cem\n");
  Observations out = ProbeSysfs(env);
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_EQ(out.pci[0].driver, "amdgpu");
  EXPECT_EQ(out.pci[0].numa_node, 1);
  EXPECT_EQ(out.pci[0].boot_vga, std::nullopt);
  EXPECT_EQ(out.pci[0].vram_bytes, 25753026560u);
  EXPECT_EQ(out.pci[0].gtt_bytes, std::nullopt);  // missing optional file: no warning
  EXPECT_EQ(out.pci[0].board_info, true);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/0000:03:00.0/boot_vga: expected 0 or 1, got "
                          "\"2\""));
}

TEST(SysfsProbe, ReadsXeTileVram) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n", "0x8086\n", "0xe20b\n");
  env.AddFile(std::string(kDevices) + "0000:03:00.0/tile0/physical_vram_size_bytes",
              "12884901888\n");
  Observations out = ProbeSysfs(env);
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_EQ(out.pci[0].vram_bytes, 12884901888u);
}

TEST(SysfsProbe, NonAddressEntryIsAWarning) {
  FakeEnv env;
  env.AddDirectory("/sys/bus/pci/devices/garbage");
  Observations out = ProbeSysfs(env);
  EXPECT_EQ(out.probes.sysfs->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/garbage: not a PCI address such as 0000:03:00.0"));
}

TEST(SysfsProbe, NonUtf8NamesAndTextBecomeValidUtf8) {
  FakeEnv env;
  env.AddDirectory("/sys/bus/pci/devices/\xff");
  AddFunction(env, "0000:01:00.0", "0x030000\n");
  env.AddFile("/proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t RTX\xfe\n");
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/bus/pci/devices/\xef\xbf\xbd: not a PCI address such as "
                          "0000:03:00.0"));
  ASSERT_EQ(out.pci.size(), 1u);
  EXPECT_EQ(out.pci[0].nvidia_procfs->model, "RTX\xef\xbf\xbd");
}

TEST(SysfsProbe, SymlinkLoopInFakeTreeIsAWarning) {
  FakeEnv env;
  env.AddDirectory("/sys/bus/pci/devices");
  env.AddSymlink("/sys/class/drm/card9", "card9");
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ElementsAre("/sys/class/drm/card9/device: Too many levels of symbolic links"));
}

// ---- Device nodes (extension "dev_nodes"): what doctor needs to say "not passed in" or "join
// the render group". ----

TEST(SysfsProbe, DevNodesRecordAccessAndAbsence) {
  FakeEnv env;
  AddFunction(env, "0000:03:00.0", "0x030000\n", "0x1002\n", "0x744c\n");
  env.AddDirectory("/sys/bus/pci/devices/0000:03:00.0/drm/card1");
  env.AddDirectory("/sys/bus/pci/devices/0000:03:00.0/drm/renderD128");
  AddFunction(env, "0000:04:00.0", "0x030000\n", "0x1002\n", "0x73bf\n");
  env.AddDirectory("/sys/bus/pci/devices/0000:04:00.0/drm/renderD129");
  env.AddCharDevice("/dev/kfd", /*read_write=*/false);
  env.AddCharDevice("/dev/dri/renderD128");
  env.AddCharDevice("/dev/dri/card1");
  env.AddCharDevice("/dev/nvidia0");
  env.AddCharDevice("/dev/nvidia-modeset");
  Observations out = ProbeSysfs(env);
  EXPECT_THAT(out.probes.sysfs->dev_nodes,
              ElementsAre(Pair("/dev/dri/renderD128", "rw"), Pair("/dev/dri/renderD129", "missing"),
                          Pair("/dev/kfd", "denied"), Pair("/dev/nvidia-uvm", "missing"),
                          Pair("/dev/nvidia0", "rw"), Pair("/dev/nvidiactl", "missing")));
  EXPECT_THAT(out.probes.sysfs->warnings, IsEmpty());
}

}  // namespace
}  // namespace devpick::testing
