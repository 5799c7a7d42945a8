// The backends devpick selects for: ONE declarative table (DESIGN.md "Backends"). Adding a backend
// is one row here plus its tests; select.cc reads the row's fields and never switches on a name.
//
// Thread-safety: constant data.
#ifndef DEVPICK_SELECT_BACKEND_TABLE_H_
#define DEVPICK_SELECT_BACKEND_TABLE_H_

#include <array>
#include <string_view>

#include "devpick/inventory.h"

namespace devpick {

// Where a backend's device index comes from (runtime-reported first, else emulated).
enum class IndexSource {
  kNone,       // mps, cpu: one device, no index
  kCuda,       // cuda probe ordinals; else PCI order + CUDA_DEVICE_ORDER=PCI_BUS_ID
  kRocm,       // KFD GPU nodes in node order after ROCR_ then HIP_VISIBLE_DEVICES; else PCI order
  kLevelZero,  // Level Zero order after ONEAPI_DEVICE_SELECTOR; else PCI order +
               // ZE_ENABLE_PCI_ID_...
  kOpenVino,   // openvino probe names; else Intel iGPU first, dGPUs in OpenCL order
  kDxgi,       // DXGI EnumAdapters1 index
  kVulkan,     // Vulkan enumeration index
  kPerDevice,  // onnxruntime: each device through its execution provider's backend
};

// How the native names are spelled.
enum class NativeStyle {
  kTorchIndexed,  // {"torch": "<prefix>:N"}
  kTorchBare,     // {"torch": "<prefix>"} (mps)
  kOpenVino,      // {"openvino": "GPU.1", "torch": "cpu"}
  kVulkan,        // {"vulkan": N}
  kCpu,           // {"torch": "cpu", "openvino": "CPU"}
  kOnnxRuntime,   // {"onnxruntime": {"provider": ..., "options": {...}}}
};

inline constexpr unsigned KindBit(DeviceKind kind) { return 1u << static_cast<unsigned>(kind); }
inline constexpr unsigned kGpuKinds = KindBit(DeviceKind::kDgpu) | KindBit(DeviceKind::kIgpu);

struct BackendInfo {
  std::string_view name;
  std::array<std::string_view, 2> aliases;         // "" = none
  std::string_view display;                        // in messages: "CUDA", "OpenVINO"
  unsigned kinds;                                  // KindBit mask of the kinds it drives
  std::array<Vendor, 2> vendors;                   // vendors of the GPUs/NPUs it drives
  bool any_vendor;                                 // directml, vulkan: any vendor with the binding
  std::string_view required_binding;               // "dxgi", "vulkan", or "" (none)
  std::array<std::string_view, 3> kernel_drivers;  // Linux drivers it needs ("" = unused)
  std::array<std::string_view, 3> os;              // host.os values it runs on ("" = unused)
  IndexSource index_source;
  NativeStyle native_style;
  std::string_view torch_prefix;   // cuda, xpu, privateuseone, mps
  std::string_view runtime_probe;  // probe whose absence means the runtime is missing
  std::string_view runtime_remedy;
  std::string_view missing;  // "no NVIDIA GPU was found"
};

// Every backend in table order (cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime,
// vulkan, cpu).
const std::array<BackendInfo, 10>& Backends();
// The row for a canonical name or alias, or nullptr.
const BackendInfo* FindBackend(std::string_view name_or_alias);
// The row for a canonical name; the name must exist.
const BackendInfo& BackendRow(std::string_view name);
// "cuda, rocm, ... (aliases: torch-cuda, hip, ipex, dml, ort)"
std::string AcceptedBackends();

// The NVIDIA/AMD/Intel/... spelling used in messages.
std::string_view VendorDisplayName(Vendor vendor);

}  // namespace devpick

#endif  // DEVPICK_SELECT_BACKEND_TABLE_H_
