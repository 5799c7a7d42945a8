// Fuzzes the HIP_VISIBLE_DEVICES parser (src/select/visibility.h). The first input byte picks how
// many devices the runtime would show unmasked (0-8, with UUIDs sharing prefixes); the rest is the
// variable's value. Oracle: every returned position names a real device, at most once.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "select/visibility.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int count = data[0] % 9;
  std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  devpick::VisibleList visible =
      devpick::ApplyHipVisibleDevices(value, devpick::fuzz::SampleUuids(count, "GPU-"));
  devpick::fuzz::Check(devpick::fuzz::DistinctInRange(visible.indices, count),
                       "positions are distinct and in range");
  return 0;
}
