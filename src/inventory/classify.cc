#include "inventory/classify.h"

#include <cstdio>

#include "devpick/pci_address.h"
#include "inventory/id_tables.h"

namespace devpick {
namespace {

bool IsComputeClass(std::uint32_t class_code) {
  std::uint32_t base = class_code >> 16;
  std::uint32_t sub = (class_code >> 8) & 0xff;
  if (base == 0x03) return true;
  if (base == 0x12) return class_code != 0x120100;  // SDXI is a data mover, not a compute device
  return base == 0x11 && sub == 0x80;               // AMD XDNA NPUs
}

void ClassifyKind(const PciFunction& pci, std::optional<std::uint32_t> vendor_id,
                  PciClassification* c) {
  std::uint32_t vendor = vendor_id.value_or(0);
  std::uint32_t device = pci.device.value_or(0);
  std::uint32_t base = pci.class_code ? *pci.class_code >> 16 : 0x03;
  // NPUs: accelerator classes with an NPU driver, an accel node, or a known NPU id.
  bool npu_driver = pci.driver && IsNpuDriver(*pci.driver);
  if (npu_driver || !pci.accel.empty() || (vendor == kVendorIntel && IsIntelNpuDeviceId(device)) ||
      (vendor == kVendorAmdCpu && IsAmdXdnaDeviceId(device)) || base == 0x12 || base == 0x11) {
    c->kind = DeviceKind::kNpu;
    c->reason = npu_driver ? "pci: driver " + *pci.driver + " is an NPU driver"
                : !pci.accel.empty()
                    ? "sysfs: has an accel node (" + pci.accel.front() + ")"
                    : "pci: processing-accelerator class " + Hex4(*pci.class_code >> 8);
    return;
  }
  if (vendor == kVendorIntel) {
    std::optional<PciAddress> address = ParsePciAddress(pci.address);
    if (address && address->domain == 0 && address->bus == 0 && address->device == 2) {
      c->kind = DeviceKind::kIgpu;
      c->reason = "pci: Intel display device at 00:02.x is the integrated GPU";
    } else if (IsIntelDiscreteGpu(device)) {
      c->kind = DeviceKind::kDgpu;
      c->reason = "pci: device id 0x" + Hex4(device) + " is in the Intel discrete GPU tables";
    } else {
      c->kind = DeviceKind::kIgpu;
      c->reason = "pci: Intel GPU outside the discrete tables";
    }
    return;
  }
  if (vendor == kVendorAmd) {
    if (pci.board_info == true) {
      c->kind = DeviceKind::kDgpu;
      c->reason = "sysfs: amdgpu board_info is present (hidden on APUs)";
    } else if (IsAmdApuDeviceId(device)) {
      c->kind = DeviceKind::kIgpu;
      c->reason = "pci: device id 0x" + Hex4(device) + " is in the AMD APU table";
    } else if (pci.vram_bytes && pci.gtt_bytes &&
               LooksLikeAmdApuByMemory(*pci.vram_bytes, *pci.gtt_bytes)) {
      c->kind = DeviceKind::kIgpu;
      c->reason = "sysfs: small VRAM carve-out with large GTT (APU heuristic)";
    } else {
      c->kind = DeviceKind::kDgpu;
      c->reason = "pci: AMD GPU without an APU signal";
    }
    return;
  }
  c->kind = DeviceKind::kDgpu;
  c->reason = vendor == kVendorNvidia ? "pci: NVIDIA GPUs are discrete unless CUDA says integrated"
                                      : "pci: display controller";
}

}  // namespace

std::string Hex4(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x", value);
  return buffer;
}

PciClassification ClassifyPciFunction(const PciFunction& pci) {
  PciClassification c;
  c.vendor_id = pci.vendor;
  if (!c.vendor_id && pci.nvidia_procfs) {
    // Only the NVIDIA driver writes /proc/driver/nvidia/gpus/<address>.
    c.vendor_id = kVendorNvidia;
    c.vendor_inferred_from = "procfs /proc/driver/nvidia/gpus/" + pci.address;
  }
  c.vendor = c.vendor_id ? VendorFromPciId(*c.vendor_id) : Vendor::kOther;
  bool compute_class = pci.class_code && IsComputeClass(*pci.class_code);
  bool has_nodes = !pci.drm.empty() || !pci.accel.empty();
  if (!compute_class && !has_nodes && !pci.nvidia_procfs) return c;
  if (pci.class_code && (*pci.class_code >> 16) == 0x06) return c;  // bridges are never GPUs
  if ((pci.driver && IsExcludedDisplayDriver(*pci.driver)) ||
      (c.vendor_id && IsExcludedDisplayVendor(*c.vendor_id))) {
    c.role = PciRole::kBmcOrVirtualDisplay;
    return c;
  }
  if (c.vendor_id == 0x1414u && pci.device == 0x008eu) {
    c.role = PciRole::kWslParavirtual;
    return c;
  }
  c.role = PciRole::kComputeDevice;
  ClassifyKind(pci, c.vendor_id, &c);
  return c;
}

}  // namespace devpick
