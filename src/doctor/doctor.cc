// Diagnose(): the doctor's checks (doctor/checks.h) in table order, then severities judged for the
// requested backend.
#include "devpick/doctor.h"

#include <algorithm>

#include "doctor/checks.h"

namespace devpick {
namespace {

using doctor::Findings;
using doctor::Machine;

// The checks, in the order their findings are listed within a severity.
using Check = void (*)(const Machine&, Findings*);
constexpr Check kChecks[] = {
    doctor::CheckKernelDriver,   doctor::CheckRuntimes,       doctor::CheckPermissions,
    doctor::CheckNvmlMismatch,   doctor::CheckGfxTargets,     doctor::CheckGfxNodeOverrides,
    doctor::CheckContainer,      doctor::CheckCudaVisibility, doctor::CheckRocmVisibility,
    doctor::CheckOneApiSelector,
};

bool Concerns(const Finding& finding, const std::string& backend) {
  return finding.backends.empty() || std::find(finding.backends.begin(), finding.backends.end(),
                                               backend) != finding.backends.end();
}

}  // namespace

std::vector<Finding> Diagnose(const Observations& observations, const Inventory& inventory,
                              const std::optional<std::string>& backend) {
  Machine machine(observations, inventory);
  Findings findings;
  for (Check check : kChecks) check(machine, &findings);
  // Severities are absolute except where a finding cannot matter to the requested backend: an
  // error about another backend's device does not stop this one, so it is shown as a warning.
  if (backend) {
    for (Finding& finding : findings) {
      if (finding.severity == Severity::kError && !Concerns(finding, *backend))
        finding.severity = Severity::kWarning;
    }
  }
  SortBySeverity(&findings);
  return findings;
}

std::string_view ToString(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

void SortBySeverity(std::vector<Finding>* findings) {
  std::stable_sort(findings->begin(), findings->end(),
                   [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
}

bool HasBlockingFinding(const std::vector<Finding>& findings,
                        const std::optional<std::string>& backend) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.severity == Severity::kError && (!backend || Concerns(finding, *backend));
  });
}

}  // namespace devpick
