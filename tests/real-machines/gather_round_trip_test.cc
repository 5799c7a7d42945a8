// `devpick gather` round trips: a tree (a fixture, a real machine captured by hwloc, or this live
// machine) is gathered with the devpick binary, the archive is unpacked, and the driver-free probes
// must observe the same thing on the unpacked capture as on the original. The manifest must list
// exactly what the archive holds.
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/snapshot_json.h"
#include "devpick/inventory.h"
#include "emit/inventory_json.h"
#include "test_tree.h"

namespace devpick::testing {
namespace {

// The devices of the inventory, as `devpick list --json` prints them.
nlohmann::ordered_json DevicesJson(const Observations& observations) {
  nlohmann::ordered_json devices = nlohmann::ordered_json::array();
  for (const Device& device : Correlate(observations, nullptr).devices) {
    devices.push_back(DeviceToJson(device));
  }
  return devices;
}

// Everything observed but where the tree was: that necessarily differs.
std::string ObservedJson(Observations observations) {
  observations.host.captured_root.reset();
  return ObservationsToJson(observations).dump(1);
}

struct Gathered {
  std::string root;     // the unpacked capture
  std::string stderr_;  // what gather said
};

// Gathers `root` ("" = this machine) with the devpick binary into `dir`/`name`.tar.gz and unpacks
// it.
Gathered GatherAndUnpack(const std::string& root, const std::string& dir, const std::string& name) {
  std::string archive = dir + "/" + name + ".tar.gz";
  std::string command = ShellQuote(DEVPICK_BINARY);
  if (!root.empty()) command += " --root " + ShellQuote(root);
  command += " gather -o " + ShellQuote(archive);
  CommandResult gather = RunCommand(command);
  EXPECT_EQ(gather.exit_status, 0) << gather.output;
  CommandResult untar = RunCommand("tar -xzf " + ShellQuote(archive) + " -C " + ShellQuote(dir));
  EXPECT_EQ(untar.exit_status, 0) << untar.output;
  return {dir + "/" + name, gather.output};
}

// The archive's entries, as paths below its top folder ("/sys/bus/pci/devices"), from GNU tar.
std::set<std::string> ArchiveEntries(const std::string& archive, const std::string& top) {
  std::set<std::string> entries;
  std::istringstream listing(RunCommand("tar -tzf " + ShellQuote(archive)).output);
  for (std::string line; std::getline(listing, line);) {
    if (!line.empty() && line.back() == '/') line.pop_back();
    if (line == top || line == top + "/MANIFEST.json") continue;
    entries.insert(line.substr(top.size()));
  }
  return entries;
}

void ExpectManifestListsTheArchive(const std::string& dir, const std::string& name) {
  CommandResult manifest_text =
      RunCommand("cat " + ShellQuote(dir + "/" + name + "/MANIFEST.json"));
  ASSERT_EQ(manifest_text.exit_status, 0);
  nlohmann::json manifest = nlohmann::json::parse(manifest_text.output, nullptr, false);
  ASSERT_FALSE(manifest.is_discarded()) << manifest_text.output;
  EXPECT_EQ(manifest["devpick_gather"], 1);
  EXPECT_EQ(manifest["created_by"], "devpick " DEVPICK_VERSION);
  std::set<std::string> listed;
  for (const nlohmann::json& file : manifest["files"])
    listed.insert(file["path"].get<std::string>());
  EXPECT_EQ(listed, ArchiveEntries(dir + "/" + name + ".tar.gz", name));
}

struct TreeCase {
  std::string name;
  std::string tarball;  // an hwloc capture to unpack first, or "" for a fixture directory
};

std::string PrintTreeCase(const ::testing::TestParamInfo<TreeCase>& info) {
  std::string name;
  for (char c : info.param.name) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class GatherRoundTrip : public ::testing::TestWithParam<TreeCase> {};

TEST_P(GatherRoundTrip, UnpackedCaptureProbesLikeTheOriginal) {
  const TreeCase& tree = GetParam();
  std::string dir = MakeTempDir("gather_round_trip");
  ASSERT_FALSE(dir.empty());
  std::string root = std::string(DEVPICK_FIXTURES_DIR) + "/" + tree.name;
  if (!tree.tarball.empty()) {
    std::string error;
    root = UnpackedRealMachine(tree.tarball, tree.name, &error);
    ASSERT_EQ(error, "");
  }
  Gathered gathered = GatherAndUnpack(root, dir, tree.name + "-capture");
  EXPECT_NE(gathered.stderr_.find("devpick: wrote " + dir + "/" + tree.name + "-capture.tar.gz"),
            std::string::npos)
      << gathered.stderr_;

  Observations original = ProbeTree(root);
  Observations replayed = ProbeTree(gathered.root);
  EXPECT_EQ(DevicesJson(replayed).dump(1), DevicesJson(original).dump(1));
  EXPECT_EQ(ObservedJson(replayed), ObservedJson(original));
  ExpectManifestListsTheArchive(dir, tree.name + "-capture");
  RunCommand("rm -rf " + ShellQuote(dir));
}

INSTANTIATE_TEST_SUITE_P(
    Trees, GatherRoundTrip,
    ::testing::Values(TreeCase{"arc-a770-uhd770", ""}, TreeCase{"broken", ""},
                      TreeCase{"core-ultra-laptop", ""}, TreeCase{"nvidia-dual", ""},
                      TreeCase{"rx7900xtx-raphael", ""}, TreeCase{"xeon-aspeed", ""},
                      TreeCase{"nvidiagpunumanodes", "nvidiagpunumanodes.tar.bz2"},
                      TreeCase{"40intel64-2g2n4c+pci", "40intel64-2g2n4c+pcilocality.tar.bz2"},
                      TreeCase{"32em64t-2n8c+1mic", "32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2"},
                      TreeCase{"nvidia-dgx-gb10", "nvidia-dgx-gb10.tar.bz2"}),
    PrintTreeCase);

TEST(GatherLive, UnpackedCaptureHasTheLiveDriverFreeDevices) {
  std::string dir = MakeTempDir("gather_live");
  ASSERT_FALSE(dir.empty());
  Gathered gathered = GatherAndUnpack("", dir, "live");
  DiscoverOptions options;
  options.probes = {"sysfs", "cpu", "rocm"};
  Observations live = Probe(*NewRealEnv(), options);
  Observations replayed = ProbeTree(gathered.root);
  EXPECT_EQ(DevicesJson(replayed).dump(1), DevicesJson(live).dump(1));
  EXPECT_EQ(replayed.pci.size(), live.pci.size());
  ExpectManifestListsTheArchive(dir, "live");
  RunCommand("rm -rf " + ShellQuote(dir));
}

TEST(GatherCli, RefusesReplay) {
  CommandResult result =
      RunCommand(ShellQuote(DEVPICK_BINARY) + " --replay /nonexistent.json gather -o x.tar.gz");
  EXPECT_EQ(result.exit_status >> 8, 2);
  EXPECT_EQ(result.output,
            "devpick: gather captures a machine's files; it cannot read them from --replay\n");
}

}  // namespace
}  // namespace devpick::testing
