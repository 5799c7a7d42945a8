#include "devpick/doctor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "devpick/observations.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- Hand-made machines: observations as the probes would record them, correlated for real. ----

PciFunction Gpu(const std::string& address, std::uint32_t vendor, std::uint32_t device,
                std::optional<std::string> driver, std::vector<std::string> drm = {}) {
  PciFunction f;
  f.address = address;
  f.vendor = vendor;
  f.device = device;
  f.class_code = 0x030000;
  f.revision = 0;
  f.driver = std::move(driver);
  f.drm = std::move(drm);
  return f;
}

Observations Machine() {
  Observations o;
  o.host.arch = "x86_64";
  o.host.kernel = "6.8.0-45-generic";
  SysfsObservation& sysfs = o.probes.sysfs.emplace();
  sysfs.status = ProbeStatus::kOk;
  sysfs.dev_nodes = {
      {"/dev/kfd", "missing"}, {"/dev/nvidiactl", "missing"}, {"/dev/nvidia-uvm", "missing"}};
  o.probes.cpu.emplace().status = ProbeStatus::kOk;
  return o;
}

template <typename T>
T& Ran(std::optional<T>& probe, ProbeStatus status, std::optional<std::string> detail = {}) {
  T& entry = probe.emplace();
  entry.status = status;
  entry.detail = std::move(detail);
  return entry;
}

// An RTX 4090 with the nvidia driver, its nodes and working NVML/CUDA.
Observations NvidiaMachine() {
  Observations o = Machine();
  PciFunction gpu = Gpu("0000:01:00.0", 0x10de, 0x2684, "nvidia");
  gpu.nvidia_procfs = NvidiaProcfsGpu{.model = "NVIDIA GeForce RTX 4090",
                                      .uuid = "GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50",
                                      .device_minor = 0};
  o.pci.push_back(gpu);
  o.probes.sysfs->module_versions["nvidia"] = "550.54.14";
  o.probes.sysfs->dev_nodes["/dev/nvidiactl"] = "rw";
  o.probes.sysfs->dev_nodes["/dev/nvidia-uvm"] = "rw";
  o.probes.sysfs->dev_nodes["/dev/nvidia0"] = "rw";
  NvmlObservation& nvml = Ran(o.probes.nvml, ProbeStatus::kOk);
  NvmlDevice& device = nvml.devices.emplace_back();
  device.name = "NVIDIA GeForce RTX 4090";
  device.uuid = "GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50";
  device.pci_address = "00000000:01:00.0";
  device.compute_capability = "8.9";
  return o;
}

// An Arc A770 on i915 with its render node.
Observations ArcMachine() {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, "i915", {"card1", "renderD129"}));
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  return o;
}

RocmNode KfdNode(int node, int gfx, const std::string& address, int render_minor) {
  RocmNode n;
  n.node = node;
  n.gfx_target_version = gfx;
  n.pci_address = address;
  n.simd_count = 192;
  n.drm_render_minor = render_minor;
  return n;
}

// An RX 7900 XTX (KFD node 1, gfx1100) on amdgpu with KFD.
Observations AmdMachine(int gfx = 110000, std::uint32_t device = 0x744c) {
  Observations o = Machine();
  PciFunction gpu = Gpu("0000:03:00.0", 0x1002, device, "amdgpu", {"card1", "renderD128"});
  gpu.board_info = true;
  o.pci.push_back(gpu);
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "rw";
  o.probes.sysfs->dev_nodes["/dev/dri/renderD128"] = "rw";
  RocmObservation& rocm = Ran(o.probes.rocm, ProbeStatus::kOk);
  rocm.nodes.push_back(KfdNode(1, gfx, "0000:03:00.0", 128));
  return o;
}

std::vector<Finding> DoctorOn(const Observations& o, std::optional<std::string> backend = {}) {
  Inventory inventory = Correlate(o, nullptr);
  return Diagnose(o, inventory, backend);
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code);
  return codes;
}

// ---- A healthy machine says nothing. ----

TEST(Doctor, HealthyMachinesHaveNoFindings) {
  EXPECT_THAT(DoctorOn(NvidiaMachine()), IsEmpty());
  EXPECT_THAT(DoctorOn(AmdMachine()), IsEmpty());
  Observations arc = ArcMachine();
  LevelZeroDevice& arc_l0 = Ran(arc.probes.level_zero, ProbeStatus::kOk).devices.emplace_back();
  arc_l0.name = "Intel(R) Arc(TM) A770 Graphics";
  arc_l0.vendor_id = 0x8086;
  arc_l0.device_id = 0x56a0;
  arc_l0.pci_address = "0000:03:00.0";
  EXPECT_THAT(DoctorOn(arc), IsEmpty());
  EXPECT_EQ(FormatFindingsText({}), "no problems found\n");
}

// ---- Hardware present, compute runtime missing. ----

TEST(Doctor, IntelGpuWithoutLevelZeroOrOpenClIsAnError) {
  Observations o = ArcMachine();
  Ran(o.probes.level_zero, ProbeStatus::kAbsent,
      "libze_loader.so.1: cannot open shared object file");
  Ran(o.probes.opencl, ProbeStatus::kOk);  // e.g. only PoCL: it runs but does not list the Arc
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "intel_runtime_missing");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.device_id, "gpu0");
  EXPECT_EQ(f.message,
            "Intel Arc A770 Graphics (gpu0) has the i915 driver but neither Level Zero nor OpenCL "
            "sees it");
  EXPECT_THAT(f.evidence,
              ElementsAre("/sys/bus/pci/devices/0000:03:00.0/driver: i915",
                          "probes.level_zero: absent (libze_loader.so.1: cannot open shared "
                          "object file)",
                          "probes.opencl: ok, but it does not list 0000:03:00.0"));
  EXPECT_EQ(f.remedy,
            "install Intel's GPU compute runtime: on Debian/Ubuntu intel-opencl-icd and "
            "libze-intel-gpu1 (intel-level-zero-gpu on older releases) with libze1; elsewhere see "
            "dgpu-docs.intel.com");
  EXPECT_THAT(f.backends, ElementsAre("xpu", "openvino"));
}

TEST(Doctor, IntelRuntimeCheckNeedsAProbeThatRan) {
  // `--probes sysfs`: nothing is known about the runtimes, so nothing is claimed.
  EXPECT_THAT(DoctorOn(ArcMachine()), IsEmpty());
  Observations o = ArcMachine();
  Ran(o.probes.level_zero, ProbeStatus::kAbsent, "libze_loader.so.1: not found");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message,
            "Intel Arc A770 Graphics (gpu0) has the i915 driver but the Level Zero runtime does "
            "not see it");
  EXPECT_THAT(findings[0].backends, ElementsAre("xpu"));
}

TEST(Doctor, NvidiaDriverWithoutLibcudaAndNvmlIsAnError) {
  Observations o = NvidiaMachine();
  Ran(o.probes.nvml, ProbeStatus::kAbsent, "libnvidia-ml.so.1: cannot open shared object file");
  Ran(o.probes.cuda, ProbeStatus::kAbsent, "libcuda.so.1: cannot open shared object file");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "nvidia_runtime_missing");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.device_id, "gpu0");
  EXPECT_EQ(f.message,
            "NVIDIA GeForce RTX 4090 (gpu0) has the nvidia kernel driver but libnvidia-ml.so.1, "
            "libcuda.so.1 are not installed");
  EXPECT_THAT(f.evidence,
              ElementsAre("/sys/bus/pci/devices/0000:01:00.0/driver: nvidia",
                          "probes.nvml: absent (libnvidia-ml.so.1: cannot open shared object file)",
                          "probes.cuda: absent (libcuda.so.1: cannot open shared object file)",
                          "module nvidia version: 550.54.14"));
  EXPECT_EQ(f.remedy,
            "install the NVIDIA user-space libraries of the same version as the kernel module "
            "(Debian/Ubuntu: libnvidia-compute-550); in a container, start it with the NVIDIA "
            "Container Toolkit (--gpus all)");
  EXPECT_THAT(f.backends, ElementsAre("cuda"));
}

TEST(Doctor, AmdGpuWithoutKfdIsAnErrorForRocm) {
  Observations o = AmdMachine();
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  Ran(o.probes.rocm, ProbeStatus::kAbsent, "no /sys/class/kfd/kfd/topology/nodes");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "amd_kfd_missing");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.device_id, "gpu0");
  EXPECT_EQ(f.message,
            "amdgpu drives gpu0 but the kernel's compute interface (KFD, /dev/kfd) is missing, so "
            "ROCm sees no GPU");
  EXPECT_THAT(f.evidence,
              ElementsAre("/dev/kfd: missing",
                          "probes.rocm: absent (no /sys/class/kfd/kfd/topology/nodes)"));
  EXPECT_EQ(f.remedy,
            "use a kernel built with CONFIG_HSA_AMD=y (distribution kernels are) and check 'sudo "
            "dmesg | grep kfd' for why KFD did not start");
  EXPECT_THAT(f.backends, ElementsAre("rocm", "zluda"));
}

TEST(Doctor, KfdRunningWithoutItsNodeSaysUdev) {
  Observations o = AmdMachine();
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("amd_kfd_missing"));
  EXPECT_EQ(findings[0].message,
            "amdgpu drives gpu0 and KFD is running, but /dev/kfd does not exist, so ROCm sees no "
            "GPU");
  EXPECT_EQ(findings[0].remedy,
            "udev creates /dev/kfd (group render): check that systemd-udevd runs and 'sudo "
            "udevadm trigger', or reboot");
  // A captured tree (--root) holds only what was copied: a node missing there proves nothing.
  o.host.captured_root = "/captures/rx7900";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

// ---- Kernel driver wrong or absent. ----

TEST(Doctor, NouveauCannotRunCuda) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:01:00.0", 0x10de, 0x2206, "nouveau", {"card0", "renderD128"}));
  o.probes.sysfs->dev_nodes["/dev/dri/renderD128"] = "rw";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "nouveau_driver");
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].message,
            "NVIDIA GeForce RTX 3080 (gpu0) is driven by nouveau, which cannot run CUDA");
  EXPECT_THAT(findings[0].evidence,
              ElementsAre("/sys/bus/pci/devices/0000:01:00.0/driver: nouveau"));
  EXPECT_EQ(findings[0].remedy,
            "install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or your distribution's "
            "nvidia-driver package), which blacklists nouveau, and reboot");
  EXPECT_THAT(findings[0].backends, ElementsAre("cuda"));
}

TEST(Doctor, Dg2OnAKernelBefore62NeedsForceProbe) {
  Observations o = Machine();
  o.host.kernel = "5.19.0-50-generic";
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, std::nullopt));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "intel_force_probe");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.message,
            "Intel Arc A770 Graphics (gpu0) has no kernel driver: i915 drives DG2 (Arc A-series, "
            "Flex) without force_probe only from Linux 6.2, and this kernel is 5.19.0-50-generic");
  EXPECT_THAT(f.evidence, ElementsAre("/sys/bus/pci/devices/0000:03:00.0/driver: none bound",
                                      "pci device id: 0x56a0", "host.kernel: 5.19.0-50-generic"));
  EXPECT_EQ(f.remedy,
            "upgrade to Linux 6.2 or newer, or boot with the kernel parameter "
            "i915.force_probe=56a0");
  EXPECT_THAT(f.backends, ElementsAre("xpu", "openvino"));
}

TEST(Doctor, UnboundGpuOnARecentKernelHasNoDriver) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, std::nullopt));
  o.pci.push_back(Gpu("0000:04:00.0", 0x10de, 0x2684, std::nullopt));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("no_driver", "no_driver"));
  EXPECT_EQ(findings[0].message, "Intel Arc A770 Graphics (gpu0) has no kernel driver bound");
  EXPECT_EQ(findings[0].remedy,
            "load i915 or xe (sudo modprobe i915) and check 'sudo dmesg | grep -e i915 -e xe'; a "
            "GPU newer than the kernel needs a newer kernel");
  EXPECT_EQ(findings[1].message, "NVIDIA GeForce RTX 4090 (gpu1) has no kernel driver bound");
  EXPECT_EQ(findings[1].remedy,
            "install the NVIDIA driver (e.g. sudo ubuntu-drivers install, or your distribution's "
            "nvidia-driver package) and reboot");
  EXPECT_THAT(findings[1].backends, ElementsAre("cuda"));
}

// ---- Permissions. ----

TEST(Doctor, DeniedRenderNodeNamesTheRenderGroup) {
  Observations o = ArcMachine();
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "denied";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "render_node_denied");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.device_id, "gpu0");
  EXPECT_EQ(f.message,
            "this user cannot open /dev/dri/renderD129 for reading and writing, so Intel Arc A770 "
            "Graphics (gpu0) is unusable");
  EXPECT_THAT(f.evidence, ElementsAre("/dev/dri/renderD129: denied (access R_OK|W_OK failed)"));
  EXPECT_EQ(f.remedy,
            "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
            "in again");
}

TEST(Doctor, DeniedKfdAndAccelNodes) {
  Observations o = AmdMachine();
  o.host.container = true;
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "denied";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "kfd_denied");
  EXPECT_EQ(findings[0].device_id, "");
  EXPECT_EQ(findings[0].message, "this user cannot open /dev/kfd for reading and writing");
  EXPECT_EQ(findings[0].remedy,
            "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
            "in again; in a container, also start it with --group-add render");
  EXPECT_THAT(findings[0].backends, ElementsAre("rocm", "zluda"));

  Observations npu = Machine();
  PciFunction vpu = Gpu("0000:00:0b.0", 0x8086, 0x7d1d, "intel_vpu");
  vpu.class_code = 0x120000;
  vpu.accel = {"accel0"};
  npu.pci.push_back(vpu);
  npu.probes.sysfs->dev_nodes["/dev/accel/accel0"] = "denied";
  findings = DoctorOn(npu);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "accel_node_denied");
  EXPECT_EQ(findings[0].device_id, "npu0");
  EXPECT_EQ(findings[0].remedy,
            "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
            "in again; no default udev rule covers accel nodes (root:root 0600), so also add "
            "SUBSYSTEM==\"accel\", KERNEL==\"accel*\", GROUP=\"render\", MODE=\"0660\"");
  EXPECT_THAT(findings[0].backends, ElementsAre("openvino"));
}

TEST(Doctor, OlderSnapshotsUseTheRenderNodeFlag) {
  Observations o = ArcMachine();
  o.probes.sysfs->dev_nodes.clear();
  o.pci[0].render_node_accessible = false;
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("render_node_denied"));
  EXPECT_THAT(findings[0].evidence,
              ElementsAre("/dev/dri/renderD129: denied (access R_OK|W_OK failed)"));
}

// ---- NVML driver/library version mismatch. ----

TEST(Doctor, NvmlVersionMismatchSaysReboot) {
  Observations o = NvidiaMachine();
  NvmlObservation& nvml = Ran(o.probes.nvml, ProbeStatus::kError,
                              "nvmlInit_v2: NVML_ERROR_LIB_RM_VERSION_MISMATCH (18)");
  nvml.library = "/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "nvml_version_mismatch");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.message,
            "the loaded nvidia kernel module (550.54.14) and the installed NVIDIA libraries are "
            "different versions (NVML: driver/library version mismatch), so no CUDA application "
            "can start");
  EXPECT_THAT(f.evidence,
              ElementsAre("probes.nvml: error (nvmlInit_v2: NVML_ERROR_LIB_RM_VERSION_MISMATCH "
                          "(18))",
                          "probes.nvml library: /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
                          "module nvidia version: 550.54.14"));
  EXPECT_EQ(f.remedy,
            "reboot, so that the kernel loads the module of the installed driver (this follows a "
            "driver upgrade without a reboot); in a container, the host driver must match the "
            "libraries mounted in");
  // Snapshots written before the probe named the code.
  Ran(o.probes.nvml, ProbeStatus::kError, "nvmlInit_v2: error 18");
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("nvml_version_mismatch"));
  Ran(o.probes.nvml, ProbeStatus::kError, "nvmlInit_v2: NVML_ERROR_DRIVER_NOT_LOADED (9)");
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

// ---- AMD gfx targets. ----

TEST(Doctor, UnsupportedGfxWithAKnownOverrideGetsThePerNodeVariable) {
  Observations o = AmdMachine(100301, 0x73df);  // RX 6700 XT, gfx1031
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "gfx_unsupported");
  EXPECT_EQ(f.severity, Severity::kError);  // the only AMD GPU: ROCm cannot run at all without it
  EXPECT_EQ(f.message, "amd device 1002:73df (gpu0) is gfx1031, which ROCm does not support");
  EXPECT_THAT(f.evidence, ElementsAre("probes.rocm: gfx_target_version 100301 (gfx1031)"));
  EXPECT_EQ(f.remedy,
            "set HSA_OVERRIDE_GFX_VERSION_1=10.3.0 to run only this GPU as its supported sibling "
            "(KFD node 1); never the process-wide HSA_OVERRIDE_GFX_VERSION, which retargets every "
            "GPU");
  // Once the user set an override, there is nothing to say.
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3.0";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

TEST(Doctor, UnsupportedIgpuNextToASupportedGpuIsAWarning) {
  Observations o = AmdMachine();
  PciFunction igpu = Gpu("0000:12:00.0", 0x1002, 0x164e, "amdgpu", {"card2", "renderD129"});
  igpu.board_info = false;
  o.pci.push_back(igpu);
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  o.probes.rocm->nodes.push_back(KfdNode(2, 100306, "0000:12:00.0", 129));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported"));
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].device_id, "gpu1");
  EXPECT_EQ(findings[0].message,
            "AMD Radeon Graphics (Raphael) (gpu1) is gfx1036, which ROCm does not support");
  EXPECT_EQ(findings[0].remedy.substr(0, 40), "set HSA_OVERRIDE_GFX_VERSION_2=10.3.0 to");
  // A global override retargets the RX 7900 XTX too.
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_global"));
  EXPECT_EQ(findings[0].message,
            "HSA_OVERRIDE_GFX_VERSION='10.3.0' retargets every AMD GPU, but they differ: gpu0 "
            "(gfx1100), gpu1 (gfx1036)");
  // Unless the other GPU has its own override: a per-node variable wins for its node.
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "11.0.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_set"));
  EXPECT_EQ(findings[0].severity, Severity::kInfo);
  EXPECT_EQ(findings[0].message,
            "HSA_OVERRIDE_GFX_VERSION_1=11.0.0 keeps gpu0 (gfx1100) on its own target while "
            "HSA_OVERRIDE_GFX_VERSION retargets the other AMD GPUs");
}

TEST(Doctor, UnsupportedGfxWithoutAKnownOverrideGetsNoOverrideAdvice) {
  Observations o = AmdMachine(100100, 0x731f);  // RX 5700 XT, gfx1010
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported"));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].message,
            "amd device 1002:731f (gpu0) is gfx1010, which ROCm does not support and no override "
            "is known to work for it");
  EXPECT_EQ(findings[0].remedy,
            "use another backend (vulkan), or a ROCm build that includes gfx1010");
}

TEST(Doctor, MalformedHsaOverrideIsAnError) {
  Observations o = AmdMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid"));
  EXPECT_EQ(
      findings[0].message,
      "HSA_OVERRIDE_GFX_VERSION='10.3' is not a version ROCm accepts, so ROCm fails to start");
  EXPECT_EQ(findings[0].remedy,
            "use three decimal numbers such as 10.3.0 (major.minor.stepping), or unset it");
}

// ---- Per-node gfx overrides already set. ----

// An RX 7900 XTX (gpu0, KFD node 1, gfx1100) and a Phoenix iGPU (gpu1, KFD node 2, gfx1103).
Observations RxAndPhoenixMachine() {
  Observations o = AmdMachine();
  PciFunction igpu = Gpu("0000:0c:00.0", 0x1002, 0x15bf, "amdgpu", {"card2", "renderD129"});
  igpu.board_info = false;
  o.pci.push_back(igpu);
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  o.probes.rocm->nodes.push_back(KfdNode(2, 110003, "0000:0c:00.0", 129));
  return o;
}

TEST(Doctor, PerNodeOverrideSetToTheKnownValueIsInfo) {
  Observations o = RxAndPhoenixMachine();
  ASSERT_THAT(Codes(DoctorOn(o)), ElementsAre("gfx_unsupported"));  // until it is set
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.0.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "hsa_override_set");
  EXPECT_EQ(f.severity, Severity::kInfo);
  EXPECT_EQ(f.device_id, "gpu1");
  EXPECT_EQ(f.message,
            "HSA_OVERRIDE_GFX_VERSION_2=11.0.0 is set for gpu1 (gfx1103), so ROCm runs this "
            "unsupported target as its supported sibling gfx1100");
  EXPECT_THAT(f.evidence,
              ElementsAre("env: HSA_OVERRIDE_GFX_VERSION_2='11.0.0'",
                          "probes.rocm: KFD node 2 is gpu1, gfx_target_version 110003 (gfx1103)"));
  EXPECT_EQ(f.remedy, "nothing to do; keep it set for every process that uses this GPU");
  EXPECT_THAT(f.backends, ElementsAre("rocm", "zluda"));
  EXPECT_FALSE(HasBlockingFinding(findings, "rocm"));
  EXPECT_EQ(FormatFindingsText(findings),
            "info    gpu1  hsa_override_set: HSA_OVERRIDE_GFX_VERSION_2=11.0.0 is set for gpu1 "
            "(gfx1103), so ROCm runs this unsupported target as its supported sibling gfx1100\n"
            "    evidence: env: HSA_OVERRIDE_GFX_VERSION_2='11.0.0'\n"
            "    evidence: probes.rocm: KFD node 2 is gpu1, gfx_target_version 110003 (gfx1103)\n"
            "    remedy:   nothing to do; keep it set for every process that uses this GPU\n"
            "    affects:  rocm, zluda\n"
            "0 errors, 0 warnings\n");
  // The same version spelled with a leading zero is the same override.
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.00.0";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("hsa_override_set"));
}

TEST(Doctor, MalformedPerNodeOverrideIsAnErrorWithTheAcceptedForm) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);  // and no gfx_unsupported: ROCm does not start at all
  const Finding& f = findings[0];
  EXPECT_EQ(f.code, "hsa_override_invalid");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.device_id, "gpu1");
  EXPECT_EQ(f.message,
            "HSA_OVERRIDE_GFX_VERSION_2='11.0' is not a version ROCm accepts, so ROCm fails to "
            "start");
  EXPECT_THAT(f.evidence, ElementsAre("env: HSA_OVERRIDE_GFX_VERSION_2='11.0'"));
  EXPECT_EQ(f.remedy,
            "set HSA_OVERRIDE_GFX_VERSION_2=11.0.0 (ROCm accepts three decimal numbers, "
            "major.minor.stepping, with major at most 63 and minor and stepping at most 255), or "
            "unset it");
  EXPECT_TRUE(HasBlockingFinding(findings, "rocm"));
  // On a GPU that needs no override there is no value to suggest.
  o.env.erase("HSA_OVERRIDE_GFX_VERSION_2");
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "gfx1100";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid", "gfx_unsupported"));
  EXPECT_EQ(findings[0].device_id, "gpu0");
  EXPECT_EQ(findings[0].remedy,
            "unset it, or write three decimal numbers, major.minor.stepping, with major at most 63 "
            "and minor and stepping at most 255, such as 10.3.0");
  for (const char* value : {"", "11.0.0 ", "11.0.0.1", "+11.0.0", "64.0.0", "11.256.0", "a.b.c"}) {
    o.env["HSA_OVERRIDE_GFX_VERSION_1"] = value;
    EXPECT_EQ(Codes(DoctorOn(o)).front(), "hsa_override_invalid") << "'" << value << "'";
  }
}

TEST(Doctor, PerNodeOverrideForANodeThatIsNoGpuIsAWarning) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0.0";  // node 0 is the CPU
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_no_gpu_node"));
  const Finding& f = findings[1];
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.device_id, "");
  EXPECT_EQ(f.message,
            "HSA_OVERRIDE_GFX_VERSION_0='11.0.0' names KFD node 0, which KFD does not list as a "
            "GPU, so ROCm ignores it");
  EXPECT_THAT(f.evidence, ElementsAre("env: HSA_OVERRIDE_GFX_VERSION_0='11.0.0'",
                                      "probes.rocm: GPU nodes 1 (gpu0), 2 (gpu1)"));
  EXPECT_EQ(f.remedy,
            "the number is the GPU's KFD node, not its HIP device index (KFD numbers CPU nodes "
            "first): gpu0 (gfx1100) is node 1, gpu1 (gfx1103) is node 2; or unset it");
  // A node beyond the last one, even with a malformed value: ROCm never reads it.
  o.env.erase("HSA_OVERRIDE_GFX_VERSION_0");
  o.env["HSA_OVERRIDE_GFX_VERSION_3"] = "11";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_no_gpu_node"));
  EXPECT_EQ(findings[1].message,
            "HSA_OVERRIDE_GFX_VERSION_3='11' names KFD node 3, which KFD does not list as a GPU, "
            "so ROCm ignores it");
  // KFD without GPUs.
  o.probes.rocm->nodes.clear();
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_no_gpu_node"));
  EXPECT_THAT(findings[0].evidence,
              ElementsAre("env: HSA_OVERRIDE_GFX_VERSION_3='11'", "probes.rocm: ok, no GPU node"));
  EXPECT_EQ(findings[0].remedy, "unset it: KFD lists no AMD GPU on this machine");
}

TEST(Doctor, PerNodeOverrideIsOnlyCheckedForSyntaxWhenTheRocmProbeDidNotRun) {
  Observations o = RxAndPhoenixMachine();
  o.probes.rocm.reset();  // --probes without rocm: no node is known
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0.0";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid"));
  EXPECT_EQ(findings[0].device_id, "");
}

TEST(Doctor, SpellingsRocmNeverReadsAreNotPerNodeOverrides) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_02"] = "11.0.0";  // libhsakmt prints the node with %d
  o.env["HSA_OVERRIDE_GFX_VERSION_X"] = "11.0.0";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("gfx_unsupported"));
}

TEST(Doctor, PerNodeOverrideOnASupportedTargetIsUnneeded) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "10.3.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_not_needed"));
  const Finding& f = findings[1];
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.device_id, "gpu0");
  EXPECT_EQ(f.message,
            "HSA_OVERRIDE_GFX_VERSION_1='10.3.0' is set for gpu0 (gfx1100), which ROCm supports "
            "without an override");
  EXPECT_THAT(f.evidence,
              ElementsAre("env: HSA_OVERRIDE_GFX_VERSION_1='10.3.0'",
                          "probes.rocm: KFD node 1 is gpu0, gfx_target_version 110000 (gfx1100)"));
  EXPECT_EQ(f.remedy,
            "unset HSA_OVERRIDE_GFX_VERSION_1: it makes ROCm run this GPU as gfx1030, and kernels "
            "built for another target can fail on it");
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "11.0.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_not_needed"));
  EXPECT_EQ(findings[1].remedy, "unset HSA_OVERRIDE_GFX_VERSION_1; it names the GPU's own target");
}

TEST(Doctor, PerNodeOverrideOtherThanTheKnownValueIsAWarning) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "10.3.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_unverified"));
  const Finding& f = findings[0];
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.device_id, "gpu1");
  EXPECT_EQ(f.message,
            "HSA_OVERRIDE_GFX_VERSION_2='10.3.0' runs gpu1 (gfx1103) as gfx1030, but the override "
            "known to work for it is 11.0.0 (gfx1100)");
  EXPECT_EQ(f.remedy, "set HSA_OVERRIDE_GFX_VERSION_2=11.0.0 instead");
  // No override is known for RDNA1.
  Observations rdna1 = AmdMachine(100100, 0x731f);  // RX 5700 XT, gfx1010
  rdna1.env["HSA_OVERRIDE_GFX_VERSION_1"] = "10.3.0";
  findings = DoctorOn(rdna1);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_unverified"));
  EXPECT_EQ(findings[0].message,
            "HSA_OVERRIDE_GFX_VERSION_1='10.3.0' runs gpu0 (gfx1010) as gfx1030, and no override "
            "is known to work for gfx1010");
  EXPECT_EQ(findings[0].remedy,
            "if ROCm fails or computes wrong results on this GPU, unset it and use another "
            "backend (vulkan)");
}

// ---- Containers. ----

TEST(Doctor, ContainerWithoutDeviceNodes) {
  Observations o = NvidiaMachine();
  o.host.container = true;
  o.probes.sysfs->dev_nodes["/dev/nvidiactl"] = "missing";
  o.probes.sysfs->dev_nodes["/dev/nvidia0"] = "missing";
  o.pci.push_back(Gpu("0000:00:02.0", 0x8086, 0xa780, "i915", {"card0", "renderD128"}));
  o.probes.sysfs->dev_nodes["/dev/dri/renderD128"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("container_no_devices"));
  const Finding& f = findings[0];
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.message,
            "this is a container and the host has 2 GPUs/NPUs, but none of their device nodes "
            "were passed in");
  EXPECT_THAT(f.evidence, ElementsAre("host.container: true", "gpu0: /dev/dri/renderD128: missing",
                                      "gpu1: /dev/nvidiactl, /dev/nvidia0: missing"));
  EXPECT_EQ(f.remedy,
            "start the container with the devices passed in (Intel: --device /dev/dri (NPU: "
            "--device /dev/accel) --group-add render, NVIDIA: --gpus all with the NVIDIA "
            "Container Toolkit)");
  EXPECT_THAT(f.backends, ElementsAre("xpu", "openvino", "cuda"));
}

TEST(Doctor, ContainerWithSomeGpusPassedInNotesTheOthers) {
  Observations o = AmdMachine();
  o.host.container = true;
  o.pci.push_back(Gpu("0000:04:00.0", 0x1002, 0x744c, "amdgpu", {"card2", "renderD129"}));
  o.pci.back().board_info = true;
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "missing";
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("container_no_kfd", "container_device_not_passed"));
  EXPECT_EQ(findings[0].message,
            "this container has the AMD render nodes but not /dev/kfd, which ROCm needs");
  EXPECT_EQ(findings[0].remedy, "start the container with --device /dev/kfd");
  EXPECT_EQ(findings[1].severity, Severity::kInfo);
  EXPECT_EQ(findings[1].device_id, "gpu1");
  EXPECT_THAT(findings[1].evidence,
              ElementsAre("host.container: true", "/dev/dri/renderD129: missing"));
}

// ---- Visibility variables. ----

TEST(Doctor, BothRocmVisibilityVariablesConflict) {
  Observations o = AmdMachine();
  o.env["ROCR_VISIBLE_DEVICES"] = "0";
  o.env["HIP_VISIBLE_DEVICES"] = "0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("rocm_visibility_conflict"));
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].message,
            "both ROCR_VISIBLE_DEVICES and HIP_VISIBLE_DEVICES are set; HIP numbers only the GPUs "
            "ROCr left, so the two use different indices");
  EXPECT_EQ(findings[0].remedy,
            "set only ROCR_VISIBLE_DEVICES (ROCm's advice on Linux) and unset HIP_VISIBLE_DEVICES");
  // "1" after ROCr left one GPU (index 0) leaves none (SwarmUI #565).
  o.env["HIP_VISIBLE_DEVICES"] = "1";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("rocm_visibility_conflict"));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_THAT(findings[0].message,
              ::testing::EndsWith(", and together they leave no GPU visible (1 present)"));
}

TEST(Doctor, CudaVisibleDevicesThatHidesEverything) {
  Observations o = NvidiaMachine();
  o.env["CUDA_VISIBLE_DEVICES"] = "";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("cuda_visible_hides_all"));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].message, "CUDA_VISIBLE_DEVICES='' hides every NVIDIA GPU (1 present)");
  EXPECT_EQ(
      findings[0].remedy,
      "unset CUDA_VISIBLE_DEVICES, or list GPUs by index (0 to 0) or by UUID (nvidia-smi -L)");
  o.env["CUDA_VISIBLE_DEVICES"] = "1";  // out of range
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("cuda_visible_hides_all"));
  o.env["CUDA_VISIBLE_DEVICES"] = "GPU-6a1f0c2e";  // a unique UUID prefix
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

TEST(Doctor, InvalidOneApiDeviceSelector) {
  Observations o = ArcMachine();
  o.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("oneapi_selector_invalid"));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].message,
            "ONEAPI_DEVICE_SELECTOR='level_zero': filter 'level_zero' has no ':'; expected "
            "<backend>:<devices> such as level_zero:0 or *:gpu");
  EXPECT_THAT(findings[0].backends, ElementsAre("xpu"));
  o.env["ONEAPI_DEVICE_SELECTOR"] = "opencl:*";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("oneapi_selector_hides_all"));
  o.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero:gpu";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

// ---- Backends, exit status and output. ----

TEST(Doctor, ErrorsAboutAnotherBackendAreWarningsForTheRequestedOne) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:01:00.0", 0x10de, 0x2206, "nouveau"));
  std::vector<Finding> any = DoctorOn(o);
  EXPECT_EQ(any[0].severity, Severity::kError);
  EXPECT_TRUE(HasBlockingFinding(any, std::nullopt));
  EXPECT_TRUE(HasBlockingFinding(any, "cuda"));
  EXPECT_FALSE(HasBlockingFinding(any, "openvino"));
  std::vector<Finding> openvino = DoctorOn(o, "openvino");
  EXPECT_EQ(openvino[0].severity, Severity::kWarning);
  EXPECT_FALSE(HasBlockingFinding(openvino, "openvino"));
}

TEST(Doctor, FormatsTextAndJson) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:01:00.0", 0x10de, 0x2206, "nouveau"));
  std::vector<Finding> findings = DoctorOn(o);
  EXPECT_EQ(FormatFindingsText(findings),
            "error   gpu0  nouveau_driver: NVIDIA GeForce RTX 3080 (gpu0) is driven by nouveau, "
            "which cannot run CUDA\n"
            "    evidence: /sys/bus/pci/devices/0000:01:00.0/driver: nouveau\n"
            "    remedy:   install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or your "
            "distribution's nvidia-driver package), which blacklists nouveau, and reboot\n"
            "    affects:  cuda\n"
            "1 error, 0 warnings\n");
  nlohmann::ordered_json json = FindingsToJson(findings, "cuda");
  EXPECT_EQ(json["backend"], "cuda");
  EXPECT_EQ(json["errors"], 1);
  EXPECT_EQ(json["warnings"], 0);
  EXPECT_EQ(json["findings"][0].dump(),
            R"({"code":"nouveau_driver","severity":"error","device_id":"gpu0","message":"NVIDIA )"
            R"(GeForce RTX 3080 (gpu0) is driven by nouveau, which cannot run CUDA","evidence":)"
            R"(["/sys/bus/pci/devices/0000:01:00.0/driver: nouveau"],"remedy":"install NVIDIA's )"
            R"(driver (e.g. sudo ubuntu-drivers install, or your distribution's nvidia-driver )"
            R"(package), which blacklists nouveau, and reboot","backends":["cuda"]})");
  EXPECT_TRUE(FindingsToJson({}, std::nullopt)["backend"].is_null());
}

}  // namespace
}  // namespace devpick
