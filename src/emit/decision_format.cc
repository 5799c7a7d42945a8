#include "emit/decision_format.h"

#include "core/json_null.h"
#include "core/text.h"
#include "devpick/select.h"

namespace devpick {
namespace {

using Json = nlohmann::ordered_json;

std::string NativeValue(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("provider")) {
    return value["provider"].get<std::string>() + " " + value["options"].dump();
  }
  return value.dump();
}

}  // namespace

std::string ShellQuote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Json DecisionToJson(const Decision& decision) {
  Json out;
  out["backend"] = decision.backend;
  out["backend_recommended"] = decision.backend_recommended;
  out["policy"] = std::string(ToString(decision.policy));
  if (decision.device != nullptr) {
    const Device& d = *decision.device;
    out["device"] = Json{{"id", d.id},
                         {"kind", std::string(ToString(d.kind))},
                         {"vendor", std::string(ToString(d.vendor))},
                         {"name", d.name},
                         {"pci_address", OrNull(d.pci_address)},
                         {"uuid", OrNull(d.uuid)},
                         {"memory_total_bytes", OrNull(d.memory.total_bytes)}};
  } else {
    out["device"] = nullptr;
  }
  out["native"] = decision.native;
  out["env"] = Json::object();
  for (const auto& [key, value] : decision.env) out["env"][key] = value;
  out["fallback"] = decision.fallback;
  out["candidates"] = Json::array();
  for (const Candidate& candidate : decision.candidates) {
    Json entry{{"id", candidate.id}, {"eligible", candidate.eligible}};
    if (candidate.eligible && candidate.rank) entry["rank"] = *candidate.rank;
    entry["reason"] = candidate.reason;
    entry["reason_code"] = candidate.reason_code;
    if (candidate.measurement) {
      const DeviceMeasurement& measured = *candidate.measurement;
      entry["measurement"] = {
          {"measured", measured.measured},
          {"correct", measured.correct},
          {"gflops", measured.gflops ? Json(*measured.gflops) : Json(nullptr)},
          {"source", measured.source},
          {"failure", measured.failure.empty() ? Json(nullptr) : Json(measured.failure)}};
    }
    out["candidates"].push_back(std::move(entry));
  }
  out["warnings"] = decision.warnings;
  if (decision.error) out["error"] = *decision.error;
  return out;
}

std::string FormatDecisionText(const Decision& decision, bool explain) {
  std::string out = "backend " + decision.backend + " (" +
                    (decision.backend_recommended ? "recommended, " : "") +
                    std::string(ToString(decision.policy)) + "): ";
  if (decision.device == nullptr) {
    out += "no device\n";
  } else {
    const Device& d = *decision.device;
    out += d.id + " " + d.name + " [" + std::string(ToString(d.kind)) +
           (d.pci_address ? ", " + *d.pci_address : "") + "]" +
           (decision.fallback ? " (CPU fallback)" : "") + "\n";
    for (const auto& [key, value] : decision.native.items()) {
      out += "  " + key + ": " + NativeValue(value) + "\n";
    }
    for (const auto& [key, value] : decision.env) out += "  env: " + key + "=" + value + "\n";
  }
  if (decision.error) out += "error: " + *decision.error + "\n";
  for (const std::string& warning : decision.warnings) out += "warning: " + warning + "\n";
  if (explain) {
    out += "candidates:\n";
    for (const Candidate& candidate : decision.candidates) {
      std::string rank = candidate.rank ? std::to_string(*candidate.rank) + "." : "-";
      out += "  " + rank + std::string(rank.size() < 4 ? 4 - rank.size() : 1, ' ') + candidate.id +
             std::string(candidate.id.size() < 6 ? 6 - candidate.id.size() : 1, ' ') +
             candidate.reason + (candidate.eligible ? "" : " [" + candidate.reason_code + "]") +
             "\n";
    }
  }
  return out;
}

Result<std::string> FormatDecisionEnv(const Decision& decision, bool shell) {
  std::string out;
  for (const auto& [key, value] : decision.env) {
    std::optional<std::size_t> control = shell ? std::nullopt : FindControlCharacter(value);
    if (control) {
      return Status::InvalidArgument(
          "cannot write " + key + " in an env file: its value \"" + ForMessage(value) +
          "\" holds a control character at byte " + std::to_string(*control) +
          ", which an env file cannot carry; use --format shell (quoted) or --json");
    }
    out += shell ? "export " + key + "=" + ShellQuote(value) + "\n" : key + "=" + value + "\n";
  }
  return out;
}

}  // namespace devpick
