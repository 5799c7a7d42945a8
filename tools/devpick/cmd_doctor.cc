// doctor: why a GPU is not used. The findings come from the library (devpick/doctor.h) over the
// probed or replayed machine, plus the Python environment named by --python on this machine.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "devpick/doctor.h"
#include "devpick/select.h"
#include "doctor/python_env.h"
#include "output.h"
#include "select/backend_table.h"

namespace devpick::cli {

void AddDoctorOptions(CLI::App* app, CommandOptions* options) {
  app->add_option(
      "-b,--backend", options->backend,
      "judge the machine for this backend: " + BackendNameList() + " (default: every backend)");
  app->add_option("--python", options->python,
                  "also inspect this Python environment (a venv directory or an interpreter) "
                  "without running it: which torch, openvino and onnxruntime builds it holds")
      ->option_text("PATH");
}

int RunDoctor(Context& context, const CommandOptions& options) {
  std::optional<std::string> backend;
  if (options.backend) {
    Result<std::string> canonical = CanonicalBackend(*options.backend);
    if (!canonical.ok()) Fail(kExitUsage, canonical.status().message());
    backend = *canonical;
  }
  if (options.python && context.options().replay) {
    Fail(kExitUsage,
         "--python inspects a Python environment on this machine and cannot be combined with "
         "--replay; run 'devpick doctor --python PATH' without --replay");
  }
  // Read the Python environment before probing, so a wrong path fails fast.
  std::optional<PythonEnvironment> python;
  if (options.python) {
    std::string path = std::filesystem::absolute(*options.python).lexically_normal().string();
    if (path.size() > 1 && path.back() == '/') path.pop_back();
    Result<PythonEnvironment> inspected = InspectPythonEnvironment(*NewRealEnv(), path);
    if (!inspected.ok()) Fail(kExitUsage, "--python: " + inspected.status().message());
    python = std::move(inspected).value();
  }

  const Observations& observations = context.LoadObservations();
  const Inventory& inventory = context.LoadInventory();
  std::vector<Finding> findings = Diagnose(observations, inventory, backend);
  if (python) {
    for (Finding& finding : DiagnosePythonEnvironment(*python, backend)) {
      findings.push_back(std::move(finding));
    }
    SortBySeverity(&findings);
  }

  if (context.options().json) {
    PrintData(FindingsToJson(findings, backend)
                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
              "\n");
  } else {
    PrintText(stdout, FormatFindingsText(findings));
  }
  return HasBlockingFinding(findings, backend) ? kExitProblems : kExitOk;
}

}  // namespace devpick::cli
