#include "devpick/pci_address.h"

#include <cstdio>

namespace devpick {
namespace {

// Parses 1..max_digits hex digits from the front of `text`, consuming them.
std::optional<std::uint32_t> TakeHex(std::string_view& text, std::size_t max_digits) {
  std::uint32_t value = 0;
  std::size_t n = 0;
  while (n < text.size() && n < max_digits) {
    char c = text[n];
    int digit = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
    if (digit < 0) break;
    value = value * 16 + static_cast<std::uint32_t>(digit);
    ++n;
  }
  if (n == 0) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

bool TakeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

}  // namespace

std::string PciAddress::ToString() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x.%x", domain, bus, device, function);
  return buffer;
}

std::optional<PciAddress> ParsePciAddress(std::string_view text) {
  // Count colons to know whether a domain is present.
  std::size_t colons = 0;
  for (char c : text) colons += c == ':';
  PciAddress address;
  if (colons == 2) {
    auto domain = TakeHex(text, 8);
    if (!domain || !TakeChar(text, ':')) return std::nullopt;
    address.domain = *domain;
  } else if (colons != 1) {
    return std::nullopt;
  }
  auto bus = TakeHex(text, 2);
  if (!bus || !TakeChar(text, ':')) return std::nullopt;
  auto device = TakeHex(text, 2);
  if (!device || !TakeChar(text, '.')) return std::nullopt;
  auto function = TakeHex(text, 1);
  if (!function || !text.empty() || *device > 31 || *function > 7) return std::nullopt;
  address.bus = *bus;
  address.device = *device;
  address.function = *function;
  return address;
}

std::optional<std::string> CanonicalPciAddress(std::string_view text) {
  auto address = ParsePciAddress(text);
  if (!address) return std::nullopt;
  return address->ToString();
}

}  // namespace devpick
