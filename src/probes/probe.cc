#include <algorithm>
#include <string>
#include <vector>

#include "devpick/discover.h"
#include "probes/isolation.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

std::string KnownProbeNames() {
  std::string names;
  for (const ProbeSpec& spec : ProbeTable()) {
    if (!names.empty()) names += ", ";
    names += spec.name;
  }
  return names;
}

bool Contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

Status ValidateDiscoverOptions(const DiscoverOptions& options) {
  for (const auto* list : {&options.probes, &options.excluded}) {
    for (const std::string& name : *list) {
      if (FindProbe(name) == nullptr) {
        return Status::InvalidArgument("unknown probe '" + name +
                                       "'; known probes: " + KnownProbeNames());
      }
    }
  }
  if (options.timeout_ms <= 0) {
    return Status::InvalidArgument("timeout must be a positive number of milliseconds, got " +
                                   std::to_string(options.timeout_ms));
  }
  return Status::Ok();
}

Observations Probe(const Env& env, const DiscoverOptions& options) {
  Observations out;
  RunHostProbe(env, &out);
  // Driver-free probes are fast and read files only: in process, one after the other. Runtime
  // probes load vendor code: all at once, bounded and (by default) isolated.
  std::vector<const ProbeSpec*> runtime;
  for (const ProbeSpec& spec : ProbeTable()) {
    bool selected = options.probes.empty() || Contains(options.probes, spec.name);
    if (!selected || Contains(options.excluded, spec.name)) continue;
    if (spec.tier == ProbeTier::kRuntime) {
      runtime.push_back(&spec);
    } else {
      spec.run(env, &out);
    }
  }
  RunRuntimeProbes(env, options, runtime, &out.probes);
  for (const std::string& name : RecordedEnvVars()) {
    if (auto value = env.GetEnv(name)) out.env[name] = *value;
  }
  return out;
}

}  // namespace devpick
