// Correlation steps of the operating systems' graphics APIs (DXGI on Windows, Metal on macOS).
// Where there is no PCI sysfs their adapters are the devices (DESIGN.md rule 5). No live probe
// of this build fills them; snapshots recorded elsewhere do.
#include "inventory/classify.h"
#include "inventory/correlation_steps.h"
#include "inventory/id_tables.h"

namespace devpick {

void CorrelateDxgi(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.dxgi;
  if (!observation) return;
  const std::string api(probe.name);
  for (const DxgiAdapter& a : observation->adapters) {
    if (a.software) {
      correlation->AddCpuBinding(api, a.index, std::nullopt, a.name);
      continue;
    }
    Draft* draft = correlation->Match(api, std::nullopt, std::nullopt, a.vendor_id, a.device_id);
    if (draft == nullptr) {
      Draft fresh;
      Device& d = fresh.device;
      d.vendor_id = a.vendor_id;
      d.device_id = a.device_id;
      d.vendor = a.vendor_id ? VendorFromPciId(*a.vendor_id) : Vendor::kOther;
      bool intel_integrated =
          a.vendor_id == kVendorIntel && !(a.device_id && IsIntelDiscreteGpu(*a.device_id));
      bool shared_only = a.dedicated_video_memory_bytes.value_or(0) < (std::uint64_t{512} << 20);
      d.kind = intel_integrated || shared_only ? DeviceKind::kIgpu : DeviceKind::kDgpu;
      d.kind_source = intel_integrated ? api + ": Intel adapter outside the discrete tables"
                      : shared_only    ? api + ": little dedicated video memory"
                                       : api + ": dedicated video memory";
      draft = correlation->Add(std::move(fresh));
    }
    Device& d = draft->device;
    d.bindings.push_back({.api = api, .index = a.index, .name = {}, .software = false});
    if (a.name) draft->names.emplace_back(*a.name, api);
    if (a.dedicated_video_memory_bytes && *a.dedicated_video_memory_bytes > 0) {
      Correlation::OfferDedicatedBytes(draft, *a.dedicated_video_memory_bytes,
                                       api + " DedicatedVideoMemory", probe.trust);
    }
    if (a.shared_system_memory_bytes) {
      draft->shared_bytes = a.shared_system_memory_bytes;
      draft->shared_source = api + " SharedSystemMemory";
    }
  }
}

void CorrelateMetal(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.metal;
  if (!observation) return;
  const std::string api(probe.name);
  for (const MetalDevice& m : observation->devices) {
    Draft fresh;
    Device& d = fresh.device;
    d.vendor = Vendor::kApple;
    d.kind = m.removable == true ? DeviceKind::kDgpu : DeviceKind::kIgpu;
    d.kind_source =
        m.removable == true ? api + ": removable GPU" : api + ": Apple GPUs share unified memory";
    d.bindings.push_back({.api = api, .index = m.index, .name = {}, .software = false});
    if (m.name) fresh.names.emplace_back(*m.name, api);
    if (m.recommended_max_working_set_bytes) {
      fresh.shared_bytes = m.recommended_max_working_set_bytes;
      fresh.shared_source = api + " recommendedMaxWorkingSetSize";
    }
    correlation->Add(std::move(fresh));
  }
}

}  // namespace devpick
