#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "devpick/doctor.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "doctor/doctor_test_machines.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- Hardware present, compute runtime missing. ----

TEST(Doctor, IntelGpuWithoutLevelZeroOrOpenClIsAnError) {
  Observations o = ArcMachine();
  Ran(o.probes.level_zero, ProbeStatus::kAbsent,
      "libze_loader.so.1: cannot open shared object file");
  Ran(o.probes.opencl, ProbeStatus::kOk);  // e.g. only PoCL: it runs but does not list the Arc
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.code = "intel_runtime_missing",
       .severity = Severity::kError,
       .device_id = "gpu0",
       .message =
           "Intel Arc A770 Graphics (gpu0) has the i915 driver but neither Level Zero nor OpenCL "
           "sees it",
       .evidence = Lines{"/sys/bus/pci/devices/0000:03:00.0/driver: i915",
                         "probes.level_zero: absent (libze_loader.so.1: cannot open shared "
                         "object file)",
                         "probes.opencl: ok, but it does not list 0000:03:00.0"},
       .remedy =
           "install Intel's GPU compute runtime: on Debian/Ubuntu intel-opencl-icd and "
           "libze-intel-gpu1 (intel-level-zero-gpu on older releases) with libze1; elsewhere see "
           "dgpu-docs.intel.com",
       .backends = Lines{"xpu", "openvino"}});
}

TEST(Doctor, IntelRuntimeCheckNeedsAProbeThatRan) {
  // `--probes sysfs`: nothing is known about the runtimes, so nothing is claimed.
  EXPECT_THAT(DoctorOn(ArcMachine()), IsEmpty());
  Observations o = ArcMachine();
  Ran(o.probes.level_zero, ProbeStatus::kAbsent, "libze_loader.so.1: not found");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  ExpectFinding(
      findings[0],
      {.message =
           "Intel Arc A770 Graphics (gpu0) has the i915 driver but the Level Zero runtime does "
           "not see it",
       .backends = Lines{"xpu"}});
}

TEST(Doctor, NvidiaDriverWithoutLibcudaAndNvmlIsAnError) {
  Observations o = NvidiaMachine();
  Ran(o.probes.nvml, ProbeStatus::kAbsent, "libnvidia-ml.so.1: cannot open shared object file");
  Ran(o.probes.cuda, ProbeStatus::kAbsent, "libcuda.so.1: cannot open shared object file");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.code = "nvidia_runtime_missing",
       .severity = Severity::kError,
       .device_id = "gpu0",
       .message =
           "NVIDIA GeForce RTX 4090 (gpu0) has the nvidia kernel driver but libnvidia-ml.so.1, "
           "libcuda.so.1 are not installed",
       .evidence = Lines{"/sys/bus/pci/devices/0000:01:00.0/driver: nvidia",
                         "probes.nvml: absent (libnvidia-ml.so.1: cannot open shared object file)",
                         "probes.cuda: absent (libcuda.so.1: cannot open shared object file)",
                         "module nvidia version: 550.54.14"},
       .remedy = "install the NVIDIA user-space libraries of the same version as the kernel module "
                 "(Debian/Ubuntu: libnvidia-compute-550); in a container, start it with the NVIDIA "
                 "Container Toolkit (--gpus all)",
       .backends = Lines{"cuda"}});
}

TEST(Doctor, AmdGpuWithoutKfdIsAnErrorForRocm) {
  Observations o = AmdMachine();
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  Ran(o.probes.rocm, ProbeStatus::kAbsent, "no /sys/class/kfd/kfd/topology/nodes");
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.code = "amd_kfd_missing",
       .severity = Severity::kError,
       .device_id = "gpu0",
       .message =
           "amdgpu drives gpu0 but the kernel's compute interface (KFD, /dev/kfd) is missing, so "
           "ROCm sees no GPU",
       .evidence =
           Lines{"/dev/kfd: missing", "probes.rocm: absent (no /sys/class/kfd/kfd/topology/nodes)"},
       .remedy =
           "use a kernel built with CONFIG_HSA_AMD=y (distribution kernels are) and check 'sudo "
           "dmesg | grep kfd' for why KFD did not start",
       .backends = Lines{"rocm", "zluda"}});
}

TEST(Doctor, KfdRunningWithoutItsNodeSaysUdev) {
  Observations o = AmdMachine();
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("amd_kfd_missing"));
  ExpectFinding(
      findings[0],
      {.message =
           "amdgpu drives gpu0 and KFD is running, but /dev/kfd does not exist, so ROCm sees no "
           "GPU",
       .remedy = "udev creates /dev/kfd (group render): check that systemd-udevd runs and 'sudo "
                 "udevadm trigger', or reboot"});
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
  ExpectFinding(
      findings[0],
      {.code = "nouveau_driver",
       .severity = Severity::kError,
       .message = "NVIDIA GeForce RTX 3080 (gpu0) is driven by nouveau, which cannot run CUDA",
       .evidence = Lines{"/sys/bus/pci/devices/0000:01:00.0/driver: nouveau"},
       .remedy =
           "install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or your distribution's "
           "nvidia-driver package), which blacklists nouveau, and reboot",
       .backends = Lines{"cuda"}});
}

TEST(Doctor, Dg2OnAKernelBefore62NeedsForceProbe) {
  Observations o = Machine();
  o.host.kernel = "5.19.0-50-generic";
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, std::nullopt));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f, {.code = "intel_force_probe",
          .severity = Severity::kError,
          .message =
              "Intel Arc A770 Graphics (gpu0) has no kernel driver: i915 drives DG2 (Arc A-series, "
              "Flex) without force_probe only from Linux 6.2, and this kernel is 5.19.0-50-generic",
          .evidence = Lines{"/sys/bus/pci/devices/0000:03:00.0/driver: none bound",
                            "pci device id: 0x56a0", "host.kernel: 5.19.0-50-generic"},
          .remedy = "upgrade to Linux 6.2 or newer, or boot with the kernel parameter "
                    "i915.force_probe=56a0",
          .backends = Lines{"xpu", "openvino"}});
}

TEST(Doctor, UnboundGpuOnARecentKernelHasNoDriver) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, std::nullopt));
  o.pci.push_back(Gpu("0000:04:00.0", 0x10de, 0x2684, std::nullopt));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("no_driver", "no_driver"));
  ExpectFinding(
      findings[0],
      {.message = "Intel Arc A770 Graphics (gpu0) has no kernel driver bound",
       .remedy =
           "load i915 or xe (sudo modprobe i915) and check 'sudo dmesg | grep -e i915 -e xe'; a "
           "GPU newer than the kernel needs a newer kernel"});
  ExpectFinding(
      findings[1],
      {.message = "NVIDIA GeForce RTX 4090 (gpu1) has no kernel driver bound",
       .remedy =
           "install the NVIDIA driver (e.g. sudo ubuntu-drivers install, or your distribution's "
           "nvidia-driver package) and reboot",
       .backends = Lines{"cuda"}});
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
  ExpectFinding(
      f, {.code = "nvml_version_mismatch",
          .severity = Severity::kError,
          .message =
              "the loaded nvidia kernel module (550.54.14) and the installed NVIDIA libraries are "
              "different versions (NVML: driver/library version mismatch), so no CUDA application "
              "can start",
          .evidence = Lines{"probes.nvml: error (nvmlInit_v2: NVML_ERROR_LIB_RM_VERSION_MISMATCH "
                            "(18))",
                            "probes.nvml library: /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1",
                            "module nvidia version: 550.54.14"},
          .remedy =
              "reboot, so that the kernel loads the module of the installed driver (this follows a "
              "driver upgrade without a reboot); in a container, the host driver must match the "
              "libraries mounted in"});
  // Snapshots written before the probe named the code.
  Ran(o.probes.nvml, ProbeStatus::kError, "nvmlInit_v2: error 18");
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("nvml_version_mismatch"));
  Ran(o.probes.nvml, ProbeStatus::kError, "nvmlInit_v2: NVML_ERROR_DRIVER_NOT_LOADED (9)");
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

}  // namespace
}  // namespace devpick::testing
