// Snapshot JSON: Observations <-> the snapshot document of SNAPSHOT.md (version 1).
//
// Writing emits every field the model holds (null for unobserved values, so a reader can tell
// "not observed" from "absent"). Reading validates types field by field and reports the first
// problem as "<source>: <json path>: <what was expected>", e.g. "machine.json: pci[0].vendor:
// expected a hex string such as \"0x10de\", got 4318". Unknown fields are ignored, as the contract
// requires; a missing or newer `devpick_snapshot` is an error that says which versions are
// supported.
#ifndef DEVPICK_SRC_CORE_SNAPSHOT_JSON_H_
#define DEVPICK_SRC_CORE_SNAPSHOT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/snapshot_schema.h"  // HexId
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

nlohmann::ordered_json ObservationsToJson(const Observations& observations);
// `source` names the document in errors (a file name, "child process of probe cuda").
Result<Observations> ObservationsFromJson(const nlohmann::json& document, std::string_view source);
// Parses `text` first; syntax errors name the line and column.
Result<Observations> ParseSnapshot(std::string_view text, std::string_view source);
std::string SerializeSnapshot(const Observations& observations);

// One probe's entry alone (what a child process sends back): `name` is the probe name.
nlohmann::ordered_json ProbeEntryToJson(const ProbeObservations& probes, std::string_view name);
Status ProbeEntryFromJson(const nlohmann::json& entry, std::string_view name,
                          std::string_view source, ProbeObservations* probes);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_SNAPSHOT_JSON_H_
