// select, explain and config: the decision for one backend, with every reason, and the effective
// configuration behind it.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "devpick/select.h"
#include "output.h"
#include "select/backend_table.h"
#include "select/config.h"
#include "verify/measure.h"
#include "verify/measured_guard.h"

namespace devpick::cli {
namespace {

// The decision under the measured policy: measures the eligible devices (or reads the cache),
// saying on stderr which device is being measured, since each takes seconds.
// `origin` names where "measured" came from ("flag --policy", "env DEVPICK_POLICY", a file).
Result<Decision> SelectMeasuredOrFail(Context& context, const std::vector<std::string>& probes,
                                      const Request& request, const std::string& origin) {
  const Discovery& machine = context.Load(probes);
  if (Status applies = CheckMeasuredPolicyApplies(machine, origin); !applies.ok()) {
    Fail(kExitUsage, applies.message());
  }
  const Observations& observations = machine.observations;
  const Inventory& inventory = machine.inventory;
  MeasureOptions options;
  options.use_cache = !context.options().no_cache;
  options.isolate = !context.options().in_process;
  const bool verbose = context.options().verbose > 0;
  VendorCodeInThisProcess guard(!options.isolate);
  return SelectMeasured(context.env(), observations, inventory, request, options,
                        [&](std::string_view message) {
                          bool cached = message.find(": cached measurement") != message.npos;
                          if (cached && !verbose) return;
                          PrintText(stderr, "devpick: " + std::string(message) + "\n");
                        });
}

ConfigFlags FlagsFrom(const CommandOptions& options) {
  ConfigFlags flags;
  // Relative to the real working directory, as --replay is ($PWD, which the library falls back
  // to for a relative DEVPICK_CONFIG, can be stale under a parent that changed directory).
  if (options.config) {
    flags.config_path = std::filesystem::absolute(*options.config).lexically_normal().string();
  }
  flags.backend = options.backend;
  flags.device = options.device;
  flags.policy = options.policy;
  flags.fallback = options.fallback;
  flags.min_memory = options.min_memory;
  if (!options.exclude.empty()) flags.exclude = options.exclude;
  return flags;
}

EffectiveConfig ResolveOrFail(const CommandOptions& options) {
  // Configuration lives on this machine even when the devices come from a snapshot or a capture.
  Result<EffectiveConfig> config =
      ResolveConfig(*NewRealEnv(), FlagsFrom(options), options.backend);
  if (!config.ok()) Fail(kExitUsage, config.status().message());
  return std::move(config).value();
}

}  // namespace

Decision DecideOrFail(Context& context, const CommandOptions& options, bool for_verify) {
  EffectiveConfig config = ResolveOrFail(options);
  Result<Request> request = config.ToRequest();
  if (!request.ok()) Fail(kExitUsage, request.status().message());
  request->isolate = options.isolate;
  if (request->backend) {
    // An unknown backend is a usage error before anything is probed.
    Result<std::string> canonical = CanonicalBackend(*request->backend);
    if (!canonical.ok()) Fail(kExitUsage, canonical.status().message());
    request->backend = *canonical;
  }
  std::vector<std::string> probes = for_verify || request->policy == Policy::kMeasured
                                        ? ProbesForMeasuring(request->backend)
                                        : ProbesForBackend(request->backend);
  Result<Decision> decision =
      request->policy == Policy::kMeasured
          ? SelectMeasuredOrFail(context, probes, *request, config.policy.origin)
          : Select(context.LoadInventory(probes), *request);
  if (!decision.ok()) Fail(kExitUsage, decision.status().message());
  return std::move(decision).value();
}

namespace {

int RunDecision(Context& context, const CommandOptions& options, bool explain) {
  Result<Decision> decision = DecideOrFail(context, options, /*for_verify=*/false);
  std::string format = context.options().json ? "json" : options.format;
  bool found = decision->device != nullptr;
  if (format == "json") {
    PrintData(
        DecisionToJson(*decision).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
        "\n");
  } else if (format == "env" || format == "shell") {
    if (!found) Fail(kExitNoDevice, *decision->error);
    Result<std::string> assignments = FormatDecisionEnv(*decision, format == "shell");
    if (!assignments.ok()) Fail(kExitUsage, assignments.status().message());
    PrintData(*assignments);
  } else {
    PrintText(found ? stdout : stderr, FormatDecisionText(*decision, explain));
  }
  return found ? kExitOk : kExitNoDevice;
}

}  // namespace

void AddSelectOptions(CLI::App* app, CommandOptions* options) {
  app->add_option("-b,--backend", options->backend,
                  BackendNameList() + " (default: recommend one)");
  app->add_option("-d,--device", options->device,
                  "device spec: auto, cpu, gpu, dgpu, igpu, npu, nvidia[:kind], gpu1, pci:BDF, "
                  "uuid:PREFIX, name:TEXT, an index, or the backend's own name (cuda:1, GPU.1); "
                  "a comma list tries each in turn");
  app->add_option("--policy", options->policy,
                  "performance (default), efficiency, memory, or measured (runs verify's "
                  "workload on each eligible device, cached per device and driver)");
  app->add_option("--fallback", options->fallback, "none (default) or cpu");
  app->add_option("--min-memory", options->min_memory, "e.g. 6GiB")->option_text("SIZE");
  app->add_option("--exclude", options->exclude, "device spec items to leave out (repeatable)")
      ->delimiter(',');
  app->add_flag("--isolate", options->isolate,
                "emit the environment that restricts the backend to the chosen device");
  app->add_option("--format", options->format, "text (default), json, env or shell")
      ->check(CLI::IsMember({"text", "json", "env", "shell"}));
  app->add_option("--config", options->config,
                  "configuration file (default: ./devpick.toml, "
                  "then $XDG_CONFIG_HOME/devpick/config.toml)")
      ->option_text("FILE");
}

int RunSelect(Context& context, const CommandOptions& options) {
  return RunDecision(context, options, /*explain=*/false);
}

int RunExplain(Context& context, const CommandOptions& options) {
  return RunDecision(context, options, /*explain=*/true);
}

void AddConfigOptions(CLI::App* app, CommandOptions* options) { AddSelectOptions(app, options); }

int RunConfig(Context& /*context*/, const CommandOptions& options) {
  PrintText(stdout, FormatConfig(ResolveOrFail(options)));
  return kExitOk;
}

}  // namespace devpick::cli
