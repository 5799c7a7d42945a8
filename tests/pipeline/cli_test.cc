// The command line as a user meets it: exit statuses, error text, global options anywhere, and the
// snapshot round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace devpick::testing {
namespace {

std::string TempPath(const std::string& name) {
  return "/tmp/devpick-cli-test-" + std::to_string(getpid()) + "-" + name;
}

TEST(Cli, UnknownFlagIsUsageError) {
  CliResult r = RunDevpick({"list", "--frobnicate"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: The following argument was not expected: --frobnicate\n"
            "run 'devpick --help' for the accepted commands and options\n");
}

TEST(Cli, MissingSnapshotIsUsageError) {
  CliResult r = RunDevpick({"--replay", "/nonexistent/machine.json", "list"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: cannot read snapshot /nonexistent/machine.json: No such file or directory\n");
}

// A replay names devices with the pci.ids names its snapshot recorded (pci_ids_names), never with
// this machine's pci.ids; a snapshot that recorded none falls back to the built-in ID table.
TEST(Cli, AReplayUsesOnlyTheNamesItsSnapshotRecorded) {
  std::ifstream in(SourcePath("tests/scenarios/desktop-rx6800.json"));
  nlohmann::ordered_json snapshot = nlohmann::ordered_json::parse(in);
  auto gpu_name = [](const CliResult& r) {
    nlohmann::json list = nlohmann::json::parse(r.out);
    return list["devices"][1]["name"].get<std::string>() + " (" +
           list["devices"][1]["name_source"].get<std::string>() + ")";
  };
  const std::string path = TempPath("names.json");
  snapshot["pci"][0]["pci_ids_names"]["device"] = "Navi 21 [Recorded Name]";
  std::ofstream(path) << snapshot.dump(2);
  CliResult recorded = RunDevpick({"--json", "--replay", path, "list"});
  ASSERT_EQ(recorded.exit_status, 0) << recorded.err;
  EXPECT_EQ(gpu_name(recorded), "AMD Recorded Name (pci.ids)");
  snapshot["pci"][0].erase("pci_ids_names");
  std::ofstream(path) << snapshot.dump(2);
  CliResult none = RunDevpick({"--json", "--replay", path, "list"});
  std::remove(path.c_str());
  ASSERT_EQ(none.exit_status, 0) << none.err;
  EXPECT_EQ(gpu_name(none), "AMD Radeon RX 6800/6800 XT/6900 XT (devpick built-in ID table)");
}

TEST(Cli, ANonexistentRootIsUsageError) {
  CliResult r = RunDevpick({"--root", "/nonexistent/tree", "list"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err, "devpick: the captured tree /nonexistent/tree is not a directory\n");
}

TEST(Cli, MalformedSnapshotNamesFileLineAndColumn) {
  std::string path = TempPath("bad.json");
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("{\"devpick_snapshot\": 1,\n \"pci\": [}\n", f);
  std::fclose(f);
  CliResult r = RunDevpick({"list", "--replay", path});
  std::remove(path.c_str());
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err.rfind("devpick: " + path + ":2:10: malformed JSON: syntax error", 0), 0u)
      << r.err;
}

TEST(Cli, UnknownProbeListsTheKnownOnes) {
  CliResult r = RunDevpick({"list", "--probes", "sysfs,gpu-magic"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err.rfind("devpick: unknown probe 'gpu-magic'; known probes: sysfs, cpu, rocm", 0),
            0u)
      << r.err;
}

TEST(Cli, GlobalOptionsWorkBeforeAndAfterTheSubcommand) {
  std::string scenario = SourcePath("tests/scenarios/desktop-rx6800.json");
  CliResult before = RunDevpick({"--json", "--replay", scenario, "list"});
  CliResult after = RunDevpick({"list", "--replay", scenario, "--json"});
  ASSERT_EQ(before.exit_status, 0) << before.err;
  ASSERT_EQ(after.exit_status, 0) << after.err;
  EXPECT_EQ(before.out, after.out);
  nlohmann::json j = nlohmann::json::parse(before.out);
  ASSERT_EQ(j["devices"].size(), 2u);
  EXPECT_EQ(j["devices"][1]["id"], "gpu0");
  EXPECT_EQ(j["devices"][1]["pci_address"], "0000:0b:00.0");
  EXPECT_EQ(j["devices"][1]["kind"], "dgpu");
  EXPECT_EQ(j["devices"][1]["compute"]["arch"], "gfx1030");
}

TEST(Cli, SnapshotReplaysToTheSameInventoryAsLive) {
  std::string path = TempPath("live.json");
  CliResult snap = RunDevpick({"snapshot", "-o", path});
  ASSERT_EQ(snap.exit_status, 0) << snap.err;
  CliResult live = RunDevpick({"list", "--json"});
  CliResult replay = RunDevpick({"--replay", path, "list", "--json"});
  std::remove(path.c_str());
  ASSERT_EQ(live.exit_status, 0) << live.err;
  ASSERT_EQ(replay.exit_status, 0) << replay.err;
  nlohmann::json a = nlohmann::json::parse(live.out);
  nlohmann::json b = nlohmann::json::parse(replay.out);
  EXPECT_EQ(a["devices"], b["devices"]);
  EXPECT_EQ(a["backends"], b["backends"]);
}

TEST(Cli, LiveMachineHasACpuAndNoInventedGpu) {
  // This machine (and CI) is a VM without a GPU: an Intel host bridge and virtio devices only.
  CliResult r = RunDevpick({"list", "--json", "--probes", "sysfs,cpu"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["devices"].size(), 1u);
  EXPECT_EQ(j["devices"][0]["id"], "cpu");
  EXPECT_EQ(j["devices"][0]["kind"], "cpu");
  for (const auto& device : j["devices"]) {
    EXPECT_NE(device["vendor_id"], "0x1af4") << "a virtio device became a GPU";
    EXPECT_NE(device["device_id"], "0x0d57") << "the Intel host bridge became a GPU";
  }
}

}  // namespace
}  // namespace devpick::testing
