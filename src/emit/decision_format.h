// Decision output: JSON (DESIGN.md "select --json output"), human text and env/shell assignments.
// DecisionToJson, FormatDecisionText and FormatDecisionEnv are declared in devpick/select.h; this
// header adds the quoting helper they share with the CLI.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_EMIT_DECISION_FORMAT_H_
#define DEVPICK_EMIT_DECISION_FORMAT_H_

#include <string>
#include <string_view>

namespace devpick {

// `value` as one POSIX shell word in single quotes: it's -> 'it'\''s'.
std::string ShellQuote(std::string_view value);

}  // namespace devpick

#endif  // DEVPICK_EMIT_DECISION_FORMAT_H_
