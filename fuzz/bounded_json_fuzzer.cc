// Fuzzes the one JSON reader every untrusted document goes through (ParseBoundedJson,
// src/core/bounded_json.h): snapshots, the C ABI's request strings, the measurement cache and
// devpick-probe replies. Deep nesting and huge arrays are what a stack or time bound must survive.
// Oracle: it never throws; a refused text has a reason and a 1-based position; an accepted one
// nests no deeper than kMaxJsonDepth, and its dump parses again to an equal value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bounded_json.h"
#include "fuzz_check.h"

namespace {

std::size_t Depth(const nlohmann::json& value) {
  std::size_t deepest = 0;
  if (value.is_array() || value.is_object()) {
    for (const nlohmann::json& child : value) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using devpick::fuzz::Check;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  devpick::ParsedJson parsed = devpick::ParseBoundedJson(text);
  if (parsed.error) {
    Check(!parsed.error->reason.empty(), "a refused text says why");
    Check(parsed.error->line >= 1 && parsed.error->column >= 1, "positions are 1-based");
    Check(parsed.value.is_null(), "a refused text has no value");
    return 0;
  }
  Check(Depth(parsed.value) <= devpick::kMaxJsonDepth, "accepted documents are shallow");
  std::string dumped = parsed.value.dump();
  devpick::ParsedJson again = devpick::ParseBoundedJson(dumped);
  Check(!again.error, "what nlohmann wrote parses again");
  Check(again.value == parsed.value, "a dump parses to an equal value");
  return 0;
}
