// The measured policy: rank the eligible devices by the throughput `devpick verify` measures on
// them, remembered per device and driver.
//
// SelectMeasured() runs Select() once under the performance policy to learn which devices are
// eligible, measures each of them (the SGEMM of verify.h, through the API the backend's device is
// reachable by), and runs Select() again with Policy::kMeasured and the measurements. A device that
// fails verification is not eligible (its candidate names the failing step); one that cannot be
// measured (no OpenCL, Vulkan or CUDA device drives it) ranks after the measured ones, with a
// warning.
//
// Measuring creates contexts and runs kernels, so by default each device is measured in its own
// devpick-probe child (`devpick-probe verify ...`), one after another so that measurements do not
// compete, each killed after a timeout: a hung or crashing driver costs that device, not the
// caller's process. Correct results are cached (measure_cache.h) under a key naming the device's
// physical identity, its kernel driver and runtime versions, the API and the workload, so a driver
// update or another workload measures again; failures are not cached, so a fixed device is seen at
// once.
//
// Thread-safety: reentrant; measurements run one at a time within a call.
#ifndef DEVPICK_SRC_VERIFY_MEASURE_H_
#define DEVPICK_SRC_VERIFY_MEASURE_H_

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "devpick/select.h"
#include "devpick/status.h"
#include "verify/verify.h"

namespace devpick {

struct MeasureOptions {
  // false: measure again even when the cache has a result (the new results are still saved).
  bool use_cache = true;
  // Empty: MeasureCache::DefaultPath ($XDG_CACHE_HOME/devpick/measured.json).
  std::string cache_path;
  // Per device; a measurement still running then is killed and the device fails verification.
  int timeout_ms = 120000;
  // true: each measurement in a devpick-probe child; false: in this process (tests, --in-process).
  bool isolate = true;
  // The devpick-probe to run (LocateProbeHelper's search when empty).
  std::string probe_helper;
  // The workload. Its sizes are part of the cache key.
  VerifyOptions workload;
};

// Told once per device before it is measured, e.g. "measuring gpu1 (Intel Arc A770) through opencl
// 0/1", or "gpu1 (Intel Arc A770): cached measurement from 2026-11-25T16:40:00Z".
using MeasureProgress = std::function<void(std::string_view message)>;

struct MeasureReport {
  std::map<std::string, DeviceMeasurement> measurements;  // by device id
  std::vector<std::string> warnings;                      // cache problems
};

// ProbesForBackend (devpick/select.h) plus the probes of the APIs the measured policy and verify
// measure the backend's devices through (its row's measure_apis); empty for an unknown backend or
// none.
std::vector<std::string> ProbesForMeasuring(const std::optional<std::string>& backend);

// Which API and device of it measures `device` for `backend`: the backend's own API first (cuda for
// cuda, vulkan for vulkan), then OpenCL, Vulkan, CUDA, as far as the device has such a binding.
// An unknown backend name has none.
std::optional<VerifyTarget> MeasureTargetFor(const Device& device, std::string_view backend);

// The cache key: the device's identity (UUID, else PCI address, else name), PCI IDs, kernel driver
// and version, the runtime's versions as `observations` recorded them, the API and the workload.
std::string MeasureKey(const Device& device, const VerifyTarget& target,
                       const Observations& observations, const VerifyOptions& workload);

// Measures the devices named by `ids` (inventory ids) for `backend`.
MeasureReport MeasureDevices(const Env& env, const Observations& observations,
                             const Inventory& inventory, std::span<const std::string> ids,
                             std::string_view backend, const MeasureOptions& options,
                             const MeasureProgress& progress);

// Select() under Policy::kMeasured, measuring what it needs (see the top of this file). Measuring
// runs work on this machine, so `observations` must describe it (the caller refuses a replayed
// snapshot); a rooted Env (a captured tree) is an InvalidArgument. The report's warnings are added
// to the decision's.
Result<Decision> SelectMeasured(const Env& env, const Observations& observations,
                                const Inventory& inventory, Request request,
                                const MeasureOptions& options, const MeasureProgress& progress);

// Runs options.workload on `target`: in a devpick-probe child killed after options.timeout_ms
// when options.isolate (a hang, crash or unreadable reply is a failed result naming it), else in
// this process. Progress callbacks of the workload are called only in this process.
VerifyResult MeasureOne(const Env& env, const VerifyTarget& target, const MeasureOptions& options);

// Runs the workload on `target` through its API, in this process.
VerifyResult RunVerification(const Env& env, const VerifyTarget& target,
                             const VerifyOptions& options);

// The JSON of VerifyResultToJson read back; the error names the field that is missing or wrong.
Result<VerifyResult> VerifyResultFromJson(std::string_view text);

// The arguments of `devpick-probe verify ...` that run `target` with `workload`, and their parser:
//   verify API DEVICE MATRIX_SIZE COPY_BYTES RUNS   (DEVICE as ParseVerifyTarget reads it)
std::vector<std::string> VerifyHelperArgs(const VerifyTarget& target,
                                          const VerifyOptions& workload);
Status ParseVerifyHelperArgs(std::span<const std::string> args, VerifyTarget* target,
                             VerifyOptions* workload);

}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_MEASURE_H_
