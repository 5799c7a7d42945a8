#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace devpick {

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string NormalizeUuid(std::string_view uuid) {
  std::string out = Lower(uuid);
  for (std::string_view prefix : {"gpu-", "mig-", "0x"}) {
    if (StartsWith(out, prefix)) out.erase(0, prefix.size());
  }
  out.erase(std::remove(out.begin(), out.end(), '-'), out.end());
  return out;
}
namespace {

bool IsC0OrDel(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

// Whether text[i] starts a UTF-8-encoded C1 control (C2 80 .. C2 9F).
bool IsC1At(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) == 0xc2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}

std::string Escape(std::string_view text, bool keep_layout) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    char escaped[8];
    if (IsC0OrDel(byte) && !(keep_layout && (byte == '\n' || byte == '\t'))) {
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else if (IsC1At(text, i)) {
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      out += escaped;
      ++i;
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

}  // namespace

std::string ForTerminal(std::string_view text) { return Escape(text, /*keep_layout=*/true); }

std::string ForMessage(std::string_view value) {
  return Escape(ShortenForMessage(value), /*keep_layout=*/false);
}

std::optional<std::size_t> FindControlCharacter(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsC0OrDel(static_cast<unsigned char>(text[i])) || IsC1At(text, i)) return i;
  }
  return std::nullopt;
}

std::string ShortenForMessage(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Do not split a UTF-8 sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) +
         " bytes in all)";
}

}  // namespace devpick
