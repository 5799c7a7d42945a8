#include "probes/sysfs_attr.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdio>
#include <set>

namespace devpick {
namespace {

constexpr std::size_t kMaxQuotedBytes = 40;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses all of `text` as an unsigned number in `base`; false on anything else or overflow.
bool ParseWholeUnsigned(std::string_view text, int base, std::uint64_t* out) {
  if (text.empty()) return false;
  // from_chars accepts no sign and no prefix, which is what we want; check it consumed everything.
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

Status Garbage(std::string_view expected, std::string_view text) {
  return Status::InvalidArgument("expected " + std::string(expected) + ", got \"" +
                                 QuoteForMessage(TrimWhitespace(text)) + "\"");
}

}  // namespace

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string QuoteForMessage(std::string_view text) {
  std::string out;
  std::size_t shown = std::min(text.size(), kMaxQuotedBytes);
  for (std::size_t i = 0; i < shown; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte >= 0x7f || byte == '"' || byte == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (text.size() > shown) out += "...";
  return out;
}

std::string ValidUtf8(std::string_view text) {
  // Well-formed sequences (Unicode 15, table 3-7): lead byte range, allowed range of the second
  // byte, and the sequence length; later bytes are always 0x80-0xbf.
  struct Sequence {
    unsigned char lead_low, lead_high, second_low, second_high;
    std::size_t length;
  };
  static constexpr Sequence kSequences[] = {
      {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3}, {0xe1, 0xec, 0x80, 0xbf, 3},
      {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3}, {0xf0, 0xf0, 0x90, 0xbf, 4},
      {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4},
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    std::size_t length = 0;
    for (const Sequence& sequence : kSequences) {
      if (byte < sequence.lead_low || byte > sequence.lead_high) continue;
      if (i + sequence.length > text.size()) break;
      auto second = static_cast<unsigned char>(text[i + 1]);
      bool ok = second >= sequence.second_low && second <= sequence.second_high;
      for (std::size_t k = 2; ok && k < sequence.length; ++k) {
        auto next = static_cast<unsigned char>(text[i + k]);
        ok = next >= 0x80 && next <= 0xbf;
      }
      if (ok) length = sequence.length;
      break;
    }
    if (length == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

Result<std::uint32_t> ParseHexAttribute(std::string_view text, std::uint32_t max,
                                        std::string_view example) {
  std::string_view value = TrimWhitespace(text);
  std::uint64_t number = 0;
  bool has_prefix = value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
  if (!has_prefix || value.size() > 10 || !ParseWholeUnsigned(value.substr(2), 16, &number)) {
    return Garbage("a hex number such as " + std::string(example), text);
  }
  if (number > max) {
    char limit[16];
    std::snprintf(limit, sizeof limit, "0x%x", max);
    return Status::InvalidArgument("\"" + QuoteForMessage(value) + "\" is out of range (at most " +
                                   limit + ")");
  }
  return static_cast<std::uint32_t>(number);
}

Result<int> ParseDecimalInt(std::string_view text) {
  std::string_view value = TrimWhitespace(text);
  bool negative = !value.empty() && value.front() == '-';
  std::uint64_t magnitude = 0;
  if (!ParseWholeUnsigned(negative ? value.substr(1) : value, 10, &magnitude)) {
    return Garbage("a decimal number such as -1", text);
  }
  std::uint64_t limit = negative ? std::uint64_t{INT_MAX} + 1 : std::uint64_t{INT_MAX};
  if (magnitude > limit) {
    return Status::InvalidArgument("\"" + QuoteForMessage(value) + "\" is out of range");
  }
  return negative ? static_cast<int>(-static_cast<std::int64_t>(magnitude))
                  : static_cast<int>(magnitude);
}

Result<std::uint64_t> ParseDecimalU64(std::string_view text) {
  std::string_view value = TrimWhitespace(text);
  std::uint64_t number = 0;
  if (value.empty() || !std::all_of(value.begin(), value.end(), IsDigit)) {
    return Garbage("an unsigned decimal number such as 25753026560", text);
  }
  if (!ParseWholeUnsigned(value, 10, &number)) {
    return Status::InvalidArgument("\"" + QuoteForMessage(value) + "\" is out of range");
  }
  return number;
}

Result<std::vector<int>> ParseCpuList(std::string_view text) {
  std::string_view value = TrimWhitespace(text);
  std::set<int> cpus;
  // A cpulist names CPU numbers below the kernel's NR_CPUS (at most 8192 today); a larger range is
  // garbage, and bounding it keeps a hostile "0-2000000000" from allocating gigabytes.
  constexpr std::uint64_t kMaxCpu = 1 << 16;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    std::size_t dash = item.find('-');
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    bool ok = dash == std::string_view::npos
                  ? ParseWholeUnsigned(item, 10, &first)
                  : ParseWholeUnsigned(item.substr(0, dash), 10, &first) &&
                        ParseWholeUnsigned(item.substr(dash + 1), 10, &last);
    if (dash == std::string_view::npos) last = first;
    if (!ok || first > last || last >= kMaxCpu) {
      return Garbage("a CPU list such as 0-3,8-11", text);
    }
    for (std::uint64_t cpu = first; cpu <= last; ++cpu) cpus.insert(static_cast<int>(cpu));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return std::vector<int>(cpus.begin(), cpus.end());
}

Result<std::map<std::string, std::string>> ParseKeyValueLines(std::string_view text) {
  std::map<std::string, std::string> values;
  int line_number = 0;
  for (std::string_view raw : SplitLines(text)) {
    ++line_number;
    std::string_view line = TrimWhitespace(raw);
    if (line.empty()) continue;
    std::size_t space = line.find_first_of(" \t");
    if (space == std::string_view::npos) {
      return Status::InvalidArgument("line " + std::to_string(line_number) +
                                     ": expected \"key value\", got \"" + QuoteForMessage(line) +
                                     "\"");
    }
    std::string key(line.substr(0, space));
    if (values.count(key) != 0) {
      return Status::InvalidArgument("line " + std::to_string(line_number) + ": duplicate key \"" +
                                     QuoteForMessage(key) + "\"");
    }
    values[key] = std::string(TrimWhitespace(line.substr(space)));
  }
  return values;
}

Result<NvidiaProcfsGpu> ParseNvidiaInformation(std::string_view text) {
  NvidiaProcfsGpu gpu;
  for (std::string_view line : SplitLines(text)) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = TrimWhitespace(line.substr(0, colon));
    std::string_view value = TrimWhitespace(line.substr(colon + 1));
    if (key == "Model") {
      gpu.model = ValidUtf8(value);
    } else if (key == "GPU UUID") {
      gpu.uuid = ValidUtf8(value);
    } else if (key == "Device Minor") {
      Result<int> minor = ParseDecimalInt(value);
      if (!minor.ok() || *minor < 0) {
        return Status::InvalidArgument("Device Minor: expected a number such as 0, got \"" +
                                       QuoteForMessage(value) + "\"");
      }
      gpu.device_minor = *minor;
    }
  }
  return gpu;
}

Result<std::string> ParseNvidiaVersion(std::string_view text) {
  for (std::string_view line : SplitLines(text)) {
    if (line.substr(0, 5) != "NVRM ") continue;
    std::size_t colon = line.find(':');
    std::string_view rest = colon == std::string_view::npos ? line : line.substr(colon + 1);
    while (!rest.empty()) {
      while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
      std::size_t end = 0;
      while (end < rest.size() && !IsSpace(rest[end])) ++end;
      std::string_view token = rest.substr(0, end);
      rest.remove_prefix(end);
      // 550.54 or 550.54.14: two or three dot-separated groups of digits.
      int groups = 0;
      bool shaped = !token.empty();
      for (std::size_t start = 0; shaped && start <= token.size();) {
        std::size_t dot = token.find('.', start);
        std::string_view group = token.substr(start, dot - start);
        shaped = !group.empty() && std::all_of(group.begin(), group.end(), IsDigit);
        ++groups;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
      }
      if (shaped && (groups == 2 || groups == 3)) return std::string(token);
    }
    return Status::InvalidArgument("no version number such as 550.54.14 in \"" +
                                   QuoteForMessage(TrimWhitespace(line)) + "\"");
  }
  return Status::InvalidArgument("no \"NVRM version:\" line");
}

}  // namespace devpick
