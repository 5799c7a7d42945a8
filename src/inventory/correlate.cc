// Correlation: observations -> one record per physical device (DESIGN.md "Inventory").
//
// Order of work: (1) PCI functions that are compute devices become devices, classified from PCI
// facts; (2) each runtime observation is matched to a device by PCI address, then UUID, then a
// unique (vendor, device id) pair, and adds its binding and facts; runtime flags override
// PCI-derived kinds; (3) leftovers become devices of their own with a warning; (4) names, memory,
// compute and problems are chosen from the best source, which is recorded.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include "core/snapshot_json.h"  // HexId
#include "core/text.h"
#include "devpick/inventory.h"
#include "devpick/pci_address.h"
#include "inventory/id_tables.h"
#include "inventory/pci_ids.h"
#include "inventory/throughput.h"

namespace devpick {
namespace {

constexpr std::uint32_t kVendorNvidia = 0x10de;
constexpr std::uint32_t kVendorAmd = 0x1002;
constexpr std::uint32_t kVendorAmdCpu = 0x1022;
constexpr std::uint32_t kVendorIntel = 0x8086;

// A device being assembled, with the facts each source offered, best first when chosen.
struct Draft {
  Device device;
  std::optional<PciAddress> address;
  const PciFunction* pci = nullptr;
  // Kind from a runtime's own flag (strongest signal), with its source.
  std::optional<DeviceKind> runtime_kind;
  std::string runtime_kind_source;
  // Candidate names and memory figures in order of trust.
  std::vector<std::pair<std::string, std::string>> names;  // (name, source)
  std::optional<std::uint64_t> dedicated_bytes;
  std::string dedicated_source;
  std::optional<std::uint64_t> free_bytes;
  std::optional<std::uint64_t> shared_bytes;
  std::string shared_source;
  std::optional<std::string> compute_capability;
};

bool IsComputeClass(std::uint32_t class_code) {
  std::uint32_t base = class_code >> 16;
  std::uint32_t sub = (class_code >> 8) & 0xff;
  if (base == 0x03) return true;
  if (base == 0x12) return class_code != 0x120100;  // SDXI is a data mover, not a compute device
  return base == 0x11 && sub == 0x80;               // AMD XDNA NPUs
}

std::string Hex4(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04x", value);
  return buffer;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

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

bool SameUuid(std::string_view a, std::string_view b) {
  auto normalize = [](std::string_view s) {
    std::string out;
    if (s.substr(0, 4) == "GPU-") s.remove_prefix(4);
    for (char c : s) {
      if (c != '-') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
  };
  std::string na = normalize(a);
  return !na.empty() && na == normalize(b);
}

class Correlator {
 public:
  Correlator(const Observations& observations, const PciIds* pci_names)
      : obs_(observations), pci_names_(pci_names) {}

  Inventory Run() {
    inventory_.host = obs_.host;
    inventory_.env = obs_.env;
    AddPciDevices();
    AddNvml();
    AddCuda();
    AddRocm();
    AddLevelZero();
    AddOpenCl();
    AddVulkan();
    AddOpenVino();
    AddDxgi();
    AddMetal();
    Finish();
    return std::move(inventory_);
  }

 private:
  // ----- (1) PCI functions -------------------------------------------------------------------

  void AddPciDevices() {
    for (const PciFunction& pci : obs_.pci) {
      std::optional<PciAddress> address = ParsePciAddress(pci.address);
      if (!address) {
        Warn("sysfs", "PCI function '" + pci.address + "' has an unparsable address; ignored");
        continue;
      }
      std::optional<std::uint32_t> vendor_id = pci.vendor;
      std::string vendor_source = "sysfs vendor";
      if (!vendor_id && pci.nvidia_procfs) {
        vendor_id = kVendorNvidia;
        vendor_source = "procfs /proc/driver/nvidia/gpus/" + pci.address;
      }
      bool compute_class = pci.class_code && IsComputeClass(*pci.class_code);
      bool has_nodes = !pci.drm.empty() || !pci.accel.empty();
      if (!compute_class && !has_nodes && !pci.nvidia_procfs) continue;
      if (pci.class_code && (*pci.class_code >> 16) == 0x06) continue;  // bridges are never GPUs
      std::string label = pci.address + " (" + (vendor_id ? Hex4(*vendor_id) : "????") + ":" +
                          (pci.device ? Hex4(*pci.device) : "????") +
                          (pci.driver ? ", driver " + *pci.driver : "") + ")";
      if ((pci.driver && IsExcludedDisplayDriver(*pci.driver)) ||
          (vendor_id && IsExcludedDisplayVendor(*vendor_id))) {
        Note("sysfs", label + ": BMC or virtual display, not a compute device");
        continue;
      }
      if (vendor_id == 0x1414u && pci.device == 0x008eu) {
        Note("sysfs", label +
                          ": WSL paravirtual GPU; the host GPU is identified only by the nvml/cuda "
                          "probes");
        continue;
      }
      Draft draft;
      draft.address = address;
      draft.pci = &pci;
      Device& d = draft.device;
      d.pci_address = address->ToString();
      d.vendor_id = vendor_id;
      d.device_id = pci.device;
      d.vendor = vendor_id ? VendorFromPciId(*vendor_id) : Vendor::kOther;
      d.driver.name = pci.driver;
      if (pci.driver && obs_.probes.sysfs) {
        auto it = obs_.probes.sysfs->module_versions.find(*pci.driver);
        if (it != obs_.probes.sysfs->module_versions.end()) d.driver.version = it->second;
      }
      if (vendor_source != "sysfs vendor") {
        Note("sysfs", pci.address + ": vendor NVIDIA inferred from " + vendor_source +
                          " (the sysfs vendor file was not readable)");
      }
      ClassifyFromPci(pci, vendor_id, &d);
      if (pci.nvidia_procfs) {
        if (pci.nvidia_procfs->model) draft.names.emplace_back(*pci.nvidia_procfs->model, "procfs");
        if (pci.nvidia_procfs->uuid) d.uuid = pci.nvidia_procfs->uuid;
      }
      if (pci.vram_bytes && *pci.vram_bytes > 0) {
        draft.dedicated_bytes = pci.vram_bytes;
        draft.dedicated_source =
            vendor_id == kVendorAmd ? "sysfs mem_info_vram_total" : "sysfs local-memory size";
      }
      drafts_.push_back(std::move(draft));
    }
  }

  void ClassifyFromPci(const PciFunction& pci, std::optional<std::uint32_t> vendor_id, Device* d) {
    std::uint32_t vendor = vendor_id.value_or(0);
    std::uint32_t device = pci.device.value_or(0);
    std::uint32_t base = pci.class_code ? *pci.class_code >> 16 : 0x03;
    // NPUs: accelerator classes with an NPU driver, an accel node, or a known NPU id.
    bool npu_driver = pci.driver && IsNpuDriver(*pci.driver);
    if (npu_driver || !pci.accel.empty() ||
        (vendor == kVendorIntel && IsIntelNpuDeviceId(device)) ||
        (vendor == kVendorAmdCpu && IsAmdXdnaDeviceId(device)) || base == 0x12 || base == 0x11) {
      d->kind = DeviceKind::kNpu;
      d->kind_source = npu_driver ? "pci: driver " + *pci.driver + " is an NPU driver"
                       : !pci.accel.empty()
                           ? "sysfs: has an accel node (" + pci.accel.front() + ")"
                           : "pci: processing-accelerator class " + Hex4(*pci.class_code >> 8);
      return;
    }
    if (vendor == kVendorIntel) {
      std::optional<PciAddress> address = ParsePciAddress(pci.address);
      if (address && address->domain == 0 && address->bus == 0 && address->device == 2) {
        d->kind = DeviceKind::kIgpu;
        d->kind_source = "pci: Intel display device at 00:02.x is the integrated GPU";
      } else if (IsIntelDiscreteGpu(device)) {
        d->kind = DeviceKind::kDgpu;
        d->kind_source =
            "pci: device id 0x" + Hex4(device) + " is in the Intel discrete GPU tables";
      } else {
        d->kind = DeviceKind::kIgpu;
        d->kind_source = "pci: Intel GPU outside the discrete tables";
      }
      return;
    }
    if (vendor == kVendorAmd) {
      if (pci.board_info == true) {
        d->kind = DeviceKind::kDgpu;
        d->kind_source = "sysfs: amdgpu board_info is present (hidden on APUs)";
      } else if (IsAmdApuDeviceId(device)) {
        d->kind = DeviceKind::kIgpu;
        d->kind_source = "pci: device id 0x" + Hex4(device) + " is in the AMD APU table";
      } else if (pci.vram_bytes && pci.gtt_bytes &&
                 LooksLikeAmdApuByMemory(*pci.vram_bytes, *pci.gtt_bytes)) {
        d->kind = DeviceKind::kIgpu;
        d->kind_source = "sysfs: small VRAM carve-out with large GTT (APU heuristic)";
      } else {
        d->kind = DeviceKind::kDgpu;
        d->kind_source = "pci: AMD GPU without an APU signal";
      }
      return;
    }
    d->kind = DeviceKind::kDgpu;
    d->kind_source = vendor == kVendorNvidia
                         ? "pci: NVIDIA GPUs are discrete unless CUDA says integrated"
                         : "pci: display controller";
  }

  // ----- (2) runtime observations ------------------------------------------------------------

  // The draft for a runtime device: by PCI address, then UUID, then a unique (vendor, device id).
  // An address that does not parse, or that belongs to another vendor's function, is not trusted
  // and says so: a runtime (or a snapshot) that names the wrong device must not move a binding.
  Draft* Match(std::string_view probe, const std::optional<std::string>& pci_address,
               const std::optional<std::string>& uuid, std::optional<std::uint32_t> vendor_id,
               std::optional<std::uint32_t> device_id) {
    if (pci_address) {
      if (auto address = ParsePciAddress(*pci_address)) {
        for (Draft& draft : drafts_) {
          if (draft.address != address) continue;
          if (vendor_id && draft.device.vendor_id && *draft.device.vendor_id != *vendor_id) {
            Warn(probe, "a device with vendor ID " + HexId(*vendor_id) + " reports PCI address " +
                            address->ToString() + ", where sysfs has a " +
                            HexId(*draft.device.vendor_id) +
                            " function; not matched by that address");
            break;
          }
          return &draft;
        }
      } else {
        Warn(probe, "PCI address \"" + ForMessage(*pci_address) +
                        "\" is not of the form dddd:bb:dd.f; matched by UUID or device ID instead");
      }
    }
    if (uuid) {
      for (Draft& draft : drafts_) {
        if (draft.device.uuid && SameUuid(*draft.device.uuid, *uuid)) return &draft;
      }
    }
    if (device_id) {
      Draft* found = nullptr;
      int count = 0;
      for (Draft& draft : drafts_) {
        if (draft.device.device_id == device_id &&
            (!vendor_id || draft.device.vendor_id == vendor_id)) {
          found = &draft;
          ++count;
        }
      }
      if (count == 1) return found;
    }
    return nullptr;
  }

  // A runtime device with no PCI counterpart becomes its own device, with a warning.
  Draft* Orphan(std::string_view probe, const std::string& what, DeviceKind kind,
                std::optional<std::uint32_t> vendor_id, const std::optional<std::string>& pci) {
    Draft draft;
    draft.device.kind = kind;
    draft.device.kind_source = std::string(probe) + ": device type";
    draft.device.vendor_id = vendor_id;
    draft.device.vendor = vendor_id ? VendorFromPciId(*vendor_id) : Vendor::kOther;
    if (pci) {
      draft.address = ParsePciAddress(*pci);
      // An address another vendor's function holds (Match warned) identifies nothing.
      for (const Draft& other : drafts_) {
        if (draft.address && other.address == draft.address) draft.address.reset();
      }
      if (draft.address) draft.device.pci_address = draft.address->ToString();
    }
    Warn(probe, what + " matches no PCI device; listed on its own");
    drafts_.push_back(std::move(draft));
    return &drafts_.back();
  }

  void SetRuntimeKind(Draft* draft, DeviceKind kind, std::string source) {
    if (draft->runtime_kind) return;  // the first (most trusted) runtime wins
    draft->runtime_kind = kind;
    draft->runtime_kind_source = std::move(source);
  }

  void AddNvml() {
    if (!obs_.probes.nvml) return;
    for (const NvmlDevice& n : obs_.probes.nvml->devices) {
      Draft* draft = Match("nvml", n.pci_address, n.uuid, kVendorNvidia, std::nullopt);
      if (draft == nullptr) {
        draft = Orphan("nvml", "nvml device " + std::to_string(n.index), DeviceKind::kDgpu,
                       kVendorNvidia, n.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "nvml", .index = n.index, .name = {}, .software = false});
      if (n.uuid) d.uuid = n.uuid;
      if (n.name) draft->names.emplace_back(*n.name, "nvml");
      if (n.memory_total_bytes && !draft->dedicated_bytes) {
        draft->dedicated_bytes = n.memory_total_bytes;
        draft->dedicated_source = "nvml";
      }
      if (n.memory_free_bytes) draft->free_bytes = n.memory_free_bytes;
      if (n.compute_capability) draft->compute_capability = n.compute_capability;
    }
  }

  void AddCuda() {
    if (!obs_.probes.cuda) return;
    for (const CudaDevice& c : obs_.probes.cuda->devices) {
      Draft* draft = Match("cuda", c.pci_address, c.uuid, kVendorNvidia, std::nullopt);
      if (draft == nullptr) {
        draft = Orphan("cuda", "cuda device " + std::to_string(c.ordinal), DeviceKind::kDgpu,
                       kVendorNvidia, c.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "cuda", .index = c.ordinal, .name = {}, .software = false});
      if (c.uuid) d.uuid = c.uuid;
      if (c.name) draft->names.insert(draft->names.begin(), {*c.name, "cuda"});
      if (c.integrated) {
        SetRuntimeKind(
            draft, *c.integrated ? DeviceKind::kIgpu : DeviceKind::kDgpu,
            std::string("cuda: CU_DEVICE_ATTRIBUTE_INTEGRATED = ") + (*c.integrated ? "1" : "0"));
      }
      if (c.memory_total_bytes && draft->dedicated_source != "nvml") {
        draft->dedicated_bytes = c.memory_total_bytes;
        draft->dedicated_source = "cuda";
      }
      if (c.compute_capability) draft->compute_capability = c.compute_capability;
      if (c.multiprocessors) SetCompute(draft, *c.multiprocessors, c.clock_mhz, "cuda");
    }
  }

  void AddRocm() {
    if (!obs_.probes.rocm) return;
    for (const RocmNode& n : obs_.probes.rocm->nodes) {
      Draft* draft = Match("rocm", n.pci_address, std::nullopt, kVendorAmd, n.device_id);
      if (draft == nullptr) {
        draft = Orphan("rocm", "KFD node " + std::to_string(n.node), DeviceKind::kDgpu, kVendorAmd,
                       n.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "rocm", .index = n.node, .name = {}, .software = false});
      d.gfx_target_version = n.gfx_target_version;
      // ROCm spells the KFD unique id "GPU-<16 hex digits>" (rocminfo, ROCR_VISIBLE_DEVICES).
      if (!d.uuid && n.unique_id && n.unique_id->rfind("0x", 0) == 0) {
        d.uuid = "GPU-" + n.unique_id->substr(2);
      }
      if (n.gfx_target_version) {
        d.compute.arch = GfxTargetName(*n.gfx_target_version);
        if (IsAmdApuGfxTarget(*n.gfx_target_version)) {
          SetRuntimeKind(draft, DeviceKind::kIgpu,
                         "rocm: gfx target " + *d.compute.arch + " is an APU");
        }
      }
      if (n.vram_bytes && *n.vram_bytes > 0 && !draft->dedicated_bytes) {
        draft->dedicated_bytes = n.vram_bytes;
        draft->dedicated_source = "rocm (KFD mem_banks)";
      }
      if (n.simd_count && n.simd_per_cu && *n.simd_per_cu > 0) {
        SetCompute(draft, *n.simd_count / *n.simd_per_cu, n.max_engine_clk_fcompute, "rocm");
      }
    }
  }

  void AddLevelZero() {
    if (!obs_.probes.level_zero) return;
    // Level Zero numbers devices across drivers in loader order: that flattened order is xpu:N.
    std::vector<const LevelZeroDevice*> ordered;
    for (const LevelZeroDevice& z : obs_.probes.level_zero->devices) ordered.push_back(&z);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
      return std::tie(a->driver, a->index) < std::tie(b->driver, b->index);
    });
    int gpu_ordinal = 0;
    for (const LevelZeroDevice* z : ordered) {
      if (z->type == "cpu") continue;  // a CPU device of a SYCL stack is not a GPU
      Draft* draft = Match("level_zero", z->pci_address, z->uuid, z->vendor_id, z->device_id);
      DeviceKind kind = z->type == "vpu"        ? DeviceKind::kNpu
                        : z->integrated == true ? DeviceKind::kIgpu
                                                : DeviceKind::kDgpu;
      if (draft == nullptr) {
        draft = Orphan(
            "level_zero",
            "Level Zero device " + std::to_string(z->driver) + "." + std::to_string(z->index), kind,
            z->vendor_id, z->pci_address);
      }
      Device& d = draft->device;
      int index = z->type == "gpu" ? gpu_ordinal++ : -1;
      d.bindings.push_back({.api = "level_zero",
                            .index = index >= 0 ? std::optional<int>(index) : std::nullopt,
                            .name = std::to_string(z->driver) + "/" + std::to_string(z->index),
                            .software = false});
      if (!d.uuid && z->uuid) d.uuid = z->uuid;
      if (z->name) draft->names.emplace_back(*z->name, "level_zero");
      if (z->type == "vpu") {
        SetRuntimeKind(draft, DeviceKind::kNpu, "level_zero: device type VPU");
      } else if (z->integrated) {
        SetRuntimeKind(draft, kind,
                       std::string("level_zero: ZE_DEVICE_PROPERTY_FLAG_INTEGRATED ") +
                           (*z->integrated ? "set" : "not set"));
      }
      if (z->memory_bytes) {
        if (kind == DeviceKind::kDgpu) {
          if (!draft->dedicated_bytes) {
            draft->dedicated_bytes = z->memory_bytes;
            draft->dedicated_source = "level_zero";
          }
        } else if (!draft->shared_bytes) {
          draft->shared_bytes = z->memory_bytes;
          draft->shared_source = "level_zero";
        }
      }
      if (z->eu_count) SetCompute(draft, *z->eu_count, z->clock_mhz, "level_zero");
    }
  }

  void AddOpenCl() {
    if (!obs_.probes.opencl) return;
    const auto& platforms = obs_.probes.opencl->platforms;
    for (std::size_t p = 0; p < platforms.size(); ++p) {
      for (const OpenClDevice& c : platforms[p].devices) {
        std::string name = std::to_string(p) + "/" + std::to_string(c.index);
        if (c.type == "cpu") {
          AddSoftwareBinding("opencl", std::nullopt, name, c.name);
          continue;
        }
        Draft* draft = Match("opencl", c.pci_address, std::nullopt, c.vendor_id, std::nullopt);
        if (draft == nullptr && !c.pci_address && c.vendor_id) {
          draft = MatchByName(c.vendor_id, c.name);
        }
        if (draft == nullptr) {
          draft = Orphan("opencl", "OpenCL device " + name, DeviceKind::kDgpu, c.vendor_id,
                         c.pci_address);
        }
        Device& d = draft->device;
        d.bindings.push_back({.api = "opencl", .index = {}, .name = name, .software = false});
        if (c.name) draft->names.emplace_back(*c.name, "opencl");
        if (c.type == "gpu" && c.host_unified_memory) {
          SetRuntimeKind(draft, *c.host_unified_memory ? DeviceKind::kIgpu : DeviceKind::kDgpu,
                         std::string("opencl: CL_DEVICE_HOST_UNIFIED_MEMORY = ") +
                             (*c.host_unified_memory ? "true" : "false"));
        }
        if (c.compute_units && !d.compute.units) {
          SetCompute(draft, *c.compute_units, c.clock_mhz, "opencl");
        }
      }
    }
  }

  void AddVulkan() {
    if (!obs_.probes.vulkan) return;
    for (const VulkanDevice& v : obs_.probes.vulkan->devices) {
      if (v.type == "cpu") {
        AddSoftwareBinding("vulkan", v.index, std::nullopt, v.name);
        continue;
      }
      Draft* draft = Match("vulkan", v.pci_address, v.uuid, v.vendor_id, v.device_id);
      if (draft == nullptr) {
        DeviceKind kind = v.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu;
        draft = Orphan("vulkan", "Vulkan device " + std::to_string(v.index), kind, v.vendor_id,
                       v.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "vulkan", .index = v.index, .name = {}, .software = false});
      if (v.name) draft->names.emplace_back(*v.name, "vulkan");
      if (v.type == "integrated" || v.type == "discrete") {
        SetRuntimeKind(draft, v.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu,
                       "vulkan: VkPhysicalDeviceType " + v.type);
      }
      if (v.device_local_bytes && *v.device_local_bytes > 0 && v.type == "discrete" &&
          !draft->dedicated_bytes) {
        draft->dedicated_bytes = v.device_local_bytes;
        draft->dedicated_source = "vulkan (device-local heaps)";
      }
    }
  }

  void AddOpenVino() {
    if (!obs_.probes.openvino) return;
    for (const OpenVinoDevice& o : obs_.probes.openvino->devices) {
      if (o.name == "CPU") {
        AddSoftwareBinding("openvino", std::nullopt, o.name, std::nullopt, /*software=*/false);
        continue;
      }
      bool is_npu = o.name.rfind("NPU", 0) == 0;
      Draft* draft = Match("openvino", o.pci_address, o.uuid, kVendorIntel, o.device_id);
      if (draft == nullptr && is_npu) draft = OnlyOfKind(DeviceKind::kNpu);
      if (draft == nullptr) {
        if (o.name.rfind("GPU", 0) != 0 && !is_npu) continue;  // a plugin devpick does not model
        draft = Orphan("openvino", "OpenVINO device " + o.name,
                       is_npu                                               ? DeviceKind::kNpu
                       : o.type == std::optional<std::string>("integrated") ? DeviceKind::kIgpu
                                                                            : DeviceKind::kDgpu,
                       kVendorIntel, o.pci_address);
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "openvino", .index = {}, .name = o.name, .software = false});
      if (o.full_name) draft->names.emplace_back(StripOpenVinoSuffix(*o.full_name), "openvino");
      if (o.type && !is_npu) {
        SetRuntimeKind(draft, *o.type == "integrated" ? DeviceKind::kIgpu : DeviceKind::kDgpu,
                       "openvino: DEVICE_TYPE " + *o.type);
      }
      ApplyCapabilities(o.capabilities, &d.capabilities);
    }
  }

  void AddDxgi() {
    if (!obs_.probes.dxgi) return;
    for (const DxgiAdapter& a : obs_.probes.dxgi->adapters) {
      if (a.software) {
        AddSoftwareBinding("dxgi", a.index, std::nullopt, a.name);
        continue;
      }
      Draft* draft = Match("dxgi", std::nullopt, std::nullopt, a.vendor_id, a.device_id);
      if (draft == nullptr) {
        // Without PCI sysfs (Windows), adapters are the devices (DESIGN.md rule 5).
        Draft fresh;
        Device& d = fresh.device;
        d.vendor_id = a.vendor_id;
        d.device_id = a.device_id;
        d.vendor = a.vendor_id ? VendorFromPciId(*a.vendor_id) : Vendor::kOther;
        bool intel_integrated =
            a.vendor_id == kVendorIntel && !(a.device_id && IsIntelDiscreteGpu(*a.device_id));
        bool shared_only = a.dedicated_video_memory_bytes.value_or(0) < (std::uint64_t{512} << 20);
        d.kind = intel_integrated || shared_only ? DeviceKind::kIgpu : DeviceKind::kDgpu;
        d.kind_source = intel_integrated ? "dxgi: Intel adapter outside the discrete tables"
                        : shared_only    ? "dxgi: little dedicated video memory"
                                         : "dxgi: dedicated video memory";
        drafts_.push_back(std::move(fresh));
        draft = &drafts_.back();
      }
      Device& d = draft->device;
      d.bindings.push_back({.api = "dxgi", .index = a.index, .name = {}, .software = false});
      if (a.name) draft->names.emplace_back(*a.name, "dxgi");
      if (a.dedicated_video_memory_bytes && *a.dedicated_video_memory_bytes > 0 &&
          !draft->dedicated_bytes) {
        draft->dedicated_bytes = a.dedicated_video_memory_bytes;
        draft->dedicated_source = "dxgi DedicatedVideoMemory";
      }
      if (a.shared_system_memory_bytes) {
        draft->shared_bytes = a.shared_system_memory_bytes;
        draft->shared_source = "dxgi SharedSystemMemory";
      }
    }
  }

  void AddMetal() {
    if (!obs_.probes.metal) return;
    for (const MetalDevice& m : obs_.probes.metal->devices) {
      Draft fresh;
      Device& d = fresh.device;
      d.vendor = Vendor::kApple;
      d.kind = m.removable == true ? DeviceKind::kDgpu : DeviceKind::kIgpu;
      d.kind_source =
          m.removable == true ? "metal: removable GPU" : "metal: Apple GPUs share unified memory";
      d.bindings.push_back({.api = "metal", .index = m.index, .name = {}, .software = false});
      if (m.name) fresh.names.emplace_back(*m.name, "metal");
      if (m.recommended_max_working_set_bytes) {
        fresh.shared_bytes = m.recommended_max_working_set_bytes;
        fresh.shared_source = "metal recommendedMaxWorkingSetSize";
      }
      drafts_.push_back(std::move(fresh));
    }
  }

  Draft* MatchByName(std::optional<std::uint32_t> vendor_id,
                     const std::optional<std::string>& name) {
    if (!name) return nullptr;
    Draft* found = nullptr;
    for (Draft& draft : drafts_) {
      if (draft.device.vendor_id != vendor_id) continue;
      for (const auto& [other, source] : draft.names) {
        if (other == *name) {
          if (found != nullptr && found != &draft) return nullptr;  // ambiguous
          found = &draft;
        }
      }
    }
    return found;
  }

  Draft* OnlyOfKind(DeviceKind kind) {
    Draft* found = nullptr;
    for (Draft& draft : drafts_) {
      if (draft.device.kind != kind) continue;
      if (found != nullptr) return nullptr;
      found = &draft;
    }
    return found;
  }

  void AddSoftwareBinding(std::string_view api, std::optional<int> index,
                          std::optional<std::string> name, const std::optional<std::string>& label,
                          bool software = true) {
    cpu_bindings_.push_back(
        {.api = std::string(api), .index = index, .name = std::move(name), .software = software});
    if (label && software) software_names_.push_back(std::string(api) + ": " + *label);
  }

  void SetCompute(Draft* draft, int units, std::optional<int> clock_mhz, std::string_view source) {
    ComputeInfo& c = draft->device.compute;
    if (c.units && c.source != std::string(source)) return;  // the first runtime wins
    c.units = units;
    c.clock_mhz = clock_mhz;
    c.source = std::string(source);
  }

  static void ApplyCapabilities(const std::vector<std::string>& caps, Capabilities* out) {
    auto has = [&](std::string_view cap) {
      return std::find(caps.begin(), caps.end(), cap) != caps.end();
    };
    if (caps.empty()) return;
    out->fp16 = has("FP16");
    out->bf16 = has("BF16");
    out->int8 = has("INT8");
  }

  // ----- (4) names, memory, compute, problems ------------------------------------------------

  void Finish() {
    std::stable_sort(drafts_.begin(), drafts_.end(), [](const Draft& a, const Draft& b) {
      if (a.address && b.address) return *a.address < *b.address;
      return a.address.has_value() && !b.address.has_value();
    });
    int gpu = 0;
    int npu = 0;
    inventory_.devices.push_back(MakeCpu());
    for (Draft& draft : drafts_) {
      Device& d = draft.device;
      if (draft.runtime_kind) {
        if (*draft.runtime_kind != d.kind && !d.kind_source.empty()) {
          Note("correlate",
               Label(draft) + ": " + draft.runtime_kind_source + " overrides " + d.kind_source);
        }
        d.kind = *draft.runtime_kind;
        d.kind_source = draft.runtime_kind_source;
      }
      d.id = d.kind == DeviceKind::kNpu ? "npu" + std::to_string(npu++)
                                        : "gpu" + std::to_string(gpu++);
      ChooseName(&draft);
      ChooseMemory(&draft);
      ChooseCompute(&draft);
      CheckProblems(&draft);
      inventory_.devices.push_back(std::move(d));
    }
    AddDiagnostics();
  }

  std::string Label(const Draft& draft) const {
    return draft.device.pci_address.value_or(draft.device.name.empty() ? "device"
                                                                       : draft.device.name);
  }

  Device MakeCpu() {
    const CpuObservation& cpu = obs_.cpu;
    Device d;
    d.id = "cpu";
    d.kind = DeviceKind::kCpu;
    d.kind_source = "host CPU";
    if (cpu.vendor == "GenuineIntel") {
      d.vendor = Vendor::kIntel;
      d.vendor_id = kVendorIntel;
    } else if (cpu.vendor == "AuthenticAMD") {
      d.vendor = Vendor::kAmd;
      d.vendor_id = kVendorAmdCpu;
    } else if (cpu.vendor == "Apple") {
      d.vendor = Vendor::kApple;
    } else if (cpu.vendor == "Qualcomm") {
      d.vendor = Vendor::kQualcomm;
    }
    d.name = cpu.model ? Trim(*cpu.model) : std::string("CPU");
    d.name_source = cpu.model ? "cpu: /proc/cpuinfo" : "none";
    d.memory.shared_with_host = true;
    d.memory.total_bytes = cpu.memory_bytes;
    d.memory.source = cpu.memory_bytes ? "/proc/meminfo MemTotal" : "";
    if (cpu.cgroup_memory_limit_bytes &&
        (!cpu.memory_bytes || *cpu.cgroup_memory_limit_bytes < *cpu.memory_bytes)) {
      d.memory.total_bytes = cpu.cgroup_memory_limit_bytes;
      d.memory.source = "cgroup memory limit";
    }
    d.compute.units = cpu.threads;
    d.compute.source = cpu.threads ? "cpu: online logical CPUs" : "";
    if (cpu.cgroup_cpu_limit && cpu.threads && *cpu.cgroup_cpu_limit < *cpu.threads) {
      d.compute.units = static_cast<int>(*cpu.cgroup_cpu_limit + 0.999);
      d.compute.source = "cgroup CPU quota";
    }
    if (cpu.max_mhz) d.compute.clock_mhz = static_cast<int>(*cpu.max_mhz);
    if (auto estimate = EstimateCpuThroughput(cpu)) {
      d.compute.est_fp32_tflops = estimate->fp32_tflops;
      d.compute.est_fp16_tflops = estimate->fp16_tflops;
    }
    auto has = [&](std::string_view flag) {
      return std::find(cpu.flags.begin(), cpu.flags.end(), flag) != cpu.flags.end();
    };
    if (!cpu.flags.empty()) {
      d.capabilities.fp16 = has("avx512_fp16") || has("f16c") || has("fphp") || has("asimdhp");
      d.capabilities.bf16 = has("avx512_bf16") || has("amx_bf16") || has("bf16");
      d.capabilities.int8 =
          has("avx_vnni") || has("avx512_vnni") || has("amx_int8") || has("asimddp") || has("i8mm");
    }
    d.bindings = cpu_bindings_;
    return d;
  }

  void ChooseName(Draft* draft) {
    Device& d = draft->device;
    if (!draft->names.empty()) {
      d.name = Trim(draft->names.front().first);
      d.name_source = draft->names.front().second;
      if (!d.name.empty()) return;
    }
    if (d.vendor_id && d.device_id) {
      if (pci_names_ != nullptr) {
        if (auto name = pci_names_->MarketingName(*d.vendor_id, *d.device_id)) {
          d.name = *name;
          d.name_source = "pci.ids";
          return;
        }
      }
      if (auto name = BuiltinGpuName(*d.vendor_id, *d.device_id)) {
        d.name = *name;
        d.name_source = "devpick built-in ID table";
        return;
      }
    }
    d.name = std::string(d.vendor == Vendor::kOther ? "unknown" : ToString(d.vendor)) + " device " +
             (d.vendor_id ? Hex4(*d.vendor_id) : "????") + ":" +
             (d.device_id ? Hex4(*d.device_id) : "????");
    d.name_source = "PCI IDs";
  }

  void ChooseMemory(Draft* draft) {
    Device& d = draft->device;
    MemoryInfo& m = d.memory;
    if (d.kind == DeviceKind::kDgpu) {
      m.total_bytes = draft->dedicated_bytes;
      m.free_bytes = draft->free_bytes;
      m.source = draft->dedicated_source;
      return;
    }
    // Integrated GPUs and NPUs use host memory; the runtime's figure is what it lets them use.
    m.shared_with_host = true;
    if (draft->shared_bytes) {
      m.total_bytes = draft->shared_bytes;
      m.source = draft->shared_source;
    } else if (obs_.cpu.memory_bytes) {
      m.total_bytes = obs_.cpu.memory_bytes;
      m.source = "host memory (/proc/meminfo)";
    }
  }

  void ChooseCompute(Draft* draft) {
    Device& d = draft->device;
    ComputeInfo& c = d.compute;
    if (!c.arch) {
      if (draft->compute_capability) {
        c.arch = NvidiaArch(*draft->compute_capability);
      } else if (d.vendor == Vendor::kIntel && d.device_id && d.kind != DeviceKind::kNpu) {
        if (auto arch = IntelGpuArch(*d.device_id)) c.arch = std::string(*arch);
      }
    }
    if (c.arch && c.units && c.clock_mhz) {
      if (auto estimate = EstimateThroughput(d.vendor, *c.arch, *c.units, *c.clock_mhz)) {
        c.est_fp32_tflops = estimate->fp32_tflops;
        c.est_fp16_tflops = estimate->fp16_tflops;
        c.source += " + " + estimate->source;
      }
    }
  }

  void CheckProblems(Draft* draft) {
    Device& d = draft->device;
    const PciFunction* pci = draft->pci;
    if (pci == nullptr) return;
    auto problem = [&](std::string code, std::string message, std::string remedy, bool blocking) {
      d.problems.push_back({std::move(code), std::move(message), std::move(remedy)});
      if (blocking) d.usable = false;
    };
    if (!pci->driver) {
      problem("no_driver", "no kernel driver is bound to " + *d.pci_address,
              d.vendor == Vendor::kNvidia  ? "install the NVIDIA driver (nvidia kernel module)"
              : d.vendor == Vendor::kAmd   ? "load the amdgpu kernel module"
              : d.kind == DeviceKind::kNpu ? "load the NPU kernel driver (intel_vpu or amdxdna)"
                                           : "load the GPU kernel driver (i915 or xe)",
              true);
    } else if (*pci->driver == "vfio-pci" || *pci->driver == "pci-stub") {
      problem("passthrough", "bound to " + *pci->driver + ", reserved for a virtual machine",
              "unbind it from " + *pci->driver + " to use it on this host", true);
    } else if (*pci->driver == "nouveau") {
      problem("no_compute_driver", "bound to nouveau, which cannot run CUDA",
              "install the NVIDIA driver and blacklist nouveau", false);
    } else if (*pci->driver == "radeon") {
      problem("no_compute_driver", "bound to the legacy radeon driver (no ROCm/KFD)",
              "use amdgpu if the GPU supports it", false);
    }
    if (pci->render_node_accessible == false) {
      std::string node =
          !pci->accel.empty() ? "/dev/accel/" + pci->accel.front() : "its render node";
      for (const std::string& name : pci->drm) {
        if (name.rfind("renderD", 0) == 0) node = "/dev/dri/" + name;
      }
      problem("render_node_denied", "this user cannot open " + node,
              "add the user to the 'render' group (sudo usermod -aG render $USER) and log in again",
              true);
    }
  }

  void AddDiagnostics() {
    auto add = [&](std::string_view probe, const ProbeHeader* header) {
      if (header == nullptr) return;
      inventory_.probe_status[std::string(probe)] = header->status;
      inventory_.diagnostics.push_back(
          {std::string(probe), header->status, header->detail.value_or(""), "status"});
      for (const std::string& warning : header->warnings) {
        inventory_.diagnostics.push_back({std::string(probe), header->status, warning, "warning"});
      }
    };
    const ProbeObservations& p = obs_.probes;
    add("sysfs", p.sysfs ? &*p.sysfs : nullptr);
    add("cpu", p.cpu ? &*p.cpu : nullptr);
    add("rocm", p.rocm ? &*p.rocm : nullptr);
    add("nvml", p.nvml ? &*p.nvml : nullptr);
    add("cuda", p.cuda ? &*p.cuda : nullptr);
    add("level_zero", p.level_zero ? &*p.level_zero : nullptr);
    add("opencl", p.opencl ? &*p.opencl : nullptr);
    add("vulkan", p.vulkan ? &*p.vulkan : nullptr);
    add("openvino", p.openvino ? &*p.openvino : nullptr);
    add("dxgi", p.dxgi ? &*p.dxgi : nullptr);
    add("metal", p.metal ? &*p.metal : nullptr);
    for (const std::string& name : software_names_) {
      notes_.push_back(
          {"correlate", "software device " + name + " is a binding of the cpu device", "note"});
    }
    for (auto& [probe, text, level] : notes_) {
      inventory_.diagnostics.push_back({probe, ProbeStatus::kOk, std::move(text), level});
    }
  }

  void Warn(std::string_view probe, std::string text) {
    notes_.push_back({std::string(probe), std::move(text), "warning"});
  }
  void Note(std::string_view probe, std::string text) {
    notes_.push_back({std::string(probe), std::move(text), "note"});
  }

  const Observations& obs_;
  const PciIds* pci_names_;
  Inventory inventory_;
  std::vector<Draft> drafts_;
  std::vector<Binding> cpu_bindings_;
  std::vector<std::string> software_names_;
  struct PendingNote {
    std::string probe, text, level;
  };
  std::vector<PendingNote> notes_;
};

}  // namespace

Inventory Correlate(const Observations& observations, const PciIds* pci_names) {
  return Correlator(observations, pci_names).Run();
}

}  // namespace devpick
