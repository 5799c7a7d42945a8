// devpick: which compute device should this inference backend use, what does it call it, and why.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli.h"
#include "commands.h"
#include "output.h"

namespace devpick::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"list",
       "the inventory: devices, kinds, memory, bindings, problems, and per backend the device "
       "it would use (the default command)",
       AddListOptions, RunList},
      {"select",
       "the device a backend should use, what the backend calls it, and the environment "
       "that makes that name exact",
       AddSelectOptions, RunSelect},
      {"explain", "as select, with every candidate's rank or reason", AddSelectOptions, RunExplain},
      {"config", "the effective configuration, every value with its origin", AddConfigOptions,
       RunConfig},
      {"snapshot", "write what the probes observed as a snapshot (replay it with --replay FILE)",
       AddSnapshotOptions, RunSnapshot},
      {"doctor", "why a GPU is not used: findings with evidence and a remedy (exit 4 on errors)",
       AddDoctorOptions, RunDoctor},
      {"verify",
       "run a small real workload (SGEMM, buffer copy) on one device through OpenCL, Vulkan "
       "or CUDA: correctness and measured GFLOP/s and GB/s",
       AddVerifyOptions, RunVerify},
      {"gather",
       "capture the files the driver-free probes read into a .tar.gz (replay it with --root)",
       AddGatherOptions, RunGather},
  };
  return kCommands;
}

namespace {

void AddGlobalOptions(CLI::App& app, GlobalOptions* g) {
  app.add_option("--replay", g->replay, "use a snapshot FILE instead of probing this machine")
      ->option_text("FILE");
  app.add_option("--root", g->root,
                 "read sysfs/procfs under DIR (a captured machine) instead of /; runtime probes "
                 "are skipped")
      ->option_text("DIR")
      ->envname("DEVPICK_ROOT");
  app.add_flag("--json", g->json, "machine-readable JSON output");
  app.add_option("--probes", g->probes, "run only these probes (comma list)")
      ->delimiter(',')
      ->option_text("LIST");
  app.add_option("--no-probe", g->no_probe, "do not run this probe (repeatable, comma list)")
      ->delimiter(',')
      ->option_text("NAME");
  app.add_option("--timeout", g->timeout_ms, "per runtime probe, in milliseconds (default 5000)")
      ->option_text("MS")
      ->check(CLI::PositiveNumber);
  app.add_flag("--in-process", g->in_process,
               "run runtime probes, and verify's work, inside this process instead of isolated "
               "child processes; gives up isolation: a vendor library that crashes ends devpick, "
               "one that hangs leaves a thread running past --timeout, one that calls exit() "
               "ends devpick with status 1, and what it prints goes to stderr");
  app.add_flag("--no-cache", g->no_cache,
               "measure again instead of using cached measurements (--policy measured; "
               "probe results are never cached)");
  app.add_flag("-v,--verbose", g->verbose, "show sources of every fact and correlation notes");
}

}  // namespace
}  // namespace devpick::cli

int main(int argc, char** argv) {
  using namespace devpick::cli;
  CLI::App app{
      "devpick: finds every compute device and decides which one an inference backend should use, "
      "what the backend calls it, and why.",
      "devpick"};
  app.set_version_flag("--version", std::string("devpick ") + DEVPICK_VERSION);
  app.fallthrough();  // global options are accepted after the subcommand too
  CheckStandardOutputAtExit();
  AdoptOrphansOfHelpers();
  GlobalOptions global;
  AddGlobalOptions(app, &global);
  CommandOptions options;
  std::vector<std::pair<CLI::App*, const Command*>> subcommands;
  for (const Command& command : Commands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    command.add_options(sub, &options);
    subcommands.emplace_back(sub, &command);
  }
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintText(stderr, std::string("devpick: ") + e.what() +
                          "\nrun 'devpick --help' for the accepted commands and options\n");
    return kExitUsage;
  }
  if (global.replay && global.root) Fail(kExitUsage, "--replay and --root cannot be combined");
  Context context(std::move(global));
  for (const auto& [sub, command] : subcommands) {
    if (sub->parsed()) {
      int status = command->run(context, options);
      MarkExiting();
      return status;
    }
  }
  int status = RunList(context, options);
  MarkExiting();
  return status;
}
