// Discovery: run the probes, get observations; correlate them into the inventory.
//
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

}  // namespace devpick

#endif  // DEVPICK_DISCOVER_H_
