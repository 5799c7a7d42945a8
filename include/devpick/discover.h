// Discovery: run the probes (or replay a snapshot), get observations; correlate them into the
// inventory.
//
//   Result<Discovery> machine = devpick::Discover(*NewRealEnv(), {.source =
//   DiscoverSource::kLive});
//   // or, one step at a time:
//   Observations observations = devpick::Probe(*env, options);
//   Inventory inventory = devpick::Correlate(observations, pci_ids);
//
// Probes are declared in one registry (src/probes/registry.cc). Driver-free probes (sysfs, cpu,
// rocm) read files through the Env and run in process; runtime probes load vendor libraries and run
// concurrently, each bounded by a timeout and by default in a child process so that a crashing or
// hanging driver costs a diagnostic, not the caller's process. A probe never aborts discovery: its
// failure is its entry's status and detail.
//
// Thread-safety: Probe() may be called concurrently with separate Envs.
#ifndef DEVPICK_DISCOVER_H_
#define DEVPICK_DISCOVER_H_

#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

enum class ProbeTier {
  kDriverFree,  // reads kernel interfaces only; fast; always in process
  kRuntime,     // loads a vendor library; isolated and bounded
};

struct ProbeSpec {
  std::string_view name;  // sysfs, cpu, rocm, nvml, cuda, level_zero, opencl, vulkan, openvino
  ProbeTier tier;
  std::string_view description;  // one line for --help and docs
  // Fills its part of `out` (its probes.<name> entry, and for driver-free probes pci/cpu/host).
  void (*run)(const Env& env, Observations* out);
};

// Every probe devpick knows, in the order their results are listed.
const std::vector<ProbeSpec>& ProbeTable();
const ProbeSpec* FindProbe(std::string_view name);

struct DiscoverOptions {
  // Probes to run; empty means every probe in the table. Unknown names are an error.
  std::vector<std::string> probes;
  // Probes not to run (--no-probe).
  std::vector<std::string> excluded;
  // Per runtime probe, in milliseconds (--timeout).
  int timeout_ms = 5000;
  // Run runtime probes in child processes (default) or in this process.
  bool isolate = true;
  // The isolation helper executable (devpick-probe); empty means: $DEVPICK_PROBE_HELPER, then next
  // to the running executable, then the installed libexec directory.
  std::string probe_helper;
};

// Checks probe names in `options` against the table; the error lists the known probes.
Status ValidateDiscoverOptions(const DiscoverOptions& options);

// Runs the selected probes. The Env decides what is read: a rooted Env (--root) reads a captured
// tree, and then runtime probes are skipped because they would describe this machine instead.
Observations Probe(const Env& env, const DiscoverOptions& options);

// ----- Discover: the one entry point the CLI, the C ABI and the Python package call -------------

// Where Discover reads the machine from.
enum class DiscoverSource {
  kLive,        // probe this machine
  kRoot,        // probe a captured tree (`path`: its directory); runtime probes are skipped
  kReplayFile,  // replay the snapshot file `path`
  kReplayText,  // replay the snapshot document `snapshot_text`
};

// Where the pci.ids names of devices come from, when no runtime names them.
enum class NameSource {
  // Probing: the pci.ids of the system Discover runs on (for a captured tree too: a tree holds
  // none), recorded into each PCI function's pci_ids_names so a snapshot carries them. Replaying:
  // the names the snapshot recorded; a snapshot that recorded none replays without pci.ids names.
  // A replay never reads this machine's pci.ids, so it names devices the same everywhere.
  kDefault,
  kNone,  // no pci.ids names: runtime names, then devpick's built-in table
};

struct DiscoverRequest {
  DiscoverSource source = DiscoverSource::kLive;
  std::string path;           // kRoot: the tree's directory; kReplayFile: the snapshot file
  std::string snapshot_text;  // kReplayText: the snapshot document
  std::string snapshot_name;  // kReplayText: how errors name the document ("snapshot_json")
  DiscoverOptions options;    // probing only; a replay runs no probe
  NameSource names = NameSource::kDefault;
};

// A discovered machine: what was observed, the inventory correlated from it, and where it came
// from (the measured policy and verify run only on this machine's devices).
struct Discovery {
  DiscoverSource source = DiscoverSource::kLive;
  // As in the request: the tree or the snapshot file; kReplayText: its snapshot_name ("snapshot"
  // when none was given); "" for kLive.
  std::string path;
  Observations observations;
  Inventory inventory;

  bool is_this_machine() const { return source == DiscoverSource::kLive; }
};

// Probes or replays as `request` says, then correlates. `env` is the system Discover runs on: it
// is probed for kLive, and reads the snapshot file, checks the root and reads pci.ids. Relative
// paths are taken from the working directory. Errors (all InvalidArgument): "cannot read snapshot
// <path>: <reason>", the snapshot's own parse error, "<root> is not a directory", an unknown probe.
// Thread-safety: as Probe().
Result<Discovery> Discover(const Env& env, const DiscoverRequest& request);

}  // namespace devpick

#endif  // DEVPICK_DISCOVER_H_
