// The measured policy's machinery: which API measures a device, the cache key, the helper's
// protocol, and whole measurements against this machine's real PoCL (in process and through the
// real devpick-probe), with scripted helpers standing in for a hung or babbling driver.
#include "verify/measure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fake_env.h"
#include "temp_dir.h"
#include "verify/measure_cache.h"
#include "verify/verify_test_util.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const std::string kProbeHelper = std::string(DEVPICK_BINARY_DIR) + "/devpick-probe";

Device GpuWith(std::vector<Binding> bindings) {
  Device device;
  device.id = "gpu0";
  device.kind = DeviceKind::kDgpu;
  device.vendor = Vendor::kNvidia;
  device.vendor_id = 0x10de;
  device.device_id = 0x2684;
  device.name = "NVIDIA GeForce RTX 4090";
  device.pci_address = "0000:01:00.0";
  device.driver.name = "nvidia";
  device.driver.version = "550.54.14";
  device.bindings = std::move(bindings);
  return device;
}

std::string TargetString(const std::optional<VerifyTarget>& target) {
  if (!target) return "none";
  return std::string(VerifyApiName(target->api)) + " " + std::to_string(target->platform) + "/" +
         std::to_string(target->device);
}

TEST(ProbesForMeasuring, AddsTheProbesOfTheBackendsMeasureApis) {
  EXPECT_EQ(ProbesForMeasuring(std::string("cuda")),
            (std::vector<std::string>{"sysfs", "cpu", "nvml", "cuda", "opencl", "vulkan"}));
  EXPECT_EQ(ProbesForMeasuring(std::string("xpu")),
            (std::vector<std::string>{"sysfs", "cpu", "level_zero", "opencl", "vulkan", "cuda"}));
  EXPECT_TRUE(ProbesForMeasuring(std::nullopt).empty());
  EXPECT_TRUE(ProbesForMeasuring(std::string("nonsense")).empty());
}

TEST(MeasureTargetFor, TheBackendsOwnApiFirstThenOpenClVulkanCuda) {
  Device gpu = GpuWith({{.api = "cuda", .index = 1, .name = std::nullopt, .software = false},
                        {.api = "opencl", .index = std::nullopt, .name = "2/1", .software = false},
                        {.api = "vulkan", .index = 3, .name = std::nullopt, .software = false}});
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "cuda")), "cuda 0/1");
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "vulkan")), "vulkan 0/3");
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "openvino")), "opencl 2/1");
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "onnxruntime")), "opencl 2/1");
}

TEST(MeasureTargetFor, FallsThroughMissingOrMalformedBindings) {
  Device gpu = GpuWith({{.api = "opencl", .index = std::nullopt, .name = "2x", .software = false},
                        {.api = "cuda", .index = 0, .name = std::nullopt, .software = false}});
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "openvino")), "cuda 0/0");
  Device bare = GpuWith({{.api = "nvml", .index = 0, .name = std::nullopt, .software = false}});
  EXPECT_EQ(TargetString(MeasureTargetFor(bare, "cuda")), "none");
  EXPECT_EQ(TargetString(MeasureTargetFor(gpu, "nonsense")), "none");
}

TEST(MeasureKey, NamesIdentityDriverRuntimeAndWorkload) {
  Device gpu = GpuWith({});
  gpu.uuid = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6";
  Observations observations;
  observations.probes.cuda.emplace();
  observations.probes.cuda->driver_version = 12040;
  observations.probes.cuda->devices.push_back({.ordinal = 0,
                                               .name = "NVIDIA GeForce RTX 4090",
                                               .uuid = std::nullopt,
                                               .pci_address = std::nullopt,
                                               .memory_total_bytes = std::nullopt,
                                               .compute_capability = std::nullopt,
                                               .multiprocessors = std::nullopt,
                                               .clock_mhz = std::nullopt,
                                               .integrated = std::nullopt});
  VerifyTarget target;
  target.api = VerifyApi::kCuda;
  VerifyOptions workload;
  EXPECT_EQ(MeasureKey(gpu, target, observations, workload),
            "v1 | uuid GPU-8932f937-d72c-4106-c12f-20bd9faed9f6 | 10de:2684 NVIDIA GeForce RTX "
            "4090 | driver nvidia 550.54.14 | cuda driver 12040; NVIDIA GeForce RTX 4090 | sgemm "
            "512 copy 67108864 runs 3");
  // A driver update or another workload is another key; so is another runtime version.
  Device updated = gpu;
  updated.driver.version = "555.42.02";
  EXPECT_NE(MeasureKey(updated, target, observations, workload),
            MeasureKey(gpu, target, observations, workload));
  VerifyOptions smaller = workload;
  smaller.matrix_size = 256;
  EXPECT_NE(MeasureKey(gpu, target, observations, smaller),
            MeasureKey(gpu, target, observations, workload));
  Observations newer = observations;
  newer.probes.cuda->driver_version = 12050;
  EXPECT_NE(MeasureKey(gpu, target, newer, workload),
            MeasureKey(gpu, target, observations, workload));
}

TEST(MeasureKey, WithoutUuidThePciAddressThenTheNameIdentifies) {
  Device gpu = GpuWith({});
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  EXPECT_THAT(MeasureKey(gpu, target, Observations{}, VerifyOptions{}),
              StartsWith("v1 | pci 0000:01:00.0 | 10de:2684"));
  Device cpu;
  cpu.id = "cpu";
  cpu.name = "AMD EPYC";
  cpu.vendor_id = 0x1022;
  EXPECT_EQ(MeasureKey(cpu, target, Observations{}, VerifyOptions{}),
            "v1 | name AMD EPYC | 1022:? AMD EPYC | driver - - | opencl ? | sgemm 512 copy "
            "67108864 runs 3");
}

TEST(VerifyResultFromJson, ReadsBackWhatVerifyResultToJsonWrote) {
  VerifyResult result = testing::CorrectLlvmpipeResult(0.5);
  result.copy_gbps = 2.25;
  result.max_rel_error = 2.5e-7;
  result.steps = {"load libvulkan.so.1", "check copy result"};
  result.matrix_size = 64;
  result.copy_bytes = 1 << 20;
  Result<VerifyResult> back = VerifyResultFromJson(VerifyResultToJson(result).dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->api, "vulkan");
  EXPECT_EQ(back->device, "vulkan 0 (llvmpipe)");
  EXPECT_TRUE(back->correct);
  EXPECT_EQ(back->gflops, 0.5);
  EXPECT_EQ(back->copy_gbps, 2.25);
  EXPECT_EQ(back->max_rel_error, 2.5e-7);
  EXPECT_EQ(back->failed_step, "");
  EXPECT_EQ(back->steps, result.steps);
  EXPECT_EQ(back->matrix_size, 64u);
  EXPECT_EQ(back->copy_bytes, 1u << 20);
  EXPECT_FALSE(back->device_missing);

  VerifyResult failed;
  failed.api = "opencl";
  failed.failed_step = "clBuildProgram";
  failed.detail = "clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)";
  failed.max_rel_error = std::numeric_limits<double>::infinity();  // written as null
  Result<VerifyResult> failed_back = VerifyResultFromJson(VerifyResultToJson(failed).dump());
  ASSERT_TRUE(failed_back.ok()) << failed_back.status().message();
  EXPECT_FALSE(failed_back->correct);
  EXPECT_EQ(failed_back->failed_step, "clBuildProgram");
  EXPECT_FALSE(failed_back->gflops.has_value());
  EXPECT_TRUE(std::isinf(failed_back->max_rel_error));
}

TEST(VerifyResultFromJson, NamesWhatIsWrong) {
  EXPECT_EQ(VerifyResultFromJson("Segmentation fault").status().message(),
            "the devpick-probe verify reply is not a JSON object");
  EXPECT_EQ(VerifyResultFromJson("[1]").status().message(),
            "the devpick-probe verify reply is not a JSON object");
  nlohmann::json json = VerifyResultToJson(VerifyResult{});
  json.erase("correct");
  EXPECT_EQ(VerifyResultFromJson(json.dump()).status().message(),
            "the devpick-probe verify reply: \"correct\" is missing");
  json = VerifyResultToJson(VerifyResult{});
  json["gflops"] = "fast";
  EXPECT_EQ(VerifyResultFromJson(json.dump()).status().message(),
            "the devpick-probe verify reply: \"gflops\" is not a number or null");
  json = VerifyResultToJson(VerifyResult{});
  json["matrix_size"] = -1;
  EXPECT_EQ(VerifyResultFromJson(json.dump()).status().message(),
            "the devpick-probe verify reply: \"matrix_size\" has the wrong type");
  json["matrix_size"] = std::uint64_t{1} << 40;
  EXPECT_EQ(VerifyResultFromJson(json.dump()).status().message(),
            "the devpick-probe verify reply: \"matrix_size\" has the wrong type");
}

TEST(VerifyHelperArgs, RoundTripAndErrors) {
  VerifyTarget target;
  target.api = VerifyApi::kOpenCl;
  target.platform = 1;
  target.device = 2;
  VerifyOptions workload;
  workload.matrix_size = 128;
  workload.copy_bytes = 4096;
  workload.runs = 2;
  std::vector<std::string> args = VerifyHelperArgs(target, workload);
  EXPECT_THAT(args, ElementsAre("verify", "opencl", "opencl:1/2", "128", "4096", "2"));
  VerifyTarget parsed;
  VerifyOptions parsed_workload;
  ASSERT_TRUE(ParseVerifyHelperArgs(args, &parsed, &parsed_workload).ok());
  EXPECT_EQ(parsed.api, VerifyApi::kOpenCl);
  EXPECT_EQ(parsed.platform, 1u);
  EXPECT_EQ(parsed.device, 2u);
  EXPECT_EQ(parsed_workload.matrix_size, 128u);
  EXPECT_EQ(parsed_workload.copy_bytes, 4096u);
  EXPECT_EQ(parsed_workload.runs, 2u);

  const std::string usage = "usage: devpick-probe verify API DEVICE MATRIX_SIZE COPY_BYTES RUNS";
  std::vector<std::string> short_args = {"verify", "opencl"};
  EXPECT_EQ(ParseVerifyHelperArgs(short_args, &parsed, &parsed_workload).message(), usage);
  std::vector<std::string> bad_api = {"verify", "metal", "0", "64", "16", "1"};
  EXPECT_EQ(ParseVerifyHelperArgs(bad_api, &parsed, &parsed_workload).message(),
            "unknown API 'metal'; " + usage);
  std::vector<std::string> bad_copy = {"verify", "vulkan", "0", "64", "16k", "1"};
  EXPECT_EQ(ParseVerifyHelperArgs(bad_copy, &parsed, &parsed_workload).message(), usage);
  std::vector<std::string> bad_size = {"verify", "vulkan", "0", "100", "16", "1"};
  EXPECT_EQ(ParseVerifyHelperArgs(bad_size, &parsed, &parsed_workload).message(),
            "matrix size 100 is not a positive multiple of 16");
}

// ----- whole measurements on this machine -------------------------------------------------

class MeasureDevicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_path_ = dir_ + "/cache/devpick/measured.json";
    // The host CPU, driven by PoCL's device 0 of platform 0 (the only OpenCL platform here).
    Device cpu;
    cpu.id = "cpu";
    cpu.kind = DeviceKind::kCpu;
    cpu.name = "Host CPU";
    cpu.bindings.push_back(
        {.api = "opencl", .index = std::nullopt, .name = "0/0", .software = true});
    inventory_.host.os = "linux";
    inventory_.devices.push_back(cpu);
    Device npu;
    npu.id = "npu0";
    npu.kind = DeviceKind::kNpu;
    npu.name = "Intel NPU";
    inventory_.devices.push_back(npu);
    options_.cache_path = cache_path_;
    options_.isolate = false;
    options_.workload.matrix_size = 64;
    options_.workload.copy_bytes = 1 << 20;
    options_.workload.runs = 1;
  }
  // A shell script standing in for devpick-probe.
  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  MeasureReport Measure(std::vector<std::string> ids = {"cpu"}) {
    progress_.clear();
    return MeasureDevices(*env_, Observations{}, inventory_, ids, "openvino", options_,
                          [&](std::string_view message) { progress_.emplace_back(message); });
  }

  std::unique_ptr<Env> env_ = NewRealEnv();
  testing::TempDir temp_{"devpick-measure"};
  const std::string dir_ = temp_.path();
  std::string cache_path_;
  Inventory inventory_;
  MeasureOptions options_;
  std::vector<std::string> progress_;
};

TEST_F(MeasureDevicesTest, MeasuresThroughPoclThenReadsTheCache) {
  MeasureReport first = Measure({"cpu", "npu0"});
  EXPECT_THAT(first.warnings, IsEmpty());
  ASSERT_EQ(first.measurements.count("cpu"), 1u);
  const DeviceMeasurement& measured = first.measurements.at("cpu");
  ASSERT_TRUE(measured.correct) << measured.failure;
  EXPECT_TRUE(measured.measured);
  ASSERT_TRUE(measured.gflops.has_value());
  EXPECT_GT(*measured.gflops, 0);
  EXPECT_THAT(measured.source, StartsWith("opencl 0/0 (pthread"));
  EXPECT_THAT(measured.source, HasSubstr(", measured 20"));
  // The NPU has no API to measure through: not measured, and says why.
  const DeviceMeasurement& npu = first.measurements.at("npu0");
  EXPECT_FALSE(npu.measured);
  EXPECT_EQ(npu.failure, "no OpenCL, Vulkan or CUDA device drives it");
  EXPECT_THAT(progress_, ElementsAre("measuring cpu (Host CPU) through opencl 0/0"));

  struct stat info {};
  ASSERT_EQ(stat(cache_path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  MeasureCache cache = MeasureCache::Load(*env_, cache_path_);
  ASSERT_EQ(cache.entries().size(), 1u);
  EXPECT_EQ(cache.entries()[0].gflops, measured.gflops);

  MeasureReport second = Measure();
  EXPECT_EQ(second.measurements.at("cpu").gflops, measured.gflops);
  EXPECT_THAT(second.measurements.at("cpu").source,
              HasSubstr(", cached from " + cache.entries()[0].measured_at));
  EXPECT_THAT(progress_, ElementsAre("cpu (Host CPU): cached measurement from " +
                                     cache.entries()[0].measured_at));

  options_.use_cache = false;
  Measure();
  EXPECT_THAT(progress_, ElementsAre("measuring cpu (Host CPU) through opencl 0/0"));
}

TEST_F(MeasureDevicesTest, ThroughTheRealProbeHelper) {
  options_.isolate = true;
  options_.probe_helper = kProbeHelper;
  MeasureReport report = Measure();
  const DeviceMeasurement& measured = report.measurements.at("cpu");
  ASSERT_TRUE(measured.correct) << measured.failure;
  EXPECT_THAT(measured.source, StartsWith("opencl 0/0 (pthread"));
}

TEST_F(MeasureDevicesTest, AHungMeasurementIsKilledAndFailsTheDeviceWithoutBeingCached) {
  options_.isolate = true;
  options_.probe_helper = Script("hang", "exec sleep 30");
  options_.timeout_ms = 300;
  MeasureReport report = Measure();
  const DeviceMeasurement& measured = report.measurements.at("cpu");
  EXPECT_TRUE(measured.measured);
  EXPECT_FALSE(measured.correct);
  EXPECT_EQ(measured.failure,
            "devpick-probe verify opencl opencl:0/0 64 1048576 1: no answer within 300 ms; the "
            "process was killed");
  EXPECT_FALSE(std::filesystem::exists(cache_path_));
}

TEST_F(MeasureDevicesTest, ACrashOrGarbageIsAFailureNamingIt) {
  options_.isolate = true;
  options_.probe_helper = Script("crash", "echo 'driver exploded' >&2; kill -SEGV $$");
  EXPECT_EQ(Measure().measurements.at("cpu").failure,
            "devpick-probe verify opencl opencl:0/0 64 1048576 1: the probe process died from "
            "signal 11 (Segmentation fault)");
  options_.probe_helper = Script("babble", "echo hello");
  EXPECT_EQ(Measure().measurements.at("cpu").failure,
            "devpick-probe verify: the devpick-probe verify reply is not a JSON object");
  options_.probe_helper = Script("fail", "echo 'no such device' >&2; exit 7");
  EXPECT_EQ(Measure().measurements.at("cpu").failure,
            "devpick-probe verify opencl opencl:0/0 64 1048576 1: exited with status 7: no such "
            "device");
}

TEST_F(MeasureDevicesTest, ACorruptCacheIsReportedIgnoredAndRewritten) {
  std::filesystem::create_directories(dir_ + "/cache/devpick");
  std::ofstream(cache_path_) << "{ not json";
  MeasureReport report = Measure();
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_THAT(report.warnings[0], StartsWith("measurement cache " + cache_path_ + " is corrupt"));
  EXPECT_TRUE(report.measurements.at("cpu").correct);
  MeasureCache rewritten = MeasureCache::Load(*env_, cache_path_);
  EXPECT_THAT(rewritten.warnings(), IsEmpty());
  EXPECT_EQ(rewritten.entries().size(), 1u);
}

TEST_F(MeasureDevicesTest, AnUnwritableCacheIsAWarningNotAFailure) {
  std::ofstream(dir_ + "/file") << "x";
  options_.cache_path = dir_ + "/file/devpick/measured.json";
  MeasureReport report = Measure();
  EXPECT_TRUE(report.measurements.at("cpu").correct);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_THAT(report.warnings[0], StartsWith("measurements were not saved: "));
}

TEST_F(MeasureDevicesTest, SelectMeasuredRanksByTheMeasurementAndKeepsItsWarnings) {
  std::filesystem::create_directories(dir_ + "/cache/devpick");
  std::ofstream(cache_path_) << "[]";
  Request request;
  request.backend = "openvino";
  request.policy = Policy::kMeasured;
  Result<Decision> decision =
      SelectMeasured(*env_, Observations{}, inventory_, request, options_, nullptr);
  ASSERT_TRUE(decision.ok()) << decision.status().message();
  ASSERT_NE(decision->device, nullptr);
  EXPECT_EQ(decision->device->id, "cpu");
  EXPECT_EQ(decision->policy, Policy::kMeasured);
  ASSERT_TRUE(decision->candidates[0].measurement.has_value());
  EXPECT_TRUE(decision->candidates[0].measurement->correct);
  EXPECT_THAT(decision->warnings, ElementsAre(StartsWith("measurement cache " + cache_path_)));
}

TEST(SelectMeasured, RefusesACapturedTree) {
  testing::FakeEnv env;
  Request request;
  request.backend = "openvino";
  request.policy = Policy::kMeasured;
  Result<Decision> decision =
      SelectMeasured(env, Observations{}, Inventory{}, request, MeasureOptions{}, nullptr);
  EXPECT_EQ(decision.status().message(),
            "the measured policy runs work on this machine's devices; it cannot rank the devices "
            "of a captured tree (fake:)");
}

}  // namespace
}  // namespace devpick
