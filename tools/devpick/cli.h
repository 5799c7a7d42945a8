// Shared pieces of the devpick command-line tool: global options, loading the machine (probing or
// replaying a snapshot), output helpers and exit statuses. The CLI is the only code that prints or
// exits; everything it shows comes from the library.
#ifndef DEVPICK_TOOLS_DEVPICK_CLI_H_
#define DEVPICK_TOOLS_DEVPICK_CLI_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "devpick/discover.h"
#include "devpick/env.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"

namespace devpick::cli {

// DESIGN.md "Exit status".
enum ExitStatus : int {
  kExitOk = 0,
  kExitInternal = 1,
  kExitUsage = 2,     // bad flag, unknown backend, malformed spec, config or snapshot
  kExitNoDevice = 3,  // no eligible device for the request
  kExitProblems = 4,  // doctor found problems
};

struct GlobalOptions {
  std::optional<std::string> replay;  // --replay FILE
  std::optional<std::string> root;    // --root DIR (captured tree)
  bool json = false;
  std::vector<std::string> probes;    // --probes a,b
  std::vector<std::string> no_probe;  // --no-probe a (repeatable or comma list)
  int timeout_ms = 5000;
  bool in_process = false;  // --in-process: runtime probes in this process
  bool no_cache = false;
  int verbose = 0;
};

// Everything a subcommand needs: the options and the machine's description, loaded on demand.
class Context {
 public:
  explicit Context(GlobalOptions options);

  const GlobalOptions& options() const { return options_; }
  const Env& env() const { return *env_; }

  // Probes (or replays) once; `probes` narrows the probe set when the user did not choose one.
  // Exits with status 2 on a bad snapshot or probe list.
  const Discovery& Load(const std::vector<std::string>& probes = {});
  // What Load() discovers from: this machine, --replay's snapshot or --root's tree.
  DiscoverRequest Request(const std::vector<std::string>& probes = {}) const;
  const Observations& LoadObservations(const std::vector<std::string>& probes = {});
  const Inventory& LoadInventory(const std::vector<std::string>& probes = {});

 private:
  GlobalOptions options_;
  std::unique_ptr<Env> env_;
  std::optional<Discovery> discovery_;
};

// Prints "devpick: <message>" to stderr and exits with `status`.
[[noreturn]] void Fail(int status, const std::string& message);
// Splits "a,b" lists given once or repeatedly.
std::vector<std::string> SplitList(const std::vector<std::string>& values);

}  // namespace devpick::cli

#endif  // DEVPICK_TOOLS_DEVPICK_CLI_H_
