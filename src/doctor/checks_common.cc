// The wording every check shares, and the Machine lookups.
#include <cstdio>

#include "doctor/checks.h"
#include "probes/registry.h"

namespace devpick::doctor {

// The probe entries the checks read.
const ProbeHeader* Machine::Probe(std::string_view name) const {
  return FindProbeHeader(obs().probes, name);
}

std::string Label(const Device& device) { return device.name + " (" + device.id + ")"; }

std::string DriverEvidence(const PciFunction& pci) {
  return "/sys/bus/pci/devices/" + pci.address + "/driver: " + pci.driver.value_or("none bound");
}

// "probes.level_zero: absent (libze_loader.so.1: cannot open shared object file)"
std::string ProbeEvidence(std::string_view name, const ProbeHeader& header) {
  std::string text = "probes." + std::string(name) + ": " + std::string(ToString(header.status));
  if (header.detail && !header.detail->empty()) text += " (" + *header.detail + ")";
  return text;
}

std::string Quoted(const std::string& name, const std::string& value) {
  return name + "='" + value + "'";
}

void AddUnique(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(item);
}

std::vector<std::string> BackendsFor(const Device& device) {
  std::vector<std::string> names;
  for (const BackendInfo& row : Backends()) {
    if (row.any_vendor || (row.kinds & KindBit(device.kind)) == 0) continue;
    if (std::find(row.vendors.begin(), row.vendors.end(), device.vendor) == row.vendors.end()) {
      continue;
    }
    names.emplace_back(row.name);
  }
  return names;
}

std::vector<std::string> BackendsNumberedBy(IndexSource source) {
  std::vector<std::string> names;
  for (const BackendInfo& row : Backends()) {
    if (row.index_source == source) names.emplace_back(row.name);
  }
  return names;
}

std::string_view KfdProbe() { return Backend(BackendId::kRocm).runtime_probe; }

std::string KfdEvidence() { return "probes." + std::string(KfdProbe()) + ": "; }

// "6.8.0-45-generic" -> {6, 8}.
std::optional<std::pair<int, int>> KernelVersion(const std::optional<std::string>& release) {
  if (!release) return std::nullopt;
  int major = 0;
  int minor = 0;
  if (std::sscanf(release->c_str(), "%d.%d", &major, &minor) != 2) return std::nullopt;
  return std::make_pair(major, minor);
}

}  // namespace devpick::doctor
