// Discover(): replays name devices with the names their snapshot recorded, never with the
// replaying machine's pci.ids, and probing records the names it used into the snapshot.
#include "devpick/discover.h"

#include <gtest/gtest.h>

#include <string>

#include "core/snapshot_json.h"
#include "fake_env.h"

namespace devpick {
namespace {

using testing::FakeEnv;

// One AMD GPU at 0000:03:00.0; `names` is its pci_ids_names member, or "" for none.
std::string Snapshot(const std::string& names) {
  return R"({"devpick_snapshot": 1, "host": {"os": "linux", "arch": "x86_64"},
             "pci": [{"address": "0000:03:00.0", "vendor": "0x1002", "device": "0x7480",
                      "class": "0x030000", "driver": "amdgpu")" +
         (names.empty() ? "" : ", \"pci_ids_names\": " + names) + "}]}";
}

// This machine's pci.ids, which a replay must not read.
void AddThisMachinesPciIds(FakeEnv* env) {
  env->AddFile("/usr/share/hwdata/pci.ids",
               "1002  This Machine's AMD\n\t7480  This Machine's Name\n");
}

DiscoverRequest ReplayText(std::string text, std::string name = "") {
  DiscoverRequest request;
  request.source = DiscoverSource::kReplayText;
  request.snapshot_text = std::move(text);
  request.snapshot_name = std::move(name);
  return request;
}

DiscoverRequest Source(DiscoverSource source, std::string path,
                       std::vector<std::string> probes = {}) {
  DiscoverRequest request;
  request.source = source;
  request.path = std::move(path);
  request.options.probes = std::move(probes);
  return request;
}

const Device& Gpu(const Discovery& machine) {
  const Device* gpu = machine.inventory.FindDevice("gpu0");
  EXPECT_NE(gpu, nullptr);
  return *gpu;
}

TEST(Discover, AReplayNamesDevicesWithTheNamesItRecorded) {
  FakeEnv env;
  AddThisMachinesPciIds(&env);
  Result<Discovery> machine =
      Discover(env, ReplayText(Snapshot(R"({"vendor": "Advanced Micro Devices, Inc. [AMD/ATI]",
                                            "device": "Navi 33 [Radeon RX 7600/7600 XT]"})"),
                               "machine"));
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  EXPECT_EQ(Gpu(*machine).name, "AMD Radeon RX 7600/7600 XT");
  EXPECT_EQ(Gpu(*machine).name_source, "pci.ids");
  EXPECT_EQ(env.reads(), std::vector<std::string>{});  // pci.ids was not opened
  EXPECT_EQ(machine->source, DiscoverSource::kReplayText);
  EXPECT_EQ(machine->path, "machine");
  EXPECT_FALSE(machine->is_this_machine());
}

TEST(Discover, AReplayWithoutRecordedNamesHasNoPciIdsNames) {
  FakeEnv env;
  AddThisMachinesPciIds(&env);
  env.AddFile("/captures/old.json", Snapshot(""));
  Result<Discovery> machine =
      Discover(env, Source(DiscoverSource::kReplayFile, "/captures/old.json"));
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  EXPECT_EQ(Gpu(*machine).name, "amd device 1002:7480");
  EXPECT_EQ(Gpu(*machine).name_source, "PCI IDs");
  // The snapshot is the one file read: this machine's pci.ids is never opened during a replay.
  EXPECT_EQ(env.reads(), std::vector<std::string>{"/captures/old.json"});
  EXPECT_EQ(machine->path, "/captures/old.json");
}

TEST(Discover, NameSourceNoneIgnoresRecordedNames) {
  FakeEnv env;
  DiscoverRequest request = ReplayText(Snapshot(R"({"vendor": "AMD", "device": "X [Recorded]"})"));
  request.names = NameSource::kNone;
  Result<Discovery> machine = Discover(env, request);
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  EXPECT_EQ(Gpu(*machine).name, "amd device 1002:7480");
}

TEST(Discover, ARecordedNameCannotAddLinesToTheNamesDatabase) {
  FakeEnv env;
  // A hostile name with a line break naming another device stays one name.
  Result<Discovery> machine =
      Discover(env, ReplayText(Snapshot(R"({"vendor": "AMD", "device": "A\n\t7481  B [C]"})")));
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  // The whole recorded line is the device's name, whose bracketed part is the marketing name.
  EXPECT_EQ(Gpu(*machine).name, "AMD C");
}

TEST(Discover, ProbingRecordsThePciIdsNamesIntoTheObservations) {
  FakeEnv env;
  AddThisMachinesPciIds(&env);
  const std::string root = std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/xeon-aspeed";
  env.AddDirectory(root);
  Result<Discovery> machine = Discover(env, Source(DiscoverSource::kRoot, root, {"sysfs"}));
  ASSERT_TRUE(machine.ok()) << machine.status().message();
  ASSERT_EQ(machine->observations.pci.size(), 1u);
  const PciFunction& aspeed = machine->observations.pci[0];
  ASSERT_TRUE(aspeed.pci_ids_names);
  EXPECT_EQ(aspeed.pci_ids_names->vendor, std::nullopt);  // 0x1a03 is not in this pci.ids
  EXPECT_EQ(aspeed.pci_ids_names->device, std::nullopt);
  EXPECT_EQ(env.reads(), std::vector<std::string>{"/usr/share/hwdata/pci.ids"});
  EXPECT_EQ(machine->source, DiscoverSource::kRoot);
}

TEST(Discover, RecordedNamesRoundTripThroughTheSnapshot) {
  Observations observations;
  PciFunction function;
  function.address = "0000:03:00.0";
  function.vendor = 0x1002;
  function.device = 0x7480;
  function.pci_ids_names = PciIdsNames{.vendor = "AMD", .device = std::nullopt};
  observations.pci.push_back(function);
  std::string text = SerializeSnapshot(observations);
  EXPECT_NE(
      text.find("\"pci_ids_names\": {\n        \"vendor\": \"AMD\",\n        \"device\": null\n"),
      std::string::npos)
      << text;
  Result<Observations> read = ParseSnapshot(text, "round trip");
  ASSERT_TRUE(read.ok()) << read.status().message();
  ASSERT_TRUE(read->pci[0].pci_ids_names);
  EXPECT_EQ(read->pci[0].pci_ids_names->vendor, "AMD");
  EXPECT_EQ(read->pci[0].pci_ids_names->device, std::nullopt);
}

TEST(Discover, ErrorsNameWhatWasWrong) {
  FakeEnv env;
  Result<Discovery> missing =
      Discover(env, Source(DiscoverSource::kReplayFile, "/nonexistent/machine.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "cannot read snapshot /nonexistent/machine.json: No such file or directory");
  Result<Discovery> tree = Discover(env, Source(DiscoverSource::kRoot, "/nonexistent/tree"));
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().message(), "the captured tree /nonexistent/tree is not a directory");
  Result<Discovery> probe = Discover(env, Source(DiscoverSource::kLive, "", {"sysfss"}));
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().message().rfind("unknown probe 'sysfss'", 0), 0u)
      << probe.status().message();
}

}  // namespace
}  // namespace devpick
