// The probe table: every discovery source devpick knows, in result order (hwloc's components).
#include <algorithm>

#include "devpick/discover.h"
#include "probes/driver_free_probes.h"
#include "probes/runtime_probes.h"

namespace devpick {

const std::vector<ProbeSpec>& ProbeTable() {
  static const std::vector<ProbeSpec> kTable = {
      {"sysfs", ProbeTier::kDriverFree,
       "PCI display/accelerator functions, DRM/accel nodes, /proc/driver/nvidia", RunSysfsProbe},
      {"cpu", ProbeTier::kDriverFree, "CPUID, /proc/cpuinfo, topology, memory, cgroup limits",
       RunCpuProbe},
      {"rocm", ProbeTier::kDriverFree, "AMD KFD topology GPU nodes", RunRocmProbe},
      {"nvml", ProbeTier::kRuntime, "NVIDIA GPUs through libnvidia-ml.so.1 (no CUDA context)",
       RunNvmlProbe},
      {"cuda", ProbeTier::kRuntime, "CUDA devices through libcuda.so.1 (cuInit only, no context)",
       RunCudaProbe},
      {"level_zero", ProbeTier::kRuntime, "Intel GPUs and NPUs through libze_loader.so.1",
       RunLevelZeroProbe},
      {"opencl", ProbeTier::kRuntime, "OpenCL platforms and devices through libOpenCL.so.1",
       RunOpenClProbe},
      {"vulkan", ProbeTier::kRuntime, "Vulkan physical devices through libvulkan.so.1",
       RunVulkanProbe},
      {"openvino", ProbeTier::kRuntime, "OpenVINO devices through libopenvino_c.so",
       RunOpenVinoProbe},
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
