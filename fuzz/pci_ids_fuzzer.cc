// Fuzzes the pci.ids reader (src/inventory/pci_ids.h): Parse indexes the text, then the lookups
// that correlation makes run for IDs taken from the input's end, so they hit vendors the text
// declares. Oracle: names come back as non-empty text without line breaks.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_check.h"
#include "inventory/pci_ids.h"

namespace {

void CheckName(const std::optional<std::string>& name) {
  if (!name) return;
  devpick::fuzz::Check(name->find('\n') == std::string::npos, "a name is one line");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const auto vendor = input.ConsumeIntegral<std::uint16_t>();
  const auto device = input.ConsumeIntegral<std::uint16_t>();
  const auto subvendor = input.ConsumeIntegral<std::uint16_t>();
  const auto subdevice = input.ConsumeIntegral<std::uint16_t>();
  std::string text = input.ConsumeRemainingBytesAsString();
  devpick::PciIds ids = devpick::PciIds::Parse(text);
  CheckName(ids.VendorName(vendor));
  CheckName(ids.DeviceName(vendor, device));
  CheckName(ids.SubsystemName(vendor, device, subvendor, subdevice));
  CheckName(ids.MarketingName(vendor, device));
  // The first vendor the text declares, so lookups reach a block even for random IDs.
  if (text.size() >= 4) {
    std::uint32_t declared = 0;
    bool hex = true;
    for (int i = 0; i < 4 && hex; ++i) {
      char c = text[static_cast<std::size_t>(i)];
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      hex = digit >= 0;
      declared = declared * 16 + static_cast<std::uint32_t>(digit < 0 ? 0 : digit);
    }
    if (hex) {
      CheckName(ids.DeviceName(declared, device));
      CheckName(ids.MarketingName(declared, device));
    }
  }
  return 0;
}
