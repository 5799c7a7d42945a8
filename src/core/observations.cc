#include "devpick/observations.h"

namespace devpick {

std::string_view ToString(ProbeStatus status) {
  switch (status) {
    case ProbeStatus::kOk:
      return "ok";
    case ProbeStatus::kAbsent:
      return "absent";
    case ProbeStatus::kError:
      return "error";
    case ProbeStatus::kTimeout:
      return "timeout";
    case ProbeStatus::kSkipped:
      return "skipped";
  }
  return "error";
}

const std::vector<std::string>& RecordedEnvVars() {
  // Visibility and ordering variables of every runtime devpick emulates (research/specs.md §4).
  static const std::vector<std::string> kVars = {
      "CUDA_VISIBLE_DEVICES",     "CUDA_DEVICE_ORDER",
      "HIP_VISIBLE_DEVICES",      "ROCR_VISIBLE_DEVICES",
      "GPU_DEVICE_ORDINAL",       "HSA_OVERRIDE_GFX_VERSION",
      "ZE_AFFINITY_MASK",         "ZE_ENABLE_PCI_ID_DEVICE_ORDER",
      "ZE_FLAT_DEVICE_HIERARCHY", "ONEAPI_DEVICE_SELECTOR",
      "OCL_ICD_VENDORS",          "OCL_ICD_FILENAMES",
      "VK_ICD_FILENAMES",         "VK_DRIVER_FILES",
  };
  return kVars;
}

}  // namespace devpick
