// Doctor(): the machine's findings plus those of a Python environment, for every front end.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "devpick/doctor.h"
#include "doctor/python_env.h"

namespace devpick {

Result<std::vector<Finding>> Doctor(const Env& env, const Discovery& machine,
                                    const DoctorRequest& request) {
  std::optional<PythonEnvironment> python;
  if (request.python) {
    if (machine.source == DiscoverSource::kReplayFile ||
        machine.source == DiscoverSource::kReplayText) {
      return Status::InvalidArgument(
          "a Python environment on this machine cannot be combined with a replayed snapshot (" +
          machine.path + ")");
    }
    std::error_code error;
    std::string path =
        std::filesystem::absolute(*request.python, error).lexically_normal().string();
    if (error) path = *request.python;
    if (path.size() > 1 && path.back() == '/') path.pop_back();
    Result<PythonEnvironment> inspected = InspectPythonEnvironment(env, path);
    if (!inspected.ok()) return Status::InvalidArgument(inspected.status().message());
    python = std::move(inspected).value();
  }
  std::vector<Finding> findings =
      Diagnose(machine.observations, machine.inventory, request.backend);
  if (python) {
    for (Finding& finding : DiagnosePythonEnvironment(*python, request.backend)) {
      findings.push_back(std::move(finding));
    }
    SortBySeverity(&findings);
  }
  return findings;
}

}  // namespace devpick
