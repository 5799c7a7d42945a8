// Which devices a backend can drive at all, from its table row alone: vendor, kind, platform,
// required binding and kernel driver; and through which backend's rules ONNX Runtime reaches a
// device, and which backend users of a device would install. Shared by select, the runtime views
// and doctor, so that none of them decides these twice.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_ELIGIBILITY_H_
#define DEVPICK_SELECT_ELIGIBILITY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/inventory.h"
#include "select/backend_table.h"

namespace devpick {

// A device's standing for one backend: ok, or the first reason it was rejected with its code
// (candidate "reason_code": backend_cannot_drive, hidden_by_env, not_seen_by_runtime, ...).
struct Verdict {
  bool ok = true;
  std::string code;
  std::string reason;
};
Verdict Reject(std::string code, std::string reason);

bool RunsOn(const BackendInfo& row, std::string_view os);

// Whether `row` can drive `device` on this host; the CPU passes only backends whose kinds include
// it ("cpu_needs_fallback" otherwise).
Verdict CheckDrive(const BackendInfo& row, const Device& device, const Inventory& inventory);

// The GPUs and NPUs `row` can drive, in inventory order.
std::vector<const Device*> Drivable(const BackendInfo& row, const Inventory& inventory);

// The backend whose rules ONNX Runtime uses for `device` (its execution provider's row), or nullptr
// when no execution provider takes it on this host.
const BackendInfo* OrtBackendFor(const Device& device, const Inventory& inventory);

// The backend users of this device's vendor and OS would install, or nullptr.
const BackendInfo* RecommendedBackend(const Device& device, const HostInfo& host);

// Inventory facts the rules above and the views read.
std::optional<std::string> EnvVar(const Inventory& inventory, const std::string& name);
bool ProbeOk(const Inventory& inventory, std::string_view probe);
// "absent", "error: <detail>", or "did not run".
std::string ProbeState(const Inventory& inventory, std::string_view probe);
// "GPUs" or "NPUs".
std::string KindNoun(DeviceKind kind);

}  // namespace devpick

#endif  // DEVPICK_SELECT_ELIGIBILITY_H_
