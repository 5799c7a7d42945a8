// PCI addresses: parsing every form a source prints, comparing numerically.
//
// sysfs prints "0000:03:00.0" (4-digit lower-case domain), NVML "00000000:03:00.0" (8-digit upper
// case), users type "03:00.0". All compare by (domain, bus, device, function).
#ifndef DEVPICK_PCI_ADDRESS_H_
#define DEVPICK_PCI_ADDRESS_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace devpick {

struct PciAddress {
  std::uint32_t domain = 0;
  std::uint32_t bus = 0;       // 0..255
  std::uint32_t device = 0;    // 0..31
  std::uint32_t function = 0;  // 0..7

  auto operator<=>(const PciAddress&) const = default;
  // "dddd:bb:dd.f", lower case (domains above 0xffff print in full).
  std::string ToString() const;
};

// Accepts "dddd:bb:dd.f" with a 1-8 digit hex domain, or "bb:dd.f" (domain 0); case-insensitive.
std::optional<PciAddress> ParsePciAddress(std::string_view text);
// The canonical form of `text`, or nullopt when it does not parse.
std::optional<std::string> CanonicalPciAddress(std::string_view text);

}  // namespace devpick

#endif  // DEVPICK_PCI_ADDRESS_H_
