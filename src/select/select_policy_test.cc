#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devpick/select.h"
#include "select/select_test_util.h"
#include "select/test_inventories.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::ordered_json;

// ----- policies ---------------------------------------------------------------------------------

TEST(SelectPolicy, EfficiencyPrefersIntegratedAndMemoryPrefersDedicatedMemory) {
  Inventory inventory = ArcA770Desktop();
  Request efficient = For("openvino");
  efficient.policy = Policy::kEfficiency;
  EXPECT_EQ(ChosenId(Pick(inventory, efficient)), "gpu0");
  Inventory two = TwoNvidiaGpus(true);
  two.devices[2].memory.total_bytes = std::uint64_t{48} << 30;  // a slower card with more memory
  Request memory = For("cuda");
  memory.policy = Policy::kMemory;
  EXPECT_EQ(ChosenId(Pick(two, memory)), "gpu1");
  EXPECT_EQ(ChosenId(Pick(two, For("cuda"))), "gpu0");
}

// ----- the measured policy ---------------------------------------------------------------------

DeviceMeasurement Measured(double gflops, std::string source) {
  return {.measured = true,
          .correct = true,
          .gflops = gflops,
          .source = std::move(source),
          .failure = ""};
}

// A device that was measured but whose result failed verification at `failure`.
DeviceMeasurement FailedVerification(std::string source, std::string failure) {
  DeviceMeasurement measurement = Measured(0, std::move(source));
  measurement.correct = false;
  measurement.gflops = std::nullopt;
  measurement.failure = std::move(failure);
  return measurement;
}

// A device that no verify API drives, so it was never measured.
DeviceMeasurement NotMeasurable(std::string failure) {
  DeviceMeasurement measurement = FailedVerification("", std::move(failure));
  measurement.measured = false;
  return measurement;
}

TEST(SelectMeasured, TheFasterMeasuredDeviceWinsAgainstTheKindOrder) {
  // Under performance the Arc (dgpu) wins; measured numbers that say the iGPU is faster decide.
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino");
  request.policy = Policy::kMeasured;
  request.measurements["gpu1"] = Measured(850.0, "opencl 0/1 (Arc A770), cached");
  request.measurements["gpu0"] = Measured(1200.5, "opencl 0/0 (UHD 770), measured");
  request.measurements["cpu"] = Measured(2.6, "opencl 1/0 (pthread), measured");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "gpu0");
  EXPECT_EQ(d.policy, Policy::kMeasured);
  EXPECT_THAT(d.warnings, IsEmpty());
  ASSERT_EQ(d.candidates.size(), 3u);
  EXPECT_EQ(d.candidates[0].reason,
            "integrated GPU, measured 1200.5 GFLOP/s (opencl 0/0 (UHD 770), measured)");
  EXPECT_EQ(d.candidates[1].id, "gpu1");
  EXPECT_EQ(d.candidates[1].rank, 2);
  EXPECT_EQ(d.candidates[2].id, "cpu");
  Json json = DecisionToJson(d);
  EXPECT_EQ(json["policy"], "measured");
  EXPECT_EQ(json["candidates"][1]["measurement"], (Json{{"measured", true},
                                                        {"correct", true},
                                                        {"gflops", 850.0},
                                                        {"source", "opencl 0/1 (Arc A770), cached"},
                                                        {"failure", nullptr}}));
}

TEST(SelectMeasured, AFailedVerificationMakesTheDeviceIneligibleWithTheFailingStep) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino");
  request.policy = Policy::kMeasured;
  request.measurements["gpu1"] = FailedVerification(
      "opencl 0/1 (Arc A770), measured", "clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)");
  request.measurements["gpu0"] = Measured(300, "opencl 0/0, measured");
  request.measurements["cpu"] = Measured(2.6, "opencl 1/0, measured");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "gpu0");
  const Candidate& arc = CandidateFor(d, "gpu1");
  EXPECT_FALSE(arc.eligible);
  EXPECT_EQ(arc.reason_code, "failed_verification");
  EXPECT_EQ(arc.reason,
            "failed verification (opencl 0/1 (Arc A770), measured): clBuildProgram: "
            "CL_BUILD_PROGRAM_FAILURE (-11)");
  ASSERT_TRUE(arc.measurement.has_value());
  EXPECT_FALSE(arc.measurement->correct);
}

TEST(SelectMeasured, UnmeasuredDevicesRankAfterMeasuredOnesAndAreNamedInAWarning) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino");
  request.policy = Policy::kMeasured;
  request.measurements["cpu"] = Measured(2.6, "opencl 1/0, measured");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "cpu");
  ASSERT_EQ(d.candidates.size(), 3u);
  EXPECT_EQ(d.candidates[0].id, "cpu");
  EXPECT_EQ(d.candidates[1].id, "gpu1");  // then performance order: dgpu before igpu
  EXPECT_EQ(d.candidates[1].reason, "discrete GPU, 15 GiB, not measured");
  EXPECT_EQ(d.candidates[2].id, "gpu0");
  ASSERT_THAT(d.warnings, ElementsAre(HasSubstr("gpu1 ("), HasSubstr("gpu0 (")));
  EXPECT_EQ(d.warnings[0], "gpu1 (" + inventory.FindDevice("gpu1")->name +
                               ") was not measured; it ranks after the measured devices");
}

TEST(SelectMeasured, ADeviceThatCannotBeMeasuredStaysEligibleAndSaysWhy) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino", "cpu");
  request.policy = Policy::kMeasured;
  request.measurements["cpu"] = NotMeasurable("no OpenCL or Vulkan device drives it");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "cpu");
  EXPECT_EQ(CandidateFor(d, "cpu").reason, "CPU, not measured");
  EXPECT_THAT(d.warnings, ElementsAre("cpu (" + inventory.FindDevice("cpu")->name +
                                      ") was not measured: no OpenCL or Vulkan device drives "
                                      "it; it ranks after the measured devices"));
}

TEST(SelectMeasured, OtherPoliciesIgnoreMeasurements) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino");
  request.measurements["gpu0"] = Measured(1200.5, "opencl 0/0, measured");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "gpu1");
  EXPECT_FALSE(CandidateFor(d, "gpu0").measurement.has_value());
  EXPECT_FALSE(DecisionToJson(d)["candidates"][0].contains("measurement"));
}

TEST(SelectMeasured, APinStillDecidesBeforeMeasurements) {
  Inventory inventory = ArcA770Desktop();
  Request request = For("openvino", "dgpu");
  request.policy = Policy::kMeasured;
  request.measurements["gpu1"] = Measured(850.0, "opencl 0/1, measured");
  request.measurements["gpu0"] = Measured(1200.5, "opencl 0/0, measured");
  Decision d = Pick(inventory, request);
  EXPECT_EQ(ChosenId(d), "gpu1");
}

}  // namespace
}  // namespace devpick::testing
