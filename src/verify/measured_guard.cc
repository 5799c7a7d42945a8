#include "verify/measured_guard.h"

#include <string>

namespace devpick {
namespace {

Status Refusal(std::string_view policy_origin, std::string_view machine) {
  std::string origin = policy_origin.empty() ? "" : " (" + std::string(policy_origin) + ")";
  return Status::InvalidArgument("the measured policy" + origin +
                                 " runs work on this machine's devices; it cannot rank the "
                                 "devices of " +
                                 std::string(machine));
}

}  // namespace

Status CheckMeasuredPolicyApplies(const Discovery& machine, std::string_view policy_origin) {
  switch (machine.source) {
    case DiscoverSource::kLive:
      return Status::Ok();
    case DiscoverSource::kRoot:
      return MeasuredPolicyRefusedForTree(machine.path, policy_origin);
    case DiscoverSource::kReplayFile:
    case DiscoverSource::kReplayText:
      break;
  }
  return Refusal(policy_origin, "a replayed snapshot (" + machine.path + ")");
}

Status MeasuredPolicyRefusedForTree(std::string_view root, std::string_view policy_origin) {
  return Refusal(policy_origin, "a captured tree (" + std::string(root) + ")");
}

}  // namespace devpick
