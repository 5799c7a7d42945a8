// Hand-made machines for the doctor tests: observations as the probes would record them, which the
// tests correlate for real and diagnose, and the finding codes they compare.
//
// Thread-safety: functions returning fresh values.
#ifndef DEVPICK_DOCTOR_DOCTOR_TEST_MACHINES_H_
#define DEVPICK_DOCTOR_DOCTOR_TEST_MACHINES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devpick/doctor.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "doctor/expected_finding_test_util.h"

namespace devpick::testing {

inline PciFunction Gpu(const std::string& address, std::uint32_t vendor, std::uint32_t device,
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

inline Observations Machine() {
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
inline Observations NvidiaMachine() {
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
inline Observations ArcMachine() {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:03:00.0", 0x8086, 0x56a0, "i915", {"card1", "renderD129"}));
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  return o;
}

inline RocmNode KfdNode(int node, int gfx, const std::string& address, int render_minor) {
  RocmNode n;
  n.node = node;
  n.gfx_target_version = gfx;
  n.pci_address = address;
  n.simd_count = 192;
  n.drm_render_minor = render_minor;
  return n;
}

// An RX 7900 XTX (KFD node 1, gfx1100) on amdgpu with KFD.
inline Observations AmdMachine(int gfx = 110000, std::uint32_t device = 0x744c) {
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

inline std::vector<Finding> DoctorOn(const Observations& o,
                                     std::optional<std::string> backend = {}) {
  Inventory inventory = Correlate(o, nullptr);
  return Diagnose(o, inventory, backend);
}

inline std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code);
  return codes;
}

}  // namespace devpick::testing

#endif  // DEVPICK_DOCTOR_DOCTOR_TEST_MACHINES_H_
