// Correlation steps of the vendors' own runtimes (NVML, CUDA, ROCm's KFD, Level Zero, OpenVINO):
// they know their devices best, so their names, kinds and memory figures rank high.
#include <algorithm>

#include "inventory/classify.h"
#include "inventory/correlation_steps.h"
#include "inventory/id_tables.h"

namespace devpick {
namespace {

// OpenVINO's GPU plugin appends " (iGPU)" / " (dGPU)" to the driver's name.
std::string StripOpenVinoSuffix(std::string name) {
  for (std::string_view suffix : {" (iGPU)", " (dGPU)"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.erase(name.size() - suffix.size());
    }
  }
  return name;
}

void ApplyCapabilities(const std::vector<std::string>& caps, Capabilities* out) {
  auto has = [&](std::string_view cap) {
    return std::find(caps.begin(), caps.end(), cap) != caps.end();
  };
  if (caps.empty()) return;
  out->fp16 = has("FP16");
  out->bf16 = has("BF16");
  out->int8 = has("INT8");
}

}  // namespace

void CorrelateNvml(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.nvml;
  if (!observation) return;
  const std::string api(probe.name);
  for (const NvmlDevice& n : observation->devices) {
    Draft* draft = correlation->Bind(api,
                                     {.pci_address = n.pci_address,
                                      .uuid = n.uuid,
                                      .vendor_id = kVendorNvidia,
                                      .device_id = std::nullopt,
                                      .what = api + " device " + std::to_string(n.index),
                                      .kind = DeviceKind::kDgpu},
                                     {.api = api, .index = n.index, .name = {}, .software = false});
    Device& d = draft->device;
    if (n.uuid) d.uuid = n.uuid;
    if (n.name) draft->names.emplace_back(*n.name, api);
    if (n.memory_total_bytes) {
      Correlation::OfferDedicatedBytes(draft, *n.memory_total_bytes, api, probe.trust);
    }
    if (n.memory_free_bytes) draft->free_bytes = n.memory_free_bytes;
    if (n.compute_capability) draft->compute_capability = n.compute_capability;
  }
}

void CorrelateCuda(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.cuda;
  if (!observation) return;
  const std::string api(probe.name);
  for (const CudaDevice& c : observation->devices) {
    Draft* draft =
        correlation->Bind(api,
                          {.pci_address = c.pci_address,
                           .uuid = c.uuid,
                           .vendor_id = kVendorNvidia,
                           .device_id = std::nullopt,
                           .what = api + " device " + std::to_string(c.ordinal),
                           .kind = DeviceKind::kDgpu},
                          {.api = api, .index = c.ordinal, .name = {}, .software = false});
    Device& d = draft->device;
    if (c.uuid) d.uuid = c.uuid;
    // CUDA's name is what CUDA programs print: it goes first.
    if (c.name) draft->names.insert(draft->names.begin(), {*c.name, api});
    if (c.integrated) {
      Correlation::SetRuntimeKind(
          draft, *c.integrated ? DeviceKind::kIgpu : DeviceKind::kDgpu,
          api + ": CU_DEVICE_ATTRIBUTE_INTEGRATED = " + (*c.integrated ? "1" : "0"));
    }
    if (c.memory_total_bytes) {
      Correlation::OfferDedicatedBytes(draft, *c.memory_total_bytes, api, probe.trust,
                                       /*replaces=*/true);
    }
    if (c.compute_capability) draft->compute_capability = c.compute_capability;
    if (c.multiprocessors)
      Correlation::SetCompute(draft, *c.multiprocessors, c.clock_mhz, api, probe.trust);
  }
}

void CorrelateRocm(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.rocm;
  if (!observation) return;
  const std::string api(probe.name);
  for (const RocmNode& n : observation->nodes) {
    Draft* draft = correlation->Bind(api,
                                     {.pci_address = n.pci_address,
                                      .uuid = std::nullopt,
                                      .vendor_id = kVendorAmd,
                                      .device_id = n.device_id,
                                      .what = "KFD node " + std::to_string(n.node),
                                      .kind = DeviceKind::kDgpu},
                                     {.api = api, .index = n.node, .name = {}, .software = false});
    Device& d = draft->device;
    d.gfx_target_version = n.gfx_target_version;
    // ROCm spells the KFD unique id "GPU-<16 hex digits>" (rocminfo, ROCR_VISIBLE_DEVICES).
    if (!d.uuid && n.unique_id && n.unique_id->rfind("0x", 0) == 0) {
      d.uuid = "GPU-" + n.unique_id->substr(2);
    }
    if (n.gfx_target_version) {
      d.compute.arch = GfxTargetName(*n.gfx_target_version);
      if (IsAmdApuGfxTarget(*n.gfx_target_version)) {
        Correlation::SetRuntimeKind(draft, DeviceKind::kIgpu,
                                    api + ": gfx target " + *d.compute.arch + " is an APU");
      }
    }
    if (n.vram_bytes && *n.vram_bytes > 0) {
      Correlation::OfferDedicatedBytes(draft, *n.vram_bytes, api + " (KFD mem_banks)", probe.trust);
    }
    if (n.simd_count && n.simd_per_cu && *n.simd_per_cu > 0) {
      Correlation::SetCompute(draft, *n.simd_count / *n.simd_per_cu, n.max_engine_clk_fcompute, api,
                              probe.trust);
    }
  }
}

void CorrelateLevelZero(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.level_zero;
  if (!observation) return;
  const std::string api(probe.name);
  // Level Zero numbers devices across drivers in loader order: that flattened order is xpu:N.
  std::vector<const LevelZeroDevice*> ordered;
  for (const LevelZeroDevice& z : observation->devices) ordered.push_back(&z);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->driver, a->index) < std::tie(b->driver, b->index);
  });
  int gpu_ordinal = 0;
  for (const LevelZeroDevice* z : ordered) {
    if (z->type == "cpu") continue;  // a CPU device of a SYCL stack is not a GPU
    DeviceKind kind = z->type == "vpu"        ? DeviceKind::kNpu
                      : z->integrated == true ? DeviceKind::kIgpu
                                              : DeviceKind::kDgpu;
    int index = z->type == "gpu" ? gpu_ordinal++ : -1;
    Draft* draft = correlation->Bind(
        api,
        {.pci_address = z->pci_address,
         .uuid = z->uuid,
         .vendor_id = z->vendor_id,
         .device_id = z->device_id,
         .what = "Level Zero device " + std::to_string(z->driver) + "." + std::to_string(z->index),
         .kind = kind},
        {.api = api,
         .index = index >= 0 ? std::optional<int>(index) : std::nullopt,
         .name = std::to_string(z->driver) + "/" + std::to_string(z->index),
         .software = false});
    Device& d = draft->device;
    if (!d.uuid && z->uuid) d.uuid = z->uuid;
    if (z->name) draft->names.emplace_back(*z->name, api);
    if (z->type == "vpu") {
      Correlation::SetRuntimeKind(draft, DeviceKind::kNpu, api + ": device type VPU");
    } else if (z->integrated) {
      Correlation::SetRuntimeKind(
          draft, kind,
          api + ": ZE_DEVICE_PROPERTY_FLAG_INTEGRATED " + (*z->integrated ? "set" : "not set"));
    }
    if (z->memory_bytes) {
      if (kind == DeviceKind::kDgpu) {
        Correlation::OfferDedicatedBytes(draft, *z->memory_bytes, api, probe.trust);
      } else if (!draft->shared_bytes) {
        draft->shared_bytes = z->memory_bytes;
        draft->shared_source = api;
      }
    }
    if (z->eu_count) Correlation::SetCompute(draft, *z->eu_count, z->clock_mhz, api, probe.trust);
  }
}

void CorrelateOpenVino(const ProbeDescriptor& probe, Correlation* correlation) {
  const auto& observation = correlation->observations().probes.openvino;
  if (!observation) return;
  const std::string api(probe.name);
  for (const OpenVinoDevice& o : observation->devices) {
    if (o.name == "CPU") {
      correlation->AddCpuBinding(api, std::nullopt, o.name, std::nullopt, /*software=*/false);
      continue;
    }
    bool is_npu = o.name.rfind("NPU", 0) == 0;
    Draft* draft = correlation->Match(api, o.pci_address, o.uuid, kVendorIntel, o.device_id);
    if (draft == nullptr && is_npu) draft = correlation->OnlyOfKind(DeviceKind::kNpu);
    if (draft == nullptr) {
      if (o.name.rfind("GPU", 0) != 0 && !is_npu) continue;  // a plugin devpick does not model
      draft = correlation->Orphan(api, "OpenVINO device " + o.name,
                                  is_npu ? DeviceKind::kNpu
                                  : o.type == std::optional<std::string>("integrated")
                                      ? DeviceKind::kIgpu
                                      : DeviceKind::kDgpu,
                                  kVendorIntel, o.pci_address);
    }
    Device& d = draft->device;
    d.bindings.push_back({.api = api, .index = {}, .name = o.name, .software = false});
    if (o.full_name) draft->names.emplace_back(StripOpenVinoSuffix(*o.full_name), api);
    if (o.type && !is_npu) {
      Correlation::SetRuntimeKind(draft,
                                  *o.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu,
                                  api + ": DEVICE_TYPE " + *o.type);
    }
    ApplyCapabilities(o.capabilities, &d.capabilities);
  }
}

}  // namespace devpick
