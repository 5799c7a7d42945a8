#include "devpick/select.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "select/backend_table.h"
#include "select/select_test_util.h"
#include "select/test_inventories.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Json = nlohmann::ordered_json;

// ----- the scenario expectations (tests/scenarios/expectations.json) ------------------------

TEST(SelectScenario, ArcDesktop_OpenVinoPrefersDiscreteArcOverIntegrated) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("openvino"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native, (Json{{"openvino", "GPU.1"}, {"torch", "cpu"}}));
  EXPECT_THAT(d.env, IsEmpty());
  EXPECT_THAT(d.warnings, IsEmpty());
  ASSERT_EQ(d.candidates.size(), 3u);
  EXPECT_EQ(d.candidates[0].id, "gpu1");
  EXPECT_EQ(d.candidates[0].rank, 1);
  EXPECT_EQ(d.candidates[0].reason, "discrete GPU, 15 GiB");
  EXPECT_EQ(d.candidates[1].id, "gpu0");
  EXPECT_EQ(d.candidates[1].reason, "integrated GPU");
  EXPECT_EQ(d.candidates[2].id, "cpu");
  EXPECT_EQ(d.candidates[2].rank, 3);
  EXPECT_EQ(d.candidates[2].reason, "CPU");
}

TEST(SelectScenario, ArcDesktop_OpenVinoIgpuPinIsGpu0) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("openvino", "igpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native["openvino"], "GPU.0");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason_code, "not_in_spec");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason, "not matched by device spec 'igpu'");
}

TEST(SelectScenario, ArcDesktop_OpenVinoCpuPin) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("openvino", "cpu"));
  EXPECT_EQ(ChosenId(d), "cpu");
  EXPECT_EQ(d.native, (Json{{"openvino", "CPU"}, {"torch", "cpu"}}));
}

TEST(SelectScenario, ArcDesktop_XpuUsesLevelZeroOrder) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("xpu"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native, (Json{{"torch", "xpu:0"}}));
  EXPECT_THAT(d.env, IsEmpty());
  EXPECT_EQ(CandidateFor(d, "cpu").reason_code, "cpu_needs_fallback");
  EXPECT_EQ(CandidateFor(d, "cpu").reason,
            "XPU does not run on the CPU; --fallback cpu allows the CPU explicitly");
}

TEST(SelectScenario, ArcDesktop_CudaHasNoEligibleDevice) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(d.error,
            "no eligible device for backend cuda: no NVIDIA GPU was found (found: cpu (CPU), gpu0 "
            "(Intel(R) UHD Graphics 770, igpu), gpu1 (Intel(R) Arc(TM) A770 Graphics, dgpu))");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason, "CUDA cannot drive Intel GPUs");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason_code, "backend_cannot_drive");
}

TEST(SelectScenario, ArcDesktop_RecommendsXpuOnTheArc) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, Request{});
  EXPECT_EQ(d.backend, "xpu");
  EXPECT_TRUE(d.backend_recommended);
  EXPECT_EQ(*d.device->pci_address, "0000:03:00.0");
}

TEST(SelectScenario, Rtx3080Desktop_OpenVinoEmulatesLoneIntelGpuAsGpu) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("openvino"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.device->kind, DeviceKind::kIgpu);
  EXPECT_EQ(d.native, (Json{{"openvino", "GPU"}, {"torch", "cpu"}}));
  EXPECT_EQ(CandidateFor(d, "gpu1").reason, "OpenVINO cannot drive NVIDIA GPUs");
  EXPECT_THAT(d.warnings,
              ElementsAre("OpenVINO runtime not found (openvino probe absent: libopenvino_c.so: "
                          "cannot open shared object file); install the OpenVINO runtime (pip "
                          "install openvino); GPUs also need the Intel compute runtime",
                          "OpenVINO names are emulated (openvino probe absent: libopenvino_c.so: "
                          "cannot open shared object file): Intel integrated GPU first as GPU.0, "
                          "then discrete GPUs"));
}

TEST(SelectScenario, Rtx3080Desktop_CudaUsesTheCudaOrdinalWithoutEnv) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native, (Json{{"torch", "cuda:0"}}));
  EXPECT_THAT(d.env, IsEmpty());
  EXPECT_THAT(d.warnings, IsEmpty());
}

TEST(SelectScenario, Rtx3080Desktop_XpuEmulatesPciOrderAndSaysSo) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("xpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native, (Json{{"torch", "xpu:0"}}));
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{{"ZE_ENABLE_PCI_ID_DEVICE_ORDER", "1"}}));
  EXPECT_THAT(d.warnings,
              ElementsAre("xpu:N follows the PCI bus order because Level Zero was not "
                          "queried (level_zero probe did not run); "
                          "ZE_ENABLE_PCI_ID_DEVICE_ORDER=1 makes Level Zero number GPUs "
                          "the same way"));
}

TEST(SelectScenario, Rtx3080Desktop_RocmHasNoEligibleDevice) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("rocm"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(d.error,
            "no eligible device for backend rocm: no AMD GPU was found (found: cpu (CPU), gpu0 "
            "(Intel(R) UHD Graphics 770, igpu), gpu1 (NVIDIA GeForce RTX 3080, dgpu))");
}

TEST(SelectScenario, Rtx3080Desktop_RocmFallsBackToCpuOnlyWhenAskedAndSaysSo) {
  Inventory inventory = Rtx3080Desktop();
  Request request = For("rocm");
  request.fallback = Fallback::kCpu;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "cpu");
  EXPECT_TRUE(d.fallback);
  EXPECT_FALSE(d.error.has_value());
  EXPECT_EQ(d.native, (Json{{"torch", "cpu"}}));
  EXPECT_THAT(d.warnings,
              ElementsAre("no eligible device for backend rocm: no AMD GPU was found (found: cpu "
                          "(CPU), gpu0 (Intel(R) UHD Graphics 770, igpu), gpu1 (NVIDIA GeForce RTX "
                          "3080, dgpu)); falling back to the CPU as requested (fallback = cpu)"));
  EXPECT_EQ(d.candidates[0].id, "cpu");
  EXPECT_EQ(d.candidates[0].reason, "CPU (fallback)");
}

TEST(SelectScenario, Rtx3080Desktop_RecommendsCudaOnTheRtx) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, Request{});
  EXPECT_EQ(d.backend, "cuda");
  EXPECT_EQ(ChosenId(d), "gpu1");
}

TEST(SelectScenario, Rx6800Desktop_RocmUsesKfdNodeOrder) {
  Inventory inventory = Rx6800Desktop();
  Decision d = Pick(inventory, For("rocm"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native, (Json{{"torch", "cuda:0"}}));
  EXPECT_THAT(d.env, IsEmpty());  // gfx1030 is supported: no override
}

TEST(SelectScenario, Rx6800Desktop_OpenVinoUsesTheCpu) {
  Inventory inventory = Rx6800Desktop();
  Decision d = Pick(inventory, For("openvino"));
  EXPECT_EQ(ChosenId(d), "cpu");
  EXPECT_EQ(d.native["openvino"], "CPU");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason, "OpenVINO cannot drive AMD GPUs");
}

TEST(SelectScenario, Rx6800Desktop_CudaHasNoEligibleDevice) {
  Inventory inventory = Rx6800Desktop();
  EXPECT_EQ(Pick(inventory, For("cuda")).device, nullptr);
}

TEST(SelectScenario, UnknownBackendListsEveryBackend) {
  Inventory inventory = Rx6800Desktop();
  Result<Decision> d = Select(inventory, For("nonsense"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(d.status().message(), "unknown backend 'nonsense'; accepted: " + AcceptedBackends());
}

// ----- aliases and native names per backend (table-driven) -----------------------------------

struct NativeCase {
  std::string backend;
  Inventory (*machine)();
  std::string chosen;
  Json native;
};

class SelectNative : public ::testing::TestWithParam<NativeCase> {};

TEST_P(SelectNative, EmitsTheBackendsOwnSpelling) {
  Inventory inventory = GetParam().machine();
  Decision d = Pick(inventory, For(GetParam().backend));
  EXPECT_EQ(ChosenId(d), GetParam().chosen);
  EXPECT_EQ(d.native, GetParam().native);
}

Inventory ArcWithVulkan() {
  Inventory inventory = ArcA770Desktop();
  inventory.devices[0].bindings.push_back(
      {.api = "vulkan", .index = 2, .name = {}, .software = true});
  inventory.devices[1].bindings.push_back(Indexed("vulkan", 1));
  inventory.devices[2].bindings.push_back(Indexed("vulkan", 0));
  return inventory;
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SelectNative,
    ::testing::Values(
        NativeCase{"torch-cuda", Rtx3080Desktop, "gpu1", Json{{"torch", "cuda:0"}}},
        NativeCase{"hip", Rx6800Desktop, "gpu0", Json{{"torch", "cuda:0"}}},
        NativeCase{"zluda", Rx6800Desktop, "gpu0", Json{{"torch", "cuda:0"}}},
        NativeCase{"ipex", ArcA770Desktop, "gpu1", Json{{"torch", "xpu:0"}}},
        NativeCase{"cpu", ArcA770Desktop, "cpu", Json{{"torch", "cpu"}, {"openvino", "CPU"}}},
        NativeCase{"vulkan", ArcWithVulkan, "gpu1", Json{{"vulkan", 0}}},
        NativeCase{
            "ort", Rtx3080Desktop, "gpu1",
            Json{{"onnxruntime",
                  {{"provider", "CUDAExecutionProvider"}, {"options", {{"device_id", 0}}}}}}},
        NativeCase{"onnxruntime", ArcA770Desktop, "gpu1",
                   Json{{"onnxruntime",
                         {{"provider", "OpenVINOExecutionProvider"},
                          {"options", {{"device_type", "GPU.1"}}}}}}},
        NativeCase{
            "onnxruntime", Rx6800Desktop, "gpu0",
            Json{{"onnxruntime",
                  {{"provider", "MIGraphXExecutionProvider"}, {"options", {{"device_id", 0}}}}}}}));

TEST(SelectBackend, OnnxRuntimeOnTheCpuUsesTheCpuProvider) {
  Inventory inventory = Rx6800Desktop();
  Decision d = Pick(inventory, For("ort", "cpu"));
  EXPECT_EQ(
      d.native,
      (Json{{"onnxruntime", {{"provider", "CPUExecutionProvider"}, {"options", Json::object()}}}}));
}

TEST(SelectBackend, DirectMlNeedsADxgiAdapter) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("dml"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(CandidateFor(d, "gpu1").reason,
            "DirectML needs a dxgi device, and no dxgi driver reported this one");
  EXPECT_EQ(d.error,
            "no eligible device for backend directml: gpu0 (Intel(R) UHD Graphics 770): "
            "DirectML needs a dxgi device, and no dxgi driver reported this one; gpu1 "
            "(NVIDIA GeForce RTX 3080): DirectML needs a dxgi device, and no dxgi driver "
            "reported this one");
}

TEST(SelectBackend, DirectMlUsesTheDxgiAdapterIndexOnWindows) {
  Inventory inventory = Rtx3080Desktop();
  inventory.host.os = "windows";
  inventory.devices[1].bindings.push_back(Indexed("dxgi", 1));
  inventory.devices[2].bindings.push_back(Indexed("dxgi", 0));
  Decision d = Pick(inventory, For("directml"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native, (Json{{"torch", "privateuseone:0"}}));
  Decision recommended = Pick(inventory, Request{});
  EXPECT_EQ(recommended.backend, "cuda");
}

TEST(SelectBackend, MpsOnlyOnMacos) {
  Inventory inventory = Machine(
      {testing::Cpu(Vendor::kApple, "Apple M2 Pro", 34359738368, 0.5),
       Gpu("gpu0", DeviceKind::kIgpu, Vendor::kApple, "Apple M2 Pro", "", "", 22906503168, 6.8)});
  inventory.devices[1].pci_address.reset();
  inventory.devices[1].driver.name.reset();
  inventory.host.os = "macos";
  inventory.host.arch = "arm64";
  Decision d = Pick(inventory, For("mps"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native, (Json{{"torch", "mps"}}));
  EXPECT_EQ(Pick(inventory, Request{}).backend, "mps");
  inventory.host.os = "linux";
  EXPECT_EQ(CandidateFor(Pick(inventory, For("mps")), "gpu0").reason, "MPS does not run on linux");
}

TEST(SelectBackend, CpuOnlyMachineRecommendsOpenVinoOnX86AndCpuElsewhere) {
  Inventory inventory = Machine({testing::Cpu(Vendor::kIntel, "Xeon", 1 << 30, 1.0)});
  EXPECT_EQ(Pick(inventory, Request{}).backend, "openvino");
  inventory.host.arch = "aarch64";
  Decision d = Pick(inventory, Request{});
  EXPECT_EQ(d.backend, "cpu");
  EXPECT_EQ(ChosenId(d), "cpu");
}

// ----- eligibility reasons ---------------------------------------------------------------------

TEST(SelectEligibility, NouveauCannotRunCuda) {
  Inventory inventory = Rtx3080Desktop();
  inventory.devices[2].driver.name = "nouveau";
  inventory.devices[2].bindings.clear();
  inventory.probe_status.erase("cuda");
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(CandidateFor(d, "gpu1").reason_code, "driver");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason,
            "kernel driver nouveau cannot run CUDA; the nvidia driver is needed");
  EXPECT_EQ(d.error,
            "no eligible device for backend cuda: gpu1 (NVIDIA GeForce RTX 3080): kernel "
            "driver nouveau cannot run CUDA; the nvidia driver is needed");
}

TEST(SelectEligibility, XpuDoesNotDriveNpusAndPerformanceSkipsNpus) {
  Inventory inventory = ArcA770Desktop();
  Device npu = Gpu("npu0", DeviceKind::kNpu, Vendor::kIntel, "Intel(R) AI Boost", "0000:00:0b.0",
                   "intel_vpu", std::nullopt, std::nullopt);
  npu.bindings = {Named("openvino", "NPU")};
  inventory.devices.push_back(npu);
  EXPECT_EQ(CandidateFor(Pick(inventory, For("xpu")), "npu0").reason, "XPU cannot drive NPUs");
  Decision openvino = Pick(inventory, For("openvino"));
  EXPECT_EQ(ChosenId(openvino), "gpu1");
  EXPECT_EQ(CandidateFor(openvino, "npu0").reason_code, "npu_not_requested");
  EXPECT_EQ(CandidateFor(openvino, "npu0").reason,
            "NPUs are used only when asked for (--device npu or --policy efficiency)");
  Decision asked = Pick(inventory, For("openvino", "npu"));
  EXPECT_EQ(ChosenId(asked), "npu0");
  EXPECT_EQ(asked.native["openvino"], "NPU");
  Request efficient = For("openvino");
  efficient.policy = Policy::kEfficiency;
  EXPECT_EQ(ChosenId(Pick(inventory, efficient)), "npu0");
}

TEST(SelectEligibility, UnusableDeviceCarriesItsProblem) {
  Inventory inventory = ArcA770Desktop();
  inventory.devices[2].usable = false;
  inventory.devices[2].problems.push_back({"render_node_denied",
                                           "this user cannot open /dev/dri/renderD129",
                                           "add the user to the 'render' group"});
  Decision d = Pick(inventory, For("xpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native["torch"], "xpu:1");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason,
            "unusable: this user cannot open /dev/dri/renderD129 (add the user to the 'render' "
            "group)");
}

TEST(SelectEligibility, ExcludeItemsRejectWithTheItem) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino");
  request.exclude = {"dgpu", "pci:00:02.0"};
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "cpu");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason, "excluded by request (dgpu)");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason, "excluded by request (pci:00:02.0)");
  request.exclude = {"dgpu,"};
  Result<Decision> bad = Select(inventory, request);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "exclude: invalid device spec 'dgpu,': item 2 is empty; separate items with single "
            "commas, e.g. dgpu,igpu,cpu");
}

TEST(SelectEligibility, MinMemoryRejectsSmallAndUnknown) {
  Inventory inventory = Rtx3080Desktop();
  inventory.devices[0].memory.total_bytes.reset();
  Request request = For("openvino");
  request.min_memory_bytes = std::uint64_t{40} << 30;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(CandidateFor(d, "cpu").reason,
            "memory size unknown, so min_memory 40 GiB cannot be met");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason, "below min_memory 40 GiB (32 GiB)");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason_code, "below_min_memory");
}

// ----- pinning
// ------------------------------------------------------------------------------------

TEST(SelectPin, FirstSpecItemMatchingAnEligibleDeviceWins) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, For("openvino", "dgpu,igpu,cpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.candidates[1].id, "cpu");
  EXPECT_EQ(d.candidates[1].rank, 2);
}

TEST(SelectPin, NativeAndIndexItemsUseTheBackendsNumbering) {
  Inventory inventory = ArcA770Desktop();
  EXPECT_EQ(ChosenId(Pick(inventory, For("openvino", "GPU.0"))), "gpu0");
  EXPECT_EQ(ChosenId(Pick(inventory, For("openvino", "1"))), "gpu1");
  EXPECT_EQ(ChosenId(Pick(inventory, For("xpu", "xpu:1"))), "gpu0");
  EXPECT_EQ(ChosenId(Pick(inventory, For("xpu", "1"))), "gpu0");
  EXPECT_EQ(ChosenId(Pick(inventory, For("xpu", "uuid:8680a056"))), "gpu1");
  EXPECT_EQ(ChosenId(Pick(inventory, For("xpu", "name:uhd"))), "gpu0");
  EXPECT_EQ(ChosenId(Pick(inventory, For("xpu", "pci:0000:03:00.0"))), "gpu1");
}

TEST(SelectPin, PlainGpuIsGpu0AndWarnsWhenADiscreteGpuExists) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("openvino", "GPU"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_THAT(d.warnings, ElementsAre("'GPU' means GPU.0, the integrated GPU; the discrete "
                                      "Intel(R) Arc(TM) A770 Graphics is GPU.1"));
}

TEST(SelectPin, PinNeverBecomesAnotherDevice) {
  Inventory inventory = ArcA770Desktop();
  Decision d = Pick(inventory, For("xpu", "gpu7"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(d.error,
            "no eligible device for backend xpu matches device spec 'gpu7' (found: cpu (CPU), gpu0 "
            "(Intel(R) UHD Graphics 770, igpu), gpu1 (Intel(R) Arc(TM) A770 Graphics, dgpu))");
  Decision hidden = Pick(Rtx3080Desktop(), For("openvino", "gpu1"));
  EXPECT_EQ(hidden.error,
            "no eligible device for backend openvino matches device spec 'gpu1': "
            "gpu1 (NVIDIA GeForce RTX 3080): OpenVINO cannot drive NVIDIA GPUs");
}

TEST(SelectPin, ForeignNativeSpellingIsAnInputError) {
  Inventory inventory = ArcA770Desktop();
  Result<Decision> d = Select(inventory, For("openvino", "cuda:0"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "device spec item 'cuda:0' is not how backend openvino names devices; openvino uses "
            "CPU, GPU, GPU.N, NPU (kinds, vendors, ids, pci:, uuid: and name: work with every "
            "backend)");
  Result<Decision> malformed = Select(inventory, For("xpu", "xpu:0,1x"));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
}

TEST(SelectPin, AmbiguousUuidPrefixIsAnInputError) {
  Inventory inventory = ArcA770Desktop();
  Result<Decision> d = Select(inventory, For("xpu", "uuid:868"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "device spec item 'uuid:868' matches gpu0 and gpu1; give enough of the UUID to name "
            "one device");
}

TEST(SelectRecommend, NativeSpellingNamesTheBackend) {
  Inventory inventory = ArcA770Desktop();
  Request request;
  request.device_spec = "GPU.0";
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.backend, "openvino");
  EXPECT_TRUE(d.backend_recommended);
  EXPECT_EQ(ChosenId(d), "gpu0");
  request.device_spec = "1";
  EXPECT_EQ(Select(inventory, request).status().message(),
            "device spec item '1' is a backend's index; give --backend as well, or use an id such "
            "as gpu0");
}

}  // namespace
}  // namespace devpick::testing
