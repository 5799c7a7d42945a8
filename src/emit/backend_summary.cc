#include "emit/backend_summary.h"

#include "devpick/select.h"
#include "select/backend_table.h"

namespace devpick {
namespace {

// The backend's own spelling of the chosen device, for a one-line summary.
std::string NativeSummary(const Decision& decision) {
  const auto& native = decision.native;
  const BackendInfo* row = FindBackend(decision.backend);
  // The cpu backend also spells its device for OpenVINO; its summary is torch's.
  if (row != nullptr && row->native_style == NativeStyle::kOpenVino &&
      native.contains("openvino")) {
    return native["openvino"].get<std::string>();
  }
  if (native.contains("vulkan")) return "vulkan " + native["vulkan"].dump();
  if (native.contains("onnxruntime")) {
    const auto& ort = native["onnxruntime"];
    std::string text = ort.value("provider", "");
    if (ort.contains("options") && !ort["options"].empty()) text += " " + ort["options"].dump();
    return text;
  }
  if (native.contains("torch")) return native["torch"].get<std::string>();
  return "";
}

}  // namespace

std::vector<BackendLine> SummarizeBackends(const Inventory& inventory) {
  std::vector<BackendLine> lines;
  for (const std::string& backend : BackendNames()) {
    Request request;
    request.backend = backend;
    Result<Decision> decision = Select(inventory, request);
    if (!decision.ok()) {
      lines.push_back({backend, std::nullopt, "", decision.status().message()});
      continue;
    }
    std::optional<std::string> id;
    if (decision->device != nullptr) id = decision->device->id;
    std::string note = decision->error.value_or("");
    // The line already names the backend: keep only the reason.
    std::string prefix = "no eligible device for backend " + backend + ": ";
    if (note.rfind(prefix, 0) == 0) note = note.substr(prefix.size());
    for (const auto& [key, value] : decision->env) {
      note += (note.empty() ? "with " : " ") + key + "=" + value;
    }
    lines.push_back({backend, id, id ? NativeSummary(*decision) : "", note});
  }
  return lines;
}

BackendChoices ToBackendChoices(const std::vector<BackendLine>& lines) {
  BackendChoices choices;
  for (const BackendLine& line : lines) choices.emplace_back(line.backend, line.device_id);
  return choices;
}

}  // namespace devpick
