#include "inventory/correlation.h"

#include <cctype>

#include "core/snapshot_json.h"  // HexId
#include "core/text.h"

namespace devpick {
namespace {

bool SameUuid(std::string_view a, std::string_view b) {
  auto normalize = [](std::string_view s) {
    std::string out;
    if (s.substr(0, 4) == "GPU-") s.remove_prefix(4);
    for (char c : s) {
      if (c != '-') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
  };
  std::string na = normalize(a);
  return !na.empty() && na == normalize(b);
}

}  // namespace

Draft* Correlation::Add(Draft draft) {
  drafts_.push_back(std::move(draft));
  return &drafts_.back();
}

Draft* Correlation::Match(std::string_view probe, const std::optional<std::string>& pci_address,
                          const std::optional<std::string>& uuid,
                          std::optional<std::uint32_t> vendor_id,
                          std::optional<std::uint32_t> device_id) {
  if (pci_address) {
    if (auto address = ParsePciAddress(*pci_address)) {
      for (Draft& draft : drafts_) {
        if (draft.address != address) continue;
        if (vendor_id && draft.device.vendor_id && *draft.device.vendor_id != *vendor_id) {
          Warn(probe, "a device with vendor ID " + HexId(*vendor_id) + " reports PCI address " +
                          address->ToString() + ", where sysfs has a " +
                          HexId(*draft.device.vendor_id) +
                          " function; not matched by that address");
          break;
        }
        return &draft;
      }
    } else {
      Warn(probe, "PCI address \"" + ForMessage(*pci_address) +
                      "\" is not of the form dddd:bb:dd.f; matched by UUID or device ID instead");
    }
  }
  if (uuid) {
    for (Draft& draft : drafts_) {
      if (draft.device.uuid && SameUuid(*draft.device.uuid, *uuid)) return &draft;
    }
  }
  if (device_id) {
    Draft* found = nullptr;
    int count = 0;
    for (Draft& draft : drafts_) {
      if (draft.device.device_id == device_id &&
          (!vendor_id || draft.device.vendor_id == vendor_id)) {
        found = &draft;
        ++count;
      }
    }
    if (count == 1) return found;
  }
  return nullptr;
}

Draft* Correlation::MatchByName(std::optional<std::uint32_t> vendor_id,
                                const std::optional<std::string>& name) {
  if (!name) return nullptr;
  Draft* found = nullptr;
  for (Draft& draft : drafts_) {
    if (draft.device.vendor_id != vendor_id) continue;
    for (const auto& [other, source] : draft.names) {
      if (other == *name) {
        if (found != nullptr && found != &draft) return nullptr;  // ambiguous
        found = &draft;
      }
    }
  }
  return found;
}

Draft* Correlation::OnlyOfKind(DeviceKind kind) {
  Draft* found = nullptr;
  for (Draft& draft : drafts_) {
    if (draft.device.kind != kind) continue;
    if (found != nullptr) return nullptr;
    found = &draft;
  }
  return found;
}

Draft* Correlation::Orphan(std::string_view probe, const std::string& what, DeviceKind kind,
                           std::optional<std::uint32_t> vendor_id,
                           const std::optional<std::string>& pci) {
  Draft draft;
  draft.device.kind = kind;
  draft.device.kind_source = std::string(probe) + ": device type";
  draft.device.vendor_id = vendor_id;
  draft.device.vendor = vendor_id ? VendorFromPciId(*vendor_id) : Vendor::kOther;
  if (pci) {
    draft.address = ParsePciAddress(*pci);
    // An address another vendor's function holds (Match warned) identifies nothing.
    for (const Draft& other : drafts_) {
      if (draft.address && other.address == draft.address) draft.address.reset();
    }
    if (draft.address) draft.device.pci_address = draft.address->ToString();
  }
  Warn(probe, what + " matches no PCI device; listed on its own");
  return Add(std::move(draft));
}

Draft* Correlation::Bind(std::string_view probe, const RuntimeDevice& device, Binding binding) {
  Draft* draft = Match(probe, device.pci_address, device.uuid, device.vendor_id, device.device_id);
  if (draft == nullptr) {
    draft = Orphan(probe, device.what, device.kind, device.vendor_id, device.pci_address);
  }
  draft->device.bindings.push_back(std::move(binding));
  return draft;
}

void Correlation::SetRuntimeKind(Draft* draft, DeviceKind kind, std::string source) {
  if (draft->runtime_kind) return;
  draft->runtime_kind = kind;
  draft->runtime_kind_source = std::move(source);
}

void Correlation::SetCompute(Draft* draft, int units, std::optional<int> clock_mhz,
                             std::string_view source, int trust) {
  if (draft->compute_trust && *draft->compute_trust < trust) return;
  draft->compute_trust = trust;
  ComputeInfo& c = draft->device.compute;
  c.units = units;
  c.clock_mhz = clock_mhz;
  c.source = std::string(source);
}

void Correlation::OfferDedicatedBytes(Draft* draft, std::uint64_t bytes, std::string source,
                                      int trust, bool replaces) {
  if (draft->dedicated_bytes &&
      !(replaces && (!draft->dedicated_trust || *draft->dedicated_trust >= trust))) {
    return;
  }
  draft->dedicated_bytes = bytes;
  draft->dedicated_source = std::move(source);
  draft->dedicated_trust = trust;
}

void Correlation::AddCpuBinding(std::string_view api, std::optional<int> index,
                                std::optional<std::string> name,
                                const std::optional<std::string>& label, bool software) {
  cpu_bindings_.push_back(
      {.api = std::string(api), .index = index, .name = std::move(name), .software = software});
  if (label && software) software_names_.push_back(std::string(api) + ": " + *label);
}

void Correlation::Warn(std::string_view probe, std::string text) {
  notes_.push_back({std::string(probe), std::move(text), "warning"});
}

void Correlation::Note(std::string_view probe, std::string text) {
  notes_.push_back({std::string(probe), std::move(text), "note"});
}

}  // namespace devpick
