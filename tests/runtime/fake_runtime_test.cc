// The runtime probes against the fake vendor libraries of tests/fakes: scripted machines produce
// exact observations; misbehaving libraries (errors, missing symbols, hangs, crashes, unterminated
// strings, lying counts) produce exact diagnostics, within the timeout.
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/snapshot_json.h"
#include "devpick/discover.h"
#include "probes/probe_runs.h"
#include "process_state.h"
#include "temp_dir.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

constexpr const char* kFakeVariables[] = {
    "FAKE_NVIDIA_GPUS", "FAKE_NVML_MODE",     "FAKE_NVML_DRIVER", "FAKE_CUDA_VERSION",
    "FAKE_CUDA_MODE",   "FAKE_CUDA_CALL_LOG", "FAKE_ZE_DEVICES",  "FAKE_ZE_MODE",
    "FAKE_OV_DEVICES",  "FAKE_OV_VERSION",    "FAKE_OV_MODE",     "DEVPICK_PROBE_HELPER",
    "FAKE_NVML_FAIL",   "FAKE_CUDA_FAIL",     "FAKE_ORPHAN_PIDS",
};

// Two discrete GPUs; the second reports itself integrated, like a Jetson's.
constexpr const char* kTwoNvidiaGpus =
    "name=NVIDIA GeForce RTX 4090,uuid=GPU-5e1f0a2b-3c4d-5e6f-7081-92a3b4c5d6e7,"
    "bus=00000000:01:00.0,mem=25757220864,free=25300000000,cc=8.9,sm=128,clock_khz=2520000,"
    "integrated=0;"
    "name=NVIDIA Orin,uuid=GPU-00112233-4455-6677-8899-aabbccddeeff,bus=00000001:0A:1f.0,"
    "mem=8000000000,free=6000000000,cc=8.7,sm=16,clock_khz=1300500,integrated=1";

// Intel UHD 770 (driver 0), Arc A770 with two memory regions (driver 0), Meteor Lake NPU (driver
// 1).
constexpr const char* kIntelMachine =
    "driver=0,type=gpu,vendor=0x8086,device=0xa780,name=Intel(R) UHD Graphics 770,integrated=1,"
    "uuid=8680a780000000000002000000000000,bus=0000:00:02.0,mem=54970548224,slices=1,"
    "subslices=4,eus=8,clock=1650;"
    "driver=0,type=gpu,vendor=0x8086,device=0x56a0,name=Intel(R) Arc(TM) A770 Graphics,"
    "uuid=8680a056080000000300000000000000,bus=0000:03:00.0,mem=8539602944+8539602944,slices=8,"
    "subslices=4,eus=16,clock=2400;"
    "driver=1,type=vpu,vendor=0x8086,device=0x7d1d,name=Intel(R) AI Boost,integrated=1,"
    "uuid=86801d7d000000000000000000000000,mem=0";

constexpr const char* kOpenVinoDevices =
    "name=CPU,FULL_DEVICE_NAME=13th Gen Intel(R) Core(TM) i9-13900K,"
    "OPTIMIZATION_CAPABILITIES=FP32 FP16 INT8 BIN EXPORT_IMPORT;"
    "name=GPU.0,FULL_DEVICE_NAME=Intel(R) UHD Graphics 770 (iGPU),DEVICE_TYPE=integrated,"
    "GPU_DEVICE_ID=0xa780,DEVICE_UUID=8680a780000000000002000000000000,"
    "GPU_DEVICE_TOTAL_MEM_SIZE=54970548224,OPTIMIZATION_CAPABILITIES=FP32 BIN FP16 INT8;"
    "name=GPU.1,FULL_DEVICE_NAME=Intel(R) Arc(TM) A770 Graphics (dGPU),DEVICE_TYPE=discrete,"
    "GPU_DEVICE_ID=0x56a0,GPU_DEVICE_TOTAL_MEM_SIZE=16225243136,"
    "OPTIMIZATION_CAPABILITIES=FP32 BIN FP16 INT8 GPU_HW_MATMUL;"
    "name=NPU,FULL_DEVICE_NAME=Intel(R) AI Boost,DEVICE_TYPE=integrated,GPU_DEVICE_ID=0x7d1d,"
    "DEVICE_PCI_INFO={domain: 0 bus: 0 device: 0xb function: 0},OPTIMIZATION_CAPABILITIES=FP16 "
    "INT8";

class RuntimeFakes : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kFakeVariables) unsetenv(name);
    setenv("FAKE_NVIDIA_GPUS", kTwoNvidiaGpus, 1);
    setenv("FAKE_ZE_DEVICES", kIntelMachine, 1);
    setenv("FAKE_OV_DEVICES", kOpenVinoDevices, 1);
  }
  void TearDown() override {
    for (const char* name : kFakeVariables) unsetenv(name);
  }

  static Observations RunInProcess(void (*run)(const Env&, Observations*)) {
    Observations out;
    run(*NewRealEnv(), &out);
    return out;
  }

  static Observations Discover(std::vector<std::string> probes, int timeout_ms = 5000,
                               bool isolate = true) {
    DiscoverOptions options;
    options.probes = std::move(probes);
    options.timeout_ms = timeout_ms;
    options.isolate = isolate;
    options.probe_helper = DEVPICK_PROBE_HELPER_PATH;
    return Probe(*NewRealEnv(), options);
  }
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(RuntimeFakes, Nvml_ReadsTwoScriptedGpus) {
  Observations o = RunInProcess(RunNvmlProbe);
  ASSERT_TRUE(o.probes.nvml.has_value());
  const NvmlObservation& nvml = *o.probes.nvml;
  EXPECT_EQ(nvml.status, ProbeStatus::kOk) << nvml.detail.value_or("");
  EXPECT_EQ(nvml.library, "libnvidia-ml.so.1");
  EXPECT_EQ(nvml.version, "550.54.14");
  EXPECT_EQ(nvml.cuda_driver_version, 12040);  // from _v2, not the old call's guess (11000)
  EXPECT_THAT(nvml.warnings, SizeIs(0));
  ASSERT_THAT(nvml.devices, SizeIs(2));
  const NvmlDevice& first = nvml.devices[0];
  EXPECT_EQ(first.index, 0);
  EXPECT_EQ(first.name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(first.uuid, "GPU-5e1f0a2b-3c4d-5e6f-7081-92a3b4c5d6e7");
  EXPECT_EQ(first.pci_address, "00000000:01:00.0");  // as NVML prints it
  EXPECT_EQ(first.memory_total_bytes, 25757220864u);
  EXPECT_EQ(first.memory_free_bytes, 25300000000u);  // v2 (v1 would report half)
  EXPECT_EQ(first.compute_capability, "8.9");
  EXPECT_EQ(nvml.devices[1].index, 1);
  EXPECT_EQ(nvml.devices[1].name, "NVIDIA Orin");
  EXPECT_EQ(nvml.devices[1].pci_address, "00000001:0A:1f.0");
  EXPECT_EQ(nvml.devices[1].compute_capability, "8.7");
}

TEST_F(RuntimeFakes, Nvml_InitFailureIsDiagnostic) {
  setenv("FAKE_NVML_MODE", "init_error", 1);
  Observations o = RunInProcess(RunNvmlProbe);
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.nvml->detail, "nvmlInit_v2: NVML_ERROR_DRIVER_NOT_LOADED (9)");
  EXPECT_THAT(o.probes.nvml->devices, SizeIs(0));
}

// doctor recognises the mismatch by this name in the detail.
TEST_F(RuntimeFakes, Nvml_VersionMismatchIsNamedInTheDetail) {
  setenv("FAKE_NVML_MODE", "version_mismatch", 1);
  Observations o = RunInProcess(RunNvmlProbe);
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.nvml->detail, "nvmlInit_v2: NVML_ERROR_LIB_RM_VERSION_MISMATCH (18)");
}

std::string Repeated(const std::string& text, std::size_t length) {
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out += text[i % text.size()];
  return out;
}

TEST_F(RuntimeFakes, Nvml_UnterminatedStringsStopAtTheBuffer) {
  setenv("FAKE_NVML_MODE", "unterminated", 1);
  Observations o = RunInProcess(RunNvmlProbe);
  ASSERT_EQ(o.probes.nvml->status, ProbeStatus::kOk);
  const NvmlDevice& device = o.probes.nvml->devices[0];
  EXPECT_EQ(device.name, Repeated("NVIDIA GeForce RTX 4090", 96));
  EXPECT_EQ(device.uuid, Repeated("GPU-5e1f0a2b-3c4d-5e6f-7081-92a3b4c5d6e7", 96));
  EXPECT_EQ(device.pci_address, Repeated("00000000:01:00.0", 32));
  EXPECT_EQ(o.probes.nvml->version, Repeated("550.54.14", 80));
}

TEST_F(RuntimeFakes, Nvml_LyingCountIsCappedWithAWarning) {
  setenv("FAKE_NVML_MODE", "lying_count", 1);
  Observations o = RunInProcess(RunNvmlProbe);
  const NvmlObservation& nvml = *o.probes.nvml;
  EXPECT_EQ(nvml.status, ProbeStatus::kOk);
  ASSERT_THAT(nvml.devices, SizeIs(2));
  ASSERT_THAT(nvml.warnings, SizeIs(1 + 62));
  EXPECT_EQ(nvml.warnings[0],
            "nvmlDeviceGetCount_v2: the library reported 1000, reading the first 64");
  EXPECT_EQ(nvml.warnings[1],
            "device 2: nvmlDeviceGetHandleByIndex_v2: NVML_ERROR_INVALID_ARGUMENT (2)");
}

TEST_F(RuntimeFakes, Cuda_ReadsScriptedGpusAsAttributes) {
  Observations o = RunInProcess(RunCudaProbe);
  const CudaObservation& cuda = *o.probes.cuda;
  EXPECT_EQ(cuda.status, ProbeStatus::kOk) << cuda.detail.value_or("");
  EXPECT_EQ(cuda.library, "libcuda.so.1");
  EXPECT_EQ(cuda.driver_version, 12040);
  EXPECT_THAT(cuda.warnings, SizeIs(0));
  ASSERT_THAT(cuda.devices, SizeIs(2));
  const CudaDevice& first = cuda.devices[0];
  EXPECT_EQ(first.ordinal, 0);
  EXPECT_EQ(first.name, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(first.uuid, "GPU-5e1f0a2b-3c4d-5e6f-7081-92a3b4c5d6e7");
  EXPECT_EQ(first.pci_address, "0000:01:00.0");
  EXPECT_EQ(first.memory_total_bytes, 25757220864u);
  EXPECT_EQ(first.compute_capability, "8.9");
  EXPECT_EQ(first.multiprocessors, 128);
  EXPECT_EQ(first.clock_mhz, 2520);
  EXPECT_EQ(first.integrated, false);
  const CudaDevice& second = cuda.devices[1];
  EXPECT_EQ(second.ordinal, 1);
  EXPECT_EQ(second.uuid, "GPU-00112233-4455-6677-8899-aabbccddeeff");
  EXPECT_EQ(second.pci_address, "0001:0a:1f.0");
  EXPECT_EQ(second.clock_mhz, 1300);
  EXPECT_EQ(second.multiprocessors, 16);
  EXPECT_EQ(second.integrated, true);
}

TEST_F(RuntimeFakes, Cuda_NoVisibleDeviceIsOkAndEmpty) {
  setenv("FAKE_CUDA_MODE", "no_device", 1);
  Observations o = RunInProcess(RunCudaProbe);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kOk);
  EXPECT_EQ(o.probes.cuda->detail, "cuInit: CUDA_ERROR_NO_DEVICE (100): no CUDA device is visible");
  EXPECT_THAT(o.probes.cuda->devices, SizeIs(0));
}

TEST_F(RuntimeFakes, Cuda_InitFailureIsDiagnostic) {
  setenv("FAKE_CUDA_MODE", "init_error", 1);
  Observations o = RunInProcess(RunCudaProbe);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.cuda->detail, "cuInit: CUDA_ERROR_UNKNOWN (999)");
  EXPECT_EQ(o.probes.cuda->driver_version, 12040);
}

TEST_F(RuntimeFakes, Cuda_UnterminatedNameStopsAtTheBuffer) {
  setenv("FAKE_CUDA_MODE", "unterminated", 1);
  Observations o = RunInProcess(RunCudaProbe);
  EXPECT_EQ(o.probes.cuda->devices[1].name, Repeated("NVIDIA Orin", 256));
}

TEST_F(RuntimeFakes, Cuda_LyingCountIsCappedWithAWarning) {
  setenv("FAKE_CUDA_MODE", "lying_count", 1);
  Observations o = RunInProcess(RunCudaProbe);
  ASSERT_THAT(o.probes.cuda->devices, SizeIs(2));
  EXPECT_EQ(o.probes.cuda->warnings.front(),
            "cuDeviceGetCount: the library reported 1000, reading the first 64");
  EXPECT_EQ(o.probes.cuda->warnings.back(),
            "device 63: cuDeviceGet: CUDA_ERROR_INVALID_DEVICE (101)");
}

std::string TempPath(const char* name) {
  return ::testing::TempDir() + name + std::to_string(getpid());
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

TEST_F(RuntimeFakes, Cuda_NeverCallsContextFunctionsInProcessOrIsolated) {
  std::string log = TempPath("cuda_calls_");
  std::remove(log.c_str());
  setenv("FAKE_CUDA_CALL_LOG", log.c_str(), 1);
  Observations in_process = RunInProcess(RunCudaProbe);
  Observations isolated = Discover({"cuda"});
  EXPECT_EQ(in_process.probes.cuda->status, ProbeStatus::kOk);
  EXPECT_EQ(isolated.probes.cuda->status, ProbeStatus::kOk);
  EXPECT_FALSE(Exists(log)) << "a context function was called; see " << log;
}

TEST_F(RuntimeFakes, FakeCuda_RecordsContextCalls) {
  // The control for the test above: the fake really does record a context call.
  std::string log = TempPath("cuda_control_");
  std::remove(log.c_str());
  setenv("FAKE_CUDA_CALL_LOG", log.c_str(), 1);
  void* library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  auto* create = reinterpret_cast<int (*)(void**, unsigned, int)>(dlsym(library, "cuCtxCreate_v2"));
  ASSERT_NE(create, nullptr);
  void* context = nullptr;
  create(&context, 0, 0);
  dlclose(library);
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "cuCtxCreate_v2\n");
  std::remove(log.c_str());
}

TEST_F(RuntimeFakes, Cuda_MissingSymbolIsNamed) {
  // Only a child process sees a changed LD_LIBRARY_PATH: the isolated path is what is tested.
  std::string saved = std::getenv("LD_LIBRARY_PATH");
  setenv("LD_LIBRARY_PATH", DEVPICK_FAKES_DIR "/missing_symbol", 1);
  Observations o = Discover({"cuda"});
  setenv("LD_LIBRARY_PATH", saved.c_str(), 1);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.cuda->library, "libcuda.so.1");
  EXPECT_EQ(o.probes.cuda->detail, "libcuda.so.1: missing symbol cuDeviceGetUuid");
}

TEST_F(RuntimeFakes, LevelZero_ReadsIntelIgpuDgpuAndNpu) {
  Observations o = RunInProcess(RunLevelZeroProbe);
  const LevelZeroObservation& ze = *o.probes.level_zero;
  EXPECT_EQ(ze.status, ProbeStatus::kOk) << ze.detail.value_or("");
  EXPECT_EQ(ze.library, "libze_loader.so.1");
  EXPECT_THAT(ze.warnings, SizeIs(0));
  ASSERT_THAT(ze.devices, SizeIs(3));
  const LevelZeroDevice& igpu = ze.devices[0];
  EXPECT_EQ(igpu.driver, 0);
  EXPECT_EQ(igpu.index, 0);
  EXPECT_EQ(igpu.name, "Intel(R) UHD Graphics 770");
  EXPECT_EQ(igpu.type, "gpu");
  EXPECT_EQ(igpu.vendor_id, 0x8086u);
  EXPECT_EQ(igpu.device_id, 0xa780u);
  EXPECT_EQ(igpu.integrated, true);
  EXPECT_EQ(igpu.uuid, "8680a780000000000002000000000000");
  EXPECT_EQ(igpu.pci_address, "0000:00:02.0");
  EXPECT_EQ(igpu.memory_bytes, 54970548224u);
  EXPECT_EQ(igpu.eu_count, 32);
  EXPECT_EQ(igpu.clock_mhz, 1650);
  const LevelZeroDevice& dgpu = ze.devices[1];
  EXPECT_EQ(dgpu.driver, 0);
  EXPECT_EQ(dgpu.index, 1);
  EXPECT_EQ(dgpu.name, "Intel(R) Arc(TM) A770 Graphics");
  EXPECT_EQ(dgpu.integrated, false);
  EXPECT_EQ(dgpu.pci_address, "0000:03:00.0");
  EXPECT_EQ(dgpu.memory_bytes, 17079205888u);  // both regions
  EXPECT_EQ(dgpu.eu_count, 512);
  EXPECT_EQ(dgpu.clock_mhz, 2400);
  const LevelZeroDevice& npu = ze.devices[2];
  EXPECT_EQ(npu.driver, 1);
  EXPECT_EQ(npu.index, 0);
  EXPECT_EQ(npu.type, "vpu");
  EXPECT_EQ(npu.device_id, 0x7d1du);
  EXPECT_EQ(npu.pci_address, std::nullopt);  // no PCI properties: not a warning
  EXPECT_EQ(npu.memory_bytes, 0u);
}

TEST_F(RuntimeFakes, LevelZero_NoDriverIsAnError) {
  setenv("FAKE_ZE_MODE", "no_driver", 1);
  Observations o = RunInProcess(RunLevelZeroProbe);
  EXPECT_EQ(o.probes.level_zero->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.level_zero->detail,
            "zeInitDrivers: ZE_RESULT_ERROR_UNINITIALIZED (0x78000001): no Level Zero driver is "
            "installed");
}

TEST_F(RuntimeFakes, LevelZero_LyingDeviceCountIsCapped) {
  setenv("FAKE_ZE_MODE", "lying_count", 1);
  Observations o = RunInProcess(RunLevelZeroProbe);
  EXPECT_THAT(o.probes.level_zero->devices, SizeIs(3));
  EXPECT_THAT(o.probes.level_zero->warnings,
              ElementsAre("zeDeviceGet: the library reported 100000, reading the first 64",
                          "zeDeviceGet: the library reported 100000, reading the first 64"));
}

TEST_F(RuntimeFakes, OpenVino_ReadsDevicesAndProperties) {
  Observations o = RunInProcess(RunOpenVinoProbe);
  const OpenVinoObservation& ov = *o.probes.openvino;
  EXPECT_EQ(ov.status, ProbeStatus::kOk) << ov.detail.value_or("");
  EXPECT_EQ(ov.library, "libopenvino_c.so");
  EXPECT_EQ(ov.version, "2025.3.0");
  EXPECT_THAT(ov.warnings, SizeIs(0));
  ASSERT_THAT(ov.devices, SizeIs(4));
  const OpenVinoDevice& cpu = ov.devices[0];
  EXPECT_EQ(cpu.name, "CPU");
  EXPECT_EQ(cpu.full_name, "13th Gen Intel(R) Core(TM) i9-13900K");
  EXPECT_EQ(cpu.type, std::nullopt);
  EXPECT_EQ(cpu.device_id, std::nullopt);
  EXPECT_THAT(cpu.capabilities, ElementsAre("FP32", "FP16", "INT8", "BIN", "EXPORT_IMPORT"));
  const OpenVinoDevice& igpu = ov.devices[1];
  EXPECT_EQ(igpu.name, "GPU.0");
  EXPECT_EQ(igpu.type, "integrated");
  EXPECT_EQ(igpu.device_id, 0xa780u);
  EXPECT_EQ(igpu.uuid, "8680a780000000000002000000000000");
  EXPECT_EQ(igpu.total_mem_bytes, 54970548224u);
  EXPECT_EQ(igpu.pci_address, std::nullopt);
  EXPECT_EQ(ov.devices[2].type, "discrete");
  EXPECT_EQ(ov.devices[2].device_id, 0x56a0u);
  EXPECT_THAT(ov.devices[2].capabilities,
              ElementsAre("FP32", "BIN", "FP16", "INT8", "GPU_HW_MATMUL"));
  const OpenVinoDevice& npu = ov.devices[3];
  EXPECT_EQ(npu.name, "NPU");
  EXPECT_EQ(npu.pci_address, "0000:00:0b.0");
  EXPECT_EQ(npu.device_id, 0x7d1du);
  EXPECT_THAT(npu.capabilities, ElementsAre("FP16", "INT8"));
}

TEST_F(RuntimeFakes, OpenVino_ReleasesBefore2023AreRejected) {
  setenv("FAKE_OV_VERSION", "2022.3.0-9052-9752fafe8eb-releases/2022/3", 1);
  Observations o = RunInProcess(RunOpenVinoProbe);
  EXPECT_EQ(o.probes.openvino->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.openvino->version, "2022.3.0");
  EXPECT_EQ(o.probes.openvino->detail,
            "OpenVINO 2022.3.0 is older than 2023.0, the first release with the stable C API "
            "devpick uses");
}

TEST_F(RuntimeFakes, OpenVino_CoreFailureIsDiagnostic) {
  setenv("FAKE_OV_MODE", "core_error", 1);
  Observations o = RunInProcess(RunOpenVinoProbe);
  EXPECT_EQ(o.probes.openvino->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.openvino->detail, "ov_core_create: GENERAL_ERROR (-1)");
}

TEST_F(RuntimeFakes, Isolation_HangCostsAtMostTheTimeout) {
  setenv("FAKE_CUDA_MODE", "hang", 1);
  auto start = std::chrono::steady_clock::now();
  Observations o = Discover({"cuda"}, 1000);
  EXPECT_LT(SecondsSince(start), 1.0 + 1.5);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kTimeout);
  EXPECT_EQ(o.probes.cuda->detail, "no answer within 1000 ms; the process was killed");
}

TEST_F(RuntimeFakes, Isolation_HangsRunConcurrently) {
  setenv("FAKE_CUDA_MODE", "hang", 1);
  setenv("FAKE_NVML_MODE", "hang", 1);
  auto start = std::chrono::steady_clock::now();
  Observations o = Discover({"nvml", "cuda", "openvino"}, 1000);
  EXPECT_LT(SecondsSince(start), 2.5);
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kTimeout);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kTimeout);
  // The well-behaved probe still answers.
  EXPECT_EQ(o.probes.openvino->status, ProbeStatus::kOk);
  EXPECT_THAT(o.probes.openvino->devices, SizeIs(4));
}

// Issue 12: a probe library that forked a helper which closed its descriptors, or a daemon that
// left the process group with setsid(), outlived devpick (15 orphans in 77 fault cases).
class LeftBehind : public RuntimeFakes, public ::testing::WithParamInterface<const char*> {};

TEST_P(LeftBehind, NothingAProbeLibraryStartsOutlivesDiscovery) {
  testing::TempDir temp("devpick-orphans");
  const std::string pids_file = temp.path() + "/pids";
  setenv("FAKE_ORPHAN_PIDS", pids_file.c_str(), 1);
  setenv("FAKE_CUDA_MODE", GetParam(), 1);
  const bool hangs = std::string(GetParam()) == "daemon_hang";
  // Only the hanging mode needs the deadline; the others must not meet it on a loaded machine.
  Observations o = Discover({"cuda"}, hangs ? 1000 : 5000);
  EXPECT_EQ(o.probes.cuda->status, hangs ? ProbeStatus::kTimeout : ProbeStatus::kOk)
      << o.probes.cuda->detail.value_or("");
  std::vector<int> pids;
  std::ifstream in(pids_file);
  for (int pid = 0; in >> pid;) pids.push_back(pid);
  ASSERT_EQ(pids.size(), 1u) << "the fake library started no process";
  // SIGKILL is delivered at once, but the kernel may take a moment to tear the process down.
  for (int i = 0; i < 100 && !testing::ProcessEnded(pids[0]); ++i) usleep(10000);
  EXPECT_TRUE(testing::ProcessEnded(pids[0])) << "process " << pids[0] << " outlived discovery";
  if (!testing::ProcessEnded(pids[0])) kill(pids[0], SIGKILL);
}

INSTANTIATE_TEST_SUITE_P(Isolation, LeftBehind,
                         ::testing::Values("orphan", "daemon", "daemon_hang"));

TEST_F(RuntimeFakes, Isolation_CrashIsDiagnosticAndOthersStillAnswer) {
  setenv("FAKE_ZE_MODE", "crash", 1);
  Observations o = Discover({"level_zero", "cuda"});
  EXPECT_EQ(o.probes.level_zero->status, ProbeStatus::kError);
  EXPECT_EQ(o.probes.level_zero->detail,
            "the probe process died from signal 11 (Segmentation fault)");
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kOk);
  EXPECT_THAT(o.probes.cuda->devices, SizeIs(2));
}

TEST_F(RuntimeFakes, Isolation_ResultsMatchInProcess) {
  const std::vector<std::string> names = {"nvml", "cuda", "level_zero", "openvino"};
  Observations isolated = Discover(names);
  Observations in_process = Discover(names, 5000, /*isolate=*/false);
  for (const std::string& name : names) {
    nlohmann::ordered_json a = ProbeEntryToJson(isolated.probes, name);
    EXPECT_EQ(a.value("status", ""), "ok") << name << ": " << a.dump();
    EXPECT_EQ(a.dump(), ProbeEntryToJson(in_process.probes, name).dump()) << name;
  }
}

TEST_F(RuntimeFakes, Isolation_HelperFromEnvironmentVariable) {
  setenv("DEVPICK_PROBE_HELPER", DEVPICK_PROBE_HELPER_PATH, 1);
  DiscoverOptions options;
  options.probes = {"cuda"};
  Observations o = Probe(*NewRealEnv(), options);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kOk) << o.probes.cuda->detail.value_or("");
}

TEST_F(RuntimeFakes, InProcess_HangIsBoundedByTheTimeout) {
  setenv("FAKE_CUDA_MODE", "hang", 1);
  auto start = std::chrono::steady_clock::now();
  Observations o = Discover({"cuda", "nvml"}, 500, /*isolate=*/false);
  EXPECT_LT(SecondsSince(start), 0.5 + 1.5);
  EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kTimeout);
  EXPECT_EQ(o.probes.cuda->detail,
            "no answer within 500 ms; the probe thread was abandoned, still running (in-process "
            "probes cannot be stopped; isolated probes are killed)");
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kOk);
}

TEST_F(RuntimeFakes, Probe_RunsOnlyTheSelectedRuntimeProbes) {
  Observations o = Discover({"cuda"});
  EXPECT_TRUE(o.probes.cuda.has_value());
  EXPECT_FALSE(o.probes.nvml.has_value());
  EXPECT_FALSE(o.probes.level_zero.has_value());
  EXPECT_FALSE(o.probes.sysfs.has_value());
}

// Every error code research/specs.md documents for NVML and the CUDA driver API, plus one that no
// header names (a newer driver's), returned through the fakes' FAKE_<LIB>_FAIL (RELIABILITY.md).
struct DocumentedCode {
  int code;
  std::string name;  // "" when undocumented: described as "error <code>"
};
const std::vector<DocumentedCode> kNvmlCodes = {
    {1, "NVML_ERROR_UNINITIALIZED"},      {2, "NVML_ERROR_INVALID_ARGUMENT"},
    {3, "NVML_ERROR_NOT_SUPPORTED"},      {4, "NVML_ERROR_NO_PERMISSION"},
    {7, "NVML_ERROR_INSUFFICIENT_SIZE"},  {9, "NVML_ERROR_DRIVER_NOT_LOADED"},
    {12, "NVML_ERROR_LIBRARY_NOT_FOUND"}, {13, "NVML_ERROR_FUNCTION_NOT_FOUND"},
    {15, "NVML_ERROR_GPU_IS_LOST"},       {18, "NVML_ERROR_LIB_RM_VERSION_MISMATCH"},
    {999, "NVML_ERROR_UNKNOWN"},          {4242, ""},
};
const std::vector<DocumentedCode> kCudaCodes = {
    {1, "CUDA_ERROR_INVALID_VALUE"},   {2, "CUDA_ERROR_OUT_OF_MEMORY"},
    {3, "CUDA_ERROR_NOT_INITIALIZED"}, {4, "CUDA_ERROR_DEINITIALIZED"},
    {34, "CUDA_ERROR_STUB_LIBRARY"},   {101, "CUDA_ERROR_INVALID_DEVICE"},
    {999, "CUDA_ERROR_UNKNOWN"},       {4242, ""},
};

std::string Described(const char* call, const DocumentedCode& code) {
  const std::string number = std::to_string(code.code);
  return std::string(call) + ": " +
         (code.name.empty() ? "error " + number : code.name + " (" + number + ")");
}

void FailCall(const char* variable, const char* call, int code) {
  setenv(variable, (std::string(call) + "=" + std::to_string(code)).c_str(), 1);
}

TEST_F(RuntimeFakes, Nvml_EveryInitErrorCodeIsAnErrorNamingTheCode) {
  for (const DocumentedCode& code : kNvmlCodes) {
    SCOPED_TRACE(code.code);
    FailCall("FAKE_NVML_FAIL", "nvmlInit_v2", code.code);
    Observations o = RunInProcess(RunNvmlProbe);
    EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kError);
    EXPECT_EQ(o.probes.nvml->detail, Described("nvmlInit_v2", code));
    EXPECT_THAT(o.probes.nvml->devices, SizeIs(0));
  }
}

TEST_F(RuntimeFakes, Nvml_EveryPerDeviceErrorCodeKeepsBothGpusWithAWarning) {
  // Memory is asked with _v2 first and then the old call, so both fail for a warning.
  for (const char* call : {"nvmlDeviceGetName", "nvmlDeviceGetUUID", "nvmlDeviceGetPciInfo_v3",
                           "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetCudaComputeCapability"}) {
    for (const DocumentedCode& code : kNvmlCodes) {
      SCOPED_TRACE(std::string(call) + " " + std::to_string(code.code));
      FailCall("FAKE_NVML_FAIL", call, code.code);
      if (std::string(call) == "nvmlDeviceGetMemoryInfo") {
        const std::string both = "nvmlDeviceGetMemoryInfo_v2=" + std::to_string(code.code) +
                                 ",nvmlDeviceGetMemoryInfo=" + std::to_string(code.code);
        setenv("FAKE_NVML_FAIL", both.c_str(), 1);
      }
      Observations o = RunInProcess(RunNvmlProbe);
      EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kOk);
      EXPECT_THAT(o.probes.nvml->devices, SizeIs(2));
      EXPECT_THAT(o.probes.nvml->warnings,
                  ::testing::Contains("device 1: " + Described(call, code)));
    }
  }
}

TEST_F(RuntimeFakes, Nvml_MemoryInfoV2FailureFallsBackToTheOldCallSilently) {
  FailCall("FAKE_NVML_FAIL", "nvmlDeviceGetMemoryInfo_v2", 3);  // NOT_SUPPORTED: an old driver
  Observations o = RunInProcess(RunNvmlProbe);
  EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kOk);
  ASSERT_THAT(o.probes.nvml->devices, SizeIs(2));
  EXPECT_EQ(o.probes.nvml->devices[0].memory_total_bytes, 25757220864u);
  EXPECT_THAT(o.probes.nvml->warnings, SizeIs(0));
}

TEST_F(RuntimeFakes, Nvml_CountAndHandleErrorsAreReportedWithoutDevices) {
  for (const DocumentedCode& code : kNvmlCodes) {
    SCOPED_TRACE(code.code);
    FailCall("FAKE_NVML_FAIL", "nvmlDeviceGetCount_v2", code.code);
    Observations o = RunInProcess(RunNvmlProbe);
    EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kError);
    EXPECT_EQ(o.probes.nvml->detail, Described("nvmlDeviceGetCount_v2", code));

    FailCall("FAKE_NVML_FAIL", "nvmlDeviceGetHandleByIndex_v2", code.code);
    o = RunInProcess(RunNvmlProbe);
    EXPECT_EQ(o.probes.nvml->status, ProbeStatus::kOk);
    EXPECT_THAT(o.probes.nvml->devices, SizeIs(0));
    EXPECT_THAT(o.probes.nvml->warnings,
                ElementsAre("device 0: " + Described("nvmlDeviceGetHandleByIndex_v2", code),
                            "device 1: " + Described("nvmlDeviceGetHandleByIndex_v2", code)));
  }
}

TEST_F(RuntimeFakes, Cuda_EveryInitErrorCodeIsAnErrorNamingTheCode) {
  for (const DocumentedCode& code : kCudaCodes) {
    SCOPED_TRACE(code.code);
    FailCall("FAKE_CUDA_FAIL", "cuInit", code.code);
    Observations o = RunInProcess(RunCudaProbe);
    EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kError);
    EXPECT_EQ(o.probes.cuda->detail, Described("cuInit", code));
    EXPECT_THAT(o.probes.cuda->devices, SizeIs(0));
  }
}

TEST_F(RuntimeFakes, Cuda_EveryPerDeviceErrorCodeKeepsBothGpusWithAWarning) {
  for (const char* call :
       {"cuDeviceGetName", "cuDeviceTotalMem_v2", "cuDeviceGetUuid", "cuDeviceGetAttribute"}) {
    for (const DocumentedCode& code : kCudaCodes) {
      SCOPED_TRACE(std::string(call) + " " + std::to_string(code.code));
      FailCall("FAKE_CUDA_FAIL", call, code.code);
      Observations o = RunInProcess(RunCudaProbe);
      EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kOk);
      EXPECT_THAT(o.probes.cuda->devices, SizeIs(2));
      EXPECT_THAT(o.probes.cuda->warnings,
                  ::testing::Contains(::testing::StartsWith("device 1: " + Described(call, code))));
    }
  }
}

TEST_F(RuntimeFakes, Cuda_DeviceGetErrorsSkipTheDevicesWithAWarningEach) {
  for (const DocumentedCode& code : kCudaCodes) {
    SCOPED_TRACE(code.code);
    FailCall("FAKE_CUDA_FAIL", "cuDeviceGet", code.code);
    Observations o = RunInProcess(RunCudaProbe);
    EXPECT_EQ(o.probes.cuda->status, ProbeStatus::kOk);
    EXPECT_THAT(o.probes.cuda->devices, SizeIs(0));
    EXPECT_THAT(o.probes.cuda->warnings,
                ElementsAre("device 0: " + Described("cuDeviceGet", code),
                            "device 1: " + Described("cuDeviceGet", code)));
  }
}

}  // namespace
}  // namespace devpick
