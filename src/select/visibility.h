// Visibility variables: which devices a runtime enumerates, and in what order, under the masks the
// user set (research/specs.md §4). Pure functions of the variable's value and the unmasked device
// list, so each documented edge case is a one-line test.
//
// Each Apply* function takes the value of a variable that IS set (callers handle "unset", which
// means "all devices" everywhere) and the unmasked devices in the runtime's own order, and returns
// the positions (into that list) of the devices the runtime shows, in the order it numbers them:
// result.indices[k] is the device that becomes ordinal k. `notes` explain entries that stopped or
// were skipped, for warnings.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_VISIBILITY_H_
#define DEVPICK_SELECT_VISIBILITY_H_

#include <string>
#include <string_view>
#include <vector>

#include "devpick/status.h"

namespace devpick {

struct VisibleList {
  std::vector<int> indices;
  std::vector<std::string> notes;
};

// CUDA_VISIBLE_DEVICES. `uuids[i]` is the "GPU-..." UUID of unmasked ordinal i ("" when unknown).
// "" hides every device; entries are taken in list order; integers are read like strtoul ("1gpu"
// is 1); "GPU-" entries match a unique UUID prefix; "MIG-GPU-<uuid>/<gi>/<ci>" selects that GPU's
// instance (only one MIG instance is enumerated, so nothing after it counts); the first invalid,
// out-of-range, ambiguous or unresolvable entry ends the list ("0,2,-1,1" -> 0, 2); a repeated
// ordinal hides every device (PyTorch's model of the driver, torch/cuda/__init__.py).
VisibleList ApplyCudaVisibleDevices(std::string_view value, const std::vector<std::string>& uuids);

// ROCR_VISIBLE_DEVICES. `uuids[i]` is the ROCr UUID ("GPU-" + 16 hex digits) of agent i. "" and
// "-1" hide every device; tokens are indices or UUID prefixes; the first terminating token (index
// out of range, already selected, the literal "GPU-XX", a UUID matching zero or several devices)
// ends the list ("3,GPU-<uuid of 0>,4" on 4 GPUs -> 3, 0).
VisibleList ApplyRocrVisibleDevices(std::string_view value, const std::vector<std::string>& uuids);

// HIP_VISIBLE_DEVICES (also CUDA_VISIBLE_DEVICES under HIP when HIP_VISIBLE_DEVICES is empty),
// applied to the agents ROCr left. "" means no filtering; a token containing "GPU-" becomes the
// first agent whose UUID contains it; a token must read back unchanged as an integer ("01", " 1",
// "+1" stop the list) and be a valid agent index, else the list stops; repeats are skipped.
VisibleList ApplyHipVisibleDevices(std::string_view value, const std::vector<std::string>& uuids);

// ZE_AFFINITY_MASK over `device_count` root devices, each counted as one device (devpick does not
// model tiles): "<dev>" or "<dev>.<sub>" entries, spaces allowed; empty means all; invalid or
// out-of-range entries are skipped with a note. Level Zero does not promise mask order, so the
// selected devices keep their unmasked order.
VisibleList ApplyZeAffinityMask(std::string_view value, int device_count);

// ONEAPI_DEVICE_SELECTOR (intel/llvm sycl/doc/EnvironmentVariables.md).
struct OneApiFilter {
  bool discard = false;
  std::string backend;               // lower case: *, level_zero, opencl, cuda, hip, native_cpu
  std::vector<std::string> devices;  // *, cpu, gpu, fpga, N, N.M, N.*, *.*, N.M.K, ...
};
// Errors name the value and the bad part, e.g. "ONEAPI_DEVICE_SELECTOR='level_zero': filter
// 'level_zero' has no ':'; expected <backend>:<devices> such as level_zero:0 or *:gpu".
Result<std::vector<OneApiFilter>> ParseOneApiDeviceSelector(std::string_view value);
// The Level Zero GPUs (of `device_count`, in Level Zero order) that SYCL exposes: accept filters
// for `*` or `level_zero` (none at all = accept all), minus discard filters, in Level Zero order.
VisibleList ApplyOneApiDeviceSelector(const std::vector<OneApiFilter>& filters, int device_count);

}  // namespace devpick

#endif  // DEVPICK_SELECT_VISIBILITY_H_
