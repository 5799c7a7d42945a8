// The JSON arguments of the C ABI (include/devpick/devpick.h): discovery options and selection
// requests, parsed and validated into the C++ types.
//
// Validation is strict because a typo in an FFI caller's dictionary should fail loudly, not be
// ignored: unknown keys and wrong types are InvalidArgument naming the key and what is accepted,
// e.g. "request: unknown key 'polcy'; known keys: backend, device, ...". Values that the CLI also
// takes (policy, fallback, sizes, backends, probe names) are checked by the same library functions
// as the CLI's flags, so an FFI caller gets the CLI's messages.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_CAPI_REQUEST_JSON_H_
#define DEVPICK_SRC_CAPI_REQUEST_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "devpick/discover.h"
#include "devpick/select.h"
#include "devpick/status.h"

namespace devpick::capi {

// Where devpick_discover gets the machine from; at most one of the three is set (none: probe).
struct MachineSource {
  std::optional<std::string> replay;         // a snapshot file
  std::optional<std::string> snapshot_json;  // a snapshot document's text
  std::optional<std::string> root;           // a captured sysfs/procfs tree
};

struct DiscoverArguments {
  DiscoverOptions options;
  MachineSource source;
};

// Parses `text` as a JSON object; `what` names it in errors ("options", "request"). An empty text
// is an empty object. Syntax errors name the line and column:
// "request: malformed JSON at line 1, column 3: syntax error while parsing ...".
Result<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what);

// devpick_discover's options_json (see devpick.h). Probe names are checked against the table.
Result<DiscoverArguments> ParseDiscoverArguments(std::string_view text);

// devpick_select's request_json (see devpick.h).
Result<Request> ParseSelectRequest(std::string_view text);

// devpick_inventory_doctor_json's request_json (see devpick.h); the backend is canonical.
struct DoctorRequest {
  std::optional<std::string> backend;
  std::optional<std::string> python;  // a venv directory or an interpreter, as given
};
Result<DoctorRequest> ParseDoctorRequest(std::string_view text);

}  // namespace devpick::capi

#endif  // DEVPICK_SRC_CAPI_REQUEST_JSON_H_
