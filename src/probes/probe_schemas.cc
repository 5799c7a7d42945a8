#include "probes/probe_schemas.h"

#include <map>

namespace devpick::probe_schemas {
namespace {

using OJson = nlohmann::ordered_json;

void WriteStatus(const ProbeHeader& header, std::string_view key, OJson* out) {
  (*out)[std::string(key)] = ToString(header.status);
}

void ReadStatus(SnapshotReader& r, const std::string& key, ProbeHeader* header) {
  std::string status;
  r.RequiredString(key, &status);
  if (r.failed()) return;
  static const std::pair<std::string_view, ProbeStatus> kStatuses[] = {
      {"ok", ProbeStatus::kOk},
      {"absent", ProbeStatus::kAbsent},
      {"error", ProbeStatus::kError},
      {"timeout", ProbeStatus::kTimeout},
      {"skipped", ProbeStatus::kSkipped}};
  for (const auto& [name, value] : kStatuses) {
    if (status == name) {
      header->status = value;
      return;
    }
  }
  r.Fail(key, "one of ok, absent, error, timeout, skipped", nlohmann::json(status));
}

// A map of strings, left out when empty (sysfs extensions).
template <std::map<std::string, std::string> SysfsObservation::*Member>
void WriteMap(const SysfsObservation& o, std::string_view key, OJson* out) {
  if (!(o.*Member).empty()) (*out)[std::string(key)] = o.*Member;
}

// Module versions that are not strings are skipped: a version is a hint for messages, and an
// older writer recorded other types.
void ReadModuleVersions(SnapshotReader& r, const std::string& key, SysfsObservation* o) {
  const nlohmann::json* versions = r.Get(key);
  if (versions == nullptr) return;
  if (!versions->is_object()) return r.Fail(key, "an object", *versions);
  for (const auto& [module, version] : versions->items()) {
    if (version.is_string()) o->module_versions[module] = version.get<std::string>();
  }
}

void ReadDevNodes(SnapshotReader& r, const std::string& key, SysfsObservation* o) {
  const nlohmann::json* nodes = r.Get(key);
  if (nodes == nullptr) return;
  if (!nodes->is_object()) return r.Fail(key, "an object", *nodes);
  for (const auto& [path, state] : nodes->items()) {
    if (!state.is_string()) {
      return r.Fail(key + "." + path, "\"rw\", \"denied\" or \"missing\"", state);
    }
    o->dev_nodes[path] = state.get<std::string>();
  }
}

}  // namespace

const SnapshotField<ProbeHeader> kHeader[5] = {
    {.key = "status", .write = WriteStatus, .read = ReadStatus},
    field::OmittedWhenAbsent<&ProbeHeader::library>("library"),
    field::OmittedWhenAbsent<&ProbeHeader::version>("version"),
    field::OmittedWhenAbsent<&ProbeHeader::detail>("detail"),
    field::StringsOmittedWhenEmpty<&ProbeHeader::warnings>("warnings"),
};

const SnapshotField<SysfsObservation> kSysfs[2] = {
    {.key = "module_versions",
     .write = WriteMap<&SysfsObservation::module_versions>,
     .read = ReadModuleVersions},
    {.key = "dev_nodes", .write = WriteMap<&SysfsObservation::dev_nodes>, .read = ReadDevNodes},
};

}  // namespace devpick::probe_schemas
