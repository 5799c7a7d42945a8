// Correlation steps of the cross-vendor APIs (OpenCL, Vulkan): they see every vendor's devices,
// software implementations included, and rank below the vendors' own runtimes.
#include "inventory/correlation_steps.h"

namespace devpick {

void CorrelateOpenCl(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.opencl;
  if (!observation) return;
  const std::string api(probe.name);
  const auto& platforms = observation->platforms;
  for (std::size_t p = 0; p < platforms.size(); ++p) {
    for (const OpenClDevice& c : platforms[p].devices) {
      std::string name = std::to_string(p) + "/" + std::to_string(c.index);
      if (c.type == "cpu") {
        correlation->AddCpuBinding(api, std::nullopt, name, c.name);
        continue;
      }
      Draft* draft =
          correlation->Match(api, c.pci_address, std::nullopt, c.vendor_id, std::nullopt);
      if (draft == nullptr && !c.pci_address && c.vendor_id) {
        draft = correlation->MatchByName(c.vendor_id, c.name);
      }
      if (draft == nullptr) {
        draft = correlation->Orphan(api, "OpenCL device " + name, DeviceKind::kDgpu, c.vendor_id,
                                    c.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = api, .index = {}, .name = name, .software = false});
      if (c.name) draft->names.emplace_back(*c.name, api);
      if (c.type == "gpu" && c.host_unified_memory) {
        Correlation::SetRuntimeKind(
            draft, *c.host_unified_memory ? DeviceKind::kIgpu : DeviceKind::kDgpu,
            api +
                ": CL_DEVICE_HOST_UNIFIED_MEMORY = " + (*c.host_unified_memory ? "true" : "false"));
      }
      if (c.compute_units && !d.compute.units) {
        Correlation::SetCompute(draft, *c.compute_units, c.clock_mhz, api, probe.trust);
      }
    }
  }
}

void CorrelateVulkan(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.vulkan;
  if (!observation) return;
  const std::string api(probe.name);
  for (const VulkanDevice& v : observation->devices) {
    if (v.type == "cpu") {
      correlation->AddCpuBinding(api, v.index, std::nullopt, v.name);
      continue;
    }
    Draft* draft =
        correlation->Bind(api,
                          {.pci_address = v.pci_address,
                           .uuid = v.uuid,
                           .vendor_id = v.vendor_id,
                           .device_id = v.device_id,
                           .what = "Vulkan device " + std::to_string(v.index),
                           .kind = v.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu},
                          {.api = api, .index = v.index, .name = {}, .software = false});
    if (v.name) draft->names.emplace_back(*v.name, api);
    if (v.type == "integrated" || v.type == "discrete") {
      Correlation::SetRuntimeKind(draft,
                                  v.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu,
                                  api + ": VkPhysicalDeviceType " + v.type);
    }
    if (v.device_local_bytes && *v.device_local_bytes > 0 && v.type == "discrete") {
      Correlation::OfferDedicatedBytes(draft, *v.device_local_bytes, api + " (device-local heaps)",
                                       probe.trust);
    }
  }
}

}  // namespace devpick
