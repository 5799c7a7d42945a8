// Fuzzes the measurement cache reader (MeasureCache::Load, src/verify/measure_cache.h): the file
// under ~/.cache that `--policy measured` trusts, which any program of the user's can write and a
// crash or a full disk can truncate. The input is the cache file, read through a FakeEnv.
// Oracle: Load never throws or fails; a rejected file gives exactly one warning naming it and no
// entries; an accepted one has distinct keys in order, and the text Save would write for it loads
// again without a warning to the same entries and the same text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fake_env.h"
#include "fuzz_check.h"
#include "verify/measure_cache.h"

namespace {

constexpr const char* kPath = "/home/u/.cache/devpick/measured.json";

devpick::MeasureCache LoadText(std::string text) {
  devpick::testing::FakeEnv env;
  env.AddFile(kPath, std::move(text));
  return devpick::MeasureCache::Load(env, kPath);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using devpick::fuzz::Check;
  devpick::MeasureCache cache = LoadText(std::string(reinterpret_cast<const char*>(data), size));
  Check(cache.warnings().size() <= 1, "at most one warning per load");
  if (!cache.warnings().empty()) {
    Check(cache.entries().empty(), "a rejected cache has no entries");
    Check(cache.warnings()[0].rfind(std::string("measurement cache ") + kPath + " is corrupt (",
                                    0) == 0,
          "a rejected cache is named in its warning");
    return 0;
  }
  const auto& entries = cache.entries();
  for (std::size_t i = 1; i < entries.size(); ++i) {
    Check(entries[i - 1].key < entries[i].key, "keys distinct and sorted");
  }
  for (const devpick::Measurement& m : entries) {
    Check(cache.Find(m.key) == &m, "Find returns every entry");
  }
  std::string written = cache.Serialize();
  devpick::MeasureCache again = LoadText(written);
  Check(again.warnings().empty(), "a cache devpick wrote loads without a warning");
  Check(again.entries() == entries, "a saved cache loads to the same entries");
  Check(again.Serialize() == written, "saving a loaded cache is stable");
  return 0;
}
