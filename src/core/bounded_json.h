// Reading JSON that somebody else wrote: snapshots, the C ABI's request strings, the measurement
// cache, the replies of devpick-probe children.
//
// One reader with two bounds, so that no caller can be crashed by a document's shape:
// - nesting: at most kMaxJsonDepth arrays and objects inside each other. Deeper documents are
//   refused before nlohmann sees them, because code that walks a parsed document (dump() in an
//   error message, a recursive reader) would otherwise recurse once per level, and 70,000 nested
//   "[" (140 KB) overflow an 8 MiB stack. No document devpick reads nests deeper than 6.
// - exceptions: none escape. A syntax error and a value nlohmann cannot hold (1E400 overflows a
//   double) both come back as a JsonSyntaxError; so does running out of memory.
// How long a document may be is the caller's bound, given to Env::ReadFile (the C ABI takes what
// the caller passes).
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_CORE_BOUNDED_JSON_H_
#define DEVPICK_SRC_CORE_BOUNDED_JSON_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace devpick {

inline constexpr std::size_t kMaxJsonDepth = 64;

// Where and why a JSON text was refused: the 1-based line and column of the byte it stopped at
// (when `positioned`), and the reason without nlohmann's "[json.exception...] parse error at ...:"
// prefix, e.g. "syntax error while parsing value - invalid literal; last read: 'x'".
struct JsonSyntaxError {
  std::size_t line = 1;
  std::size_t column = 1;
  bool positioned = true;
  std::string reason;

  // "line 3, column 5: <reason>", or the reason alone when there is no position.
  std::string Describe() const;
};

struct ParsedJson {
  nlohmann::json value;                  // null when `error` is set
  std::optional<JsonSyntaxError> error;  // set when `text` was refused
};

// Parses `text` within the bounds above; never throws.
ParsedJson ParseBoundedJson(std::string_view text);

// The 1-based line and column of byte `offset` (0-based) of `text`.
JsonSyntaxError PositionOf(std::string_view text, std::size_t offset);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_BOUNDED_JSON_H_
