// The backends devpick selects for: ONE declarative table (DESIGN.md "Backends"). Every fact that
// differs between backends is a field of its row: what it drives, how its runtime numbers and names
// devices, the probes its decision reads, how ONNX Runtime reaches it, when it is recommended,
// which APIs measure for it and what it needs in Python. Code reads rows and never switches on a
// name, so adding a backend is one row here plus its tests.
//
// Thread-safety: constant data.
#ifndef DEVPICK_SELECT_BACKEND_TABLE_H_
#define DEVPICK_SELECT_BACKEND_TABLE_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/inventory.h"
#include "devpick/status.h"
#include "verify/verify.h"

namespace devpick {

// The backends, in table order. Names are for the JSON/CLI boundary; inside the library rows are
// found by id.
enum class BackendId {
  kCuda,
  kRocm,
  kZluda,
  kXpu,
  kOpenVino,
  kDirectMl,
  kMps,
  kOnnxRuntime,
  kVulkan,
  kCpu,
};
inline constexpr std::size_t kBackendCount = 10;

// Where a backend's device index comes from (runtime-reported first, else emulated). One runtime
// view builder per source (select/runtime_view.cc).
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
inline constexpr unsigned kNpuKind = KindBit(DeviceKind::kNpu);
inline constexpr unsigned kCpuKind = KindBit(DeviceKind::kCpu);

// ONNX Runtime reaches a device through one execution provider, i.e. through this backend's rules
// (research/onnxruntime.md). The first row in table order whose provider takes the device's kind
// and that drives the device on the host's OS is the one.
struct OrtRoute {
  std::string_view provider = {};  // "" = not an execution provider
  unsigned kinds = 0;              // KindBit mask of the devices it takes
};

// When this is the backend users of a device's vendor and OS would install (DESIGN.md "Backends").
// The first row in table order that recommends itself for a device wins.
struct Recommendation {
  unsigned kinds = 0;             // KindBit mask; 0 = never recommended
  std::string_view only_os = {};  // "" = wherever the backend runs
  bool needs_binding = false;     // only for devices its required_binding reported
  bool cpu_needs_x86 = false;     // the CPU only on x86 (OpenVINO's CPU plugin)
};

// What the backend needs in the Python environment (doctor's python check).
struct PythonNeeds {
  std::string_view torch_label = {};                  // torch's local-version prefix: "cu", "rocm"
  std::array<std::string_view, 2> torch_builds = {};  // accepted torch builds ("" = unused)
  std::string_view torch_alternative = {};            // a package that also satisfies it
  std::array<std::string_view, 5> packages = {};      // any one of these is needed ("" = unused)
  std::array<std::string_view, 2> serving = {};       // packages whose name says they serve it
  std::string_view install = {};
  bool wants_cpu_torch = false;  // a GPU build of torch beside it picks that GPU instead  // how to
                                 // install what is needed ("" = nothing)
};

struct BackendInfo {
  BackendId id;
  std::string_view name;
  std::array<std::string_view, 2> aliases;         // "" = none
  std::string_view display;                        // in messages: "CUDA", "OpenVINO"
  unsigned kinds;                                  // KindBit mask of the kinds it drives
  std::array<Vendor, 2> vendors;                   // vendors of the GPUs/NPUs it drives
  bool any_vendor;                                 // directml, vulkan: any vendor with the binding
  std::string_view required_binding;               // "dxgi", "vulkan", or "" (none)
  std::array<std::string_view, 2> kernel_drivers;  // Linux drivers its GPUs need ("" = unused)
  std::string_view npu_kernel_driver;              // the Linux driver its NPUs need
  std::array<std::string_view, 3> os;              // host.os values it runs on ("" = unused)
  IndexSource index_source;
  NativeStyle native_style;
  std::string_view torch_prefix;           // cuda, xpu, privateuseone, mps
  std::array<std::string_view, 6> probes;  // runtime probes its decision reads
  std::string_view runtime_probe;          // probe whose absence means the runtime is missing
  // The probe that sees the vendor compute runtime its GPUs run on (doctor's *_runtime_missing):
  // OpenVINO's GPU plugin runs on OpenCL, whose order it follows when it numbers GPUs itself.
  std::string_view gpu_runtime_probe;
  std::string_view runtime_remedy;
  std::string_view missing;  // "no NVIDIA GPU was found"
  OrtRoute ort;
  Recommendation recommend;
  std::array<VerifyApi, 3> measure_apis;  // verify's APIs for the measured policy, in order
  PythonNeeds python;
};

// Every backend in table order (cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime,
// vulkan, cpu).
const std::array<BackendInfo, kBackendCount>& Backends();
const BackendInfo& Backend(BackendId id);
// The row for a canonical name or alias, or nullptr.
const BackendInfo* FindBackend(std::string_view name_or_alias);
// The row for a canonical name or alias, or InvalidArgument "unknown backend 'x'; accepted: ...".
Result<const BackendInfo*> LookupBackend(std::string_view name_or_alias);
// "cuda, rocm, ... (aliases: torch-cuda, hip, ipex, dml, ort)"
std::string AcceptedBackends();
// "cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime, vulkan, cpu": for help texts.
std::string BackendNameList();

// The NVIDIA/AMD/Intel/... spelling used in messages.
std::string_view VendorDisplayName(Vendor vendor);

}  // namespace devpick

#endif  // DEVPICK_SELECT_BACKEND_TABLE_H_
