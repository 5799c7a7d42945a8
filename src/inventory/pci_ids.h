// PciIds: names for PCI vendor, device and subsystem IDs from the system's pci.ids database.
//
// pci.ids (hwdata / pciutils, research/sysfs.md §7.3) is a 1-2 MB text file. devpick needs a
// handful of names per run, so Parse does not build a full index: it walks the line starts once,
// records the byte range of each vendor's block (a few thousand entries) and stops at the
// device-class section. A device or subsystem lookup then searches only its vendor's block, and
// device lines are found in lower case, as the format prescribes (vendor and subsystem lines also
// accept upper case). On the 1.36 MB pci.ids 2023.04.10, Parse takes about 0.4 ms and a device
// lookup about 0.02 ms at -O2. The text is shared, not copied, so a PciIds is cheap to copy.
// Unknown IDs and malformed lines yield nullopt; nothing here throws.
//
// Names are pci.ids spellings ("DG2 [Arc A770]"); MarketingName turns them into what a user expects
// to read ("Intel Arc A770"). A runtime's own device name, when there is one, should win over both.
//
// Thread-safety: immutable after construction; safe for concurrent const use.
#ifndef DEVPICK_INVENTORY_PCI_IDS_H_
#define DEVPICK_INVENTORY_PCI_IDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "devpick/status.h"

namespace devpick {

class PciIds {
 public:
  // The places distributions install pci.ids, in the order Load tries them.
  static constexpr std::array<std::string_view, 3> kSearchPaths = {
      "/usr/share/hwdata/pci.ids",  // Fedora, Arch (hwdata)
      "/usr/share/misc/pci.ids",    // Debian, Ubuntu (pciutils)
      "/usr/share/pci.ids",
  };
  // A current pci.ids is about 1.4 MB; the bound keeps a corrupt or hostile file from costing
  // memory.
  static constexpr std::size_t kMaxFileBytes = std::size_t{8} << 20;

  // Reads the first of kSearchPaths that exists. When none can be read, the error is the first
  // failure other than "not found" (an oversized or unreadable file, with its path), or NotFound
  // "pci.ids not found (tried <paths>)".
  static Result<PciIds> Load(const Env& env);
  // Indexes `text` (a copy is kept). Malformed lines are skipped; an empty text gives an empty
  // database.
  static PciIds Parse(std::string_view text);

  // An empty database: every lookup returns nullopt.
  PciIds();

  std::optional<std::string> VendorName(std::uint32_t vendor) const;
  std::optional<std::string> DeviceName(std::uint32_t vendor, std::uint32_t device) const;
  std::optional<std::string> SubsystemName(std::uint32_t vendor, std::uint32_t device,
                                           std::uint32_t subvendor, std::uint32_t subdevice) const;

  // A short marketing name for a device: the bracketed part of its pci.ids name when present
  // ("AD102 [GeForce RTX 4090]" -> "GeForce RTX 4090"), else the whole name ("Raphael"), prefixed
  // by the vendor's brand unless it already starts with it: "NVIDIA GeForce RTX 4090",
  // "Intel Arc A770", "AMD Radeon RX 7900 XT/7900 XTX"; "Meteor Lake-P [Intel Arc Graphics]" stays
  // "Intel Arc Graphics". Vendors without a known brand get no prefix. nullopt when the device is
  // not in the database.
  std::optional<std::string> MarketingName(std::uint32_t vendor, std::uint32_t device) const;

  // How many vendor entries were indexed (for tests and diagnostics).
  std::size_t vendor_count() const { return vendors_.size(); }

 private:
  // One vendor line and the byte range of the device and subsystem lines that follow it.
  struct VendorBlock {
    std::uint32_t id = 0;
    std::size_t name_begin = 0;
    std::size_t name_end = 0;
    std::size_t body_begin = 0;
    std::size_t body_end = 0;
  };

  static PciIds ParseOwned(std::string text);
  const VendorBlock* FindVendor(std::uint32_t vendor) const;
  // The offset of the device line of `device` in `block`, and its name.
  std::optional<std::pair<std::size_t, std::string_view>> FindDevice(const VendorBlock& block,
                                                                     std::uint32_t device) const;

  std::shared_ptr<const std::string> text_;
  std::vector<VendorBlock> vendors_;  // sorted by id; the first of duplicate ids wins
};

}  // namespace devpick

#endif  // DEVPICK_INVENTORY_PCI_IDS_H_
