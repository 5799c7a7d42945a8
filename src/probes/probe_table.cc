// The probe table: every discovery source devpick knows, in result order (hwloc's components).
#include <algorithm>

#include "devpick/discover.h"
#include "probes/driver_free_probes.h"

namespace devpick {

const std::vector<ProbeSpec>& ProbeTable() {
  static const std::vector<ProbeSpec> kTable = {
      {"sysfs", ProbeTier::kDriverFree,
       "PCI display/accelerator functions, DRM/accel nodes, /proc/driver/nvidia", RunSysfsProbe},
      {"cpu", ProbeTier::kDriverFree, "CPUID, /proc/cpuinfo, topology, memory, cgroup limits",
       RunCpuProbe},
      {"rocm", ProbeTier::kDriverFree, "AMD KFD topology GPU nodes", RunRocmProbe},
  };
  return kTable;
}

const ProbeSpec* FindProbe(std::string_view name) {
  const auto& table = ProbeTable();
  auto it = std::find_if(table.begin(), table.end(),
                         [&](const ProbeSpec& spec) { return spec.name == name; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace devpick
