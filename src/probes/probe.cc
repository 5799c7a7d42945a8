#include <algorithm>
#include <string>

#include "devpick/discover.h"
#include "probes/driver_free_probes.h"

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
        return Status::InvalidArgument("unknown probe '" + name + "'; known probes: " +
                                       KnownProbeNames());
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
  for (const ProbeSpec& spec : ProbeTable()) {
    bool selected = options.probes.empty() || Contains(options.probes, spec.name);
    if (!selected || Contains(options.excluded, spec.name)) continue;
    spec.run(env, &out);
  }
  for (const std::string& name : RecordedEnvVars()) {
    if (auto value = env.GetEnv(name)) out.env[name] = *value;
  }
  return out;
}

}  // namespace devpick
