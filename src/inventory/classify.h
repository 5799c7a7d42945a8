// PCI classification: what one PCI function is, from PCI and sysfs facts alone. Pure: no I/O, no
// other probe's observations. Correlation (src/inventory/correlate.cc) turns each function
// classified kComputeDevice into a device, and runtime probes may later override its kind with
// their own flags (a stronger signal).
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_INVENTORY_CLASSIFY_H_
#define DEVPICK_SRC_INVENTORY_CLASSIFY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "devpick/inventory.h"
#include "devpick/observations.h"

namespace devpick {

inline constexpr std::uint32_t kVendorNvidia = 0x10de;
inline constexpr std::uint32_t kVendorAmd = 0x1002;
inline constexpr std::uint32_t kVendorAmdCpu = 0x1022;
inline constexpr std::uint32_t kVendorIntel = 0x8086;

enum class PciRole {
  kComputeDevice,        // a GPU or NPU: becomes a device
  kNotCompute,           // not a display/accelerator function and no nodes: silently ignored
  kBmcOrVirtualDisplay,  // a display function that cannot compute (ASPEED, QXL, ...)
  kWslParavirtual,       // WSL's GPU-PV adapter: the host GPU is seen only through nvml/cuda
};

struct PciClassification {
  PciRole role = PciRole::kNotCompute;
  // The vendor ID, from the vendor file or, when that was unreadable, inferred.
  std::optional<std::uint32_t> vendor_id;
  // Set when vendor_id was inferred: where from ("procfs /proc/driver/nvidia/gpus/<address>").
  std::optional<std::string> vendor_inferred_from;
  Vendor vendor = Vendor::kOther;
  // For kComputeDevice: the kind and why (the inventory's kind_source).
  DeviceKind kind = DeviceKind::kDgpu;
  std::string reason;
};

PciClassification ClassifyPciFunction(const PciFunction& pci);

// A PCI ID as four lower-case hex digits without prefix, as lspci prints it ("56a0").
std::string Hex4(std::uint32_t value);

}  // namespace devpick

#endif  // DEVPICK_SRC_INVENTORY_CLASSIFY_H_
