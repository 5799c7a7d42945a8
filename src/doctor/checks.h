// Inside doctor: the checks and what they share. Each check answers one question about the
// machine and appends findings; doctor.cc runs them in table order. Facts and their sources:
// research/sysfs.md §2.2 (udev groups), §2.3 and §3.2 (drivers, DG2 force_probe), §4.2 (KFD), §5
// (NVIDIA nodes), §7.1 (containers); research/specs.md §4 (visibility variables);
// research/sdnext.md §5 (what users actually hit).
//
// Thread-safety: pure functions over their arguments.
#ifndef DEVPICK_DOCTOR_CHECKS_H_
#define DEVPICK_DOCTOR_CHECKS_H_

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devpick/doctor.h"
#include "devpick/pci_address.h"
#include "select/backend_table.h"

namespace devpick::doctor {

using Findings = std::vector<Finding>;

class Machine {
 public:
  Machine(const Observations& observations, const Inventory& inventory)
      : obs_(observations), inv_(inventory) {}

  const Observations& obs() const { return obs_; }
  const Inventory& inv() const { return inv_; }

  // GPUs and NPUs with a PCI function, in inventory order.
  std::vector<std::pair<const Device*, const PciFunction*>> PciDevices() const {
    std::vector<std::pair<const Device*, const PciFunction*>> out;
    for (const Device& device : inv_.devices) {
      if (device.kind == DeviceKind::kCpu || !device.pci_address) continue;
      if (const PciFunction* pci = Pci(*device.pci_address)) out.emplace_back(&device, pci);
    }
    return out;
  }

  const PciFunction* Pci(std::string_view address) const {
    std::optional<PciAddress> wanted = ParsePciAddress(address);
    for (const PciFunction& function : obs_.pci) {
      if (wanted && ParsePciAddress(function.address) == wanted) return &function;
    }
    return nullptr;
  }

  // The device whose PCI function owns DRM or accel node `name` ("renderD128", "accel0").
  const Device* DeviceWithNode(std::string_view name) const {
    for (const auto& [device, pci] : PciDevices()) {
      for (const auto* nodes : {&pci->drm, &pci->accel}) {
        if (std::find(nodes->begin(), nodes->end(), name) != nodes->end()) return device;
      }
    }
    return nullptr;
  }

  // "rw", "denied", "missing", or nullopt when the snapshot does not record the node. A captured
  // tree (--root) holds only the files someone copied, so a node missing there proves nothing.
  std::optional<std::string> Node(const std::string& path) const {
    if (!obs_.probes.sysfs) return std::nullopt;
    auto it = obs_.probes.sysfs->dev_nodes.find(path);
    if (it == obs_.probes.sysfs->dev_nodes.end()) return std::nullopt;
    if (it->second == "missing" && obs_.host.captured_root) return std::nullopt;
    return it->second;
  }

  const ProbeHeader* Probe(std::string_view name) const;
  std::optional<std::string> EnvVar(const std::string& name) const {
    auto it = obs_.env.find(name);
    if (it == obs_.env.end()) return std::nullopt;
    return it->second;
  }

  std::optional<std::string> ModuleVersion(const std::string& module) const {
    if (!obs_.probes.sysfs) return std::nullopt;
    auto it = obs_.probes.sysfs->module_versions.find(module);
    if (it == obs_.probes.sysfs->module_versions.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Observations& obs_;
  const Inventory& inv_;
};

// ---- Wording shared by the checks

// "AMD Radeon RX 7900 XTX (gpu1)"
std::string Label(const Device& device);
// "/sys/bus/pci/devices/<address>/driver: amdgpu"
std::string DriverEvidence(const PciFunction& pci);
// "probes.level_zero: absent (libze_loader.so.1: cannot open shared object file)"
std::string ProbeEvidence(std::string_view name, const ProbeHeader& header);
// NAME='value'
std::string Quoted(const std::string& name, const std::string& value);
void AddUnique(std::vector<std::string>* list, const std::string& item);
// The vendor backends that drive a device: rows of the backend table for its vendor and kind
// (cuda for NVIDIA GPUs; rocm, zluda for AMD; xpu, openvino for Intel GPUs; openvino for NPUs).
std::vector<std::string> BackendsFor(const Device& device);
// The backends whose runtime numbers devices from `source` (kRocm: rocm, zluda).
std::vector<std::string> BackendsNumberedBy(IndexSource source);
// The probe that reads AMD's KFD topology: ROCm's runtime probe in the backend table.
std::string_view KfdProbe();
// "probes.rocm: ", the start of evidence read from the KFD probe.
std::string KfdEvidence();
// "6.8.0-45-generic" -> {6, 8}.
std::optional<std::pair<int, int>> KernelVersion(const std::optional<std::string>& release);

// ---- The checks, by subject

// checks_drivers.cc: kernel driver, compute runtimes of present hardware, NVML version mismatch.
void CheckKernelDriver(const Machine& m, Findings* out);
void CheckRuntimes(const Machine& m, Findings* out);
void CheckNvmlMismatch(const Machine& m, Findings* out);
// checks_access.cc: device-node permissions, containers.
void CheckPermissions(const Machine& m, Findings* out);
void CheckContainer(const Machine& m, Findings* out);
// checks_rocm.cc: AMD gfx targets and per-node overrides.
void CheckGfxTargets(const Machine& m, Findings* out);
void CheckGfxNodeOverrides(const Machine& m, Findings* out);
// checks_visibility.cc: visibility variables, judged on select's runtime views.
void CheckCudaVisibility(const Machine& m, Findings* out);
void CheckRocmVisibility(const Machine& m, Findings* out);
void CheckOneApiSelector(const Machine& m, Findings* out);

}  // namespace devpick::doctor

#endif  // DEVPICK_DOCTOR_CHECKS_H_
