// The one driver-problem table: each binding's inventory problem and doctor finding, and the
// no-driver remedies, which once differed between correlation and doctor (an AMD NPU without a
// driver was told to load amdgpu).
#include "inventory/driver_problems.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

struct Case {
  std::optional<std::string> driver;
  std::string problem_code;  // "" = no problem
  std::string finding_code;
  bool blocks_use;
};

TEST(DriverProblems, EachBindingHasOneProblemAndOneFinding) {
  const Case kCases[] = {
      {std::nullopt, "no_driver", "no_driver", true},
      {"vfio-pci", "passthrough", "driver_passthrough", true},
      {"pci-stub", "passthrough", "driver_passthrough", true},
      {"nouveau", "no_compute_driver", "nouveau_driver", false},
      {"radeon", "no_compute_driver", "radeon_driver", false},
      {"amdgpu", "", "", false},
      {"", "", "", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.driver.value_or("(none)"));
    const DriverProblem* row = FindDriverProblem(c.driver);
    if (c.problem_code.empty()) {
      EXPECT_EQ(row, nullptr);
      continue;
    }
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->problem_code, c.problem_code);
    EXPECT_EQ(row->finding_code, c.finding_code);
    EXPECT_EQ(row->blocks_use, c.blocks_use);
  }
}

TEST(DriverProblems, TextsNameTheDriverAndTheAddress) {
  const DriverProblem* row = FindDriverProblem(std::string("vfio-pci"));
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(DriverProblemText(row->problem_remedy, std::string("vfio-pci"), "0000:03:00.0"),
            "unbind it from vfio-pci to use it on this host");
  const DriverProblem* none = FindDriverProblem(std::nullopt);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(DriverProblemText(none->problem_message, std::nullopt, "0000:03:00.0"),
            "no kernel driver is bound to 0000:03:00.0");
}

TEST(DriverProblems, NoDriverRemediesByVendorAndKind) {
  Device device;
  device.vendor = Vendor::kAmd;
  device.kind = DeviceKind::kNpu;
  EXPECT_EQ(NoDriverRemedyFor(device).problem_remedy, "load the NPU kernel driver (amdxdna)");
  EXPECT_EQ(NoDriverRemedyFor(device).finding_remedy,
            "load amdxdna (sudo modprobe amdxdna); it needs Linux 6.14 or newer");
  device.kind = DeviceKind::kDgpu;
  EXPECT_EQ(NoDriverRemedyFor(device).problem_remedy, "load the amdgpu kernel module");
  device.vendor = Vendor::kQualcomm;
  EXPECT_EQ(NoDriverRemedyFor(device).problem_remedy, "load the kernel driver for this device");
}

}  // namespace
}  // namespace devpick
