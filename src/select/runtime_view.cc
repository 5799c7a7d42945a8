#include "select/runtime_view.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "select/visibility.h"

namespace devpick {
namespace {

// ROCr's spelling of an AMD GPU's UUID: "GPU-" + the KFD unique_id in hex.
std::string RocrUuid(const Device& device) {
  if (!device.uuid || device.uuid->empty()) return "";
  if (device.uuid->rfind("GPU-", 0) == 0) return *device.uuid;
  std::string hex = *device.uuid;
  if (hex.rfind("0x", 0) == 0 || hex.rfind("0X", 0) == 0) hex.erase(0, 2);
  return "GPU-" + hex;
}

std::vector<std::string> UuidsOf(const std::vector<const Device*>& devices,
                                 std::function<std::string(const Device&)> uuid_of) {
  std::vector<std::string> out;
  for (const Device* device : devices) out.push_back(uuid_of(*device));
  return out;
}

// Records that `variable`=`value` left `after` of `before` devices, whether the runtime applied the
// mask or ApplyMask emulated it.
void RecordMask(const std::string& variable, const std::string& value,
                std::vector<std::string> notes, std::size_t before, std::size_t after,
                RuntimeView* view, std::string why_read = "") {
  view->mask = variable + "=" + value;
  view->masks.push_back({.variable = variable,
                         .value = value,
                         .why_read = std::move(why_read),
                         .notes = std::move(notes),
                         .before = before,
                         .after = after});
}

// The runtime was not queried, so its numbering is emulated in PCI bus order; `variable`=`value`
// makes the runtime (`runtime`, or `queried` as the message says what was not asked) number GPUs
// the same way, so the decision's environment sets it.
void FollowPciOrder(const BackendInfo& row, const Inventory& inventory, std::string_view queried,
                    std::string_view runtime, const std::string& variable, const std::string& value,
                    RuntimeView* view) {
  if (EnvVar(inventory, variable) != value) view->exact_env[variable] = value;
  view->warnings.push_back(std::string(row.torch_prefix) + ":N follows the PCI bus order because " +
                           std::string(queried) + " was not queried (" +
                           std::string(row.runtime_probe) + " probe " +
                           ProbeState(inventory, row.runtime_probe) + "); " + variable + "=" +
                           value + " makes " + std::string(runtime) + " number GPUs the same way");
}

// Marks devices of `list` not in `keep` (positions) as hidden by `variable`=`value`, records the
// effect, and returns the kept devices in their new order.
std::vector<const Device*> ApplyMask(const std::vector<const Device*>& list,
                                     const VisibleList& keep, const std::string& variable,
                                     const std::string& value, RuntimeView* view,
                                     std::string why_read = "") {
  std::vector<const Device*> kept;
  for (int index : keep.indices) kept.push_back(list[static_cast<std::size_t>(index)]);
  for (const Device* device : list) {
    if (std::find(kept.begin(), kept.end(), device) == kept.end()) {
      view->hidden[device] = Reject("hidden_by_env", "hidden by " + variable + "=" + value);
    }
  }
  for (const std::string& note : keep.notes) view->warnings.push_back(note);
  RecordMask(variable, value, keep.notes, list.size(), kept.size(), view, std::move(why_read));
  return kept;
}

void Number(const std::vector<const Device*>& visible, RuntimeView* view) {
  for (std::size_t i = 0; i < visible.size(); ++i) view->ordinal[visible[i]] = static_cast<int>(i);
}

std::vector<const Device*> RuntimeOrdered(const std::vector<const Device*>& base,
                                          std::string_view api, const Verdict& missing,
                                          RuntimeView* view) {
  std::vector<const Device*> list;
  for (const Device* device : base) {
    const Binding* binding = device->FindBinding(api);
    if (binding != nullptr && binding->index) {
      list.push_back(device);
    } else {
      view->hidden[device] = missing;
    }
  }
  std::stable_sort(list.begin(), list.end(), [&](const Device* a, const Device* b) {
    return *a->FindBinding(api)->index < *b->FindBinding(api)->index;
  });
  return list;
}

RuntimeView CudaView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  std::vector<const Device*> base = Drivable(row, inventory);
  std::optional<std::string> mask = EnvVar(inventory, "CUDA_VISIBLE_DEVICES");
  bool by_pci_order = !ProbeOk(inventory, row.runtime_probe);
  if (!by_pci_order) {
    Verdict missing =
        mask ? Reject("hidden_by_env", "hidden by CUDA_VISIBLE_DEVICES=" + *mask)
             : Reject("not_seen_by_runtime", "the CUDA driver did not report this GPU");
    std::vector<const Device*> visible = RuntimeOrdered(base, row.runtime_probe, missing, &view);
    Number(visible, &view);
    if (mask) {
      // The driver applied the mask; its notes say which entries it stopped at.
      VisibleList emulated = ApplyCudaVisibleDevices(
          *mask, UuidsOf(base, [](const Device& d) { return d.uuid.value_or(""); }));
      RecordMask("CUDA_VISIBLE_DEVICES", *mask, emulated.notes, base.size(), visible.size(), &view);
    }
  } else {
    std::vector<const Device*> visible = base;
    if (mask) {
      VisibleList keep = ApplyCudaVisibleDevices(
          *mask, UuidsOf(base, [](const Device& d) { return d.uuid.value_or(""); }));
      visible = ApplyMask(base, keep, "CUDA_VISIBLE_DEVICES", *mask, &view);
    }
    Number(visible, &view);
    FollowPciOrder(row, inventory, "the CUDA driver", "CUDA", "CUDA_DEVICE_ORDER", "PCI_BUS_ID",
                   &view);
  }
  for (std::size_t i = 0; i < base.size(); ++i) {
    auto& env = view.isolate_env[base[i]];
    // A UUID names the GPU whatever the order and the current mask; an index needs PCI order.
    if (base[i]->uuid) {
      env["CUDA_VISIBLE_DEVICES"] = *base[i]->uuid;
    } else {
      env["CUDA_VISIBLE_DEVICES"] = std::to_string(i);
      env["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
    }
  }
  return view;
}

RuntimeView RocmView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  std::vector<const Device*> base = Drivable(row, inventory);
  std::vector<const Device*> nodes = base;
  if (ProbeOk(inventory, row.runtime_probe)) {
    nodes = RuntimeOrdered(base, row.runtime_probe,
                           Reject("not_seen_by_runtime",
                                  "not in the KFD topology, so ROCm cannot see it (is /dev/kfd "
                                  "available?)"),
                           &view);
  } else {
    view.warnings.push_back(std::string(row.torch_prefix) +
                            ":N assumes KFD numbers GPUs in PCI bus order because the KFD "
                            "topology was not read (" +
                            std::string(row.runtime_probe) + " probe " +
                            ProbeState(inventory, row.runtime_probe) + ")");
  }
  std::vector<const Device*> visible = nodes;
  std::optional<std::string> rocr = EnvVar(inventory, "ROCR_VISIBLE_DEVICES");
  if (rocr) {
    visible = ApplyMask(nodes, ApplyRocrVisibleDevices(*rocr, UuidsOf(nodes, RocrUuid)),
                        "ROCR_VISIBLE_DEVICES", *rocr, &view);
  }
  // HIP reads CUDA_VISIBLE_DEVICES when HIP_VISIBLE_DEVICES is unset or empty.
  std::string hip_var = "HIP_VISIBLE_DEVICES";
  std::optional<std::string> hip = EnvVar(inventory, hip_var);
  if (!hip || hip->empty()) {
    std::optional<std::string> cuda = EnvVar(inventory, "CUDA_VISIBLE_DEVICES");
    if (cuda && !cuda->empty()) {
      hip = cuda;
      hip_var = "CUDA_VISIBLE_DEVICES";
    }
  }
  if (hip && !hip->empty()) {
    visible = ApplyMask(visible, ApplyHipVisibleDevices(*hip, UuidsOf(visible, RocrUuid)), hip_var,
                        *hip, &view,
                        hip_var == "CUDA_VISIBLE_DEVICES"
                            ? "HIP reads CUDA_VISIBLE_DEVICES when HIP_VISIBLE_DEVICES is unset"
                            : "");
  }
  if (rocr && EnvVar(inventory, "HIP_VISIBLE_DEVICES")) {
    view.warnings.push_back(
        "both HIP_VISIBLE_DEVICES and ROCR_VISIBLE_DEVICES are set: HIP applies its mask to the "
        "devices ROCr left, which is easy to get wrong; set only ROCR_VISIBLE_DEVICES");
  }
  Number(visible, &view);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::string uuid = RocrUuid(*nodes[i]);
    view.isolate_env[nodes[i]]["ROCR_VISIBLE_DEVICES"] = uuid.empty() ? std::to_string(i) : uuid;
  }
  return view;
}

RuntimeView LevelZeroView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  std::vector<const Device*> base = Drivable(row, inventory);
  std::optional<std::string> mask = EnvVar(inventory, "ZE_AFFINITY_MASK");
  std::vector<const Device*> list;
  bool emulated = !ProbeOk(inventory, row.runtime_probe);
  if (!emulated) {
    Verdict missing = mask ? Reject("hidden_by_env", "hidden by ZE_AFFINITY_MASK=" + *mask)
                           : Reject("not_seen_by_runtime",
                                    "Level Zero did not report this GPU (is the Intel compute "
                                    "runtime installed?)");
    list = RuntimeOrdered(base, row.runtime_probe, missing, &view);
    if (mask) RecordMask("ZE_AFFINITY_MASK", *mask, {}, base.size(), list.size(), &view);
  } else {
    list = base;
    if (mask) {
      list = ApplyMask(base, ApplyZeAffinityMask(*mask, static_cast<int>(base.size())),
                       "ZE_AFFINITY_MASK", *mask, &view);
    }
    FollowPciOrder(row, inventory, "Level Zero", "Level Zero", "ZE_ENABLE_PCI_ID_DEVICE_ORDER", "1",
                   &view);
  }
  std::vector<const Device*> visible = list;
  if (std::optional<std::string> selector = EnvVar(inventory, "ONEAPI_DEVICE_SELECTOR")) {
    Result<std::vector<OneApiFilter>> filters = ParseOneApiDeviceSelector(*selector);
    if (!filters.ok()) {
      for (const Device* device : list) {
        view.hidden[device] = Reject(
            "hidden_by_env", filters.status().message() + " (SYCL refuses to start with it)");
      }
      view.masks.push_back({.variable = "ONEAPI_DEVICE_SELECTOR",
                            .value = *selector,
                            .why_read = "",
                            .notes = {filters.status().message()},
                            .before = list.size(),
                            .after = 0});
      visible.clear();
    } else {
      visible = ApplyMask(list, ApplyOneApiDeviceSelector(*filters, static_cast<int>(list.size())),
                          "ONEAPI_DEVICE_SELECTOR", *selector, &view);
    }
  }
  Number(visible, &view);
  for (std::size_t i = 0; i < list.size(); ++i) {
    view.isolate_env[list[i]]["ONEAPI_DEVICE_SELECTOR"] = "level_zero:" + std::to_string(i);
  }
  return view;
}

// OpenVINO numbering without the runtime (research/specs.md §1.2): Intel iGPUs first, then Intel
// dGPUs in OpenCL order (platform, device), else PCI order; a lone GPU is "GPU".
RuntimeView OpenVinoView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  std::vector<const Device*> base = Drivable(row, inventory);
  auto name_ordinal = [&](const Device* device, const std::string& name) {
    view.name[device] = name;
    if (name == "GPU") view.ordinal[device] = 0;
    if (name.rfind("GPU.", 0) == 0 && name.size() > 4 &&
        std::all_of(name.begin() + 4, name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      view.ordinal[device] = std::stoi(name.substr(4));
    }
  };
  for (const Device& device : inventory.devices) {
    if (device.kind == DeviceKind::kCpu) view.name[&device] = "CPU";
  }
  if (ProbeOk(inventory, row.runtime_probe)) {
    for (const Device* device : base) {
      const Binding* binding = device->FindBinding(row.runtime_probe);
      if (binding != nullptr && binding->name) {
        name_ordinal(device, *binding->name);
      } else {
        view.hidden[device] = Reject("not_seen_by_runtime", "OpenVINO did not report this device");
      }
    }
    return view;
  }
  // Without its own probe, OpenVINO's GPU plugin orders dGPUs as its runtime (OpenCL) lists them.
  auto opencl_key = [&](const Device* device) -> std::optional<std::pair<int, int>> {
    const Binding* binding = device->FindBinding(row.gpu_runtime_probe);
    if (binding == nullptr || !binding->name) return std::nullopt;
    int platform = 0;
    int index = 0;
    if (std::sscanf(binding->name->c_str(), "%d/%d", &platform, &index) != 2) return std::nullopt;
    return std::make_pair(platform, index);
  };
  std::vector<const Device*> igpus, dgpus, npus;
  for (const Device* device : base) {
    (device->kind == DeviceKind::kIgpu   ? igpus
     : device->kind == DeviceKind::kDgpu ? dgpus
                                         : npus)
        .push_back(device);
  }
  if (std::all_of(dgpus.begin(), dgpus.end(), [&](const Device* d) { return opencl_key(d); })) {
    std::stable_sort(dgpus.begin(), dgpus.end(), [&](const Device* a, const Device* b) {
      return *opencl_key(a) < *opencl_key(b);
    });
  }
  std::vector<const Device*> gpus = igpus;
  gpus.insert(gpus.end(), dgpus.begin(), dgpus.end());
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    name_ordinal(gpus[i], gpus.size() == 1 ? "GPU" : "GPU." + std::to_string(i));
  }
  for (std::size_t i = 0; i < npus.size(); ++i) {
    view.name[npus[i]] = npus.size() == 1 ? "NPU" : "NPU." + std::to_string(i);
  }
  if (!gpus.empty()) {
    view.warnings.push_back("OpenVINO names are emulated (" + std::string(row.runtime_probe) +
                            " probe " + ProbeState(inventory, row.runtime_probe) +
                            "): Intel integrated GPU first as GPU.0, then discrete GPUs");
  }
  return view;
}

RuntimeView BindingIndexView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  for (const Device* device : Drivable(row, inventory)) {
    const Binding* binding = device->FindBinding(row.required_binding);
    if (binding != nullptr && binding->index) view.ordinal[device] = *binding->index;
  }
  return view;
}

RuntimeView SingleDeviceView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  for (const Device* device : Drivable(row, inventory)) view.ordinal[device] = 0;
  return view;
}

// The view builder of each index source: a table, so a new source is one row.
using ViewBuilder = RuntimeView (*)(const BackendInfo&, const Inventory&);
constexpr std::pair<IndexSource, ViewBuilder> kViewBuilders[] = {
    {IndexSource::kNone, SingleDeviceView},   {IndexSource::kCuda, CudaView},
    {IndexSource::kRocm, RocmView},           {IndexSource::kLevelZero, LevelZeroView},
    {IndexSource::kOpenVino, OpenVinoView},   {IndexSource::kDxgi, BindingIndexView},
    {IndexSource::kVulkan, BindingIndexView},
};

}  // namespace

bool RuntimeView::MasksHideAll() const {
  return !masks.empty() && masks.front().before > 0 && masks.back().after == 0;
}

RuntimeView BuildRuntimeView(const BackendInfo& row, const Inventory& inventory) {
  RuntimeView view;
  for (const auto& [source, build] : kViewBuilders) {
    if (source == row.index_source) view = build(row, inventory);
  }
  view.drivable = Drivable(row, inventory);
  return view;
}

}  // namespace devpick
