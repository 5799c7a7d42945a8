#include "probes/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/snapshot_json.h"

namespace devpick {
namespace {

using testing::ElementsAre;

std::vector<std::string> Names(const auto& descriptors) {
  std::vector<std::string> names;
  for (const auto& d : descriptors) {
    if constexpr (std::is_pointer_v<std::decay_t<decltype(d)>>) {
      names.emplace_back(d->name);
    } else {
      names.emplace_back(d.name);
    }
  }
  return names;
}

TEST(ProbeRegistry, ListsEveryProbeInResultOrder) {
  EXPECT_THAT(Names(ProbeRegistry()),
              ElementsAre("sysfs", "cpu", "rocm", "nvml", "cuda", "level_zero", "opencl", "vulkan",
                          "openvino", "dxgi", "metal"));
}

TEST(ProbeRegistry, ProbeTableHoldsTheLiveProbesOnly) {
  EXPECT_THAT(Names(ProbeTable()), ElementsAre("sysfs", "cpu", "rocm", "nvml", "cuda", "level_zero",
                                               "opencl", "vulkan", "openvino"));
  EXPECT_EQ(FindProbe("dxgi"), nullptr);
  EXPECT_EQ(FindProbe("metal"), nullptr);
  ASSERT_NE(FindProbeDescriptor("dxgi"), nullptr);
  EXPECT_EQ(FindProbeDescriptor("dxgi")->run, nullptr);
  EXPECT_EQ(FindProbeDescriptor("metal")->description,
            "Metal devices; recorded in snapshots; no live probe in this build");
}

TEST(ProbeRegistry, ARecordedOnlyProbeIsRefusedByProbes) {
  DiscoverOptions options;
  options.probes = {"dxgi"};
  Status status = ValidateDiscoverOptions(options);
  EXPECT_EQ(status.message(),
            "unknown probe 'dxgi'; known probes: sysfs, cpu, rocm, nvml, cuda, level_zero, "
            "opencl, vulkan, openvino");
}

TEST(ProbeRegistry, TiersGiveGathersDriverFreeList) {
  EXPECT_THAT(ProbeNamesOfTier(ProbeTier::kDriverFree), ElementsAre("sysfs", "cpu", "rocm"));
  EXPECT_THAT(ProbeNamesOfTier(ProbeTier::kRuntime),
              ElementsAre("nvml", "cuda", "level_zero", "opencl", "vulkan", "openvino"));
}

TEST(ProbeRegistry, CorrelationRunsPciFirstThenRuntimesByTrust) {
  EXPECT_THAT(Names(CorrelationOrder()),
              ElementsAre("sysfs", "nvml", "cuda", "rocm", "level_zero", "opencl", "vulkan",
                          "openvino", "dxgi", "metal"));
}

TEST(ProbeRegistry, EverySlotOfProbeObservationsHasExactlyOneRow) {
  ProbeObservations probes;
  std::vector<const ProbeHeader*> headers;
  for (const ProbeDescriptor& probe : ProbeRegistry()) {
    EXPECT_EQ(probe.entry.header(probes), nullptr) << probe.name;
    ProbeHeader* header = probe.entry.emplace(&probes);
    EXPECT_EQ(probe.entry.header(probes), header) << probe.name;
    EXPECT_EQ(FindProbeHeader(probes, probe.name), header) << probe.name;
    headers.push_back(header);
  }
  // Each row emplaced its own member, and together they fill every member.
  EXPECT_TRUE(probes.sysfs && probes.cpu && probes.rocm && probes.nvml && probes.cuda &&
              probes.level_zero && probes.opencl && probes.vulkan && probes.openvino &&
              probes.dxgi && probes.metal);
  std::sort(headers.begin(), headers.end());
  EXPECT_EQ(std::adjacent_find(headers.begin(), headers.end()), headers.end());
  EXPECT_EQ(FindProbeHeader(probes, "no_such_probe"), nullptr);
}

// One fully populated entry per probe, every key of its schema set (none null): reading it and
// writing it back must give the same document, key order included, so the writer and the reader
// of each row agree on every field.
const char* const kHeader =
    R"("status": "error", "library": "libx.so.1", "version": "1.2", "detail": "why",
       "warnings": ["w1", "w2"])";

struct FullEntry {
  std::string_view probe;
  std::string fields;  // after the header's
};

const FullEntry kFullEntries[] = {
    {"sysfs", R"("module_versions": {"amdgpu": "6.8", "nvidia": "550.54.14"},
                 "dev_nodes": {"/dev/kfd": "rw", "/dev/nvidiactl": "missing"})"},
    {"cpu", ""},
    {"rocm", R"("nodes": [{"node": 1, "gfx_target_version": 110000,
                 "pci_address": "0000:03:00.0", "unique_id": "0x3e5a1c22e19f0a44",
                 "simd_count": 192, "vram_bytes": 25753026560, "drm_render_minor": 128,
                 "vendor_id": "0x1002", "device_id": "0x744c", "simd_per_cu": 2,
                 "max_engine_clk_fcompute": 2482, "name": "gfx1100"}])"},
    {"nvml", R"("cuda_driver_version": 12040, "devices": [{"index": 0, "name": "RTX 4090",
                 "uuid": "GPU-1", "pci_address": "0000:01:00.0",
                 "memory_total_bytes": 25757220864, "memory_free_bytes": 25000000000,
                 "compute_capability": "8.9"}])"},
    {"cuda", R"("driver_version": 12040, "devices": [{"ordinal": 0, "name": "RTX 4090",
                 "uuid": "GPU-1", "pci_address": "0000:01:00.0",
                 "memory_total_bytes": 25757220864, "compute_capability": "8.9",
                 "multiprocessors": 128, "clock_mhz": 2520, "integrated": false}])"},
    {"level_zero", R"("devices": [{"driver": 1, "index": 2, "name": "Arc A770", "type": "vpu",
                 "vendor_id": "0x8086", "device_id": "0x56a0", "integrated": true,
                 "uuid": "8680a056", "pci_address": "0000:03:00.0", "memory_bytes": 16225243136,
                 "eu_count": 512, "clock_mhz": 2400}])"},
    {"opencl", R"("platforms": [{"name": "Intel(R) OpenCL Graphics", "vendor": "Intel",
                 "version": "OpenCL 3.0", "devices": [{"index": 1, "name": "Arc A770",
                 "type": "accelerator", "vendor_id": "0x8086", "host_unified_memory": true,
                 "global_mem_bytes": 16225243136, "compute_units": 512, "clock_mhz": 2400,
                 "pci_address": "0000:03:00.0", "driver_version": "24.13"}]}])"},
    {"vulkan", R"("devices": [{"index": 3, "name": "llvmpipe", "type": "cpu",
                 "vendor_id": "0x10005", "device_id": "0x0000", "driver_name": "llvmpipe",
                 "uuid": "6d657361", "pci_address": "0000:03:00.0",
                 "device_local_bytes": 1024}])"},
    {"openvino", R"j("devices": [{"name": "GPU.1", "full_name": "Intel(R) Arc(TM) A770 (dGPU)",
                 "type": "discrete", "device_id": "0x56a0", "uuid": "8680a056",
                 "pci_address": "0000:03:00.0", "total_mem_bytes": 16225243136,
                 "capabilities": ["FP32", "FP16"]}])j"},
    {"dxgi", R"("adapters": [{"index": 1, "name": "Microsoft Basic Render Driver",
                 "vendor_id": "0x1414", "device_id": "0x008c", "luid": "0x0000d2f1",
                 "dedicated_video_memory_bytes": 1, "shared_system_memory_bytes": 2,
                 "software": true}])"},
    {"metal", R"("devices": [{"index": 1, "name": "Apple M3 Max", "registry_id": "0x100000",
                 "unified_memory": true, "recommended_max_working_set_bytes": 103079215104,
                 "low_power": true, "removable": true}])"},
};

TEST(ProbeRegistry, EveryRowsSchemaRoundTripsAFullyPopulatedEntry) {
  ASSERT_EQ(std::size(kFullEntries), ProbeRegistry().size());
  for (const FullEntry& full : kFullEntries) {
    SCOPED_TRACE(full.probe);
    std::string text =
        "{" + std::string(kHeader) + (full.fields.empty() ? "" : ", ") + full.fields + "}";
    nlohmann::ordered_json original = nlohmann::ordered_json::parse(text);
    ProbeObservations probes;
    Status read = ProbeEntryFromJson(nlohmann::json::parse(text), full.probe, "full", &probes);
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_EQ(ProbeEntryToJson(probes, full.probe).dump(), original.dump());
    // The same through a whole snapshot.
    Observations observations;
    observations.probes = probes;
    Result<Observations> again = ParseSnapshot(SerializeSnapshot(observations), "again");
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(ProbeEntryToJson(again->probes, full.probe).dump(), original.dump());
  }
}

TEST(ProbeRegistry, AnAbsentEntryWritesNothing) {
  for (const ProbeDescriptor& probe : ProbeRegistry()) {
    EXPECT_TRUE(ProbeEntryToJson(ProbeObservations{}, probe.name).empty()) << probe.name;
  }
}

}  // namespace
}  // namespace devpick
