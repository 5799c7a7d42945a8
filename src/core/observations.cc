#include "devpick/observations.h"

namespace devpick {
namespace {

// KFD numbers its topology nodes from 0, CPUs (one per NUMA node) first, then GPUs; 128 leaves
// room for eight GPUs in eight compute partitions each.
constexpr int kRecordedKfdNodes = 128;

}  // namespace

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
  static const std::vector<std::string> kVars = [] {
    std::vector<std::string> vars = {
        "CUDA_VISIBLE_DEVICES",     "CUDA_DEVICE_ORDER",
        "HIP_VISIBLE_DEVICES",      "ROCR_VISIBLE_DEVICES",
        "GPU_DEVICE_ORDINAL",       "HSA_OVERRIDE_GFX_VERSION",
        "ZE_AFFINITY_MASK",         "ZE_ENABLE_PCI_ID_DEVICE_ORDER",
        "ZE_FLAT_DEVICE_HIERARCHY", "ONEAPI_DEVICE_SELECTOR",
        "OCL_ICD_VENDORS",          "OCL_ICD_FILENAMES",
        "VK_ICD_FILENAMES",         "VK_DRIVER_FILES",
    };
    // ROCm's per-node override, HSA_OVERRIDE_GFX_VERSION_<KFD node> (libhsakmt prints the node
    // with %d). Env looks names up one at a time, so every node number a machine can have is
    // asked for, not only the GPU nodes the rocm probe saw: an override for a node that does not
    // exist is a mistake worth reporting, and the probe may not have run at all.
    for (int node = 0; node < kRecordedKfdNodes; ++node) {
      vars.push_back("HSA_OVERRIDE_GFX_VERSION_" + std::to_string(node));
    }
    return vars;
  }();
  return kVars;
}

}  // namespace devpick
