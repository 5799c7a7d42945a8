#include "core/bounded_json.h"

#include <exception>
#include <new>

namespace devpick {
namespace {

// The offset of the first '[' or '{' that opens level kMaxJsonDepth + 1, outside strings, or npos.
// The scan does not validate: nlohmann does that afterwards on a document known to be shallow.
std::size_t FirstTooDeep(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is, cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

// nlohmann's what() without the "[json.exception.<kind>.<id>] " prefix and, for parse errors, the
// "parse error at line 1, column 5: " that repeats the position.
std::string Reason(const nlohmann::json::exception& e, bool parse_error) {
  std::string what = e.what();
  if (parse_error) {
    std::size_t colon = what.find(": ", what.find("column"));
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

std::string JsonSyntaxError::Describe() const {
  if (!positioned) return reason;
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason;
}

JsonSyntaxError PositionOf(std::string_view text, std::size_t offset) {
  JsonSyntaxError where;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

ParsedJson ParseBoundedJson(std::string_view text) {
  ParsedJson out;
  if (std::size_t deep = FirstTooDeep(text); deep != std::string_view::npos) {
    JsonSyntaxError error = PositionOf(text, deep);
    error.reason = "nested deeper than " + std::to_string(kMaxJsonDepth) +
                   " levels of arrays and objects (devpick reads at most " +
                   std::to_string(kMaxJsonDepth) + ")";
    out.error = std::move(error);
    return out;
  }
  try {
    out.value = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann counts e.byte from 1, at the byte it could not accept.
    JsonSyntaxError error = PositionOf(text, e.byte == 0 ? 0 : e.byte - 1);
    error.reason = Reason(e, /*parse_error=*/true);
    out.error = std::move(error);
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but a value nlohmann cannot hold (out_of_range.406 for 1E400).
    out.error = JsonSyntaxError{.positioned = false, .reason = Reason(e, false)};
  } catch (const std::bad_alloc&) {
    out.error = JsonSyntaxError{.positioned = false, .reason = "out of memory"};
  }
  if (out.error) out.value = nullptr;
  return out;
}

}  // namespace devpick
