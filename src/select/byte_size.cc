// ParseByteSize and FormatByteSize (declared in devpick/select.h): the `min_memory` values of
// flags, DEVPICK_MIN_MEMORY and the config file, and the sizes printed in reasons.
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/text.h"
#include "devpick/select.h"

namespace devpick {
namespace {

struct UnitRow {
  std::string_view name;  // lower case
  double multiplier;
};
// Single letters are binary, as docker, systemd and `ls -h` read them; two-letter SI units are
// decimal; IEC units are binary.
constexpr UnitRow kUnits[] = {
    {"", 1.0},     {"b", 1.0},      {"k", 0x1p10},   {"kib", 0x1p10}, {"kb", 1e3},
    {"m", 0x1p20}, {"mib", 0x1p20}, {"mb", 1e6},     {"g", 0x1p30},   {"gib", 0x1p30},
    {"gb", 1e9},   {"t", 0x1p40},   {"tib", 0x1p40}, {"tb", 1e12},
};

Status BadSize(std::string_view text) {
  return Status::InvalidArgument(
      "invalid size '" + std::string(text) +
      "'; expected bytes or a number with a unit: B, KiB, MiB, GiB, TiB (binary), KB, MB, GB, TB "
      "(decimal), K, M, G, T (binary), e.g. 6GiB or 512MiB");
}

}  // namespace

Result<std::uint64_t> ParseByteSize(std::string_view text) {
  std::string s = Trim(text);
  std::size_t i = 0;
  std::uint64_t whole = 0;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    if (whole > (UINT64_MAX - 9) / 10) return BadSize(text);
    whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
    digits = true;
    ++i;
  }
  double fraction = 0;
  bool has_fraction = false;
  if (i < s.size() && s[i] == '.') {
    has_fraction = true;
    double scale = 0.1;
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      fraction += scale * (s[i] - '0');
      scale /= 10;
      digits = true;
      ++i;
    }
  }
  if (!digits) return BadSize(text);
  while (i < s.size() && s[i] == ' ') ++i;
  std::string unit;
  for (; i < s.size(); ++i)
    unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  for (const UnitRow& row : kUnits) {
    if (row.name != unit) continue;
    if (row.multiplier == 1.0) {
      if (has_fraction) return BadSize(text);  // a fraction of a byte
      return whole;
    }
    double value = (static_cast<double>(whole) + fraction) * row.multiplier;
    if (!(value < 0x1p64)) return BadSize(text);
    return static_cast<std::uint64_t>(std::round(value));
  }
  return BadSize(text);
}

std::string FormatByteSize(std::uint64_t bytes) {
  struct Scale {
    double size;
    const char* unit;
  };
  constexpr Scale kScales[] = {{0x1p40, "TiB"}, {0x1p30, "GiB"}, {0x1p20, "MiB"}, {0x1p10, "KiB"}};
  for (const Scale& scale : kScales) {
    double value = static_cast<double>(bytes) / scale.size;
    if (value < 1.0) continue;
    // Whole units from 10 up; one decimal below, without a trailing ".0".
    double rounded = value >= 10 ? std::round(value) : std::round(value * 10) / 10;
    char buffer[32];
    if (rounded == std::floor(rounded)) {
      std::snprintf(buffer, sizeof buffer, "%.0f %s", rounded, scale.unit);
    } else {
      std::snprintf(buffer, sizeof buffer, "%.1f %s", rounded, scale.unit);
    }
    return buffer;
  }
  return std::to_string(bytes) + " B";
}

}  // namespace devpick
