#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devpick/select.h"
#include "select/select_test_util.h"
#include "select/test_inventories.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ----- visibility variables from the recorded env ------------------------------------------------

TEST(SelectVisibility, EmulatedCudaOrderAlwaysEmitsPciBusIdOrder) {
  Inventory inventory = TwoNvidiaGpus(false);
  Decision d = Pick(inventory, For("cuda", "gpu1"));
  EXPECT_EQ(d.native["torch"], "cuda:1");
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{{"CUDA_DEVICE_ORDER", "PCI_BUS_ID"}}));
  inventory.env["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
  EXPECT_THAT(Pick(inventory, For("cuda", "gpu1")).env, IsEmpty());
}

TEST(SelectVisibility, CudaVisibleDevicesHidesAndRenumbers) {
  Inventory inventory = TwoNvidiaGpus(false);
  inventory.env["CUDA_VISIBLE_DEVICES"] = "1";
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason, "hidden by CUDA_VISIBLE_DEVICES=1");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason_code, "hidden_by_env");
  EXPECT_THAT(d.warnings, ::testing::Contains("CUDA_VISIBLE_DEVICES=1 renumbers devices: this "
                                              "device is cuda:0 only in processes that inherit "
                                              "that setting"));
}

TEST(SelectVisibility, CudaProbeOrdinalsAlreadyReflectTheMask) {
  Inventory inventory = TwoNvidiaGpus(true);
  inventory.env["CUDA_VISIBLE_DEVICES"] = "GPU-77aa";
  inventory.devices[1].bindings.clear();
  inventory.devices[2].bindings = {Indexed("cuda", 0)};
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(CandidateFor(d, "gpu0").reason, "hidden by CUDA_VISIBLE_DEVICES=GPU-77aa");
  EXPECT_THAT(d.env, IsEmpty());
}

TEST(SelectVisibility, EmptyCudaVisibleDevicesHidesEverything) {
  Inventory inventory = TwoNvidiaGpus(false);
  inventory.env["CUDA_VISIBLE_DEVICES"] = "";
  Decision d = Pick(inventory, For("cuda"));
  EXPECT_EQ(d.device, nullptr);
  EXPECT_EQ(d.error,
            "no eligible device for backend cuda: gpu0 (NVIDIA GeForce RTX 4090): hidden "
            "by CUDA_VISIBLE_DEVICES=; gpu1 (NVIDIA GeForce RTX 3060): hidden by "
            "CUDA_VISIBLE_DEVICES=");
}

TEST(SelectVisibility, IsolateRestrictsToTheChosenGpuByUuid) {
  Inventory inventory = TwoNvidiaGpus(true);
  Request request = For("cuda", "gpu1");
  request.isolate = true;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{
                       {"CUDA_VISIBLE_DEVICES", "GPU-77aa0000-aaaa-bbbb-cccc-000000000002"}}));
}

TEST(SelectVisibility, IsolateWithoutUuidUsesThePciOrderIndex) {
  Inventory inventory = TwoNvidiaGpus(false);
  inventory.devices[2].uuid.reset();
  Request request = For("cuda", "gpu1");
  request.isolate = true;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{{"CUDA_DEVICE_ORDER", "PCI_BUS_ID"},
                                                       {"CUDA_VISIBLE_DEVICES", "1"}}));
}

Inventory TwoAmdGpus() {
  Device apu = Gpu("gpu0", DeviceKind::kIgpu, Vendor::kAmd, "AMD Radeon 780M", "0000:0c:00.0",
                   "amdgpu", std::uint64_t{16} << 30, 8.6);
  apu.gfx_target_version = 110003;
  apu.uuid = "0x1111222233334444";
  apu.bindings = {Indexed("rocm", 1)};
  Device rx = Gpu("gpu1", DeviceKind::kDgpu, Vendor::kAmd, "AMD Radeon RX 7900 XTX", "0000:03:00.0",
                  "amdgpu", std::uint64_t{24} << 30, 61.4);
  rx.gfx_target_version = 110000;
  rx.uuid = "0xaaaabbbbccccdddd";
  rx.bindings = {Indexed("rocm", 2)};
  Inventory inventory = Machine({testing::Cpu(Vendor::kAmd, "Ryzen", 1ull << 35, 1.0), apu, rx});
  inventory.probe_status["rocm"] = ProbeStatus::kOk;
  return inventory;
}

TEST(SelectVisibility, RocmOrdersByKfdNodeAndNeverPicksTheApuFirst) {
  Inventory inventory = TwoAmdGpus();
  Decision d = Pick(inventory, For("rocm"));
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_EQ(d.native["torch"], "cuda:1");
  EXPECT_THAT(d.env, IsEmpty());
}

TEST(SelectVisibility, RocmOverrideIsPerNodeForUnsupportedGfx) {
  Inventory inventory = TwoAmdGpus();
  Decision d = Pick(inventory, For("rocm", "igpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{{"HSA_OVERRIDE_GFX_VERSION_1", "11.0.0"}}));
  EXPECT_THAT(d.warnings, ElementsAre("gfx1103 is not a ROCm-supported target; "
                                      "HSA_OVERRIDE_GFX_VERSION_1=11.0.0 runs this GPU as its "
                                      "supported sibling (only this GPU)"));
}

TEST(SelectVisibility, RocmSupportedTargetsAreTheOnesDoctorKnows) {
  // gfx1150 (Strix Point) and gfx950 (MI350) are supported: no override, as doctor says.
  for (int supported : {110500, 90500}) {
    Inventory inventory = TwoAmdGpus();
    for (Device& device : inventory.devices) {
      if (device.id == "gpu0") device.gfx_target_version = supported;
    }
    Decision d = Pick(inventory, For("rocm", "igpu"));
    EXPECT_EQ(ChosenId(d), "gpu0");
    EXPECT_THAT(d.env, IsEmpty()) << supported;
    EXPECT_THAT(d.warnings, IsEmpty()) << supported;
  }
}

TEST(SelectVisibility, RocmOverrideAlreadySetIsNotRepeated) {
  Inventory inventory = TwoAmdGpus();
  inventory.env["HSA_OVERRIDE_GFX_VERSION_1"] = "11.0.0";
  Decision d = Pick(inventory, For("rocm", "igpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_THAT(d.env, IsEmpty());
  EXPECT_THAT(d.warnings, IsEmpty());
  // Another value is replaced by the one known to work.
  inventory.env["HSA_OVERRIDE_GFX_VERSION_1"] = "10.3.0";
  d = Pick(inventory, For("rocm", "igpu"));
  EXPECT_EQ(d.env, (std::map<std::string, std::string>{{"HSA_OVERRIDE_GFX_VERSION_1", "11.0.0"}}));
  EXPECT_THAT(d.warnings, ElementsAre("gfx1103 is not a ROCm-supported target; "
                                      "HSA_OVERRIDE_GFX_VERSION_1=11.0.0 runs this GPU as its "
                                      "supported sibling (only this GPU)"));
}

TEST(SelectVisibility, RocrThenHipMasksAndBothSetWarns) {
  Inventory inventory = TwoAmdGpus();
  inventory.env["ROCR_VISIBLE_DEVICES"] = "GPU-aaaa";
  Decision rocr = Pick(inventory, For("rocm"));
  EXPECT_EQ(ChosenId(rocr), "gpu1");
  EXPECT_EQ(rocr.native["torch"], "cuda:0");
  EXPECT_EQ(CandidateFor(rocr, "gpu0").reason, "hidden by ROCR_VISIBLE_DEVICES=GPU-aaaa");
  inventory.env["ROCR_VISIBLE_DEVICES"] = "1,0";
  inventory.env["HIP_VISIBLE_DEVICES"] = "1";
  Decision both = Pick(inventory, For("rocm"));
  EXPECT_EQ(ChosenId(both), "gpu0");
  EXPECT_EQ(both.native["torch"], "cuda:0");
  EXPECT_EQ(CandidateFor(both, "gpu1").reason, "hidden by HIP_VISIBLE_DEVICES=1");
  EXPECT_THAT(both.warnings,
              ::testing::Contains("both HIP_VISIBLE_DEVICES and ROCR_VISIBLE_DEVICES are set: HIP "
                                  "applies its mask to the devices ROCr left, which is easy to get "
                                  "wrong; set only ROCR_VISIBLE_DEVICES"));
}

TEST(SelectVisibility, RocmIsolateUsesRocrNeverHip) {
  Inventory inventory = TwoAmdGpus();
  Request request = For("rocm");
  request.isolate = true;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.native["torch"], "cuda:0");
  EXPECT_EQ(d.env,
            (std::map<std::string, std::string>{{"ROCR_VISIBLE_DEVICES", "GPU-aaaabbbbccccdddd"}}));
}

TEST(SelectVisibility, OneApiDeviceSelectorRenumbersXpu) {
  Inventory inventory = ArcA770Desktop();
  inventory.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero:1";
  Decision d = Pick(inventory, For("xpu"));
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.native["torch"], "xpu:0");
  EXPECT_EQ(CandidateFor(d, "gpu1").reason, "hidden by ONEAPI_DEVICE_SELECTOR=level_zero:1");
  inventory.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero";
  Decision bad = Pick(inventory, For("xpu"));
  EXPECT_EQ(bad.device, nullptr);
  EXPECT_EQ(CandidateFor(bad, "gpu1").reason,
            "ONEAPI_DEVICE_SELECTOR='level_zero': filter 'level_zero' has no ':'; expected "
            "<backend>:<devices> such as level_zero:0 or *:gpu (SYCL refuses to start with it)");
}

TEST(SelectVisibility, XpuIsolateUsesOneApiSelector) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("xpu", "igpu");
  request.isolate = true;
  Decision d = Pick(inventory, request);
  EXPECT_EQ(d.native["torch"], "xpu:0");
  EXPECT_EQ(d.env,
            (std::map<std::string, std::string>{{"ONEAPI_DEVICE_SELECTOR", "level_zero:1"}}));
}
}  // namespace
}  // namespace devpick::testing
