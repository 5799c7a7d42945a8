#include "verify/measured_guard.h"

#include <string>

namespace devpick {

Status CheckRunsOnThisMachine(DiscoverSource source, std::string_view path, LocalWork work,
                              std::string_view origin) {
  std::string machine;
  switch (source) {
    case DiscoverSource::kLive:
      return Status::Ok();
    case DiscoverSource::kRoot:
      machine = "a captured tree";
      break;
    case DiscoverSource::kReplayFile:
    case DiscoverSource::kReplayText:
      machine = "a replayed snapshot";
      break;
  }
  const bool measured = work == LocalWork::kMeasuredPolicy;
  std::string who = measured ? "the measured policy" : "verify";
  if (!origin.empty()) who += " (" + std::string(origin) + ")";
  return Status::InvalidArgument(who + " runs work on this machine's devices; it cannot " +
                                 (measured ? "rank" : "verify") + " the devices of " + machine +
                                 " (" + std::string(path) + ")");
}

Status CheckMeasuredPolicyApplies(const Discovery& machine, std::string_view policy_origin) {
  return CheckRunsOnThisMachine(machine.source, machine.path, LocalWork::kMeasuredPolicy,
                                policy_origin);
}

Status MeasuredPolicyRefusedForTree(std::string_view root, std::string_view policy_origin) {
  return CheckRunsOnThisMachine(DiscoverSource::kRoot, root, LocalWork::kMeasuredPolicy,
                                policy_origin);
}

}  // namespace devpick
