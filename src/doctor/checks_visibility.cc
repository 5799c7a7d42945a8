// Visibility variables that leave a runtime no device. Judged on the runtime views select numbers
// devices with (select/runtime_view.h), so doctor and select agree on what each runtime sees.
#include <string>
#include <vector>

#include "core/text.h"
#include "doctor/checks.h"
#include "select/runtime_view.h"
#include "select/visibility.h"

namespace devpick::doctor {
namespace {

// The mask that left none of the runtime's devices, or nullptr.
const MaskEffect* HidingMask(const RuntimeView& view) {
  if (!view.MasksHideAll()) return nullptr;
  for (const MaskEffect& mask : view.masks) {
    if (mask.after == 0) return &mask;
  }
  return nullptr;
}

// "env: NAME='value'" for every variable the runtime applied, then the notes on their entries.
std::vector<std::string> MaskEvidence(const RuntimeView& view) {
  std::vector<std::string> evidence;
  for (const MaskEffect& mask : view.masks) {
    evidence.push_back("env: " + Quoted(mask.variable, mask.value) +
                       (mask.why_read.empty() ? "" : " (" + mask.why_read + ")"));
  }
  for (const MaskEffect& mask : view.masks) {
    for (const std::string& note : mask.notes) evidence.push_back(note);
  }
  return evidence;
}

Finding HidesAll(std::string code, const RuntimeView& view, const MaskEffect& mask,
                 const std::string& what, std::string remedy, IndexSource backends) {
  return {.code = std::move(code),
          .severity = Severity::kError,
          .device_id = "",
          .message = Quoted(mask.variable, mask.value) + " hides every " + what + " (" +
                     std::to_string(view.masks.front().before) + " present)",
          .evidence = MaskEvidence(view),
          .remedy = std::move(remedy),
          .backends = BackendsNumberedBy(backends)};
}

// "0 to 2"
std::string IndexRange(std::size_t count) { return "0 to " + std::to_string(count - 1); }

}  // namespace

void CheckCudaVisibility(const Machine& m, Findings* out) {
  RuntimeView view = BuildRuntimeView(Backend(BackendId::kCuda), m.inv());
  const MaskEffect* mask = HidingMask(view);
  if (mask == nullptr) return;
  out->push_back(HidesAll("cuda_visible_hides_all", view, *mask, "NVIDIA GPU",
                          "unset " + mask->variable + ", or list GPUs by index (" +
                              IndexRange(mask->before) + ") or by UUID (nvidia-smi -L)",
                          IndexSource::kCuda));
}

void CheckRocmVisibility(const Machine& m, Findings* out) {
  RuntimeView view = BuildRuntimeView(Backend(BackendId::kRocm), m.inv());
  if (view.masks.empty()) return;
  std::size_t present = view.masks.front().before;
  if (m.EnvVar("ROCR_VISIBLE_DEVICES") && m.EnvVar("HIP_VISIBLE_DEVICES")) {
    bool none = view.MasksHideAll();
    out->push_back(
        {.code = "rocm_visibility_conflict",
         .severity = none ? Severity::kError : Severity::kWarning,
         .device_id = "",
         .message = "both ROCR_VISIBLE_DEVICES and HIP_VISIBLE_DEVICES are set; HIP numbers only "
                    "the GPUs ROCr left, so the two use different indices" +
                    std::string(none ? ", and together they leave no GPU visible (" +
                                           std::to_string(present) + " present)"
                                     : ""),
         .evidence = MaskEvidence(view),
         .remedy = "set only ROCR_VISIBLE_DEVICES (ROCm's advice on Linux) and unset "
                   "HIP_VISIBLE_DEVICES",
         .backends = BackendsNumberedBy(IndexSource::kRocm)});
    return;
  }
  const MaskEffect* mask = HidingMask(view);
  if (mask == nullptr) return;
  out->push_back(HidesAll(
      "rocm_visible_hides_all", view, *mask, "AMD GPU",
      "unset " + mask->variable + ", or list GPUs by index (" + IndexRange(mask->before) + ")",
      IndexSource::kRocm));
}

void CheckOneApiSelector(const Machine& m, Findings* out) {
  std::optional<std::string> value = m.EnvVar("ONEAPI_DEVICE_SELECTOR");
  if (!value) return;
  Result<std::vector<OneApiFilter>> filters = ParseOneApiDeviceSelector(*value);
  if (!filters.ok()) {
    out->push_back({.code = "oneapi_selector_invalid",
                    .severity = Severity::kError,
                    .device_id = "",
                    .message = filters.status().message(),
                    .evidence = {"env: " + Quoted("ONEAPI_DEVICE_SELECTOR", *value)},
                    .remedy = "fix or unset ONEAPI_DEVICE_SELECTOR; SYCL refuses to start with "
                              "an invalid value (e.g. level_zero:0 or level_zero:gpu)",
                    .backends = BackendsNumberedBy(IndexSource::kLevelZero)});
    return;
  }
  RuntimeView view = BuildRuntimeView(Backend(BackendId::kXpu), m.inv());
  const MaskEffect* mask = HidingMask(view);
  if (mask == nullptr || mask->variable != "ONEAPI_DEVICE_SELECTOR") return;
  out->push_back(HidesAll("oneapi_selector_hides_all", view, *mask, "Intel GPU from Level Zero",
                          "unset ONEAPI_DEVICE_SELECTOR, or accept a Level Zero GPU (level_zero:0)",
                          IndexSource::kLevelZero));
}

}  // namespace devpick::doctor
