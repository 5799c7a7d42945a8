// Fuzzes the ONEAPI_DEVICE_SELECTOR parser and its application to Level Zero GPUs
// (src/select/visibility.h). The first input byte picks how many GPUs exist (0-8); the rest is the
// selector. Oracle: errors quote the value; the selected GPUs are real, distinct and in Level Zero
// order; backends are lower case.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "select/visibility.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int count = data[0] % 9;
  std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  auto filters = devpick::ParseOneApiDeviceSelector(value);
  if (!filters.ok()) {
    devpick::fuzz::Check(filters.status().message().rfind("ONEAPI_DEVICE_SELECTOR=", 0) == 0,
                         "an error names the variable");
    return 0;
  }
  for (const devpick::OneApiFilter& filter : *filters) {
    for (char c : filter.backend) {
      devpick::fuzz::Check(std::tolower(static_cast<unsigned char>(c)) == c,
                           "backends are lower case");
    }
  }
  devpick::VisibleList visible = devpick::ApplyOneApiDeviceSelector(*filters, count);
  devpick::fuzz::Check(devpick::fuzz::DistinctInRange(visible.indices, count),
                       "positions are distinct and in range");
  devpick::fuzz::Check(devpick::fuzz::StrictlyIncreasing(visible.indices),
                       "positions keep the Level Zero order");
  return 0;
}
