#include "core/bounded_toml.h"

#include <vector>

namespace devpick {
namespace {

// A linear scan of TOML's lexical structure: comments, the four string forms, keys (dotted, bare
// or quoted), table headers, and the arrays and inline tables of values. Each open container
// remembers its depth; a key's depth is its container's depth plus its dotted components.
class DepthScanner {
 public:
  explicit DepthScanner(std::string_view text) : text_(text) {}

  std::optional<TomlDepthError> Run() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == '\n') {
        ++line_;
        ++i_;
        if (open_.empty()) StartKey();
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
        continue;
      }
      if (c == '#') {
        while (i_ < text_.size() && text_[i_] != '\n') ++i_;
        continue;
      }
      if (c == '"' || c == '\'') {
        SkipString();
        continue;
      }
      if (expect_key_) {
        if (c == '[' && open_.empty()) {
          if (!Header()) return error_;
          continue;
        }
        if (c == '.' && ++components_ > kMaxTomlDepth) return TooDeep();
        if (c == '=') {
          parent_ = (open_.empty() ? header_depth_ : open_.back().depth) + components_;
          if (parent_ > kMaxTomlDepth) return TooDeep();
          expect_key_ = false;
        } else if ((c == '}' || c == ']') && !open_.empty()) {
          // An empty inline table or a trailing "{ a = 1, }" closes where a key was expected;
          // what follows belongs to the enclosing value. (']' here is malformed TOML, but the
          // containers must stay in step with the text whatever toml++ says of it later.)
          Close();
          expect_key_ = false;
        }
        ++i_;
        continue;
      }
      switch (c) {
        case '[':
        case '{':
          if (parent_ + 1 > kMaxTomlDepth) return TooDeep();
          open_.push_back({c, parent_ + 1});
          parent_ += 1;
          if (c == '{') StartKey();
          break;
        case ']':
        case '}':
          if (!open_.empty()) Close();
          break;
        case ',':
          if (!open_.empty() && open_.back().kind == '{') {
            StartKey();
          } else if (!open_.empty()) {
            parent_ = open_.back().depth;
          }
          break;
        default:
          break;  // a number, date, boolean: nothing nests inside
      }
      ++i_;
    }
    return std::nullopt;
  }

 private:
  struct Open {
    char kind;  // '[' array or '{' inline table
    std::size_t depth;
  };

  void StartKey() {
    expect_key_ = true;
    components_ = 1;
  }

  void Close() {
    open_.pop_back();
    if (!open_.empty()) parent_ = open_.back().depth;
  }

  // "[a.b.c]" or "[[a.b.c]]" at the start of a line: the depth of the keys that follow it.
  bool Header() {
    std::size_t depth = 1;
    ++i_;
    if (i_ < text_.size() && text_[i_] == '[') {
      ++depth;  // an array of tables holds its table one level down
      ++i_;
    }
    while (i_ < text_.size() && text_[i_] != ']' && text_[i_] != '\n') {
      if (text_[i_] == '"' || text_[i_] == '\'') {
        SkipString();
        continue;
      }
      if (text_[i_] == '.' && ++depth > kMaxTomlDepth) {
        error_ = TooDeep();
        return false;
      }
      ++i_;
    }
    while (i_ < text_.size() && text_[i_] == ']') ++i_;
    header_depth_ = depth;
    return true;
  }

  // Past a basic or literal string, single- or multi-line, counting the lines it spans.
  void SkipString() {
    const char quote = text_[i_];
    const bool escapes = quote == '"';
    const bool multi = text_.substr(i_, 3) == std::string(3, quote);
    i_ += multi ? 3 : 1;
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (escapes && c == '\\') {
        if (i_ + 1 < text_.size() && text_[i_ + 1] == '\n') ++line_;
        i_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi) return;  // unterminated: toml++ will say so
        ++line_;
      }
      if (c == quote && (!multi || text_.substr(i_, 3) == std::string(3, quote))) {
        i_ += multi ? 3 : 1;
        // A closing """" or """"" leaves one or two quotes inside the string.
        while (multi && i_ < text_.size() && text_[i_] == quote) ++i_;
        return;
      }
      ++i_;
    }
  }

  TomlDepthError TooDeep() const {
    return {.line = line_,
            .reason = "keys, tables and values nested deeper than " +
                      std::to_string(kMaxTomlDepth) + " levels (devpick reads at most " +
                      std::to_string(kMaxTomlDepth) + ")"};
  }

  std::string_view text_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
  bool expect_key_ = true;
  std::size_t components_ = 1;
  std::size_t header_depth_ = 0;
  std::size_t parent_ = 0;  // the depth a value opened here would be the child of
  std::vector<Open> open_;
  std::optional<TomlDepthError> error_;
};

}  // namespace

std::optional<TomlDepthError> FindTomlTooDeep(std::string_view text) {
  return DepthScanner(text).Run();
}

}  // namespace devpick
