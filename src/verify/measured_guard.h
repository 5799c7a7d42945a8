// The measured policy's one refusal: it runs work on this machine's devices, so it cannot rank the
// devices of a replayed snapshot or a captured tree. The CLI, the C ABI (and so Python) and
// SelectMeasured() itself all refuse through here, in one wording:
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

// OK for a machine probed live; otherwise the refusal above. `policy_origin` ("flag --policy",
// "env DEVPICK_POLICY", a configuration file) may be empty.
Status CheckMeasuredPolicyApplies(const Discovery& machine, std::string_view policy_origin = "");

// The refusal for a captured tree rooted at `root` (what SelectMeasured() says for a rooted Env).
Status MeasuredPolicyRefusedForTree(std::string_view root, std::string_view policy_origin = "");

}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_MEASURED_GUARD_H_
