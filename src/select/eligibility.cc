#include "select/eligibility.h"

#include <algorithm>

#include "core/text.h"

namespace devpick {
namespace {

bool IsX86(std::string_view arch) {
  return arch == "x86_64" || arch == "amd64" || arch == "AMD64" || arch == "x64";
}

bool OfVendor(const BackendInfo& row, Vendor vendor) {
  return vendor == row.vendors[0] || vendor == row.vendors[1];
}

// Vendor-bound rows take their vendors' devices; any-vendor rows the devices their binding
// reported (DirectML: DXGI adapters). The CPU belongs to no vendor stack.
bool TakesDevice(const BackendInfo& row, const Device& device) {
  if (device.kind == DeviceKind::kCpu) return true;
  if (!row.any_vendor) return OfVendor(row, device.vendor);
  return row.required_binding.empty() || device.FindBinding(row.required_binding) != nullptr;
}

}  // namespace

Verdict Reject(std::string code, std::string reason) {
  return {.ok = false, .code = std::move(code), .reason = std::move(reason)};
}

bool RunsOn(const BackendInfo& row, std::string_view os) {
  return std::find(row.os.begin(), row.os.end(), os) != row.os.end();
}

std::string KindNoun(DeviceKind kind) { return kind == DeviceKind::kNpu ? "NPUs" : "GPUs"; }

Verdict CheckDrive(const BackendInfo& row, const Device& device, const Inventory& inventory) {
  std::string display(row.display);
  if (device.kind == DeviceKind::kCpu) {
    if (row.kinds & kCpuKind) return {};
    return Reject("cpu_needs_fallback",
                  display + " does not run on the CPU; --fallback cpu allows the CPU explicitly");
  }
  if (!row.any_vendor && !OfVendor(row, device.vendor)) {
    return Reject("backend_cannot_drive", display + " cannot drive " +
                                              std::string(VendorDisplayName(device.vendor)) + " " +
                                              KindNoun(device.kind));
  }
  if (!(row.kinds & KindBit(device.kind))) {
    return Reject("backend_cannot_drive", display + " cannot drive " + KindNoun(device.kind));
  }
  if (!RunsOn(row, inventory.host.os)) {
    return Reject("backend_cannot_drive", display + " does not run on " + inventory.host.os);
  }
  if (!row.required_binding.empty()) {
    const Binding* binding = device.FindBinding(row.required_binding);
    if (binding == nullptr || binding->software) {
      return Reject("not_seen_by_runtime",
                    display + " needs a " + std::string(row.required_binding) + " device, and no " +
                        std::string(row.required_binding) + " driver reported this one");
    }
  }
  bool seen_by_runtime =
      !row.runtime_probe.empty() && device.FindBinding(row.runtime_probe) != nullptr;
  std::vector<std::string> needed;
  if (device.kind == DeviceKind::kNpu) {
    if (!row.npu_kernel_driver.empty()) needed.emplace_back(row.npu_kernel_driver);
  } else {
    for (std::string_view name : row.kernel_drivers) {
      if (!name.empty()) needed.emplace_back(name);
    }
  }
  if (!needed.empty() && device.driver.name && !seen_by_runtime &&
      std::find(needed.begin(), needed.end(), *device.driver.name) == needed.end()) {
    return Reject("driver", "kernel driver " + *device.driver.name + " cannot run " + display +
                                "; the " + Join(needed, " or ") + " driver is needed");
  }
  return {};
}

std::vector<const Device*> Drivable(const BackendInfo& row, const Inventory& inventory) {
  std::vector<const Device*> out;
  for (const Device& device : inventory.devices) {
    if (device.kind != DeviceKind::kCpu && CheckDrive(row, device, inventory).ok)
      out.push_back(&device);
  }
  return out;
}

const BackendInfo* OrtBackendFor(const Device& device, const Inventory& inventory) {
  for (const BackendInfo& row : Backends()) {
    if ((row.ort.kinds & KindBit(device.kind)) && TakesDevice(row, device) &&
        RunsOn(row, inventory.host.os)) {
      return &row;
    }
  }
  return nullptr;
}

const BackendInfo* RecommendedBackend(const Device& device, const HostInfo& host) {
  for (const BackendInfo& row : Backends()) {
    const Recommendation& rule = row.recommend;
    if (!(rule.kinds & KindBit(device.kind)) || !TakesDevice(row, device)) continue;
    if (!RunsOn(row, host.os) || (!rule.only_os.empty() && rule.only_os != host.os)) continue;
    if (rule.needs_binding && device.FindBinding(row.required_binding) == nullptr) continue;
    if (rule.cpu_needs_x86 && device.kind == DeviceKind::kCpu && !IsX86(host.arch)) continue;
    return &row;
  }
  return nullptr;
}

std::optional<std::string> EnvVar(const Inventory& inventory, const std::string& name) {
  auto it = inventory.env.find(name);
  if (it == inventory.env.end()) return std::nullopt;
  return it->second;
}

bool ProbeOk(const Inventory& inventory, std::string_view probe) {
  auto it = inventory.probe_status.find(std::string(probe));
  return it != inventory.probe_status.end() && it->second == ProbeStatus::kOk;
}

std::string ProbeState(const Inventory& inventory, std::string_view probe) {
  auto it = inventory.probe_status.find(std::string(probe));
  if (it == inventory.probe_status.end()) return "did not run";
  std::string state(ToString(it->second));
  for (const Diagnostic& diagnostic : inventory.diagnostics) {
    if (diagnostic.probe == probe && !diagnostic.detail.empty()) {
      return state + ": " + diagnostic.detail;
    }
  }
  return state;
}

}  // namespace devpick
