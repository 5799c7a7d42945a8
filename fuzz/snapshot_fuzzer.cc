// Fuzzes the snapshot reader (ParseSnapshot, SNAPSHOT.md), the one input that may come from another
// machine (`--snapshot`, a bug report), and what consumes its result: correlation into an
// inventory. Oracle: an accepted snapshot re-serializes to a document that parses again to the same
// text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/snapshot_json.h"
#include "devpick/inventory.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  devpick::Result<devpick::Observations> parsed = devpick::ParseSnapshot(text, "fuzz.json");
  if (!parsed.ok()) {
    devpick::fuzz::Check(!parsed.status().message().empty(), "a rejected snapshot says why");
    return 0;
  }
  std::string written = devpick::SerializeSnapshot(*parsed);
  devpick::Result<devpick::Observations> again = devpick::ParseSnapshot(written, "rewritten.json");
  devpick::fuzz::Check(again.ok(), "a snapshot devpick wrote parses again");
  devpick::fuzz::Check(devpick::SerializeSnapshot(*again) == written,
                       "writing a parsed snapshot is stable");
  devpick::Inventory inventory = devpick::Correlate(*parsed, nullptr);
  for (const devpick::Device& device : inventory.devices) {
    devpick::fuzz::Check(devpick::fuzz::IsValidUtf8(device.name), "device names are valid UTF-8");
  }
  return 0;
}
