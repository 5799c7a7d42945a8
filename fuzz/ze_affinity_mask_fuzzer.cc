// Fuzzes the ZE_AFFINITY_MASK parser (src/select/visibility.h). The first input byte picks how many
// Level Zero root devices exist (0-8); the rest is the mask. Oracle: the selected devices are real,
// distinct, and keep their unmasked order (Level Zero does not promise mask order).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "select/visibility.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int count = data[0] % 9;
  std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  devpick::VisibleList visible = devpick::ApplyZeAffinityMask(value, count);
  devpick::fuzz::Check(devpick::fuzz::DistinctInRange(visible.indices, count),
                       "positions are distinct and in range");
  devpick::fuzz::Check(devpick::fuzz::StrictlyIncreasing(visible.indices),
                       "positions keep the unmasked order");
  return 0;
}
