// The one refusal of work that runs on this machine's devices (the measured policy, verify): it
// cannot rank or verify the devices of a replayed snapshot or a captured tree. The CLI, the C ABI
// (and so Python) and SelectMeasured() itself all refuse through here, in one wording:
//
//   the measured policy (flag --policy) runs work on this machine's devices; it cannot rank the
//   devices of a replayed snapshot (machine.json)
//
// The parenthesis after "policy" names where the policy came from when the caller knows it.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_VERIFY_MEASURED_GUARD_H_
#define DEVPICK_SRC_VERIFY_MEASURED_GUARD_H_

#include <string_view>

#include "devpick/discover.h"
#include "devpick/status.h"

namespace devpick {

// What runs work on this machine's devices; it names the refusal's subject and verb.
enum class LocalWork {
  kMeasuredPolicy,  // "the measured policy ... cannot rank the devices of ..."
  kVerify,          // "verify ... cannot verify the devices of ..."
};

// OK when `source` is this machine (kLive); otherwise InvalidArgument "<work> runs work on this
// machine's devices; it cannot <verb> the devices of a replayed snapshot (<path>)" (or "a captured
// tree (<path>)"). `origin` ("flag --policy", "env DEVPICK_POLICY", a configuration file) may be
// empty.
Status CheckRunsOnThisMachine(DiscoverSource source, std::string_view path, LocalWork work,
                              std::string_view origin = "");

// CheckRunsOnThisMachine for the measured policy on `machine`.
Status CheckMeasuredPolicyApplies(const Discovery& machine, std::string_view policy_origin = "");

// The refusal for a captured tree rooted at `root` (what SelectMeasured() says for a rooted Env).
Status MeasuredPolicyRefusedForTree(std::string_view root, std::string_view policy_origin = "");

}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_MEASURED_GUARD_H_
