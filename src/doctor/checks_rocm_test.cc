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

// ---- AMD gfx targets. ----

TEST(Doctor, UnsupportedGfxWithAKnownOverrideGetsThePerNodeVariable) {
  Observations o = AmdMachine(100301, 0x73df);  // RX 6700 XT, gfx1031
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  // An error: the only AMD GPU, so ROCm cannot run at all without it.
  ExpectFinding(
      f,
      {.code = "gfx_unsupported",
       .severity = Severity::kError,
       .message = "amd device 1002:73df (gpu0) is gfx1031, which ROCm does not support",
       .evidence = Lines{"probes.rocm: gfx_target_version 100301 (gfx1031)"},
       .remedy =
           "set HSA_OVERRIDE_GFX_VERSION_1=10.3.0 to run only this GPU as its supported sibling "
           "(KFD node 1); never the process-wide HSA_OVERRIDE_GFX_VERSION, which retargets every "
           "GPU"});
  // Once the user set an override, there is nothing to say.
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3.0";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
}

TEST(Doctor, UnsupportedIgpuNextToASupportedGpuIsAWarning) {
  Observations o = AmdMachine();
  PciFunction igpu = Gpu("0000:12:00.0", 0x1002, 0x164e, "amdgpu", {"card2", "renderD129"});
  igpu.board_info = false;
  o.pci.push_back(igpu);
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  o.probes.rocm->nodes.push_back(KfdNode(2, 100306, "0000:12:00.0", 129));
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kWarning,
       .device_id = "gpu1",
       .message = "AMD Radeon Graphics (Raphael) (gpu1) is gfx1036, which ROCm does not support"});
  EXPECT_EQ(findings[0].remedy.substr(0, 40), "set HSA_OVERRIDE_GFX_VERSION_2=10.3.0 to");
  // A global override retargets the RX 7900 XTX too.
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_global"));
  EXPECT_EQ(findings[0].message,
            "HSA_OVERRIDE_GFX_VERSION='10.3.0' retargets every AMD GPU, but they differ: gpu0 "
            "(gfx1100), gpu1 (gfx1036)");
  // Unless the other GPU has its own override: a per-node variable wins for its node.
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "11.0.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_set"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kInfo,
       .message = "HSA_OVERRIDE_GFX_VERSION_1=11.0.0 keeps gpu0 (gfx1100) on its own target while "
                  "HSA_OVERRIDE_GFX_VERSION retargets the other AMD GPUs"});
}

TEST(Doctor, UnsupportedGfxWithoutAKnownOverrideGetsNoOverrideAdvice) {
  Observations o = AmdMachine(100100, 0x731f);  // RX 5700 XT, gfx1010
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kError,
       .message =
           "amd device 1002:731f (gpu0) is gfx1010, which ROCm does not support and no override "
           "is known to work for it",
       .remedy = "use another backend (vulkan), or a ROCm build that includes gfx1010"});
}

TEST(Doctor, MalformedHsaOverrideIsAnError) {
  Observations o = AmdMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION"] = "10.3";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid"));
  ExpectFinding(
      findings[0],
      {.message =
           "HSA_OVERRIDE_GFX_VERSION='10.3' is not a version ROCm accepts, so ROCm fails to start",
       .remedy = "use three decimal numbers such as 10.3.0 (major.minor.stepping), or unset it"});
}

// ---- Per-node gfx overrides already set. ----

// An RX 7900 XTX (gpu0, KFD node 1, gfx1100) and a Phoenix iGPU (gpu1, KFD node 2, gfx1103).
Observations RxAndPhoenixMachine() {
  Observations o = AmdMachine();
  PciFunction igpu = Gpu("0000:0c:00.0", 0x1002, 0x15bf, "amdgpu", {"card2", "renderD129"});
  igpu.board_info = false;
  o.pci.push_back(igpu);
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "rw";
  o.probes.rocm->nodes.push_back(KfdNode(2, 110003, "0000:0c:00.0", 129));
  return o;
}

TEST(Doctor, PerNodeOverrideSetToTheKnownValueIsInfo) {
  Observations o = RxAndPhoenixMachine();
  ASSERT_THAT(Codes(DoctorOn(o)), ElementsAre("gfx_unsupported"));  // until it is set
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.0.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.code = "hsa_override_set",
       .severity = Severity::kInfo,
       .device_id = "gpu1",
       .message = "HSA_OVERRIDE_GFX_VERSION_2=11.0.0 is set for gpu1 (gfx1103), so ROCm runs this "
                  "unsupported target as its supported sibling gfx1100",
       .evidence = Lines{"env: HSA_OVERRIDE_GFX_VERSION_2='11.0.0'",
                         "probes.rocm: KFD node 2 is gpu1, gfx_target_version 110003 (gfx1103)"},
       .remedy = "nothing to do; keep it set for every process that uses this GPU",
       .backends = Lines{"rocm", "zluda"}});
  EXPECT_FALSE(HasBlockingFinding(findings, "rocm"));
  EXPECT_EQ(FormatFindingsText(findings),
            "info    gpu1  hsa_override_set: HSA_OVERRIDE_GFX_VERSION_2=11.0.0 is set for gpu1 "
            "(gfx1103), so ROCm runs this unsupported target as its supported sibling gfx1100\n"
            "    evidence: env: HSA_OVERRIDE_GFX_VERSION_2='11.0.0'\n"
            "    evidence: probes.rocm: KFD node 2 is gpu1, gfx_target_version 110003 (gfx1103)\n"
            "    remedy:   nothing to do; keep it set for every process that uses this GPU\n"
            "    affects:  rocm, zluda\n"
            "0 errors, 0 warnings\n");
  // The same version spelled with a leading zero is the same override.
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.00.0";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("hsa_override_set"));
}

TEST(Doctor, MalformedPerNodeOverrideIsAnErrorWithTheAcceptedForm) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "11.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);  // and no gfx_unsupported: ROCm does not start at all
  const Finding& f = findings[0];
  ExpectFinding(
      f, {.code = "hsa_override_invalid",
          .severity = Severity::kError,
          .device_id = "gpu1",
          .message =
              "HSA_OVERRIDE_GFX_VERSION_2='11.0' is not a version ROCm accepts, so ROCm fails to "
              "start",
          .evidence = Lines{"env: HSA_OVERRIDE_GFX_VERSION_2='11.0'"},
          .remedy =
              "set HSA_OVERRIDE_GFX_VERSION_2=11.0.0 (ROCm accepts three decimal numbers, "
              "major.minor.stepping, with major at most 63 and minor and stepping at most 255), or "
              "unset it"});
  EXPECT_TRUE(HasBlockingFinding(findings, "rocm"));
  // On a GPU that needs no override there is no value to suggest.
  o.env.erase("HSA_OVERRIDE_GFX_VERSION_2");
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "gfx1100";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid", "gfx_unsupported"));
  ExpectFinding(
      findings[0],
      {.device_id = "gpu0",
       .remedy =
           "unset it, or write three decimal numbers, major.minor.stepping, with major at most 63 "
           "and minor and stepping at most 255, such as 10.3.0"});
  for (const char* value : {"", "11.0.0 ", "11.0.0.1", "+11.0.0", "64.0.0", "11.256.0", "a.b.c"}) {
    o.env["HSA_OVERRIDE_GFX_VERSION_1"] = value;
    EXPECT_EQ(Codes(DoctorOn(o)).front(), "hsa_override_invalid") << "'" << value << "'";
  }
}

TEST(Doctor, PerNodeOverrideForANodeThatIsNoGpuIsAWarning) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0.0";  // node 0 is the CPU
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_no_gpu_node"));
  const Finding& f = findings[1];
  ExpectFinding(
      f, {.severity = Severity::kWarning,
          .device_id = "",
          .message =
              "HSA_OVERRIDE_GFX_VERSION_0='11.0.0' names KFD node 0, which KFD does not list as a "
              "GPU, so ROCm ignores it",
          .evidence = Lines{"env: HSA_OVERRIDE_GFX_VERSION_0='11.0.0'",
                            "probes.rocm: GPU nodes 1 (gpu0), 2 (gpu1)"},
          .remedy =
              "the number is the GPU's KFD node, not its HIP device index (KFD numbers CPU nodes "
              "first): gpu0 (gfx1100) is node 1, gpu1 (gfx1103) is node 2; or unset it"});
  // A node beyond the last one, even with a malformed value: ROCm never reads it.
  o.env.erase("HSA_OVERRIDE_GFX_VERSION_0");
  o.env["HSA_OVERRIDE_GFX_VERSION_3"] = "11";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_no_gpu_node"));
  EXPECT_EQ(findings[1].message,
            "HSA_OVERRIDE_GFX_VERSION_3='11' names KFD node 3, which KFD does not list as a GPU, "
            "so ROCm ignores it");
  // KFD without GPUs.
  o.probes.rocm->nodes.clear();
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_no_gpu_node"));
  ExpectFinding(findings[0], {.evidence = Lines{"env: HSA_OVERRIDE_GFX_VERSION_3='11'",
                                                "probes.rocm: ok, no GPU node"},
                              .remedy = "unset it: KFD lists no AMD GPU on this machine"});
}

TEST(Doctor, PerNodeOverrideIsOnlyCheckedForSyntaxWhenTheRocmProbeDidNotRun) {
  Observations o = RxAndPhoenixMachine();
  o.probes.rocm.reset();  // --probes without rocm: no node is known
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0.0";
  EXPECT_THAT(DoctorOn(o), IsEmpty());
  o.env["HSA_OVERRIDE_GFX_VERSION_0"] = "11.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_invalid"));
  EXPECT_EQ(findings[0].device_id, "");
}

TEST(Doctor, SpellingsRocmNeverReadsAreNotPerNodeOverrides) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_02"] = "11.0.0";  // libhsakmt prints the node with %d
  o.env["HSA_OVERRIDE_GFX_VERSION_X"] = "11.0.0";
  EXPECT_THAT(Codes(DoctorOn(o)), ElementsAre("gfx_unsupported"));
}

TEST(Doctor, PerNodeOverrideOnASupportedTargetIsUnneeded) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "10.3.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_not_needed"));
  const Finding& f = findings[1];
  ExpectFinding(
      f,
      {.severity = Severity::kWarning,
       .device_id = "gpu0",
       .message =
           "HSA_OVERRIDE_GFX_VERSION_1='10.3.0' is set for gpu0 (gfx1100), which ROCm supports "
           "without an override",
       .evidence = Lines{"env: HSA_OVERRIDE_GFX_VERSION_1='10.3.0'",
                         "probes.rocm: KFD node 1 is gpu0, gfx_target_version 110000 (gfx1100)"},
       .remedy =
           "unset HSA_OVERRIDE_GFX_VERSION_1: it makes ROCm run this GPU as gfx1030, and kernels "
           "built for another target can fail on it"});
  o.env["HSA_OVERRIDE_GFX_VERSION_1"] = "11.0.0";
  findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("gfx_unsupported", "hsa_override_not_needed"));
  EXPECT_EQ(findings[1].remedy, "unset HSA_OVERRIDE_GFX_VERSION_1; it names the GPU's own target");
}

TEST(Doctor, PerNodeOverrideOtherThanTheKnownValueIsAWarning) {
  Observations o = RxAndPhoenixMachine();
  o.env["HSA_OVERRIDE_GFX_VERSION_2"] = "10.3.0";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_unverified"));
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.severity = Severity::kWarning,
       .device_id = "gpu1",
       .message =
           "HSA_OVERRIDE_GFX_VERSION_2='10.3.0' runs gpu1 (gfx1103) as gfx1030, but the override "
           "known to work for it is 11.0.0 (gfx1100)",
       .remedy = "set HSA_OVERRIDE_GFX_VERSION_2=11.0.0 instead"});
  // No override is known for RDNA1.
  Observations rdna1 = AmdMachine(100100, 0x731f);  // RX 5700 XT, gfx1010
  rdna1.env["HSA_OVERRIDE_GFX_VERSION_1"] = "10.3.0";
  findings = DoctorOn(rdna1);
  ASSERT_THAT(Codes(findings), ElementsAre("hsa_override_unverified"));
  ExpectFinding(
      findings[0],
      {.message =
           "HSA_OVERRIDE_GFX_VERSION_1='10.3.0' runs gpu0 (gfx1010) as gfx1030, and no override "
           "is known to work for gfx1010",
       .remedy = "if ROCm fails or computes wrong results on this GPU, unset it and use another "
                 "backend (vulkan)"});
}

}  // namespace
}  // namespace devpick::testing
