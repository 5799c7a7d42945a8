// The runtime probes against what is really installed on the build image (Debian: pocl-opencl-icd,
// mesa-vulkan-drivers with lavapipe, libze1 without a driver, no NVIDIA or OpenVINO libraries).
// Assertions are on facts of those packages that do not depend on the CPU or memory size.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/snapshot_json.h"
#include "devpick/discover.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using ::testing::SizeIs;
using ::testing::StartsWith;

Observations RunInProcess(void (*run)(const Env&, Observations*)) {
  Observations out;
  run(*NewRealEnv(), &out);
  return out;
}

TEST(RealRuntimes, OpenCl_PoclOffersACpuDevice) {
  Observations o = RunInProcess(RunOpenClProbe);
  const OpenClObservation& cl = *o.probes.opencl;
  ASSERT_EQ(cl.status, ProbeStatus::kOk) << cl.detail.value_or("");
  EXPECT_EQ(cl.library, "libOpenCL.so.1");
  auto pocl = std::find_if(cl.platforms.begin(), cl.platforms.end(), [](const OpenClPlatform& p) {
    return p.name == "Portable Computing Language";
  });
  ASSERT_NE(pocl, cl.platforms.end());
  EXPECT_EQ(pocl->vendor, "The pocl project");
  EXPECT_THAT(pocl->version.value_or(""), StartsWith("OpenCL "));
  ASSERT_THAT(pocl->devices, SizeIs(1));
  const OpenClDevice& device = pocl->devices[0];
  EXPECT_EQ(device.index, 0);
  EXPECT_EQ(device.type, "cpu");
  EXPECT_EQ(device.host_unified_memory, true);
  EXPECT_GT(device.compute_units.value_or(0), 0);
  EXPECT_GT(device.global_mem_bytes.value_or(0), 0u);
  EXPECT_EQ(device.pci_address, std::nullopt);  // no cl_khr_pci_bus_info on a CPU
  EXPECT_TRUE(device.driver_version.has_value());
}

TEST(RealRuntimes, Vulkan_LavapipeIsACpuDevice) {
  Observations o = RunInProcess(RunVulkanProbe);
  const VulkanObservation& vk = *o.probes.vulkan;
  ASSERT_EQ(vk.status, ProbeStatus::kOk) << vk.detail.value_or("");
  EXPECT_EQ(vk.library, "libvulkan.so.1");
  auto llvmpipe = std::find_if(vk.devices.begin(), vk.devices.end(),
                               [](const VulkanDevice& d) { return d.vendor_id == 0x10005u; });
  ASSERT_NE(llvmpipe, vk.devices.end());
  EXPECT_EQ(llvmpipe->type, "cpu");
  EXPECT_THAT(llvmpipe->name.value_or(""), StartsWith("llvmpipe ("));
  EXPECT_EQ(llvmpipe->driver_name, "llvmpipe");
  EXPECT_EQ(llvmpipe->device_id, 0u);
  EXPECT_THAT(llvmpipe->uuid.value_or(""), SizeIs(32));
  // lavapipe's deviceUUID starts with "mesa" in ASCII; its pipelineCacheUUID does not.
  EXPECT_THAT(llvmpipe->uuid.value_or(""), StartsWith("6d657361"));
  EXPECT_EQ(llvmpipe->pci_address, std::nullopt);
}

TEST(RealRuntimes, LevelZero_LoaderWithoutDriverIsADiagnostic) {
  Observations o = RunInProcess(RunLevelZeroProbe);
  const LevelZeroObservation& ze = *o.probes.level_zero;
  EXPECT_EQ(ze.status, ProbeStatus::kError);
  EXPECT_EQ(ze.library, "libze_loader.so.1");
  EXPECT_EQ(
      ze.detail,
      "zeInit: ZE_RESULT_ERROR_UNINITIALIZED (0x78000001): no Level Zero driver is installed");
  EXPECT_THAT(ze.devices, SizeIs(0));
}

TEST(RealRuntimes, MissingLibrariesAreAbsentWithTheLoaderMessage) {
  Observations o = RunInProcess(RunNvmlProbe);
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kAbsent);
  EXPECT_EQ(o.probes.nvml->detail,
            "libnvidia-ml.so.1: cannot open shared object file: No such file or directory");
  Observations ov = RunInProcess(RunOpenVinoProbe);
  EXPECT_EQ(ov.probes.openvino->status, ProbeStatus::kAbsent);
  EXPECT_THAT(ov.probes.openvino->detail.value_or(""),
              StartsWith("libopenvino_c.so: cannot open shared object file: No such file or "
                         "directory (also tried libopenvino_c.so.2540, "));
}

TEST(RealRuntimes, IsolatedResultsMatchInProcess) {
  DiscoverOptions options;
  options.probes = {"opencl", "vulkan", "level_zero", "nvml", "cuda"};
  options.probe_helper = DEVPICK_PROBE_HELPER_PATH;
  Observations isolated = Probe(*NewRealEnv(), options);
  options.isolate = false;
  Observations in_process = Probe(*NewRealEnv(), options);
  // PoCL and lavapipe size their memory from what the host has free at the moment: not compared.
  auto stable = [](nlohmann::ordered_json entry) {
    if (entry.contains("platforms")) {
      for (auto& platform : entry["platforms"]) {
        for (auto& device : platform["devices"]) device.erase("global_mem_bytes");
      }
    }
    if (entry.contains("devices")) {
      for (auto& device : entry["devices"]) device.erase("device_local_bytes");
    }
    return entry.dump();
  };
  for (const std::string& name : options.probes) {
    EXPECT_EQ(stable(ProbeEntryToJson(isolated.probes, name)),
              stable(ProbeEntryToJson(in_process.probes, name)))
        << name;
  }
}

TEST(RealRuntimes, CapturedTreeSkipsRuntimeProbes) {
  DiscoverOptions options;
  options.probes = {"opencl", "cuda"};
  Observations o = Probe(*NewRootedEnv(::testing::TempDir()), options);
  for (const auto* entry : {static_cast<const ProbeHeader*>(&*o.probes.opencl),
                            static_cast<const ProbeHeader*>(&*o.probes.cuda)}) {
    EXPECT_EQ(entry->status, ProbeStatus::kSkipped);
    EXPECT_EQ(entry->detail,
              "describes a captured tree; runtime probes would describe this machine");
  }
}

TEST(RealRuntimes, Isolation_GarbageReplyIsNamed) {
  DiscoverOptions options;
  options.probes = {"cuda"};
  options.probe_helper = "/bin/echo";  // answers "cuda"
  Observations o = Probe(*NewRealEnv(), options);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.cuda->detail,
            "the devpick-probe process for cuda answered with something that is not JSON: "
            "\"cuda\"");
}

TEST(RealRuntimes, Isolation_MissingHelperSaysHowToFixIt) {
  DiscoverOptions options;
  options.probes = {"vulkan"};
  options.probe_helper = "/nonexistent/devpick-probe";
  Observations o = Probe(*NewRealEnv(), options);
  EXPECT_EQ(o.probes.vulkan->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.vulkan->detail,
            "probe helper /nonexistent/devpick-probe (from DiscoverOptions.probe_helper) does not "
            "exist; point it at the devpick-probe executable");
}

}  // namespace
}  // namespace devpick
