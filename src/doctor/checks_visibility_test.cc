#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "devpick/doctor.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "doctor/doctor_test_machines.h"

namespace devpick::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- Visibility variables. ----

TEST(Doctor, BothRocmVisibilityVariablesConflict) {
  Observations o = AmdMachine();
  o.env["ROCR_VISIBLE_DEVICES"] = "0";
  o.env["HIP_VISIBLE_DEVICES"] = "0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("rocm_visibility_conflict"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kWarning,
       .message =
           "both ROCR_VISIBLE_DEVICES and HIP_VISIBLE_DEVICES are set; HIP numbers only the GPUs "
           "ROCr left, so the two use different indices",
       .remedy =
           "set only ROCR_VISIBLE_DEVICES (ROCm's advice on Linux) and unset HIP_VISIBLE_DEVICES"});
  // "1" after ROCr left one GPU (index 0) leaves none (SwarmUI #565).
  o.env["HIP_VISIBLE_DEVICES"] = "1";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("rocm_visibility_conflict"));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_THAT(findings[0].message,
              ::testing::EndsWith(", and together they leave no GPU visible (1 present)"));
}

TEST(Doctor, CudaVisibleDevicesThatHidesEverything) {
  Observations o = NvidiaMachine();
  o.env["CUDA_VISIBLE_DEVICES"] = "";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("cuda_visible_hides_all"));
  ExpectFinding(findings[0],
                {.severity = Severity::kError,
                 .message = "CUDA_VISIBLE_DEVICES='' hides every NVIDIA GPU (1 present)",
                 .remedy = "unset CUDA_VISIBLE_DEVICES, or list GPUs by index (0 to 0) or by UUID "
                           "(nvidia-smi -L)"});
  o.env["CUDA_VISIBLE_DEVICES"] = "1";  // out of range
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("cuda_visible_hides_all"));
  o.env["CUDA_VISIBLE_DEVICES"] = "GPU-6a1f0c2e";  // a unique UUID prefix
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

TEST(Doctor, InvalidOneApiDeviceSelector) {
  Observations o = ArcMachine();
  o.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("oneapi_selector_invalid"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kError,
       .message = "ONEAPI_DEVICE_SELECTOR='level_zero': filter 'level_zero' has no ':'; expected "
                  "<backend>:<devices> such as level_zero:0 or *:gpu",
       .backends = Lines{"xpu"}});
  o.env["ONEAPI_DEVICE_SELECTOR"] = "opencl:*";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("oneapi_selector_hides_all"));
  o.env["ONEAPI_DEVICE_SELECTOR"] = "level_zero:gpu";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

}  // namespace
}  // namespace devpick::testing
