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

// ---- Permissions. ----

TEST(Doctor, DeniedRenderNodeNamesTheRenderGroup) {
  Observations o = ArcMachine();
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "denied";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.code = "render_node_denied",
       .severity = Severity::kError,
       .device_id = "gpu0",
       .message =
           "this user cannot open /dev/dri/renderD129 for reading and writing, so Intel Arc A770 "
           "Graphics (gpu0) is unusable",
       .evidence = Lines{"/dev/dri/renderD129: denied (access R_OK|W_OK failed)"},
       .remedy =
           "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
           "in again"});
}

TEST(Doctor, DeniedKfdAndAccelNodes) {
  Observations o = AmdMachine();
  o.host.container = true;
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "denied";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_EQ(findings.size(), 1u);
  ExpectFinding(
      findings[0],
      {.code = "kfd_denied",
       .device_id = "",
       .message = "this user cannot open /dev/kfd for reading and writing",
       .remedy =
           "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
           "in again; in a container, also start it with --group-add render",
       .backends = Lines{"rocm", "zluda"}});

  Observations npu = Machine();
  PciFunction vpu = Gpu("0000:00:0b.0", 0x8086, 0x7d1d, "intel_vpu");
  vpu.class_code = 0x120000;
  vpu.accel = {"accel0"};
  npu.pci.push_back(vpu);
  npu.probes.sysfs->dev_nodes["/dev/accel/accel0"] = "denied";
  findings = DoctorOn(npu);
  ASSERT_EQ(findings.size(), 1u);
  ExpectFinding(
      findings[0],
      {.code = "accel_node_denied",
       .device_id = "npu0",
       .remedy =
           "add the user to the 'render' group (sudo usermod -aG render $USER), then log out and "
           "in again; no default udev rule covers accel nodes (root:root 0600), so also add "
           "SUBSYSTEM==\"accel\", KERNEL==\"accel*\", GROUP=\"render\", MODE=\"0660\"",
       .backends = Lines{"openvino"}});
}

TEST(Doctor, OlderSnapshotsUseTheRenderNodeFlag) {
  Observations o = ArcMachine();
  o.probes.sysfs->dev_nodes.clear();
  o.pci[0].render_node_accessible = false;
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("render_node_denied"));
  EXPECT_THAT(findings[0].evidence,
              ElementsAre("/dev/dri/renderD129: denied (access R_OK|W_OK failed)"));
}

// ---- Containers. ----

TEST(Doctor, ContainerWithoutDeviceNodes) {
  Observations o = NvidiaMachine();
  o.host.container = true;
  o.probes.sysfs->dev_nodes["/dev/nvidiactl"] = "missing";
  o.probes.sysfs->dev_nodes["/dev/nvidia0"] = "missing";
  o.pci.push_back(Gpu("0000:00:02.0", 0x8086, 0xa780, "i915", {"card0", "renderD128"}));
  o.probes.sysfs->dev_nodes["/dev/dri/renderD128"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("container_no_devices"));
  const Finding& f = findings[0];
  ExpectFinding(
      f,
      {.severity = Severity::kError,
       .message =
           "this is a container and the host has 2 GPUs/NPUs, but none of their device nodes "
           "were passed in",
       .evidence = Lines{"host.container: true", "gpu0: /dev/dri/renderD128: missing",
                         "gpu1: /dev/nvidiactl, /dev/nvidia0: missing"},
       .remedy = "start the container with the devices passed in (Intel: --device /dev/dri (NPU: "
                 "--device /dev/accel) --group-add render, NVIDIA: --gpus all with the NVIDIA "
                 "Container Toolkit)",
       .backends = Lines{"xpu", "openvino", "cuda"}});
}

TEST(Doctor, ContainerWithSomeGpusPassedInNotesTheOthers) {
  Observations o = AmdMachine();
  o.host.container = true;
  o.pci.push_back(Gpu("0000:04:00.0", 0x1002, 0x744c, "amdgpu", {"card2", "renderD129"}));
  o.pci.back().board_info = true;
  o.probes.sysfs->dev_nodes["/dev/dri/renderD129"] = "missing";
  o.probes.sysfs->dev_nodes["/dev/kfd"] = "missing";
  std::vector<Finding> findings = DoctorOn(o);
  ASSERT_THAT(Codes(findings), ElementsAre("container_no_kfd", "container_device_not_passed"));
  ExpectFinding(
      findings[0],
      {.message = "this container has the AMD render nodes but not /dev/kfd, which ROCm needs",
       .remedy = "start the container with --device /dev/kfd"});
  ExpectFinding(findings[1],
                {.severity = Severity::kInfo,
                 .device_id = "gpu1",
                 .evidence = Lines{"host.container: true", "/dev/dri/renderD129: missing"}});
}

}  // namespace
}  // namespace devpick::testing
