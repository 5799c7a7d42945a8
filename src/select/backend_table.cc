#include "select/backend_table.h"

#include <string>
#include <vector>

#include "devpick/select.h"

namespace devpick {
namespace {

constexpr unsigned kCpuBit = KindBit(DeviceKind::kCpu);
constexpr unsigned kNpuBit = KindBit(DeviceKind::kNpu);

// Remedies name the package users install (research/sdnext.md: installers guess from nvidia-smi;
// devpick says what is actually missing).
constexpr std::array<BackendInfo, 10> kBackends = {{
    {"cuda",
     {"torch-cuda", ""},
     "CUDA",
     kGpuKinds,
     {Vendor::kNvidia, Vendor::kNvidia},
     false,
     "",
     {"nvidia", "", ""},
     {"linux", "windows", ""},
     IndexSource::kCuda,
     NativeStyle::kTorchIndexed,
     "cuda",
     "cuda",
     "install the NVIDIA driver (it provides libcuda.so.1) and a CUDA build of PyTorch",
     "no NVIDIA GPU was found"},
    {"rocm",
     {"hip", ""},
     "ROCm",
     kGpuKinds,
     {Vendor::kAmd, Vendor::kAmd},
     false,
     "",
     {"amdgpu", "", ""},
     {"linux", "", ""},
     IndexSource::kRocm,
     NativeStyle::kTorchIndexed,
     "cuda",
     "rocm",
     "load the amdgpu kernel driver with KFD (/dev/kfd) and install ROCm",
     "no AMD GPU was found"},
    {"zluda",
     {"", ""},
     "ZLUDA",
     kGpuKinds,
     {Vendor::kAmd, Vendor::kAmd},
     false,
     "",
     {"amdgpu", "", ""},
     {"linux", "windows", ""},
     IndexSource::kRocm,
     NativeStyle::kTorchIndexed,
     "cuda",
     "rocm",
     "install the AMD HIP runtime that ZLUDA loads",
     "no AMD GPU was found"},
    {"xpu",
     {"ipex", ""},
     "XPU",
     kGpuKinds,
     {Vendor::kIntel, Vendor::kIntel},
     false,
     "",
     {"i915", "xe", ""},
     {"linux", "windows", ""},
     IndexSource::kLevelZero,
     NativeStyle::kTorchIndexed,
     "xpu",
     "level_zero",
     "install the Intel compute runtime (intel-level-zero-gpu / level-zero) and an XPU build of "
     "PyTorch",
     "no Intel GPU was found"},
    {"openvino",
     {"", ""},
     "OpenVINO",
     kGpuKinds | kNpuBit | kCpuBit,
     {Vendor::kIntel, Vendor::kIntel},
     false,
     "",
     {"i915", "xe", "intel_vpu"},
     {"linux", "windows", "macos"},
     IndexSource::kOpenVino,
     NativeStyle::kOpenVino,
     "",
     "openvino",
     "install the OpenVINO runtime (pip install openvino); GPUs also need the Intel compute "
     "runtime",
     "no Intel GPU, Intel NPU or CPU was found"},
    {"directml",
     {"dml", ""},
     "DirectML",
     kGpuKinds | kNpuBit,
     {Vendor::kOther, Vendor::kOther},
     true,
     "dxgi",
     {"", "", ""},
     {"windows", "linux", ""},
     IndexSource::kDxgi,
     NativeStyle::kTorchIndexed,
     "privateuseone",
     "dxgi",
     "install torch-directml on Windows or WSL",
     "no GPU with a DXGI adapter was found (DirectML needs Windows or WSL)"},
    {"mps",
     {"", ""},
     "MPS",
     kGpuKinds,
     {Vendor::kApple, Vendor::kApple},
     false,
     "",
     {"", "", ""},
     {"macos", "", ""},
     IndexSource::kNone,
     NativeStyle::kTorchBare,
     "mps",
     "metal",
     "MPS needs macOS 12.3 or later on Apple silicon",
     "no Apple GPU was found"},
    {"onnxruntime",
     {"ort", ""},
     "ONNX Runtime",
     kGpuKinds | kNpuBit | kCpuBit,
     {Vendor::kOther, Vendor::kOther},
     true,
     "",
     {"", "", ""},
     {"linux", "windows", "macos"},
     IndexSource::kPerDevice,
     NativeStyle::kOnnxRuntime,
     "",
     "",
     "",
     "no device was found"},
    {"vulkan",
     {"", ""},
     "Vulkan",
     kGpuKinds,
     {Vendor::kOther, Vendor::kOther},
     true,
     "vulkan",
     {"", "", ""},
     {"linux", "windows", "macos"},
     IndexSource::kVulkan,
     NativeStyle::kVulkan,
     "",
     "vulkan",
     "install the Vulkan loader (libvulkan1) and the GPU's Vulkan driver (mesa-vulkan-drivers or "
     "the vendor's)",
     "no GPU with a Vulkan driver was found"},
    {"cpu",
     {"", ""},
     "the cpu backend",
     kCpuBit,
     {Vendor::kOther, Vendor::kOther},
     true,
     "",
     {"", "", ""},
     {"linux", "windows", "macos"},
     IndexSource::kNone,
     NativeStyle::kCpu,
     "",
     "",
     "",
     "no CPU was found"},
}};

}  // namespace

const std::array<BackendInfo, 10>& Backends() { return kBackends; }

const BackendInfo* FindBackend(std::string_view name_or_alias) {
  for (const BackendInfo& row : kBackends) {
    if (row.name == name_or_alias) return &row;
    for (std::string_view alias : row.aliases) {
      if (!alias.empty() && alias == name_or_alias) return &row;
    }
  }
  return nullptr;
}

const BackendInfo& BackendRow(std::string_view name) {
  const BackendInfo* row = FindBackend(name);
  return row != nullptr ? *row : kBackends.back();
}

std::string AcceptedBackends() {
  std::string names;
  std::string aliases;
  for (const BackendInfo& row : kBackends) {
    names += (names.empty() ? "" : ", ") + std::string(row.name);
    for (std::string_view alias : row.aliases) {
      if (!alias.empty()) aliases += (aliases.empty() ? "" : ", ") + std::string(alias);
    }
  }
  return names + " (aliases: " + aliases + ")";
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
  if (const BackendInfo* row = FindBackend(name)) return std::string(row->name);
  return Status::InvalidArgument("unknown backend '" + std::string(name) +
                                 "'; accepted: " + AcceptedBackends());
}

namespace {

// The runtime probes each backend's decision reads: OpenVINO orders GPUs by OpenCL and takes Level
// Zero's integrated flag; ONNX Runtime dispatches to every vendor's stack.
struct BackendProbes {
  std::string_view backend;
  std::array<std::string_view, 6> probes;  // "" = unused
};
constexpr BackendProbes kBackendProbes[] = {
    {"cuda", {"nvml", "cuda"}},
    {"rocm", {"rocm"}},
    {"zluda", {"rocm"}},
    {"xpu", {"level_zero"}},
    {"openvino", {"openvino", "opencl", "level_zero"}},
    {"directml", {"dxgi"}},
    {"mps", {"metal"}},
    {"onnxruntime", {"rocm", "nvml", "cuda", "level_zero", "opencl", "openvino"}},
    {"vulkan", {"vulkan"}},
    {"cpu", {}},
};

}  // namespace

std::vector<std::string> ProbesForBackend(const std::optional<std::string>& backend) {
  if (!backend) return {};
  const BackendInfo* info = FindBackend(*backend);
  if (info == nullptr) return {};
  std::vector<std::string> probes = {"sysfs", "cpu"};
  for (const BackendProbes& row : kBackendProbes) {
    if (row.backend != info->name) continue;
    for (std::string_view probe : row.probes) {
      if (!probe.empty()) probes.emplace_back(probe);
    }
  }
  return probes;
}

}  // namespace devpick
