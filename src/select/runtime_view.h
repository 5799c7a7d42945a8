// Runtime views: how a backend's runtime numbers and names the devices it can see under the
// recorded visibility variables (research/specs.md §4). ONE module, read by select (ordinals,
// native names, the env that makes them exact) and by doctor (a variable that hides every device),
// so the two never disagree about what a runtime sees.
//
// Index decisions, documented once here:
//  - A runtime-reported index (cuda ordinal, Level Zero order, OpenVINO name, KFD node, DXGI and
//    Vulkan index) is used as is; the cuda and level_zero probes run under the recorded env, so
//    their indices already reflect CUDA_VISIBLE_DEVICES / ZE_AFFINITY_MASK.
//  - When the index is emulated from PCI order, the variable that makes the runtime use PCI order
//    (CUDA_DEVICE_ORDER=PCI_BUS_ID, ZE_ENABLE_PCI_ID_DEVICE_ORDER=1) is ALWAYS emitted, even for a
//    lone GPU: the emitted name then stays right when a second GPU appears, and the rule is the
//    same for every backend. It is not emitted when the recorded env already sets it.
//  - HIP reads CUDA_VISIBLE_DEVICES when HIP_VISIBLE_DEVICES is unset or empty.
//
// Thread-safety: pure functions; a view points into the inventory it was built from.
#ifndef DEVPICK_SELECT_RUNTIME_VIEW_H_
#define DEVPICK_SELECT_RUNTIME_VIEW_H_

#include <map>
#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "select/backend_table.h"
#include "select/eligibility.h"

namespace devpick {

// One visibility variable as the runtime applied it.
struct MaskEffect {
  std::string variable;  // ROCR_VISIBLE_DEVICES
  std::string value;
  // Why it is read when it is not the backend's own variable ("HIP reads CUDA_VISIBLE_DEVICES
  // when HIP_VISIBLE_DEVICES is unset"), else "".
  std::string why_read;
  std::vector<std::string> notes;  // entries that stopped or were skipped
  std::size_t before = 0;          // devices it applied to
  std::size_t after = 0;           // devices it left
};

struct RuntimeView {
  std::vector<const Device*> drivable;        // the GPUs/NPUs the backend drives (CheckDrive)
  std::map<const Device*, int> ordinal;       // visible devices -> the runtime's index
  std::map<const Device*, std::string> name;  // OpenVINO names
  std::map<const Device*, Verdict> hidden;    // drivable but not visible, with why
  std::map<const Device*, std::map<std::string, std::string>> isolate_env;
  std::map<std::string, std::string> exact_env;  // makes emulated indices exact
  std::vector<std::string> warnings;
  std::string mask;               // "CUDA_VISIBLE_DEVICES=1" when a mask renumbers devices
  std::vector<MaskEffect> masks;  // every visibility variable applied, in order

  // Whether the visibility variables leave none of the devices the runtime would otherwise show.
  bool MasksHideAll() const;
};

// The view of backend `row` (its index_source picks the builder).
RuntimeView BuildRuntimeView(const BackendInfo& row, const Inventory& inventory);

}  // namespace devpick

#endif  // DEVPICK_SELECT_RUNTIME_VIEW_H_
