#include "select/backend_table.h"

#include <string>
#include <vector>

#include "devpick/discover.h"
#include "devpick/select.h"

namespace devpick {
namespace {

constexpr std::array<VerifyApi, 3> kOpenClFirst = {VerifyApi::kOpenCl, VerifyApi::kVulkan,
                                                   VerifyApi::kCuda};

// Remedies name the package users install (research/sdnext.md: installers guess from nvidia-smi;
// devpick says what is actually missing).
constexpr std::array<BackendInfo, kBackendCount> kBackends = {{
    {.id = BackendId::kCuda,
     .name = "cuda",
     .aliases = {"torch-cuda", ""},
     .display = "CUDA",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kNvidia, Vendor::kNvidia},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"nvidia", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", ""},
     .index_source = IndexSource::kCuda,
     .native_style = NativeStyle::kTorchIndexed,
     .torch_prefix = "cuda",
     .probes = {"nvml", "cuda"},
     .runtime_probe = "cuda",
     .gpu_runtime_probe = "cuda",
     .runtime_remedy =
         "install the NVIDIA driver (it provides libcuda.so.1) and a CUDA build of PyTorch",
     .missing = "no NVIDIA GPU was found",
     .ort = {.provider = "CUDAExecutionProvider", .kinds = kGpuKinds},
     .recommend = {.kinds = kGpuKinds},
     .measure_apis = {VerifyApi::kCuda, VerifyApi::kOpenCl, VerifyApi::kVulkan},
     .python = {.torch_label = "cu",
                .torch_builds = {"cuda", ""},
                .serving = {"onnxruntime-gpu", ""},
                .install = "pip install torch --index-url https://download.pytorch.org/whl/cu124"}},
    {.id = BackendId::kRocm,
     .name = "rocm",
     .aliases = {"hip", ""},
     .display = "ROCm",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kAmd, Vendor::kAmd},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"amdgpu", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "", ""},
     .index_source = IndexSource::kRocm,
     .native_style = NativeStyle::kTorchIndexed,
     .torch_prefix = "cuda",
     .probes = {"rocm"},
     .runtime_probe = "rocm",
     .gpu_runtime_probe = "rocm",
     .runtime_remedy = "load the amdgpu kernel driver with KFD (/dev/kfd) and install ROCm",
     .missing = "no AMD GPU was found",
     .ort = {.provider = "MIGraphXExecutionProvider", .kinds = kGpuKinds},
     .recommend = {.kinds = kGpuKinds},
     .measure_apis = kOpenClFirst,
     .python = {.torch_label = "rocm",
                .torch_builds = {"rocm", ""},
                .serving = {"onnxruntime-rocm", ""},
                .install =
                    "pip install torch --index-url https://download.pytorch.org/whl/rocm6.2"}},
    // ZLUDA runs CUDA builds of PyTorch on AMD GPUs.
    {.id = BackendId::kZluda,
     .name = "zluda",
     .aliases = {"", ""},
     .display = "ZLUDA",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kAmd, Vendor::kAmd},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"amdgpu", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", ""},
     .index_source = IndexSource::kRocm,
     .native_style = NativeStyle::kTorchIndexed,
     .torch_prefix = "cuda",
     .probes = {"rocm"},
     .runtime_probe = "rocm",
     .gpu_runtime_probe = "rocm",
     .runtime_remedy = "install the AMD HIP runtime that ZLUDA loads",
     .missing = "no AMD GPU was found",
     .ort = {},
     .recommend = {},
     .measure_apis = kOpenClFirst,
     .python = {.torch_builds = {"cuda", ""},
                .install = "pip install torch --index-url https://download.pytorch.org/whl/cu118"}},
    {.id = BackendId::kXpu,
     .name = "xpu",
     .aliases = {"ipex", ""},
     .display = "XPU",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kIntel, Vendor::kIntel},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"i915", "xe"},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", ""},
     .index_source = IndexSource::kLevelZero,
     .native_style = NativeStyle::kTorchIndexed,
     .torch_prefix = "xpu",
     .probes = {"level_zero"},
     .runtime_probe = "level_zero",
     .gpu_runtime_probe = "level_zero",
     .runtime_remedy = "install the Intel compute runtime (intel-level-zero-gpu / level-zero) and "
                       "an XPU build of PyTorch",
     .missing = "no Intel GPU was found",
     .ort = {},
     .recommend = {.kinds = kGpuKinds},
     .measure_apis = kOpenClFirst,
     .python = {.torch_label = "xpu",
                .torch_builds = {"xpu", ""},
                .torch_alternative = "intel-extension-for-pytorch",
                .install = "pip install torch --index-url https://download.pytorch.org/whl/xpu"}},
    // OpenVINO orders GPUs by OpenCL and takes Level Zero's integrated flag.
    {.id = BackendId::kOpenVino,
     .name = "openvino",
     .aliases = {"", ""},
     .display = "OpenVINO",
     .kinds = kGpuKinds | kNpuKind | kCpuKind,
     .vendors = {Vendor::kIntel, Vendor::kIntel},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"i915", "xe"},
     .npu_kernel_driver = "intel_vpu",
     .os = {"linux", "windows", "macos"},
     .index_source = IndexSource::kOpenVino,
     .native_style = NativeStyle::kOpenVino,
     .torch_prefix = "",
     .probes = {"openvino", "opencl", "level_zero"},
     .runtime_probe = "openvino",
     .gpu_runtime_probe = "opencl",
     .runtime_remedy = "install the OpenVINO runtime (pip install openvino); GPUs also need the "
                       "Intel compute runtime",
     .missing = "no Intel GPU, Intel NPU or CPU was found",
     .ort = {.provider = "OpenVINOExecutionProvider", .kinds = kGpuKinds | kNpuKind},
     .recommend = {.kinds = kNpuKind | kCpuKind, .cpu_needs_x86 = true},
     .measure_apis = kOpenClFirst,
     .python = {.packages = {"openvino", "", "", "", ""},
                .serving = {"openvino", "onnxruntime-openvino"},
                .install = "pip install openvino",
                .wants_cpu_torch = true}},
    {.id = BackendId::kDirectMl,
     .name = "directml",
     .aliases = {"dml", ""},
     .display = "DirectML",
     .kinds = kGpuKinds | kNpuKind,
     .vendors = {Vendor::kOther, Vendor::kOther},
     .any_vendor = true,
     .required_binding = "dxgi",
     .kernel_drivers = {"", ""},
     .npu_kernel_driver = "",
     .os = {"windows", "linux", ""},
     .index_source = IndexSource::kDxgi,
     .native_style = NativeStyle::kTorchIndexed,
     .torch_prefix = "privateuseone",
     .probes = {"dxgi"},
     .runtime_probe = "dxgi",
     .gpu_runtime_probe = "",
     .runtime_remedy = "install torch-directml on Windows or WSL",
     .missing = "no GPU with a DXGI adapter was found (DirectML needs Windows or WSL)",
     .ort = {.provider = "DmlExecutionProvider", .kinds = kGpuKinds | kNpuKind},
     .recommend = {.kinds = kGpuKinds | kNpuKind, .only_os = "windows", .needs_binding = true},
     .measure_apis = kOpenClFirst,
     .python = {.packages = {"torch-directml", "", "", "", ""},
                .serving = {"torch-directml", "onnxruntime-directml"},
                .install = "pip install torch-directml"}},
    {.id = BackendId::kMps,
     .name = "mps",
     .aliases = {"", ""},
     .display = "MPS",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kApple, Vendor::kApple},
     .any_vendor = false,
     .required_binding = "",
     .kernel_drivers = {"", ""},
     .npu_kernel_driver = "",
     .os = {"macos", "", ""},
     .index_source = IndexSource::kNone,
     .native_style = NativeStyle::kTorchBare,
     .torch_prefix = "mps",
     .probes = {"metal"},
     .runtime_probe = "metal",
     .gpu_runtime_probe = "",
     .runtime_remedy = "MPS needs macOS 12.3 or later on Apple silicon",
     .missing = "no Apple GPU was found",
     .ort = {.provider = "CoreMLExecutionProvider", .kinds = kGpuKinds},
     .recommend = {.kinds = kGpuKinds},
     .measure_apis = kOpenClFirst,
     .python = {}},
    // ONNX Runtime dispatches to every vendor's stack.
    {.id = BackendId::kOnnxRuntime,
     .name = "onnxruntime",
     .aliases = {"ort", ""},
     .display = "ONNX Runtime",
     .kinds = kGpuKinds | kNpuKind | kCpuKind,
     .vendors = {Vendor::kOther, Vendor::kOther},
     .any_vendor = true,
     .required_binding = "",
     .kernel_drivers = {"", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", "macos"},
     .index_source = IndexSource::kPerDevice,
     .native_style = NativeStyle::kOnnxRuntime,
     .torch_prefix = "",
     .probes = {"rocm", "nvml", "cuda", "level_zero", "opencl", "openvino"},
     .runtime_probe = "",
     .gpu_runtime_probe = "",
     .runtime_remedy = "",
     .missing = "no device was found",
     .ort = {},
     .recommend = {},
     .measure_apis = kOpenClFirst,
     .python = {.packages = {"onnxruntime", "onnxruntime-gpu", "onnxruntime-rocm",
                             "onnxruntime-openvino", "onnxruntime-directml"},
                .install = "pip install onnxruntime (or the variant for your device: "
                           "onnxruntime-gpu, onnxruntime-openvino, ...)"}},
    {.id = BackendId::kVulkan,
     .name = "vulkan",
     .aliases = {"", ""},
     .display = "Vulkan",
     .kinds = kGpuKinds,
     .vendors = {Vendor::kOther, Vendor::kOther},
     .any_vendor = true,
     .required_binding = "vulkan",
     .kernel_drivers = {"", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", "macos"},
     .index_source = IndexSource::kVulkan,
     .native_style = NativeStyle::kVulkan,
     .torch_prefix = "",
     .probes = {"vulkan"},
     .runtime_probe = "vulkan",
     .gpu_runtime_probe = "",
     .runtime_remedy = "install the Vulkan loader (libvulkan1) and the GPU's Vulkan driver "
                       "(mesa-vulkan-drivers or the vendor's)",
     .missing = "no GPU with a Vulkan driver was found",
     .ort = {},
     .recommend = {.kinds = kGpuKinds, .needs_binding = true},
     .measure_apis = {VerifyApi::kVulkan, VerifyApi::kOpenCl, VerifyApi::kCuda},
     .python = {}},
    {.id = BackendId::kCpu,
     .name = "cpu",
     .aliases = {"", ""},
     .display = "the cpu backend",
     .kinds = kCpuKind,
     .vendors = {Vendor::kOther, Vendor::kOther},
     .any_vendor = true,
     .required_binding = "",
     .kernel_drivers = {"", ""},
     .npu_kernel_driver = "",
     .os = {"linux", "windows", "macos"},
     .index_source = IndexSource::kNone,
     .native_style = NativeStyle::kCpu,
     .torch_prefix = "",
     .probes = {},
     .runtime_probe = "",
     .gpu_runtime_probe = "",
     .runtime_remedy = "",
     .missing = "no CPU was found",
     .ort = {.provider = "CPUExecutionProvider", .kinds = kCpuKind},
     .recommend = {.kinds = kCpuKind},
     .measure_apis = kOpenClFirst,
     .python = {.torch_label = "cpu", .serving = {"onnxruntime", ""}}},
}};

// Rows are found by id as an index: the table must list them in BackendId order.
constexpr bool InIdOrder() {
  for (std::size_t i = 0; i < kBackends.size(); ++i) {
    if (static_cast<std::size_t>(kBackends[i].id) != i) return false;
  }
  return true;
}
static_assert(InIdOrder(), "kBackends rows must follow BackendId order");

}  // namespace

const std::array<BackendInfo, kBackendCount>& Backends() { return kBackends; }

const BackendInfo& Backend(BackendId id) { return kBackends[static_cast<std::size_t>(id)]; }

const BackendInfo* FindBackend(std::string_view name_or_alias) {
  for (const BackendInfo& row : kBackends) {
    if (row.name == name_or_alias) return &row;
    for (std::string_view alias : row.aliases) {
      if (!alias.empty() && alias == name_or_alias) return &row;
    }
  }
  return nullptr;
}

Result<const BackendInfo*> LookupBackend(std::string_view name_or_alias) {
  if (const BackendInfo* row = FindBackend(name_or_alias)) return row;
  return Status::InvalidArgument("unknown backend '" + std::string(name_or_alias) +
                                 "'; accepted: " + AcceptedBackends());
}

std::string BackendNameList() {
  std::string names;
  for (const BackendInfo& row : kBackends) {
    names += (names.empty() ? "" : ", ") + std::string(row.name);
  }
  return names;
}

std::string AcceptedBackends() {
  std::string aliases;
  for (const BackendInfo& row : kBackends) {
    for (std::string_view alias : row.aliases) {
      if (!alias.empty()) aliases += (aliases.empty() ? "" : ", ") + std::string(alias);
    }
  }
  return BackendNameList() + " (aliases: " + aliases + ")";
}

std::string_view VendorDisplayName(Vendor vendor) {
  constexpr std::pair<Vendor, std::string_view> kNames[] = {
      {Vendor::kNvidia, "NVIDIA"},     {Vendor::kAmd, "AMD"},
      {Vendor::kIntel, "Intel"},       {Vendor::kApple, "Apple"},
      {Vendor::kQualcomm, "Qualcomm"}, {Vendor::kMicrosoft, "Microsoft"},
  };
  for (const auto& [value, name] : kNames) {
    if (value == vendor) return name;
  }
  return "other";
}

const std::vector<std::string>& BackendNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const BackendInfo& row : kBackends) names.emplace_back(row.name);
    return names;
  }();
  return kNames;
}

Result<std::string> CanonicalBackend(std::string_view name) {
  Result<const BackendInfo*> row = LookupBackend(name);
  if (!row.ok()) return row.status();
  return std::string((*row)->name);
}

std::vector<std::string> ProbesForBackend(const std::optional<std::string>& backend) {
  if (!backend) return {};
  const BackendInfo* info = FindBackend(*backend);
  if (info == nullptr) return {};
  // PCI functions and the CPU are every decision's candidates. Probes that snapshots record but
  // this build cannot run (dxgi and metal on Linux; sysfs on Windows) are not asked for.
  std::vector<std::string> probes;
  for (std::string_view probe : {"sysfs", "cpu"}) {
    if (FindProbe(probe) != nullptr) probes.emplace_back(probe);
  }
  for (std::string_view probe : info->probes) {
    if (!probe.empty() && FindProbe(probe) != nullptr) probes.emplace_back(probe);
  }
  return probes;
}

}  // namespace devpick
