#include "select/native_names.h"

namespace devpick {
namespace {

using Json = nlohmann::ordered_json;
using Type = DeviceSpecItem::Type;

bool Spells(const BackendInfo& row, const DeviceSpecItem& item) {
  switch (row.native_style) {
    case NativeStyle::kTorchIndexed:
    case NativeStyle::kTorchBare:
      return IsTorchNative(item) && item.value == row.torch_prefix;
    case NativeStyle::kOpenVino:
      return IsOpenVinoNative(item);
    case NativeStyle::kCpu:
      return item.value == "CPU";
    case NativeStyle::kVulkan:
    case NativeStyle::kOnnxRuntime:
      return false;
  }
  return false;
}

// How the backend's names look, for messages.
std::string SpellingOf(const BackendInfo& row) {
  switch (row.native_style) {
    case NativeStyle::kTorchIndexed:
      return std::string(row.torch_prefix) + ":N";
    case NativeStyle::kTorchBare:
      return std::string(row.torch_prefix);
    case NativeStyle::kOpenVino:
      return "CPU, GPU, GPU.N, NPU";
    case NativeStyle::kVulkan:
      return "a bare index N";
    case NativeStyle::kCpu:
    case NativeStyle::kOnnxRuntime:
      break;
  }
  return "CPU";
}

}  // namespace

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

// onnxruntime accepts every spelling of its providers.
Status CheckNativeItem(const BackendInfo& row, const DeviceSpecItem& item) {
  if (item.type != Type::kNative || row.native_style == NativeStyle::kOnnxRuntime ||
      Spells(row, item)) {
    return Status::Ok();
  }
  return Status::InvalidArgument("device spec item '" + item.text + "' is not how backend " +
                                 std::string(row.name) + " names devices; " +
                                 std::string(row.name) + " uses " + SpellingOf(row) +
                                 " (kinds, vendors, ids, pci:, uuid: and name: work with every "
                                 "backend)");
}

// The first row in table order that spells it: cuda:N is CUDA's even though ROCm and ZLUDA also
// use torch's "cuda" prefix, and CPU is OpenVINO's.
const BackendInfo* BackendOfNative(const DeviceSpecItem& item) {
  if (item.type != Type::kNative) return nullptr;
  for (const BackendInfo& row : Backends()) {
    if (Spells(row, item)) return &row;
  }
  return nullptr;
}

Json NativeJson(const BackendInfo& via, const std::string& native, std::optional<int> ordinal,
                bool isolated) {
  if (isolated) ordinal = 0;
  switch (via.native_style) {
    case NativeStyle::kTorchIndexed:
      return Json{
          {"torch", std::string(via.torch_prefix) + ":" + std::to_string(ordinal.value_or(0))}};
    case NativeStyle::kTorchBare:
      return Json{{"torch", std::string(via.torch_prefix)}};
    case NativeStyle::kOpenVino:
      return Json{{"openvino", native}, {"torch", "cpu"}};
    case NativeStyle::kVulkan:
      return Json{{"vulkan", ordinal.value_or(0)}};
    case NativeStyle::kCpu:
      return Json{{"torch", "cpu"}, {"openvino", "CPU"}};
    case NativeStyle::kOnnxRuntime:
      break;
  }
  return Json::object();
}

Json OrtJson(const BackendInfo& via, const std::string& native, std::optional<int> ordinal,
             bool isolated) {
  Json options = Json::object();
  if (via.native_style == NativeStyle::kOpenVino) {
    options["device_type"] = native;
  } else if (via.native_style == NativeStyle::kTorchIndexed) {
    options["device_id"] = isolated ? 0 : ordinal.value_or(0);
  }
  std::string_view provider = via.ort.provider.empty() ? "CPUExecutionProvider" : via.ort.provider;
  return Json{{"onnxruntime", Json{{"provider", std::string(provider)}, {"options", options}}}};
}

}  // namespace devpick
