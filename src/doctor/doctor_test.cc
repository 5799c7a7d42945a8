#include "devpick/doctor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "doctor/doctor_test_machines.h"

namespace devpick::testing {
namespace {

using ::testing::IsEmpty;

// ---- A healthy machine says nothing. ----

TEST(Doctor, HealthyMachinesHaveNoFindings) {
  EXPECT_THAT(DoctorOn(NvidiaMachine()), IsEmpty());
  EXPECT_THAT(DoctorOn(AmdMachine()), IsEmpty());
  Observations arc = ArcMachine();
  LevelZeroDevice& arc_l0 = Ran(arc.probes.level_zero, ProbeStatus::kOk).devices.emplace_back();
  arc_l0.name = "Intel(R) Arc(TM) A770 Graphics";
  arc_l0.vendor_id = 0x8086;
  arc_l0.device_id = 0x56a0;
  arc_l0.pci_address = "0000:03:00.0";
  EXPECT_THAT(DoctorOn(arc), IsEmpty());
  EXPECT_EQ(FormatFindingsText({}), "no problems found\n");
}

// ---- Backends, exit status and output. ----

TEST(Doctor, ErrorsAboutAnotherBackendAreWarningsForTheRequestedOne) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:01:00.0", 0x10de, 0x2206, "nouveau"));
  std::vector<Finding> any = DoctorOn(o);
  EXPECT_EQ(any[0].severity, Severity::kError);
  EXPECT_TRUE(HasBlockingFinding(any, std::nullopt));
  EXPECT_TRUE(HasBlockingFinding(any, "cuda"));
  EXPECT_FALSE(HasBlockingFinding(any, "openvino"));
  std::vector<Finding> openvino = DoctorOn(o, "openvino");
  EXPECT_EQ(openvino[0].severity, Severity::kWarning);
  EXPECT_FALSE(HasBlockingFinding(openvino, "openvino"));
}

TEST(Doctor, FormatsTextAndJson) {
  Observations o = Machine();
  o.pci.push_back(Gpu("0000:01:00.0", 0x10de, 0x2206, "nouveau"));
  std::vector<Finding> findings = DoctorOn(o);
  EXPECT_EQ(FormatFindingsText(findings),
            "error   gpu0  nouveau_driver: NVIDIA GeForce RTX 3080 (gpu0) is driven by nouveau, "
            "which cannot run CUDA\n"
            "    evidence: /sys/bus/pci/devices/0000:01:00.0/driver: nouveau\n"
            "    remedy:   install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or your "
            "distribution's nvidia-driver package), which blacklists nouveau, and reboot\n"
            "    affects:  cuda\n"
            "1 error, 0 warnings\n");
  nlohmann::ordered_json json = FindingsToJson(findings, "cuda");
  EXPECT_EQ(json["backend"], "cuda");
  EXPECT_EQ(json["errors"], 1);
  EXPECT_EQ(json["warnings"], 0);
  EXPECT_EQ(json["findings"][0].dump(),
            R"({"code":"nouveau_driver","severity":"error","device_id":"gpu0","message":"NVIDIA )"
            R"(GeForce RTX 3080 (gpu0) is driven by nouveau, which cannot run CUDA","evidence":)"
            R"(["/sys/bus/pci/devices/0000:01:00.0/driver: nouveau"],"remedy":"install NVIDIA's )"
            R"(driver (e.g. sudo ubuntu-drivers install, or your distribution's nvidia-driver )"
            R"(package), which blacklists nouveau, and reboot","backends":["cuda"]})");
  EXPECT_TRUE(FindingsToJson({}, std::nullopt)["backend"].is_null());
}

}  // namespace
}  // namespace devpick::testing
