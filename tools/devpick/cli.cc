#include "cli.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/snapshot_json.h"
#include "inventory/pci_ids.h"
#include "output.h"

namespace devpick::cli {

Context::Context(GlobalOptions options) : options_(std::move(options)) {
  env_ = options_.root ? NewRootedEnv(*options_.root) : NewRealEnv();
}

const Observations& Context::LoadObservations(const std::vector<std::string>& probes) {
  if (observations_) return *observations_;
  if (options_.replay) {
    std::string path = std::filesystem::absolute(*options_.replay).lexically_normal().string();
    Result<std::string> text = NewRealEnv()->ReadFile(path, std::size_t{64} << 20);
    if (!text.ok()) Fail(kExitUsage, "cannot read snapshot " + text.status().message());
    Result<Observations> parsed = ParseSnapshot(*text, *options_.replay);
    if (!parsed.ok()) Fail(kExitUsage, parsed.status().message());
    observations_ = std::move(parsed).value();
    return *observations_;
  }
  DiscoverOptions discover;
  discover.probes = options_.probes.empty() ? probes : options_.probes;
  discover.excluded = options_.no_probe;
  discover.timeout_ms = options_.timeout_ms;
  discover.isolate = !options_.in_process;
  if (Status valid = ValidateDiscoverOptions(discover); !valid.ok()) {
    Fail(kExitUsage, valid.message());
  }
  VendorCodeInThisProcess guard(options_.in_process);
  observations_ = Probe(*env_, discover);
  return *observations_;
}

const Inventory& Context::LoadInventory(const std::vector<std::string>& probes) {
  if (inventory_) return *inventory_;
  const Observations& observations = LoadObservations(probes);
  // Names come from this machine's pci.ids even for a replayed or captured machine.
  Result<PciIds> names = PciIds::Load(*NewRealEnv());
  inventory_ = Correlate(observations, names.ok() ? &*names : nullptr);
  return *inventory_;
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
