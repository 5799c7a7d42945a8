// Fuzzes the sysfs/procfs attribute parsers of the sysfs and rocm probes (src/probes/sysfs_attr.h):
// the first input byte picks the parser, the rest is the file's contents. Oracle: what the header
// promises — values within their bounds, cpulists sorted and unique, quoted text short and
// printable ASCII, ValidUtf8 output valid UTF-8, parsed free text valid UTF-8 after ValidUtf8.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "probes/sysfs_attr.h"

namespace {

using devpick::fuzz::Check;

void CheckQuoted(std::string_view text) {
  std::string quoted = devpick::QuoteForMessage(text);
  // 40 source bytes, each at most 4 output bytes (\xNN), then "...".
  Check(quoted.size() <= 40 * 4 + 3, "quoted text is bounded");
  Check(std::all_of(quoted.begin(), quoted.end(), [](char c) { return c >= 0x20 && c < 0x7f; }),
        "quoted text is printable ASCII");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  CheckQuoted(text);
  Check(devpick::fuzz::IsValidUtf8(devpick::ValidUtf8(text)), "ValidUtf8 output is valid UTF-8");
  std::string_view trimmed = devpick::TrimWhitespace(text);
  Check(trimmed.size() <= text.size(), "trimming does not grow");
  switch (selector % 7) {
    case 0: {
      const std::uint32_t max = selector < 128 ? 0xffff : 0xffffff;
      auto value = devpick::ParseHexAttribute(text, max, "0x10de");
      if (value.ok()) Check(*value <= max, "a hex attribute respects its maximum");
      break;
    }
    case 1:
      (void)devpick::ParseDecimalInt(text);
      break;
    case 2:
      (void)devpick::ParseDecimalU64(text);
      break;
    case 3: {
      auto cpus = devpick::ParseCpuList(text);
      if (cpus.ok()) {
        Check(devpick::fuzz::StrictlyIncreasing(*cpus), "a cpulist is sorted and unique");
        Check(cpus->empty() || cpus->front() >= 0, "cpu numbers are not negative");
      }
      break;
    }
    case 4:
      (void)devpick::ParseKeyValueLines(text);
      break;
    case 5: {
      auto gpu = devpick::ParseNvidiaInformation(text);
      if (gpu.ok() && gpu->model) {
        Check(devpick::fuzz::IsValidUtf8(devpick::ValidUtf8(*gpu->model)), "model is printable");
      }
      break;
    }
    case 6: {
      auto version = devpick::ParseNvidiaVersion(text);
      if (version.ok()) {
        Check(!version->empty() && version->find(' ') == std::string::npos,
              "a driver version is one token");
      }
      break;
    }
  }
  return 0;
}
