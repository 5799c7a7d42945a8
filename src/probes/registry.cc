// The probe registry's rows. Trust numbers leave gaps so that a new source can slot in between.
#include "probes/registry.h"

#include <algorithm>

#include "core/platform.h"
#include "inventory/correlation_steps.h"
#include "probes/probe_runs.h"
#include "probes/probe_schemas.h"
#include "vendor/cuda_driver_api.h"
#include "vendor/level_zero_api.h"
#include "vendor/nvml_api.h"
#include "vendor/opencl_api.h"
#include "vendor/openvino_api.h"
#include "vendor/vulkan_api.h"

namespace devpick {
namespace {

// The ProbeEntry of ProbeObservations member `Slot`, whose own fields (after the header's) are
// `Fields` (an array of SnapshotField, probes/probe_schemas.h).
template <auto Slot, const auto& Fields>
constexpr ProbeEntry EntryOf() {
  using Observation = typename field::internal::ValueOf<Slot>::value_type;
  return {
      .header = [](const ProbeObservations& p) -> const ProbeHeader* {
        return (p.*Slot) ? &*(p.*Slot) : nullptr;
      },
      .emplace = [](ProbeObservations* p) -> ProbeHeader* { return &(p->*Slot).emplace(); },
      .move = [](ProbeObservations* from,
                 ProbeObservations* to) { to->*Slot = std::move(from->*Slot); },
      .write =
          [](const ProbeObservations& p, nlohmann::ordered_json* out) {
            if (!(p.*Slot)) return;
            WriteFields<ProbeHeader>(probe_schemas::kHeader, *(p.*Slot), out);
            WriteFields<Observation>(Fields, *(p.*Slot), out);
          },
      .read =
          [](SnapshotReader& r, ProbeObservations* p) {
            Observation o;
            ReadFields<ProbeHeader>(probe_schemas::kHeader, r, &o);
            ReadFields<Observation>(Fields, r, &o);
            p->*Slot = std::move(o);
          },
  };
}

namespace schema = probe_schemas;
using P = ProbeObservations;

constexpr ProbeDescriptor kRegistry[] = {
    {.name = "sysfs",
     .tier = ProbeTier::kDriverFree,
     .platforms = {.on_linux = true},
     .description = "PCI display/accelerator functions, DRM/accel nodes, /proc/driver/nvidia",
     .display = "sysfs",
     .library = "",
     .run = RunSysfsProbe,
     .entry = EntryOf<&P::sysfs, schema::kSysfs>(),
     .correlate = CorrelatePciFunctions,
     .trust = 0},
    {.name = "cpu",
     .tier = ProbeTier::kDriverFree,
     .platforms = {.on_linux = true},
     .description = "CPUID, /proc/cpuinfo, topology, memory, cgroup limits",
     .display = "CPU",
     .library = "",
     .run = RunCpuProbe,
     .entry = EntryOf<&P::cpu, schema::kCpu>(),
     .correlate = nullptr,
     .trust = 0},
    {.name = "rocm",
     .tier = ProbeTier::kDriverFree,
     .platforms = {.on_linux = true},
     .description = "AMD KFD topology GPU nodes",
     .display = "KFD",
     .library = "",
     .run = RunRocmProbe,
     .entry = EntryOf<&P::rocm, schema::kRocm>(),
     .correlate = CorrelateRocm,
     .trust = 30},
    {.name = kNvmlProbeName,
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "NVIDIA GPUs through libnvidia-ml.so.1 (no CUDA context)",
     .display = "NVML",
     .library = kNvmlSoname,
     .run = RunNvmlProbe,
     .entry = EntryOf<&P::nvml, schema::kNvml>(),
     .correlate = CorrelateNvml,
     .trust = 10},
    {.name = "cuda",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "CUDA devices through libcuda.so.1 (cuInit only, no context)",
     .display = "CUDA",
     .library = kCudaSoname,
     .run = RunCudaProbe,
     .entry = EntryOf<&P::cuda, schema::kCuda>(),
     .correlate = CorrelateCuda,
     .trust = 20},
    {.name = "level_zero",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "Intel GPUs and NPUs through libze_loader.so.1",
     .display = "Level Zero",
     .library = kLevelZeroSoname,
     .run = RunLevelZeroProbe,
     .entry = EntryOf<&P::level_zero, schema::kLevelZero>(),
     .correlate = CorrelateLevelZero,
     .trust = 40},
    {.name = "opencl",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "OpenCL platforms and devices through libOpenCL.so.1",
     .display = "OpenCL",
     .library = kOpenClSoname,
     .run = RunOpenClProbe,
     .entry = EntryOf<&P::opencl, schema::kOpenCl>(),
     .correlate = CorrelateOpenCl,
     .trust = 50},
    {.name = "vulkan",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "Vulkan physical devices through libvulkan.so.1",
     .display = "Vulkan",
     .library = kVulkanSoname,
     .run = RunVulkanProbe,
     .entry = EntryOf<&P::vulkan, schema::kVulkan>(),
     .correlate = CorrelateVulkan,
     .trust = 60},
    {.name = "openvino",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_linux = true},
     .description = "OpenVINO devices through libopenvino_c.so",
     .display = "OpenVINO",
     .library = *kOpenVinoSonames.begin(),
     .run = RunOpenVinoProbe,
     .entry = EntryOf<&P::openvino, schema::kOpenVino>(),
     .correlate = CorrelateOpenVino,
     .trust = 70},
    {.name = "dxgi",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_windows = true},
     .description = "DXGI adapters; recorded in snapshots; no live probe in this build",
     .display = "DXGI",
     .library = "",
     .run = nullptr,
     .entry = EntryOf<&P::dxgi, schema::kDxgi>(),
     .correlate = CorrelateDxgi,
     .trust = 80},
    {.name = "metal",
     .tier = ProbeTier::kRuntime,
     .platforms = {.on_macos = true},
     .description = "Metal devices; recorded in snapshots; no live probe in this build",
     .display = "Metal",
     .library = "",
     .run = nullptr,
     .entry = EntryOf<&P::metal, schema::kMetal>(),
     .correlate = CorrelateMetal,
     .trust = 90},
};

}  // namespace

std::span<const ProbeDescriptor> ProbeRegistry() { return kRegistry; }

const ProbeDescriptor* FindProbeDescriptor(std::string_view name) {
  auto it = std::find_if(std::begin(kRegistry), std::end(kRegistry),
                         [&](const ProbeDescriptor& d) { return d.name == name; });
  return it == std::end(kRegistry) ? nullptr : it;
}

std::vector<const ProbeDescriptor*> CorrelationOrder() {
  std::vector<const ProbeDescriptor*> order;
  for (const ProbeDescriptor& d : kRegistry) {
    if (d.correlate != nullptr) order.push_back(&d);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->trust < b->trust; });
  return order;
}

std::vector<std::string> ProbeNamesOfTier(ProbeTier tier) {
  std::vector<std::string> names;
  for (const ProbeDescriptor& d : kRegistry) {
    if (d.run != nullptr && d.tier == tier) names.emplace_back(d.name);
  }
  return names;
}

const ProbeHeader* FindProbeHeader(const ProbeObservations& probes, std::string_view name) {
  const ProbeDescriptor* d = FindProbeDescriptor(name);
  return d == nullptr ? nullptr : d->entry.header(probes);
}

namespace {

// A Linux-only probe (sysfs, KFD, /proc) is left out of a Windows build's live table here, by its
// declared platforms; snapshots still record and replay it everywhere.
bool RunsOnThisPlatform(const ProbePlatforms& platforms) {
  switch (ThisPlatform()) {
    case Platform::kLinux:
      return platforms.on_linux;
    case Platform::kWindows:
      return platforms.on_windows;
    case Platform::kMacos:
      return platforms.on_macos;
  }
  return false;
}

}  // namespace

// The public table (devpick/discover.h) is the live part of the registry.
const std::vector<ProbeSpec>& ProbeTable() {
  static const std::vector<ProbeSpec> kTable = [] {
    std::vector<ProbeSpec> table;
    for (const ProbeDescriptor& d : kRegistry) {
      if (d.run == nullptr || !RunsOnThisPlatform(d.platforms)) continue;
      table.push_back({.name = d.name, .tier = d.tier, .description = d.description, .run = d.run});
    }
    return table;
  }();
  return kTable;
}

const ProbeSpec* FindProbe(std::string_view name) {
  const auto& table = ProbeTable();
  auto it = std::find_if(table.begin(), table.end(),
                         [&](const ProbeSpec& spec) { return spec.name == name; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace devpick
