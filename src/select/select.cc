// Select(): eligibility, pinning, ranking and native names (DESIGN.md "Selection").
//
// Order of work for one backend: (1) every device is checked against the backend's table row
// (vendor, kind, platform, required binding, kernel driver), then against how the backend's runtime
// numbers devices under the recorded visibility variables (a RuntimeView), then against the request
// (usable, exclude, min_memory); (2) the spec items are tried in order and the best-ranked eligible
// match of the first item that has one wins; (3) the winner's native names and the env assignments
// that make them exact are emitted with warnings; every device becomes a candidate with its rank or
// the first reason it was rejected.
//
// Index decisions, documented once here:
//  - A runtime-reported index (cuda ordinal, Level Zero order, OpenVINO name, KFD node, DXGI and
//    Vulkan index) is used as is; the cuda and level_zero probes run under the recorded env, so
//    their indices already reflect CUDA_VISIBLE_DEVICES / ZE_AFFINITY_MASK.
//  - When the index is emulated from PCI order, the variable that makes the runtime use PCI order
//    (CUDA_DEVICE_ORDER=PCI_BUS_ID, ZE_ENABLE_PCI_ID_DEVICE_ORDER=1) is ALWAYS emitted, even for a
//    lone GPU: the emitted name then stays right when a second GPU appears, and the rule is the
//    same for every backend. It is not emitted when the recorded env already sets it.
#include "devpick/select.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>

#include "inventory/id_tables.h"
#include "select/backend_table.h"
#include "select/device_spec.h"
#include "select/policy.h"
#include "select/visibility.h"

namespace devpick {
namespace {

using Json = nlohmann::ordered_json;
using Type = DeviceSpecItem::Type;
using KindFilter = DeviceSpecItem::KindFilter;

constexpr unsigned kCpuBit = KindBit(DeviceKind::kCpu);

struct Verdict {
  bool ok = true;
  std::string code;
  std::string reason;
};

Verdict Reject(std::string code, std::string reason) {
  return {.ok = false, .code = std::move(code), .reason = std::move(reason)};
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

// "absent", "error: <detail>", or "did not run".
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

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// UUIDs compare without "GPU-"/"MIG-", dashes and case: NVML prints GPU-3f6e1b2a-..., Level Zero
// and OpenVINO print bare hex.
std::string NormalizeUuid(std::string_view uuid) {
  std::string out = Lower(uuid);
  for (std::string_view prefix : {"gpu-", "mig-", "0x"}) {
    if (out.rfind(prefix, 0) == 0) out.erase(0, prefix.size());
  }
  out.erase(std::remove(out.begin(), out.end(), '-'), out.end());
  return out;
}

// ROCr's spelling of an AMD GPU's UUID: "GPU-" + the KFD unique_id in hex.
std::string RocrUuid(const Device& device) {
  if (!device.uuid || device.uuid->empty()) return "";
  if (device.uuid->rfind("GPU-", 0) == 0) return *device.uuid;
  std::string hex = *device.uuid;
  if (hex.rfind("0x", 0) == 0 || hex.rfind("0X", 0) == 0) hex.erase(0, 2);
  return "GPU-" + hex;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string KindNoun(DeviceKind kind) { return kind == DeviceKind::kNpu ? "NPUs" : "GPUs"; }

std::string DescribeShort(const Device& device) {
  if (device.kind == DeviceKind::kCpu) return device.id + " (CPU)";
  return device.id + " (" + device.name + ", " + std::string(ToString(device.kind)) + ")";
}

std::string FoundList(const Inventory& inventory) {
  std::vector<std::string> parts;
  for (const Device& device : inventory.devices) parts.push_back(DescribeShort(device));
  return parts.empty() ? "no devices" : Join(parts, ", ");
}

// The candidate reason of an eligible device: "discrete GPU, 16 GiB".
// 2.61 -> "2.6 GFLOP/s".
std::string FormatGflops(double gflops) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GFLOP/s", gflops);
  return text;
}

std::string DescribeEligible(const Device& device) {
  switch (device.kind) {
    case DeviceKind::kDgpu:
      return device.memory.total_bytes
                 ? "discrete GPU, " + FormatByteSize(*device.memory.total_bytes)
                 : "discrete GPU";
    case DeviceKind::kIgpu:
      return "integrated GPU";
    case DeviceKind::kNpu:
      return "NPU";
    case DeviceKind::kCpu:
      return "CPU";
  }
  return "device";
}

// ----- backend capability ------------------------------------------------------------------

bool RunsOn(const BackendInfo& row, const std::string& os) {
  return std::find(row.os.begin(), row.os.end(), os) != row.os.end();
}

Verdict CheckDrive(const BackendInfo& row, const Device& device, const Inventory& inventory) {
  std::string display(row.display);
  if (device.kind == DeviceKind::kCpu) {
    if (row.kinds & kCpuBit) return {};
    return Reject("cpu_needs_fallback",
                  display + " does not run on the CPU; --fallback cpu allows the CPU explicitly");
  }
  bool vendor_ok =
      row.any_vendor || device.vendor == row.vendors[0] || device.vendor == row.vendors[1];
  if (!vendor_ok) {
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
  if (!row.kernel_drivers[0].empty() && device.driver.name && !seen_by_runtime) {
    const std::string& driver = *device.driver.name;
    bool known = std::find(row.kernel_drivers.begin(), row.kernel_drivers.end(), driver) !=
                 row.kernel_drivers.end();
    if (!known) {
      std::vector<std::string> needed;
      for (std::string_view name : row.kernel_drivers) {
        if (!name.empty() && !(device.kind != DeviceKind::kNpu && name == "intel_vpu")) {
          needed.emplace_back(name);
        }
      }
      if (device.kind == DeviceKind::kNpu && row.name == "openvino") needed = {"intel_vpu"};
      return Reject("driver", "kernel driver " + driver + " cannot run " + display + "; the " +
                                  Join(needed, " or ") + " driver is needed");
    }
  }
  return {};
}

// ONNX Runtime drives each device through one execution provider, i.e. through another backend's
// rules: NVIDIA -> CUDA EP (cuda), AMD on Linux -> MIGraphX EP (rocm), Intel GPU/NPU -> OpenVINO
// EP, Apple -> CoreML EP (mps), a Windows GPU without a vendor EP -> DirectML EP, CPU -> CPU EP.
const BackendInfo* OrtDelegate(const Device& device, const Inventory& inventory) {
  const std::string& os = inventory.host.os;
  if (device.kind == DeviceKind::kCpu) return &BackendRow("cpu");
  switch (device.vendor) {
    case Vendor::kNvidia:
      return &BackendRow("cuda");
    case Vendor::kAmd:
      if (os == "linux" && device.kind != DeviceKind::kNpu) return &BackendRow("rocm");
      break;
    case Vendor::kIntel:
      return &BackendRow("openvino");
    case Vendor::kApple:
      return &BackendRow("mps");
    default:
      break;
  }
  if (device.FindBinding("dxgi") != nullptr) return &BackendRow("directml");
  return nullptr;
}

std::string_view OrtProvider(const BackendInfo& via) {
  constexpr std::pair<std::string_view, std::string_view> kProviders[] = {
      {"cuda", "CUDAExecutionProvider"},         {"rocm", "MIGraphXExecutionProvider"},
      {"openvino", "OpenVINOExecutionProvider"}, {"directml", "DmlExecutionProvider"},
      {"mps", "CoreMLExecutionProvider"},        {"cpu", "CPUExecutionProvider"},
  };
  for (const auto& [name, provider] : kProviders) {
    if (name == via.name) return provider;
  }
  return "CPUExecutionProvider";
}

// ----- runtime views: how a backend's runtime numbers the devices it can see ---------------

struct RuntimeView {
  std::map<const Device*, int> ordinal;       // visible devices -> the runtime's index
  std::map<const Device*, std::string> name;  // OpenVINO names
  std::map<const Device*, Verdict> hidden;    // drivable but not visible, with why
  std::map<const Device*, std::map<std::string, std::string>> isolate_env;
  std::map<std::string, std::string> exact_env;  // makes emulated indices exact
  std::vector<std::string> warnings;
  std::string mask;  // "CUDA_VISIBLE_DEVICES=1" when a mask renumbers devices
};

std::vector<const Device*> Drivable(const BackendInfo& row, const Inventory& inventory) {
  std::vector<const Device*> out;
  for (const Device& device : inventory.devices) {
    if (device.kind != DeviceKind::kCpu && CheckDrive(row, device, inventory).ok)
      out.push_back(&device);
  }
  return out;
}

std::vector<std::string> UuidsOf(const std::vector<const Device*>& devices,
                                 std::function<std::string(const Device&)> uuid_of) {
  std::vector<std::string> out;
  for (const Device* device : devices) out.push_back(uuid_of(*device));
  return out;
}

// Marks devices of `list` not in `keep` (positions) as hidden by `variable`=`value`, and returns
// the kept devices in their new order.
std::vector<const Device*> ApplyMask(const std::vector<const Device*>& list,
                                     const VisibleList& keep, const std::string& variable,
                                     const std::string& value, RuntimeView* view) {
  std::vector<const Device*> kept;
  for (int index : keep.indices) kept.push_back(list[static_cast<std::size_t>(index)]);
  for (const Device* device : list) {
    if (std::find(kept.begin(), kept.end(), device) == kept.end()) {
      view->hidden[device] = Reject("hidden_by_env", "hidden by " + variable + "=" + value);
    }
  }
  for (const std::string& note : keep.notes) view->warnings.push_back(note);
  view->mask = variable + "=" + value;
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
  bool by_pci_order = !ProbeOk(inventory, "cuda");
  if (!by_pci_order) {
    Verdict missing =
        mask ? Reject("hidden_by_env", "hidden by CUDA_VISIBLE_DEVICES=" + *mask)
             : Reject("not_seen_by_runtime", "the CUDA driver did not report this GPU");
    Number(RuntimeOrdered(base, "cuda", missing, &view), &view);
    if (mask) view.mask = "CUDA_VISIBLE_DEVICES=" + *mask;
  } else {
    std::vector<const Device*> visible = base;
    if (mask) {
      VisibleList keep = ApplyCudaVisibleDevices(
          *mask, UuidsOf(base, [](const Device& d) { return d.uuid.value_or(""); }));
      visible = ApplyMask(base, keep, "CUDA_VISIBLE_DEVICES", *mask, &view);
    }
    Number(visible, &view);
    if (EnvVar(inventory, "CUDA_DEVICE_ORDER") != "PCI_BUS_ID") {
      view.exact_env["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
    }
    view.warnings.push_back(
        "cuda:N follows the PCI bus order because the CUDA driver was not "
        "queried (cuda probe " +
        ProbeState(inventory, "cuda") +
        "); CUDA_DEVICE_ORDER=PCI_BUS_ID makes CUDA number GPUs the same way");
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
  if (ProbeOk(inventory, "rocm")) {
    nodes = RuntimeOrdered(base, "rocm",
                           Reject("not_seen_by_runtime",
                                  "not in the KFD topology, so ROCm cannot see it (is /dev/kfd "
                                  "available?)"),
                           &view);
  } else {
    view.warnings.push_back(
        "cuda:N assumes KFD numbers GPUs in PCI bus order because the KFD "
        "topology was not read (rocm probe " +
        ProbeState(inventory, "rocm") + ")");
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
                        *hip, &view);
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
  bool emulated = !ProbeOk(inventory, "level_zero");
  if (!emulated) {
    Verdict missing = mask ? Reject("hidden_by_env", "hidden by ZE_AFFINITY_MASK=" + *mask)
                           : Reject("not_seen_by_runtime",
                                    "Level Zero did not report this GPU (is the Intel compute "
                                    "runtime installed?)");
    list = RuntimeOrdered(base, "level_zero", missing, &view);
    if (mask) view.mask = "ZE_AFFINITY_MASK=" + *mask;
  } else {
    list = base;
    if (mask) {
      list = ApplyMask(base, ApplyZeAffinityMask(*mask, static_cast<int>(base.size())),
                       "ZE_AFFINITY_MASK", *mask, &view);
    }
    if (EnvVar(inventory, "ZE_ENABLE_PCI_ID_DEVICE_ORDER") != "1") {
      view.exact_env["ZE_ENABLE_PCI_ID_DEVICE_ORDER"] = "1";
    }
    view.warnings.push_back(
        "xpu:N follows the PCI bus order because Level Zero was not queried "
        "(level_zero probe " +
        ProbeState(inventory, "level_zero") +
        "); ZE_ENABLE_PCI_ID_DEVICE_ORDER=1 makes Level Zero number GPUs the "
        "same way");
  }
  std::vector<const Device*> visible = list;
  if (std::optional<std::string> selector = EnvVar(inventory, "ONEAPI_DEVICE_SELECTOR")) {
    Result<std::vector<OneApiFilter>> filters = ParseOneApiDeviceSelector(*selector);
    if (!filters.ok()) {
      for (const Device* device : list) {
        view.hidden[device] = Reject(
            "hidden_by_env", filters.status().message() + " (SYCL refuses to start with it)");
      }
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
  if (ProbeOk(inventory, "openvino")) {
    for (const Device* device : base) {
      const Binding* binding = device->FindBinding("openvino");
      if (binding != nullptr && binding->name) {
        name_ordinal(device, *binding->name);
      } else {
        view.hidden[device] = Reject("not_seen_by_runtime", "OpenVINO did not report this device");
      }
    }
    return view;
  }
  auto opencl_key = [](const Device* device) -> std::optional<std::pair<int, int>> {
    const Binding* binding = device->FindBinding("opencl");
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
    view.warnings.push_back("OpenVINO names are emulated (openvino probe " +
                            ProbeState(inventory, "openvino") +
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

// ----- per-request evaluation --------------------------------------------------------------

struct Eval {
  const Device* device = nullptr;
  const BackendInfo* via = nullptr;  // the backend whose rules apply (onnxruntime: the EP's)
  const RuntimeView* view = nullptr;
  Verdict verdict;
  bool drivable = false;
  std::optional<int> ordinal;
  std::string native;  // the backend's spelling: cuda:1, xpu:0, GPU.1, NPU, CPU, mps
};

std::string NativeSpelling(const BackendInfo& via, const Device& device, const RuntimeView& view,
                           std::optional<int> ordinal) {
  if (via.native_style == NativeStyle::kOpenVino || via.native_style == NativeStyle::kCpu) {
    auto it = view.name.find(&device);
    if (device.kind == DeviceKind::kCpu) return "CPU";
    return it == view.name.end() ? "" : it->second;
  }
  if (via.native_style == NativeStyle::kTorchBare) return std::string(via.torch_prefix);
  if (via.native_style == NativeStyle::kTorchIndexed && ordinal) {
    return std::string(via.torch_prefix) + ":" + std::to_string(*ordinal);
  }
  return "";
}

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

bool Matches(const DeviceSpecItem& item, const Eval& eval) {
  const Device& d = *eval.device;
  switch (item.type) {
    case Type::kAuto:
      return true;
    case Type::kKind:
      return KindMatches(item.kind, d.kind);
    case Type::kVendor:
      return d.vendor == item.vendor && KindMatches(item.kind, d.kind);
    case Type::kId:
      return d.id == item.value;
    case Type::kPci: {
      if (!d.pci_address) return false;
      std::optional<PciAddress> address = ParsePciAddress(*d.pci_address);
      return address && *address == *item.pci;
    }
    case Type::kUuid:
      return d.uuid && !NormalizeUuid(item.value).empty() &&
             NormalizeUuid(*d.uuid).rfind(NormalizeUuid(item.value), 0) == 0;
    case Type::kName:
      return Lower(d.name).find(Lower(item.value)) != std::string::npos;
    case Type::kIndex:
      return eval.ordinal && *eval.ordinal == *item.index && d.kind != DeviceKind::kCpu;
    case Type::kNative: {
      if (eval.native.empty()) return false;
      std::string wanted = ItemSpelling(item);
      // OpenVINO's bare GPU is GPU.0, and a lone GPU.0 is listed as GPU.
      if ((wanted == "GPU" && eval.native == "GPU.0") ||
          (wanted == "GPU.0" && eval.native == "GPU")) {
        return true;
      }
      return wanted == eval.native;
    }
  }
  return false;
}

// Which backends spell devices like `item`; onnxruntime accepts every spelling of its providers.
Status CheckNativeItem(const BackendInfo& row, const DeviceSpecItem& item) {
  if (item.type != Type::kNative || row.native_style == NativeStyle::kOnnxRuntime)
    return Status::Ok();
  bool ok = false;
  switch (row.native_style) {
    case NativeStyle::kTorchIndexed:
    case NativeStyle::kTorchBare:
      ok = IsTorchNative(item) && item.value == row.torch_prefix;
      break;
    case NativeStyle::kOpenVino:
      ok = IsOpenVinoNative(item);
      break;
    case NativeStyle::kCpu:
      ok = item.value == "CPU";
      break;
    default:
      ok = false;
  }
  if (ok) return Status::Ok();
  std::string spelled;
  switch (row.native_style) {
    case NativeStyle::kTorchIndexed:
      spelled = std::string(row.torch_prefix) + ":N";
      break;
    case NativeStyle::kTorchBare:
      spelled = std::string(row.torch_prefix);
      break;
    case NativeStyle::kOpenVino:
      spelled = "CPU, GPU, GPU.N, NPU";
      break;
    case NativeStyle::kVulkan:
      spelled = "a bare index N";
      break;
    default:
      spelled = "CPU";
  }
  return Status::InvalidArgument("device spec item '" + item.text + "' is not how backend " +
                                 std::string(row.name) + " names devices; " +
                                 std::string(row.name) + " uses " + spelled +
                                 " (kinds, vendors, ids, pci:, uuid: and name: work with every "
                                 "backend)");
}

Json NativeJson(const BackendInfo& via, const Eval& eval, bool isolated) {
  std::optional<int> ordinal = isolated ? std::optional<int>(0) : eval.ordinal;
  switch (via.native_style) {
    case NativeStyle::kTorchIndexed:
      return Json{
          {"torch", std::string(via.torch_prefix) + ":" + std::to_string(ordinal.value_or(0))}};
    case NativeStyle::kTorchBare:
      return Json{{"torch", std::string(via.torch_prefix)}};
    case NativeStyle::kOpenVino:
      return Json{{"openvino", eval.native}, {"torch", "cpu"}};
    case NativeStyle::kVulkan:
      return Json{{"vulkan", ordinal.value_or(0)}};
    case NativeStyle::kCpu:
      return Json{{"torch", "cpu"}, {"openvino", "CPU"}};
    case NativeStyle::kOnnxRuntime:
      break;
  }
  return Json::object();
}

Json OrtJson(const BackendInfo& via, const Eval& eval, bool isolated) {
  Json options = Json::object();
  if (via.name == "openvino") {
    options["device_type"] = eval.native;
  } else if (via.native_style == NativeStyle::kTorchIndexed) {
    options["device_id"] = isolated ? 0 : eval.ordinal.value_or(0);
  }
  return Json{
      {"onnxruntime", Json{{"provider", std::string(OrtProvider(via))}, {"options", options}}}};
}

// ROCm per-device advice (research/specs.md §4.2): a gfx target outside ROCm's supported list that
// has a supported sibling runs with HSA_OVERRIDE_GFX_VERSION_<KFD node> (never the process-wide
// variable, which would also retarget the other GPUs); the supported list is id_tables'
// IsSupportedRocmTarget, the values its KnownGfxOverride, so doctor and select agree.

void AddGfxAdvice(const Inventory& inventory, const Device& device, Decision* decision) {
  const Binding* node = device.FindBinding("rocm");
  if (!device.gfx_target_version || node == nullptr || !node->index) return;
  int version = *device.gfx_target_version;
  if (IsSupportedRocmTarget(version)) return;
  std::optional<std::string_view> known = KnownGfxOverride(version);
  if (!known) return;
  std::string variable = "HSA_OVERRIDE_GFX_VERSION_" + std::to_string(*node->index);
  // Already set as advised: like the PCI-order variables, not emitted again.
  if (EnvVar(inventory, variable) == *known) return;
  decision->env[variable] = std::string(*known);
  decision->warnings.push_back(GfxTargetName(version) + " is not a ROCm-supported target; " +
                               variable + "=" + std::string(*known) +
                               " runs this GPU as its supported sibling (only this GPU)");
}

class Selector {
 public:
  Selector(const Inventory& inventory, const Request& request, const BackendInfo& row,
           std::vector<DeviceSpecItem> items, std::vector<DeviceSpecItem> excludes)
      : inventory_(inventory),
        request_(request),
        row_(row),
        items_(std::move(items)),
        excludes_(std::move(excludes)) {}

  Result<Decision> Run() {
    for (const auto* list : {&items_, &excludes_}) {
      for (const DeviceSpecItem& item : *list) {
        Status status = CheckNativeItem(row_, item);
        if (!status.ok()) return status;
      }
    }
    Decision decision;
    decision.backend = std::string(row_.name);
    decision.policy = request_.policy;
    Evaluate();
    Result<std::vector<const Eval*>> ranked = Pin();
    if (!ranked.ok()) return ranked.status();
    std::vector<const Eval*> order = std::move(ranked).value();
    if (!order.empty()) {
      Choose(*order.front(), &decision);
    } else {
      decision.error = NoDeviceMessage();
      if (request_.fallback == Fallback::kCpu && !(row_.kinds & kCpuBit)) {
        if (const Eval* cpu = FallbackCpu()) {
          decision.device = cpu->device;
          decision.fallback = true;
          decision.native = Json{{"torch", "cpu"}};
          decision.warnings.push_back(*decision.error +
                                      "; falling back to the CPU as requested (fallback = cpu)");
          decision.error.reset();
          order.push_back(cpu);
        }
      }
    }
    FillCandidates(order, &decision);
    return decision;
  }

 private:
  const RuntimeView& ViewFor(const BackendInfo& via) {
    auto it = views_.find(via.name);
    if (it != views_.end()) return it->second;
    RuntimeView view;
    for (const auto& [source, build] : kViewBuilders) {
      if (source == via.index_source) view = build(via, inventory_);
    }
    return views_.emplace(via.name, std::move(view)).first->second;
  }

  void Evaluate() {
    for (const Device& device : inventory_.devices) {
      Eval eval;
      eval.device = &device;
      eval.via =
          row_.index_source == IndexSource::kPerDevice ? OrtDelegate(device, inventory_) : &row_;
      if (eval.via == nullptr) {
        eval.verdict =
            Reject("backend_cannot_drive", "ONNX Runtime has no execution provider for " +
                                               std::string(VendorDisplayName(device.vendor)) + " " +
                                               KindNoun(device.kind) + " on " + inventory_.host.os);
        evals_.push_back(std::move(eval));
        continue;
      }
      eval.verdict = CheckDrive(*eval.via, device, inventory_);
      eval.drivable =
          eval.verdict.ok && (device.kind != DeviceKind::kCpu || (row_.kinds & kCpuBit));
      if (eval.verdict.ok) {
        const RuntimeView& view = ViewFor(*eval.via);
        eval.view = &view;
        auto ordinal = view.ordinal.find(&device);
        if (ordinal != view.ordinal.end()) eval.ordinal = ordinal->second;
        eval.native = NativeSpelling(*eval.via, device, view, eval.ordinal);
        auto hidden = view.hidden.find(&device);
        if (hidden != view.hidden.end()) eval.verdict = hidden->second;
      }
      if (eval.verdict.ok && !device.usable) {
        std::vector<std::string> problems;
        for (const Problem& problem : device.problems) {
          problems.push_back(problem.message +
                             (problem.remedy.empty() ? "" : " (" + problem.remedy + ")"));
        }
        eval.verdict =
            Reject("unusable", "unusable: " + (problems.empty() ? std::string("problems reported")
                                                                : Join(problems, "; ")));
      }
      if (eval.verdict.ok) {
        for (const DeviceSpecItem& item : excludes_) {
          if (Matches(item, eval)) {
            eval.verdict = Reject("excluded", "excluded by request (" + item.text + ")");
            break;
          }
        }
      }
      if (eval.verdict.ok && request_.min_memory_bytes) {
        std::string minimum = FormatByteSize(*request_.min_memory_bytes);
        if (!device.memory.total_bytes) {
          eval.verdict = Reject("memory_unknown",
                                "memory size unknown, so min_memory " + minimum + " cannot be met");
        } else if (*device.memory.total_bytes < *request_.min_memory_bytes) {
          eval.verdict =
              Reject("below_min_memory", "below min_memory " + minimum + " (" +
                                             FormatByteSize(*device.memory.total_bytes) + ")");
        }
      }
      if (eval.verdict.ok && request_.policy == Policy::kMeasured) {
        const DeviceMeasurement* measured = MeasurementOf(device);
        if (measured != nullptr && measured->measured && !measured->correct) {
          eval.verdict = Reject("failed_verification", "failed verification (" + measured->source +
                                                           "): " + measured->failure);
        }
      }
      evals_.push_back(std::move(eval));
    }
  }

  const DeviceMeasurement* MeasurementOf(const Device& device) const {
    auto it = request_.measurements.find(device.id);
    return it == request_.measurements.end() ? nullptr : &it->second;
  }

  // The order within one spec item: under the measured policy, correct measurements first, the
  // higher throughput first; then (and under every other policy) the policy's order.
  bool Before(const Device& a, const Device& b) const {
    if (request_.policy == Policy::kMeasured) {
      const DeviceMeasurement* ma = MeasurementOf(a);
      const DeviceMeasurement* mb = MeasurementOf(b);
      auto gflops = [](const DeviceMeasurement* m) {
        return m != nullptr && m->measured && m->correct && m->gflops ? *m->gflops : -1.0;
      };
      double ga = gflops(ma);
      double gb = gflops(mb);
      if (ga != gb) return ga > gb;
    }
    return RanksBefore(request_.policy, a, b);
  }

  bool NpuAllowed(const DeviceSpecItem& item) const {
    return request_.policy == Policy::kEfficiency || NamesNpu(item);
  }

  // The eligible devices in the order the request prefers them: by spec item, then by policy.
  Result<std::vector<const Eval*>> Pin() {
    std::vector<DeviceSpecItem> items = items_;
    if (items.empty()) items.push_back(DeviceSpecItem{});
    std::vector<const Eval*> order;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const DeviceSpecItem& item = items[i];
      std::vector<const Eval*> matched;
      std::vector<std::string> uuid_matches;
      for (const Eval& eval : evals_) {
        if (!Matches(item, eval)) continue;
        if (item.type == Type::kUuid) uuid_matches.push_back(eval.device->id);
        if (!eval.verdict.ok || !eval.drivable) continue;
        if (eval.device->kind == DeviceKind::kNpu && !NpuAllowed(item)) continue;
        matched.push_back(&eval);
      }
      if (uuid_matches.size() > 1) {
        return Status::InvalidArgument("device spec item '" + item.text + "' matches " +
                                       Join(uuid_matches, " and ") +
                                       "; give enough of the UUID to name one device");
      }
      std::stable_sort(matched.begin(), matched.end(), [&](const Eval* a, const Eval* b) {
        return Before(*a->device, *b->device);
      });
      for (const Eval* eval : matched) {
        if (std::find(order.begin(), order.end(), eval) == order.end()) {
          order.push_back(eval);
          if (order.size() == 1) chosen_item_ = i;
        }
      }
    }
    return order;
  }

  const Eval* FallbackCpu() const {
    for (const Eval& eval : evals_) {
      if (eval.device->kind != DeviceKind::kCpu) continue;
      for (const DeviceSpecItem& item : excludes_) {
        if (Matches(item, eval)) return nullptr;
      }
      return &eval;
    }
    return nullptr;
  }

  void Choose(const Eval& eval, Decision* decision) {
    const Device& device = *eval.device;
    const BackendInfo& via = *eval.via;
    decision->device = &device;
    const RuntimeView& view = *eval.view;
    auto isolate_env = view.isolate_env.find(&device);
    bool isolated = request_.isolate && isolate_env != view.isolate_env.end();
    decision->native = row_.native_style == NativeStyle::kOnnxRuntime
                           ? OrtJson(via, eval, isolated)
                           : NativeJson(via, eval, isolated);
    bool on_cpu = device.kind == DeviceKind::kCpu;
    if (!on_cpu) {
      for (const auto& [key, value] : view.exact_env) decision->env[key] = value;
      if (isolated) {
        for (const auto& [key, value] : isolate_env->second) decision->env[key] = value;
      }
    }
    // A missing runtime is a warning with a remedy, never a rejection: the device is still right.
    if (!via.runtime_probe.empty()) {
      auto status = inventory_.probe_status.find(std::string(via.runtime_probe));
      if (status != inventory_.probe_status.end() && status->second != ProbeStatus::kOk) {
        decision->warnings.push_back(std::string(via.display) + " runtime not found (" +
                                     std::string(via.runtime_probe) + " probe " +
                                     ProbeState(inventory_, via.runtime_probe) + "); " +
                                     std::string(via.runtime_remedy));
      }
    }
    if (!on_cpu) {
      for (const std::string& warning : view.warnings) decision->warnings.push_back(warning);
      if (!view.mask.empty() && !isolated && !eval.native.empty()) {
        decision->warnings.push_back(view.mask + " renumbers devices: this device is " +
                                     eval.native + " only in processes that inherit that setting");
      }
      if (via.index_source == IndexSource::kRocm) {
        AddGfxAdvice(inventory_, device, decision);
        if (isolated && (EnvVar(inventory_, "HIP_VISIBLE_DEVICES") ||
                         EnvVar(inventory_, "CUDA_VISIBLE_DEVICES"))) {
          decision->warnings.push_back(
              "unset HIP_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES: ROCR_VISIBLE_DEVICES already "
              "isolates this GPU, and HIP would apply them on top");
        }
      }
    }
    WarnAboutPlainGpu(eval, decision);
  }

  // OpenVINO's "GPU" is GPU.0, the integrated GPU when there is one (DESIGN.md grammar).
  void WarnAboutPlainGpu(const Eval& chosen, Decision* decision) const {
    if (chosen_item_ >= items_.size()) return;
    const DeviceSpecItem& item = items_[chosen_item_];
    if (item.type != Type::kNative || item.value != "GPU" || item.index) return;
    for (const Eval& eval : evals_) {
      if (eval.device->kind == DeviceKind::kDgpu && eval.drivable && !eval.native.empty() &&
          eval.via == chosen.via && eval.device != chosen.device) {
        decision->warnings.push_back("'GPU' means GPU.0, the integrated GPU; the discrete " +
                                     eval.device->name + " is " + eval.native);
        return;
      }
    }
  }

  std::string NoDeviceMessage() const {
    std::string head = "no eligible device for backend " + std::string(row_.name);
    std::vector<std::string> rejected;
    bool any_matched = false;
    for (const Eval& eval : evals_) {
      bool matched = items_.empty();
      for (const DeviceSpecItem& item : items_) matched = matched || Matches(item, eval);
      if (!matched) continue;
      any_matched = true;
      // Devices outside the backend's class (other vendors, the CPU of a GPU backend) are summed
      // up by the "found:" list; devices of its class are listed with their reason.
      bool other_class =
          eval.verdict.code == "backend_cannot_drive" || eval.verdict.code == "cpu_needs_fallback";
      if (other_class && (items_.empty() || eval.device->kind == DeviceKind::kCpu)) continue;
      std::string reason = eval.verdict.ok ? (eval.device->kind == DeviceKind::kNpu
                                                  ? "NPUs are used only when asked for"
                                                  : "not eligible")
                                           : eval.verdict.reason;
      rejected.push_back(eval.device->id + " (" + eval.device->name + "): " + reason);
    }
    if (!items_.empty()) {
      head += " matches device spec '" + request_.device_spec.value_or("") + "'";
      if (!any_matched || rejected.empty()) return head + " (found: " + FoundList(inventory_) + ")";
      return head + ": " + Join(rejected, "; ");
    }
    if (rejected.empty()) {
      return head + ": " + std::string(row_.missing) + " (found: " + FoundList(inventory_) + ")";
    }
    return head + ": " + Join(rejected, "; ");
  }

  void FillCandidates(const std::vector<const Eval*>& order, Decision* decision) const {
    int rank = 1;
    const bool measured_policy = request_.policy == Policy::kMeasured;
    for (const Eval* eval : order) {
      Candidate candidate{
          .id = eval->device->id,
          .eligible = true,
          .rank = rank++,
          .reason_code = "eligible",
          .reason = DescribeEligible(*eval->device) + (decision->fallback ? " (fallback)" : ""),
          .measurement = std::nullopt};
      if (measured_policy) {
        const DeviceMeasurement* measured = MeasurementOf(*eval->device);
        if (measured != nullptr && measured->measured && measured->correct && measured->gflops) {
          candidate.measurement = *measured;
          candidate.reason +=
              ", measured " + FormatGflops(*measured->gflops) + " (" + measured->source + ")";
        } else {
          candidate.reason += ", not measured";
          if (measured != nullptr) candidate.measurement = *measured;
          decision->warnings.push_back(
              eval->device->id + " (" + eval->device->name + ") was not measured" +
              (measured != nullptr && !measured->failure.empty() ? ": " + measured->failure : "") +
              "; it ranks after the measured devices");
        }
      }
      decision->candidates.push_back(std::move(candidate));
    }
    for (const Eval& eval : evals_) {
      if (std::find(order.begin(), order.end(), &eval) != order.end()) continue;
      Candidate candidate{.id = eval.device->id,
                          .eligible = false,
                          .rank = std::nullopt,
                          .reason_code = eval.verdict.code,
                          .reason = eval.verdict.reason,
                          .measurement = std::nullopt};
      if (measured_policy) {
        if (const DeviceMeasurement* measured = MeasurementOf(*eval.device)) {
          candidate.measurement = *measured;
        }
      }
      if (eval.verdict.ok) {
        if (eval.device->kind == DeviceKind::kNpu && request_.policy != Policy::kEfficiency) {
          candidate.reason_code = "npu_not_requested";
          candidate.reason =
              "NPUs are used only when asked for (--device npu or --policy efficiency)";
        } else {
          candidate.reason_code = "not_in_spec";
          candidate.reason =
              "not matched by device spec '" + request_.device_spec.value_or("") + "'";
        }
      }
      decision->candidates.push_back(std::move(candidate));
    }
  }

  const Inventory& inventory_;
  const Request& request_;
  const BackendInfo& row_;
  std::vector<DeviceSpecItem> items_;
  std::vector<DeviceSpecItem> excludes_;
  std::vector<Eval> evals_;
  std::map<std::string_view, RuntimeView> views_;
  std::size_t chosen_item_ = static_cast<std::size_t>(-1);
};

Result<std::vector<DeviceSpecItem>> ParseExcludes(const std::vector<std::string>& exclude) {
  std::vector<DeviceSpecItem> items;
  for (const std::string& text : exclude) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(text);
    if (!parsed.ok()) return Status::InvalidArgument("exclude: " + parsed.status().message());
    items.insert(items.end(), parsed->begin(), parsed->end());
  }
  return items;
}

bool IsX86(const std::string& arch) {
  return arch == "x86_64" || arch == "amd64" || arch == "AMD64" || arch == "x64";
}

// The backend users of this device's vendor and OS would install (DESIGN.md "Backends").
std::optional<std::string> RecommendedBackend(const Device& device, const HostInfo& host) {
  if (device.kind == DeviceKind::kCpu) return IsX86(host.arch) ? "openvino" : "cpu";
  switch (device.vendor) {
    case Vendor::kNvidia:
      return "cuda";
    case Vendor::kAmd:
      if (host.os == "linux" && device.kind != DeviceKind::kNpu) return "rocm";
      break;
    case Vendor::kIntel:
      return device.kind == DeviceKind::kNpu ? "openvino" : "xpu";
    case Vendor::kApple:
      return "mps";
    default:
      break;
  }
  if (host.os == "windows" && device.FindBinding("dxgi") != nullptr) return "directml";
  if (device.FindBinding("vulkan") != nullptr) return "vulkan";
  return std::nullopt;
}

// A native spelling names its backend: cuda:N -> cuda, xpu:N -> xpu, GPU.N -> openvino, ...
std::optional<std::string> BackendOfNative(const DeviceSpecItem& item) {
  constexpr std::pair<std::string_view, std::string_view> kOwners[] = {
      {"cuda", "cuda"},    {"xpu", "xpu"},      {"privateuseone", "directml"}, {"mps", "mps"},
      {"GPU", "openvino"}, {"NPU", "openvino"}, {"CPU", "openvino"},
  };
  for (const auto& [value, backend] : kOwners) {
    if (item.value == value) return std::string(backend);
  }
  return std::nullopt;
}

Result<Decision> SelectWith(const Inventory& inventory, const Request& request,
                            const BackendInfo& row) {
  std::vector<DeviceSpecItem> items;
  if (request.device_spec) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(*request.device_spec);
    if (!parsed.ok()) return parsed.status();
    items = std::move(parsed).value();
  }
  Result<std::vector<DeviceSpecItem>> excludes = ParseExcludes(request.exclude);
  if (!excludes.ok()) return excludes.status();
  return Selector(inventory, request, row, std::move(items), std::move(excludes).value()).Run();
}

Result<Decision> Recommend(const Inventory& inventory, const Request& request) {
  std::vector<DeviceSpecItem> items;
  if (request.device_spec) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(*request.device_spec);
    if (!parsed.ok()) return parsed.status();
    items = std::move(parsed).value();
  }
  for (const DeviceSpecItem& item : items) {
    if (item.type == Type::kIndex) {
      return Status::InvalidArgument("device spec item '" + item.text +
                                     "' is a backend's index; give --backend as well, or use an "
                                     "id such as gpu0");
    }
    if (item.type == Type::kNative) {
      // The spelling names the backend, so recommend that one.
      Request pinned = request;
      pinned.backend = BackendOfNative(item);
      Result<Decision> decision = SelectWith(inventory, pinned, BackendRow(*pinned.backend));
      if (decision.ok()) decision->backend_recommended = true;
      return decision;
    }
  }
  // Try devices best first (as the spec and policy order them); the first one whose vendor backend
  // chooses it wins.
  Request probe = request;
  probe.backend = "onnxruntime";  // drives every kind, so its ranking covers every device
  Result<Decision> overall = SelectWith(inventory, probe, BackendRow("onnxruntime"));
  if (!overall.ok()) return overall.status();
  for (const Candidate& candidate : overall->candidates) {
    const Device* device = inventory.FindDevice(candidate.id);
    if (!candidate.eligible || device == nullptr) continue;
    std::optional<std::string> backend = RecommendedBackend(*device, inventory.host);
    if (!backend) continue;
    Request pinned = request;
    pinned.backend = backend;
    Result<Decision> decision = SelectWith(inventory, pinned, BackendRow(*backend));
    if (!decision.ok()) return decision;
    if (decision->device == device && !decision->fallback) {
      decision->backend_recommended = true;
      return decision;
    }
  }
  Request cpu_only = request;
  cpu_only.backend = IsX86(inventory.host.arch) ? "openvino" : "cpu";
  Result<Decision> decision = SelectWith(inventory, cpu_only, BackendRow(*cpu_only.backend));
  if (decision.ok()) decision->backend_recommended = true;
  return decision;
}

}  // namespace

Result<Decision> Select(const Inventory& inventory, const Request& request) {
  if (!request.backend) return Recommend(inventory, request);
  const BackendInfo* row = FindBackend(*request.backend);
  if (row == nullptr) return CanonicalBackend(*request.backend).status();
  return SelectWith(inventory, request, *row);
}

}  // namespace devpick
