// Helpers shared by the libFuzzer targets: an oracle that stops the run when an invariant breaks,
// and the invariants several targets check. Fuzzers only, never linked into devpick.
//
// A parser that returns garbage without crashing is still a bug, so each target checks what its
// header promises (indices in range, sorted lists, valid UTF-8) and not only "did not crash".
//
// Thread-safety: libFuzzer runs one input at a time; nothing here is shared.
#ifndef DEVPICK_FUZZ_FUZZ_CHECK_H_
#define DEVPICK_FUZZ_FUZZ_CHECK_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace devpick::fuzz {

// Aborts (a crash libFuzzer records, with the input) when `ok` is false.
inline void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

// Whether `text` is valid UTF-8, as nlohmann::json's strict dump judges it (the snapshot and
// list --json writers would throw on anything else).
inline bool IsValidUtf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// Every index in [0, count), none repeated.
inline bool DistinctInRange(const std::vector<int>& indices, int count) {
  std::vector<int> sorted = indices;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return false;
  return std::all_of(sorted.begin(), sorted.end(), [&](int i) { return i >= 0 && i < count; });
}

inline bool StrictlyIncreasing(const std::vector<int>& values) {
  return std::adjacent_find(values.begin(), values.end(), [](int a, int b) { return a >= b; }) ==
         values.end();
}

// GPU UUIDs for the visibility targets: `count` devices, some sharing prefixes (so "GPU-1" is
// ambiguous), one unknown ("").
inline std::vector<std::string> SampleUuids(int count, std::string_view prefix) {
  static const char* const kTails[] = {
      "1a2b3c4d-0000-1111-2222-333344445555", "1a2b3c4d-9999-1111-2222-333344445555",
      "7f00ee11-aaaa-bbbb-cccc-ddddeeeeffff", "",
      "00000000-0000-0000-0000-000000000000", "abcdefab-cdef-abcd-efab-cdefabcdefab",
      "1a2b0000-0000-0000-0000-000000000001", "ffffffff-ffff-ffff-ffff-ffffffffffff",
  };
  std::vector<std::string> uuids;
  for (int i = 0; i < count; ++i) {
    std::string tail = kTails[i % 8];
    uuids.push_back(tail.empty() ? "" : std::string(prefix) + tail);
  }
  return uuids;
}

}  // namespace devpick::fuzz

#endif  // DEVPICK_FUZZ_FUZZ_CHECK_H_
