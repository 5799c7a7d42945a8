#include "devpick/observations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace devpick {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(RecordedEnvVars, VisibilityVariablesOfEveryRuntime) {
  const std::vector<std::string>& vars = RecordedEnvVars();
  for (const char* name :
       {"CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
        "HSA_OVERRIDE_GFX_VERSION", "ZE_AFFINITY_MASK", "ONEAPI_DEVICE_SELECTOR"}) {
    EXPECT_THAT(vars, Contains(name));
  }
}

TEST(RecordedEnvVars, PerNodeGfxOverrideForKfdNodes0To127) {
  const std::vector<std::string>& vars = RecordedEnvVars();
  EXPECT_THAT(vars, Contains("HSA_OVERRIDE_GFX_VERSION_0"));
  EXPECT_THAT(vars, Contains("HSA_OVERRIDE_GFX_VERSION_1"));
  EXPECT_THAT(vars, Contains("HSA_OVERRIDE_GFX_VERSION_127"));
  EXPECT_THAT(vars, Not(Contains("HSA_OVERRIDE_GFX_VERSION_128")));
  // libhsakmt prints the node with %d: a zero-padded name is never read.
  EXPECT_THAT(vars, Not(Contains("HSA_OVERRIDE_GFX_VERSION_01")));
  EXPECT_EQ(vars.size(), 14u + 128u);
}

}  // namespace
}  // namespace devpick
