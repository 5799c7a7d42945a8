#include "select/spec_match.h"

#include "core/text.h"
#include "devpick/pci_address.h"

namespace devpick {
namespace {

using Type = DeviceSpecItem::Type;
using KindFilter = DeviceSpecItem::KindFilter;

bool KindMatches(KindFilter filter, DeviceKind kind) {
  switch (filter) {
    case KindFilter::kAny:
      return true;
    case KindFilter::kCpu:
      return kind == DeviceKind::kCpu;
    case KindFilter::kGpu:
      return kind == DeviceKind::kDgpu || kind == DeviceKind::kIgpu;
    case KindFilter::kDgpu:
      return kind == DeviceKind::kDgpu;
    case KindFilter::kIgpu:
      return kind == DeviceKind::kIgpu;
    case KindFilter::kNpu:
      return kind == DeviceKind::kNpu;
  }
  return false;
}

std::string ItemSpelling(const DeviceSpecItem& item) {
  if (!item.index) return item.value;
  return item.value + (IsTorchNative(item) ? ":" : ".") + std::to_string(*item.index);
}

}  // namespace

bool Matches(const DeviceSpecItem& item, const Device& device, std::optional<int> ordinal,
             const std::string& native) {
  switch (item.type) {
    case Type::kAuto:
      return true;
    case Type::kKind:
      return KindMatches(item.kind, device.kind);
    case Type::kVendor:
      return device.vendor == item.vendor && KindMatches(item.kind, device.kind);
    case Type::kId:
      return device.id == item.value;
    case Type::kPci: {
      if (!device.pci_address) return false;
      std::optional<PciAddress> address = ParsePciAddress(*device.pci_address);
      return address && *address == *item.pci;
    }
    case Type::kUuid:
      return device.uuid && !NormalizeUuid(item.value).empty() &&
             StartsWith(NormalizeUuid(*device.uuid), NormalizeUuid(item.value));
    case Type::kName:
      return Lower(device.name).find(Lower(item.value)) != std::string::npos;
    case Type::kIndex:
      return ordinal && *ordinal == *item.index && device.kind != DeviceKind::kCpu;
    case Type::kNative: {
      if (native.empty()) return false;
      std::string wanted = ItemSpelling(item);
      // OpenVINO's bare GPU is GPU.0, and a lone GPU.0 is listed as GPU.
      if ((wanted == "GPU" && native == "GPU.0") || (wanted == "GPU.0" && native == "GPU")) {
        return true;
      }
      return wanted == native;
    }
  }
  return false;
}

}  // namespace devpick
