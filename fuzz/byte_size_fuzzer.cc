// Fuzzes the byte-size parser (--min-memory, min_memory in the config: "6GiB", "1.5 GiB", "8G").
// Oracle: an accepted size formats, and what it formats to is accepted too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "devpick/select.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  devpick::Result<std::uint64_t> bytes = devpick::ParseByteSize(text);
  if (!bytes.ok()) {
    devpick::fuzz::Check(!bytes.status().message().empty(), "a rejected size says why");
    return 0;
  }
  std::string formatted = devpick::FormatByteSize(*bytes);
  devpick::fuzz::Check(!formatted.empty(), "a size formats");
  // Rounding may carry a size near 2^64 past what a uint64 holds, so only smaller ones must
  // re-read.
  if (*bytes < (std::uint64_t{1} << 60)) {
    devpick::fuzz::Check(devpick::ParseByteSize(formatted).ok(), "a formatted size parses");
  }
  return 0;
}
