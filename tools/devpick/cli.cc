#include "cli.h"

#include <cstdio>
#include <cstdlib>

#include "output.h"

namespace devpick::cli {

Context::Context(GlobalOptions options) : options_(std::move(options)) {
  env_ = options_.root ? NewRootedEnv(*options_.root) : NewRealEnv();
}

DiscoverRequest Context::Request(const std::vector<std::string>& probes) const {
  DiscoverRequest request;
  if (options_.replay) {
    request.source = DiscoverSource::kReplayFile;
    request.path = *options_.replay;
  } else if (options_.root) {
    request.source = DiscoverSource::kRoot;
    request.path = *options_.root;
  }
  request.options.probes = options_.probes.empty() ? probes : options_.probes;
  request.options.excluded = options_.no_probe;
  request.options.timeout_ms = options_.timeout_ms;
  request.options.isolate = !options_.in_process;
  return request;
}

const Discovery& Context::Load(const std::vector<std::string>& probes) {
  if (discovery_) return *discovery_;
  DiscoverRequest request = Request(probes);
  VendorCodeInThisProcess guard(options_.in_process && !options_.replay);
  // The live system reads the snapshot, the tree and pci.ids; env_ is what the probes saw.
  Result<Discovery> machine = Discover(*NewRealEnv(), request);
  if (!machine.ok()) Fail(kExitUsage, machine.status().message());
  discovery_ = std::move(machine).value();
  return *discovery_;
}

const Observations& Context::LoadObservations(const std::vector<std::string>& probes) {
  return Load(probes).observations;
}

const Inventory& Context::LoadInventory(const std::vector<std::string>& probes) {
  return Load(probes).inventory;
}

void Fail(int status, const std::string& message) {
  MarkExiting();
  PrintText(stderr, "devpick: " + message + "\n");
  std::exit(status);
}

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (comma > start) out.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace devpick::cli
