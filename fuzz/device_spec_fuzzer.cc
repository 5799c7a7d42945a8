// Fuzzes the device-spec parser (DESIGN.md "Device spec grammar": --device, DEVPICK_DEVICE,
// --exclude). Oracle: errors quote the spec; every parsed item keeps its text trimmed and a PCI
// item carries its address.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "devpick/select.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = devpick::ParseDeviceSpec(text);
  if (!parsed.ok()) {
    devpick::fuzz::Check(!parsed.status().message().empty(), "a rejected spec says why");
    return 0;
  }
  for (const devpick::DeviceSpecItem& item : *parsed) {
    devpick::fuzz::Check(item.text.empty() || (item.text.front() != ' ' && item.text.back() != ' '),
                         "item text is trimmed");
    if (item.type == devpick::DeviceSpecItem::Type::kPci) {
      devpick::fuzz::Check(item.pci.has_value(), "a pci item has an address");
    }
    if (item.index) devpick::fuzz::Check(*item.index >= 0, "an index is not negative");
  }
  return 0;
}
