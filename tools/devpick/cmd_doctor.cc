// doctor: why a GPU is not used. The findings come from the library (devpick/doctor.h) over the
// probed or replayed machine, plus the Python environment named by --python on this machine.
#include <cstdio>

#include "commands.h"
#include "devpick/doctor.h"
#include "devpick/select.h"
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
  DoctorRequest request{.backend = std::nullopt, .python = options.python};
  if (options.backend) {
    Result<std::string> canonical = CanonicalBackend(*options.backend);
    if (!canonical.ok()) Fail(kExitUsage, canonical.status().message());
    request.backend = *canonical;
  }
  Result<std::vector<Finding>> diagnosed = Doctor(*NewRealEnv(), context.Load(), request);
  // Doctor's only errors are about the Python environment.
  if (!diagnosed.ok()) Fail(kExitUsage, "--python: " + diagnosed.status().message());
  const std::vector<Finding>& findings = *diagnosed;
  const std::optional<std::string>& backend = request.backend;

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
