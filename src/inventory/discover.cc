// Discover(): the one path from "where is the machine" to observations and inventory, shared by the
// CLI, the C ABI and (through it) the Python package.
#include "devpick/discover.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "core/snapshot_json.h"
#include "inventory/pci_ids.h"

namespace devpick {
namespace {

// Snapshots are a few hundred KiB; the bound keeps a wrong path (a disk image) from costing memory.
constexpr std::size_t kMaxSnapshotBytes = std::size_t{64} << 20;

std::string Absolute(const std::string& path) {
  std::error_code error;
  std::string absolute = std::filesystem::absolute(path, error).lexically_normal().string();
  return error ? path : absolute;
}

Result<Observations> Replay(const Env& env, const DiscoverRequest& request) {
  if (request.source == DiscoverSource::kReplayText) {
    return ParseSnapshot(request.snapshot_text,
                         request.snapshot_name.empty() ? "snapshot" : request.snapshot_name);
  }
  Result<std::string> text = env.ReadFile(Absolute(request.path), kMaxSnapshotBytes);
  if (!text.ok()) {
    return Status::InvalidArgument("cannot read snapshot " + text.status().message());
  }
  return ParseSnapshot(*text, request.path);
}

// A recorded name on one pci.ids line: a line break in a (hostile) snapshot must not make more.
std::string OneLine(std::string name) {
  for (char& c : name) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return name;
}

std::string Hex4(std::uint32_t id) {
  char text[16];
  std::snprintf(text, sizeof text, "%04x", id);
  return text;
}

// A pci.ids database holding exactly the names the snapshot recorded, so that correlation names a
// replayed device through the same code as a probed one.
PciIds RecordedNames(const Observations& observations) {
  struct VendorNames {
    std::string name;
    std::map<std::uint32_t, std::string> devices;
  };
  std::map<std::uint32_t, VendorNames> vendors;
  for (const PciFunction& f : observations.pci) {
    if (!f.pci_ids_names || !f.vendor) continue;
    VendorNames& vendor = vendors[*f.vendor];
    if (f.pci_ids_names->vendor) vendor.name = OneLine(*f.pci_ids_names->vendor);
    if (f.device && f.pci_ids_names->device) {
      vendor.devices[*f.device] = OneLine(*f.pci_ids_names->device);
    }
  }
  std::string text;
  for (const auto& [id, vendor] : vendors) {
    text += Hex4(id) + "  " + (vendor.name.empty() ? "?" : vendor.name) + "\n";
    for (const auto& [device, name] : vendor.devices)
      text += "\t" + Hex4(device) + "  " + name + "\n";
  }
  return PciIds::Parse(text);
}

// Writes what `names` says about each PCI function into the observations, for snapshots.
void RecordNames(const PciIds& names, Observations* observations) {
  for (PciFunction& f : observations->pci) {
    if (!f.vendor) continue;
    f.pci_ids_names = PciIdsNames{
        .vendor = names.VendorName(*f.vendor),
        .device = f.device ? names.DeviceName(*f.vendor, *f.device) : std::nullopt,
    };
  }
}

}  // namespace

Result<Discovery> Discover(const Env& env, const DiscoverRequest& request) {
  Discovery machine{.source = request.source,
                    .path = request.source != DiscoverSource::kReplayText ? request.path
                            : request.snapshot_name.empty()               ? "snapshot"
                                                                          : request.snapshot_name,
                    .observations = {},
                    .inventory = {}};
  if (request.source == DiscoverSource::kReplayFile ||
      request.source == DiscoverSource::kReplayText) {
    Result<Observations> replayed = Replay(env, request);
    if (!replayed.ok()) return replayed.status();
    machine.observations = std::move(replayed).value();
    std::optional<PciIds> names;
    if (request.names == NameSource::kDefault) names = RecordedNames(machine.observations);
    machine.inventory = Correlate(machine.observations, names ? &*names : nullptr);
    return machine;
  }
  if (Status valid = ValidateDiscoverOptions(request.options); !valid.ok()) return valid;
  if (request.source == DiscoverSource::kRoot) {
    if (env.TypeOf(Absolute(request.path)) != FileType::kDirectory) {
      return Status::InvalidArgument("the captured tree " + request.path + " is not a directory");
    }
    // Runtime probes are skipped for a rooted Env, so no probe thread outlives `rooted`.
    std::unique_ptr<Env> rooted = NewRootedEnv(request.path);
    machine.observations = Probe(*rooted, request.options);
  } else {
    machine.observations = Probe(env, request.options);
  }
  std::optional<PciIds> names;
  if (request.names == NameSource::kDefault) {
    Result<PciIds> loaded = PciIds::Load(env);
    if (loaded.ok()) names = std::move(loaded).value();
  }
  if (names) RecordNames(*names, &machine.observations);
  machine.inventory = Correlate(machine.observations, names ? &*names : nullptr);
  return machine;
}

}  // namespace devpick
