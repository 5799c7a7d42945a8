// Native names: what a backend calls a device (cuda:1, xpu:0, GPU.1, NPU, CPU, mps, a Vulkan index,
// an ONNX Runtime provider with its options), and which backend a native spelling in a device spec
// belongs to. Spellings come from the backend row's native_style and torch_prefix.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_NATIVE_NAMES_H_
#define DEVPICK_SELECT_NATIVE_NAMES_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "devpick/status.h"
#include "select/backend_table.h"
#include "select/device_spec.h"
#include "select/runtime_view.h"

namespace devpick {

// The backend's spelling of `device` given its view and ordinal: cuda:1, xpu:0, GPU.1, NPU, CPU,
// mps; "" when it has none (not numbered, or a Vulkan index).
std::string NativeSpelling(const BackendInfo& via, const Device& device, const RuntimeView& view,
                           std::optional<int> ordinal);

// Ok when `item` is not a native spelling or is one `row` uses; else InvalidArgument naming the
// spelling the backend uses.
Status CheckNativeItem(const BackendInfo& row, const DeviceSpecItem& item);

// The backend a native spelling names (cuda:N -> cuda, GPU.1 -> openvino), or nullptr.
const BackendInfo* BackendOfNative(const DeviceSpecItem& item);

// decision.native for backend `via`: {"torch": "cuda:0"}, {"openvino": "GPU.1", "torch": "cpu"},
// {"vulkan": 1}, ...; `isolated` renumbers the device to 0. `onnxruntime` wraps it as the execution
// provider with its options.
nlohmann::ordered_json NativeJson(const BackendInfo& via, const std::string& native,
                                  std::optional<int> ordinal, bool isolated);
nlohmann::ordered_json OrtJson(const BackendInfo& via, const std::string& native,
                               std::optional<int> ordinal, bool isolated);

}  // namespace devpick

#endif  // DEVPICK_SELECT_NATIVE_NAMES_H_
