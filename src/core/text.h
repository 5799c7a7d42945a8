// The control-character policy for every text devpick shows a person.
//
// Names, UUIDs and versions come from snapshots written elsewhere, environment variables,
// configuration files, Python package metadata and vendor libraries; any of them may carry ESC, BEL
// or CR, which a terminal would obey (retitle the window, move the cursor, hide a line). Text
// output therefore passes through ForTerminal, and an env file (`--format env`, which has no
// quoting) refuses a value that holds a control character at all. JSON and `--format shell` quote
// for themselves and are written as they are.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_CORE_TEXT_H_
#define DEVPICK_SRC_CORE_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devpick {

// The string helpers every module shares, declared once.
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::string Lower(std::string_view text);
// `text` without leading and trailing white space (isspace).
std::string Trim(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);

// A GPU UUID in the form every source's spelling compares equal in: lower case, without a "GPU-",
// "MIG-" or "0x" prefix and without dashes. NVML prints GPU-3f6e1b2a-..., Level Zero and OpenVINO
// bare hex, KFD a 0x-prefixed unique_id.
std::string NormalizeUuid(std::string_view uuid);

// `text` with every control character but newline and tab written visibly: C0 bytes and DEL as
// \xNN (ESC is \x1b), the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F) as \u0080..\u009f.
// Other bytes, valid UTF-8 or not, are kept.
std::string ForTerminal(std::string_view text);

// A value quoted inside a one-line message: ShortenForMessage, then every control character
// escaped as ForTerminal does, newline and tab included ("GPU-1\x0aLD_PRELOAD=...").
std::string ForMessage(std::string_view value);

// The offset of the first control character of `text` (as ForTerminal judges, newline and tab
// included), or nullopt.
std::optional<std::size_t> FindControlCharacter(std::string_view text);

// At most `max_bytes` of `text` for a message, then "... (N bytes in all)" when it was longer, so
// that a 1 MiB environment variable is named, not echoed.
std::string ShortenForMessage(std::string_view text, std::size_t max_bytes = 80);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_TEXT_H_
