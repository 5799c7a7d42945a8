// Doctor's output formats: the JSON object of `doctor --json` and the C ABI, and the text report.
#include <algorithm>

#include "core/text.h"
#include "devpick/doctor.h"

namespace devpick {

nlohmann::ordered_json FindingsToJson(const std::vector<Finding>& findings,
                                      const std::optional<std::string>& backend) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  int errors = 0;
  int warnings = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == Severity::kError;
    warnings += finding.severity == Severity::kWarning;
    list.push_back(
        {{"code", finding.code},
         {"severity", ToString(finding.severity)},
         {"device_id", finding.device_id.empty() ? nlohmann::ordered_json()
                                                 : nlohmann::ordered_json(finding.device_id)},
         {"message", finding.message},
         {"evidence", finding.evidence},
         {"remedy", finding.remedy},
         {"backends", finding.backends}});
  }
  return {{"backend", backend ? nlohmann::ordered_json(*backend) : nlohmann::ordered_json()},
          {"findings", std::move(list)},
          {"errors", errors},
          {"warnings", warnings}};
}

std::string FormatFindingsText(const std::vector<Finding>& findings) {
  if (findings.empty()) return "no problems found\n";
  std::string out;
  int errors = 0;
  int warnings = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == Severity::kError;
    warnings += finding.severity == Severity::kWarning;
    std::string head(ToString(finding.severity));
    head.resize(std::max<std::size_t>(head.size() + 1, 8), ' ');
    if (!finding.device_id.empty()) head += finding.device_id + "  ";
    out += head + finding.code + ": " + finding.message + "\n";
    for (const std::string& fact : finding.evidence) out += "    evidence: " + fact + "\n";
    if (!finding.remedy.empty()) out += "    remedy:   " + finding.remedy + "\n";
    if (!finding.backends.empty()) out += "    affects:  " + Join(finding.backends, ", ") + "\n";
  }
  auto plural = [](int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  out += plural(errors, "error") + ", " + plural(warnings, "warning") + "\n";
  return out;
}

}  // namespace devpick
