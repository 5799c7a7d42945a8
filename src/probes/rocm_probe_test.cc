#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "fake_env.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using testing::FakeEnv;
using ::testing::IsEmpty;

constexpr char kNodes[] = "/sys/class/kfd/kfd/topology/nodes/";

Observations ProbeRocm(const Env& env) {
  Observations out;
  RunRocmProbe(env, &out);
  return out;
}

std::vector<int> NodeNumbers(const Observations& out) {
  std::vector<int> numbers;
  for (const RocmNode& node : out.probes.rocm->nodes) numbers.push_back(node.node);
  return numbers;
}

void AddGpuNode(FakeEnv& env, int node, const std::string& extra = "") {
  env.AddFile(kNodes + std::to_string(node) + "/properties",
              "cpu_cores_count 0\nsimd_count 8\ngfx_target_version 110000\n" + extra);
}

TEST(RocmProbe, ReadsRx7900XtxAndRaphaelFixture) {
  std::unique_ptr<Env> env =
      NewRootedEnv(std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/rx7900xtx-raphael");
  Observations out = ProbeRocm(*env);
  ASSERT_TRUE(out.probes.rocm.has_value());
  EXPECT_EQ(out.probes.rocm->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.rocm->warnings, IsEmpty());
  ASSERT_THAT(NodeNumbers(out), ElementsAre(1, 2));  // node 0 is the CPU

  const RocmNode& navi = out.probes.rocm->nodes[0];
  EXPECT_EQ(navi.gfx_target_version, 110000);
  EXPECT_EQ(navi.pci_address, "0000:03:00.0");
  EXPECT_EQ(navi.unique_id, "0x398a3f843a146602");
  EXPECT_EQ(navi.simd_count, 192);
  EXPECT_EQ(navi.vram_bytes, 25753026560u);
  EXPECT_EQ(navi.drm_render_minor, 128);
  EXPECT_EQ(navi.vendor_id, 0x1002u);
  EXPECT_EQ(navi.device_id, 0x744cu);
  EXPECT_EQ(navi.simd_per_cu, 2);
  EXPECT_EQ(navi.max_engine_clk_fcompute, 2526);
  EXPECT_EQ(navi.name, "ip discovery");

  const RocmNode& raphael = out.probes.rocm->nodes[1];
  EXPECT_EQ(raphael.gfx_target_version, 100306);
  EXPECT_EQ(raphael.pci_address, "0000:12:00.0");
  EXPECT_EQ(raphael.unique_id, std::nullopt);  // KFD prints 0 when it has no id
  EXPECT_EQ(raphael.simd_count, 4);
  EXPECT_EQ(raphael.vram_bytes, 536870912u);
  EXPECT_EQ(raphael.drm_render_minor, 129);
  EXPECT_EQ(raphael.device_id, 0x164eu);
  EXPECT_EQ(raphael.max_engine_clk_fcompute, 2200);
}

TEST(RocmProbe, NoKfdIsAbsent) {
  FakeEnv env;
  env.AddDirectory("/sys/class/drm");
  Observations out = ProbeRocm(env);
  EXPECT_EQ(out.probes.rocm->status, ProbeStatus::kAbsent);
  EXPECT_EQ(out.probes.rocm->detail,
            "no /sys/class/kfd/kfd/topology/nodes: No such file or directory");
  EXPECT_THAT(out.probes.rocm->nodes, IsEmpty());
}

TEST(RocmProbe, UnlistableTopologyIsError) {
  FakeEnv env;
  env.AddDirectory("/sys/class/kfd/kfd/topology/nodes");
  env.FailPath("/sys/class/kfd/kfd/topology/nodes", EIO);
  Observations out = ProbeRocm(env);
  EXPECT_EQ(out.probes.rocm->status, ProbeStatus::kError);
  EXPECT_EQ(out.probes.rocm->detail, "/sys/class/kfd/kfd/topology/nodes: Input/output error");
}

TEST(RocmProbe, NodesInNumericOrder) {
  FakeEnv env;
  for (int node : {10, 2, 9, 1}) AddGpuNode(env, node);
  env.AddFile(std::string(kNodes) + "0/properties", "cpu_cores_count 16\nsimd_count 0\n");
  Observations out = ProbeRocm(env);
  EXPECT_THAT(NodeNumbers(out), ElementsAre(1, 2, 9, 10));
}

TEST(RocmProbe, GpuNotAssignedToContainerIsAWarning) {
  FakeEnv env;
  AddGpuNode(env, 1);
  AddGpuNode(env, 2);
  AddGpuNode(env, 3);
  env.FailPath(std::string(kNodes) + "1/properties", EPERM);
  env.FailPath(std::string(kNodes) + "2/properties", EACCES);
  env.FailPath(std::string(kNodes) + "3/properties", EIO);
  Observations out = ProbeRocm(env);
  EXPECT_EQ(out.probes.rocm->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.rocm->nodes, IsEmpty());
  EXPECT_THAT(out.probes.rocm->warnings,
              ElementsAre("node 1: Permission denied (GPU not assigned to this container?)",
                          "node 2: Permission denied (GPU not assigned to this container?)",
                          "/sys/class/kfd/kfd/topology/nodes/3/properties: Input/output error"));
}

TEST(RocmProbe, PciAddressFromDomainAndLocationIgnoresPartitionBits) {
  FakeEnv env;
  // bus 0xc1, device 0x1f, function 5, partition 3 in bits 31:28; domain 2.
  unsigned location = (3u << 28) | (0xc1u << 8) | (0x1fu << 3) | 5u;
  AddGpuNode(env, 1, "domain 2\nlocation_id " + std::to_string(location) + "\n");
  AddGpuNode(env, 2, "location_id 768\n");  // no domain: no address rather than a guess
  Observations out = ProbeRocm(env);
  ASSERT_EQ(out.probes.rocm->nodes.size(), 2u);
  EXPECT_EQ(out.probes.rocm->nodes[0].pci_address, "0002:c1:1f.5");
  EXPECT_EQ(out.probes.rocm->nodes[1].pci_address, std::nullopt);
}

TEST(RocmProbe, UniqueIdAcceptsDecimalAndHex) {
  FakeEnv env;
  AddGpuNode(env, 1, "unique_id 4146196244090611202\n");
  AddGpuNode(env, 2, "unique_id 398a3f843a146602\n");
  AddGpuNode(env, 3, "unique_id 0123456789012345\n");  // %016llx with a leading zero
  AddGpuNode(env, 4, "unique_id 0x00000000000000ff\n");
  AddGpuNode(env, 5, "unique_id 12z\n");
  Observations out = ProbeRocm(env);
  ASSERT_EQ(out.probes.rocm->nodes.size(), 5u);
  EXPECT_EQ(out.probes.rocm->nodes[0].unique_id, "0x398a3f843a146602");
  EXPECT_EQ(out.probes.rocm->nodes[1].unique_id, "0x398a3f843a146602");
  EXPECT_EQ(out.probes.rocm->nodes[2].unique_id, "0x0123456789012345");
  EXPECT_EQ(out.probes.rocm->nodes[3].unique_id, "0x00000000000000ff");
  EXPECT_EQ(out.probes.rocm->nodes[4].unique_id, std::nullopt);
  EXPECT_THAT(out.probes.rocm->warnings,
              ElementsAre("/sys/class/kfd/kfd/topology/nodes/5/properties: unique_id: expected an "
                          "unsigned decimal number such as 25753026560, got \"12z\""));
}

TEST(RocmProbe, VramSumsFrameBufferHeapsOnly) {
  FakeEnv env;
  AddGpuNode(env, 1);
  std::string banks = std::string(kNodes) + "1/mem_banks/";
  env.AddFile(banks + "0/properties", "heap_type 1\nsize_in_bytes 268435456\n");
  env.AddFile(banks + "1/properties", "heap_type 2\nsize_in_bytes 16911433728\n");
  env.AddFile(banks + "2/properties", "heap_type 0\nsize_in_bytes 68719476736\n");
  env.AddFile(banks + "3/properties", "heap_type 5\nsize_in_bytes 4096\n");
  AddGpuNode(env, 2);  // no mem_banks directory
  Observations out = ProbeRocm(env);
  ASSERT_EQ(out.probes.rocm->nodes.size(), 2u);
  EXPECT_EQ(out.probes.rocm->nodes[0].vram_bytes, 17179869184u);
  EXPECT_EQ(out.probes.rocm->nodes[1].vram_bytes, std::nullopt);
  EXPECT_THAT(out.probes.rocm->warnings, IsEmpty());
}

TEST(RocmProbe, GarbagePropertiesAreWarnings) {
  FakeEnv env;
  env.AddFile(std::string(kNodes) + "1/properties", "simd_count 8\nbroken\n");
  AddGpuNode(env, 2, "drm_render_minor 99999999999\nvendor_id 4294967296\n");
  env.AddFile(std::string(kNodes) + "3/properties", "");
  env.AddDirectory(std::string(kNodes) + "cpu");
  Observations out = ProbeRocm(env);
  ASSERT_THAT(NodeNumbers(out), ElementsAre(2));
  EXPECT_EQ(out.probes.rocm->nodes[0].drm_render_minor, std::nullopt);
  EXPECT_EQ(out.probes.rocm->nodes[0].vendor_id, std::nullopt);
  EXPECT_THAT(
      out.probes.rocm->warnings,
      ElementsAre("/sys/class/kfd/kfd/topology/nodes/cpu: not a node number",
                  "/sys/class/kfd/kfd/topology/nodes/1/properties: line 2: expected \"key "
                  "value\", got \"broken\"",
                  "/sys/class/kfd/kfd/topology/nodes/2/properties: drm_render_minor: 99999999999 "
                  "is out of range",
                  "/sys/class/kfd/kfd/topology/nodes/2/properties: vendor_id: 4294967296 is out "
                  "of range"));
}

}  // namespace
}  // namespace devpick
