// The nesting bound for TOML that somebody else wrote (devpick.toml, DEVPICK_CONFIG).
//
// toml++ recurses once per level of a dotted key (a.b.c = 1), a table header ([a.b.c]) and an
// inline table or array, both while parsing and while destroying what it built: 50,000 dotted
// components in a 100 KB file overflow an 8 MiB stack, and a library inside somebody else's
// process may run on a far smaller one. So the text is scanned first, without recursion, and a
// document nested deeper than kMaxTomlDepth is refused before toml++ sees it. devpick's own
// configuration nests 3 deep ([backends.openvino] device = ...).
//
// The scan does not validate: a document within the bound goes on to toml++, which reports syntax
// errors as usual. Thread-safety: a pure function.
#ifndef DEVPICK_SRC_CORE_BOUNDED_TOML_H_
#define DEVPICK_SRC_CORE_BOUNDED_TOML_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace devpick {

inline constexpr std::size_t kMaxTomlDepth = 32;

struct TomlDepthError {
  std::size_t line = 1;  // 1-based, where the bound was crossed
  std::string reason;    // "keys, tables and values nested deeper than 32 levels (...)"
};

// The first place `text` nests keys, table headers, inline tables and arrays more than
// kMaxTomlDepth deep, or nullopt.
std::optional<TomlDepthError> FindTomlTooDeep(std::string_view text);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_BOUNDED_TOML_H_
