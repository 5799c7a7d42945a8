#include "inventory/pci_ids.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace devpick {
namespace {

// Everything after this comment line describes device classes, whose "\tNN  name" lines would
// otherwise be read as devices of the last vendor (research/sysfs.md §7.3).
constexpr std::string_view kClassSectionMarker = "# List of known device classes";

// Vendor brands for MarketingName; pci.ids vendor names ("Advanced Micro Devices, Inc. [AMD/ATI]")
// are too long to prefix.
struct Brand {
  std::uint32_t vendor;
  std::string_view brand;
};
constexpr Brand kBrands[] = {
    {0x10de, "NVIDIA"}, {0x1002, "AMD"},      {0x1022, "AMD"},
    {0x8086, "Intel"},  {0x17cb, "Qualcomm"}, {0x1da3, "Habana"},
    {0x19e5, "Huawei"}, {0x106b, "Apple"},    {0x1414, "Microsoft"},
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at the start of `text` followed by a blank: the ID form of every pci.ids entry.
// On success `text` is advanced past the digits and the blanks after them.
std::optional<std::uint32_t> TakeId(std::string_view* text) {
  if (text->size() < 5 || !IsBlank((*text)[4])) return std::nullopt;
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    int digit = HexDigit((*text)[i]);
    if (digit < 0) return std::nullopt;
    value = value << 4 | static_cast<std::uint32_t>(digit);
  }
  text->remove_prefix(4);
  while (!text->empty() && IsBlank(text->front())) text->remove_prefix(1);
  return value;
}

// An "ID  name" entry; nullopt for anything malformed or nameless.
std::optional<std::pair<std::uint32_t, std::string_view>> ParseEntry(std::string_view text) {
  std::optional<std::uint32_t> id = TakeId(&text);
  if (!id) return std::nullopt;
  std::string_view name = Trim(text);
  if (name.empty()) return std::nullopt;
  return std::make_pair(*id, name);
}

// Walks the lines of text[begin, end).
template <typename Visit>
void ForEachLine(std::string_view text, std::size_t begin, std::size_t end, Visit visit) {
  std::size_t pos = begin;
  while (pos < end) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos || eol > end) eol = end;
    if (!visit(pos, text.substr(pos, eol - pos))) return;
    pos = eol + 1;
  }
}

bool StartsWithWord(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(word[i]))) {
      return false;
    }
  }
  return text.size() == word.size() || text[word.size()] == ' ';
}

}  // namespace

PciIds::PciIds() : text_(std::make_shared<const std::string>()) {}

Result<PciIds> PciIds::Load(const Env& env) {
  std::optional<Status> first_error;
  std::string tried;
  for (std::string_view path : kSearchPaths) {
    Result<std::string> text = env.ReadFile(path, kMaxFileBytes);
    if (text.ok()) return ParseOwned(std::move(text).value());
    if (text.status().code() != StatusCode::kNotFound && !first_error) first_error = text.status();
    tried += (tried.empty() ? "" : ", ") + std::string(path);
  }
  if (first_error) return *first_error;
  return Status::NotFound("pci.ids not found (tried " + tried + ")");
}

PciIds PciIds::Parse(std::string_view text) { return ParseOwned(std::string(text)); }

PciIds PciIds::ParseOwned(std::string owned) {
  PciIds ids;
  ids.text_ = std::make_shared<const std::string>(std::move(owned));
  std::string_view text = *ids.text_;
  // Only top-level lines are looked at; device and subsystem lines (leading tab) are skipped in one
  // comparison each and read later, on demand, from their vendor's block.
  bool open = false;
  std::size_t stop = text.size();
  ForEachLine(text, 0, text.size(), [&](std::size_t start, std::string_view line) {
    if (line.empty() || line.front() == '\t') return true;
    if (line.front() == '#') {
      if (line.substr(0, kClassSectionMarker.size()) != kClassSectionMarker) return true;
      stop = start;
      return false;
    }
    if (open) {
      ids.vendors_.back().body_end = start;
      open = false;
    }
    if (line.size() >= 2 && line[0] == 'C' && line[1] == ' ') {  // a class line without the marker
      stop = start;
      return false;
    }
    // A garbage top-level line also closes the previous vendor, so its devices are not misfiled.
    if (auto entry = ParseEntry(line)) {
      std::size_t name_begin = static_cast<std::size_t>(entry->second.data() - text.data());
      std::size_t body_begin = std::min(start + line.size() + 1, text.size());
      ids.vendors_.push_back({.id = entry->first,
                              .name_begin = name_begin,
                              .name_end = name_begin + entry->second.size(),
                              .body_begin = body_begin,
                              .body_end = text.size()});
      open = true;
    }
    return true;
  });
  if (open) ids.vendors_.back().body_end = stop;
  std::stable_sort(ids.vendors_.begin(), ids.vendors_.end(),
                   [](const VendorBlock& a, const VendorBlock& b) { return a.id < b.id; });
  return ids;
}

const PciIds::VendorBlock* PciIds::FindVendor(std::uint32_t vendor) const {
  auto it =
      std::lower_bound(vendors_.begin(), vendors_.end(), vendor,
                       [](const VendorBlock& block, std::uint32_t id) { return block.id < id; });
  if (it == vendors_.end() || it->id != vendor) return nullptr;
  return &*it;
}

std::optional<std::pair<std::size_t, std::string_view>> PciIds::FindDevice(
    const VendorBlock& block, std::uint32_t device) const {
  if (device > 0xffff || block.body_begin >= block.body_end) return std::nullopt;
  // pci.ids writes IDs in lower case, so a device line is found with one substring search for
  // "\n\t<id>" (memchr-fast) instead of splitting the vendor's few thousand lines.
  constexpr char kHex[] = "0123456789abcdef";
  const char needle[] = {'\n',
                         '\t',
                         kHex[device >> 12 & 0xf],
                         kHex[device >> 8 & 0xf],
                         kHex[device >> 4 & 0xf],
                         kHex[device & 0xf]};
  std::string_view text = *text_;
  std::string_view pattern(needle, sizeof(needle));
  // body_begin - 1 is the newline that ends the vendor line.
  for (std::size_t from = block.body_begin - 1;;) {
    std::size_t at = text.find(pattern, from);
    if (at == std::string_view::npos || at + 1 >= block.body_end) return std::nullopt;
    std::size_t start = at + 1;
    std::size_t eol = std::min(text.find('\n', start), block.body_end);
    auto entry = ParseEntry(text.substr(start + 1, eol - start - 1));
    if (entry && entry->first == device) return std::make_pair(start, entry->second);
    from = start;
  }
}

std::optional<std::string> PciIds::VendorName(std::uint32_t vendor) const {
  const VendorBlock* block = FindVendor(vendor);
  if (block == nullptr) return std::nullopt;
  return text_->substr(block->name_begin, block->name_end - block->name_begin);
}

std::optional<std::string> PciIds::DeviceName(std::uint32_t vendor, std::uint32_t device) const {
  const VendorBlock* block = FindVendor(vendor);
  if (block == nullptr) return std::nullopt;
  auto found = FindDevice(*block, device);
  if (!found) return std::nullopt;
  return std::string(found->second);
}

std::optional<std::string> PciIds::SubsystemName(std::uint32_t vendor, std::uint32_t device,
                                                 std::uint32_t subvendor,
                                                 std::uint32_t subdevice) const {
  const VendorBlock* block = FindVendor(vendor);
  if (block == nullptr) return std::nullopt;
  auto found = FindDevice(*block, device);
  if (!found) return std::nullopt;
  std::optional<std::string> name;
  std::size_t after_device = text_->find('\n', found->first);
  if (after_device == std::string::npos || after_device >= block->body_end) return std::nullopt;
  ForEachLine(*text_, after_device + 1, block->body_end, [&](std::size_t, std::string_view line) {
    if (line.empty() || line[0] == '#') return true;
    if (line[0] != '\t') return true;
    if (line.size() < 2 || line[1] != '\t') return false;  // the next device
    std::string_view rest = line.substr(2);
    std::optional<std::uint32_t> sub_vendor = TakeId(&rest);
    if (!sub_vendor || *sub_vendor != subvendor) return true;
    auto entry = ParseEntry(rest);
    if (!entry || entry->first != subdevice) return true;
    name.emplace(entry->second);
    return false;
  });
  return name;
}

std::optional<std::string> PciIds::MarketingName(std::uint32_t vendor, std::uint32_t device) const {
  std::optional<std::string> full = DeviceName(vendor, device);
  if (!full) return std::nullopt;
  // pci.ids spells GPUs "<codename> [<marketing name>]".
  std::string_view name = *full;
  std::size_t open = name.find('[');
  std::size_t close = name.rfind(']');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    std::string_view inner = Trim(name.substr(open + 1, close - open - 1));
    if (!inner.empty()) name = inner;
  }
  const Brand* brand = std::find_if(std::begin(kBrands), std::end(kBrands),
                                    [&](const Brand& b) { return b.vendor == vendor; });
  if (brand == std::end(kBrands) || StartsWithWord(name, brand->brand)) return std::string(name);
  return std::string(brand->brand) + " " + std::string(name);
}

}  // namespace devpick
