#include "devpick/inventory.h"

#include <algorithm>

namespace devpick {
namespace {

struct VendorRow {
  Vendor vendor;
  std::string_view name;
  std::uint32_t pci_ids[2];
};
// PCI vendor IDs: research/sysfs.md §1.3. AMD's CPU/NPU ID 0x1022 maps to amd too.
constexpr VendorRow kVendors[] = {
    {Vendor::kNvidia, "nvidia", {0x10de, 0x10de}},
    {Vendor::kAmd, "amd", {0x1002, 0x1022}},
    {Vendor::kIntel, "intel", {0x8086, 0x8086}},
    {Vendor::kApple, "apple", {0x106b, 0x106b}},
    {Vendor::kQualcomm, "qualcomm", {0x17cb, 0x5143}},
    {Vendor::kMicrosoft, "microsoft", {0x1414, 0x1414}},
    {Vendor::kOther, "other", {0, 0}},
};

constexpr std::pair<DeviceKind, std::string_view> kKinds[] = {
    {DeviceKind::kCpu, "cpu"},
    {DeviceKind::kDgpu, "dgpu"},
    {DeviceKind::kIgpu, "igpu"},
    {DeviceKind::kNpu, "npu"},
};

}  // namespace

std::string_view ToString(DeviceKind kind) {
  for (const auto& [value, name] : kKinds) {
    if (value == kind) return name;
  }
  return "cpu";
}

std::string_view ToString(Vendor vendor) {
  for (const VendorRow& row : kVendors) {
    if (row.vendor == vendor) return row.name;
  }
  return "other";
}

std::optional<DeviceKind> ParseDeviceKind(std::string_view text) {
  for (const auto& [value, name] : kKinds) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<Vendor> ParseVendor(std::string_view text) {
  for (const VendorRow& row : kVendors) {
    if (row.name == text) return row.vendor;
  }
  return std::nullopt;
}

Vendor VendorFromPciId(std::uint32_t vendor_id) {
  for (const VendorRow& row : kVendors) {
    if (vendor_id != 0 && (row.pci_ids[0] == vendor_id || row.pci_ids[1] == vendor_id)) {
      return row.vendor;
    }
  }
  return Vendor::kOther;
}

const Binding* Device::FindBinding(std::string_view api) const {
  auto it = std::find_if(bindings.begin(), bindings.end(),
                         [&](const Binding& binding) { return binding.api == api; });
  return it == bindings.end() ? nullptr : &*it;
}

const Device* Inventory::FindDevice(std::string_view device_id) const {
  auto it = std::find_if(devices.begin(), devices.end(),
                         [&](const Device& device) { return device.id == device_id; });
  return it == devices.end() ? nullptr : &*it;
}

}  // namespace devpick
