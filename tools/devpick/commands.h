// The subcommands, one table row each (ninja's kTools): name, help, options, run.
#ifndef DEVPICK_TOOLS_DEVPICK_COMMANDS_H_
#define DEVPICK_TOOLS_DEVPICK_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "devpick/select.h"

namespace devpick::cli {

// The flags of every subcommand; each command registers the ones it uses.
struct CommandOptions {
  std::optional<std::string> output;  // snapshot -o
  // select / explain / config
  std::optional<std::string> backend, device, policy, fallback, min_memory, config;
  std::vector<std::string> exclude;
  bool isolate = false;
  std::string format = "text";        // text | json | env | shell
  std::optional<std::string> python;  // doctor --python PATH
};

struct Command {
  const char* name;
  const char* help;
  void (*add_options)(CLI::App* app, CommandOptions* options);
  int (*run)(Context& context, const CommandOptions& options);
};

const std::vector<Command>& Commands();

// Per-command entry points (each in its own cmd_*.cc).
void AddListOptions(CLI::App* app, CommandOptions* options);
int RunList(Context& context, const CommandOptions& options);
void AddSnapshotOptions(CLI::App* app, CommandOptions* options);
int RunSnapshot(Context& context, const CommandOptions& options);
void AddGatherOptions(CLI::App* app, CommandOptions* options);
int RunGather(Context& context, const CommandOptions& options);
void AddSelectOptions(CLI::App* app, CommandOptions* options);
int RunSelect(Context& context, const CommandOptions& options);
int RunExplain(Context& context, const CommandOptions& options);
void AddConfigOptions(CLI::App* app, CommandOptions* options);
int RunConfig(Context& context, const CommandOptions& options);
void AddDoctorOptions(CLI::App* app, CommandOptions* options);
int RunDoctor(Context& context, const CommandOptions& options);
// The decision `select` makes for `options`, configuration resolved as select resolves it (exit 2
// on a bad request). `for_verify` also runs the probes verify reaches devices through.
Decision DecideOrFail(Context& context, const CommandOptions& options, bool for_verify);

void AddVerifyOptions(CLI::App* app, CommandOptions* options);
int RunVerify(Context& context, const CommandOptions& options);

}  // namespace devpick::cli

#endif  // DEVPICK_TOOLS_DEVPICK_COMMANDS_H_
