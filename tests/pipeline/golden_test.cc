// Whole-machine goldens: each fixture tree under tests/fixtures/sysfs/<machine>/ is probed with the
// driver-free probes (re-rooted there), correlated, and compared with <machine>.golden.json.
// Regenerate after a reviewed change with: DEVPICK_UPDATE_GOLDENS=1 build/pipeline_tests
// --gtest_filter='Golden*' (then read the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "devpick/discover.h"
#include "devpick/inventory.h"
#include "emit/inventory_json.h"

namespace devpick::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> FixtureMachines() {
  std::vector<std::string> machines;
  fs::path dir = SourcePath("tests/fixtures/sysfs");
  if (!fs::exists(dir)) return machines;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory()) machines.push_back(entry.path().filename().string());
  }
  std::sort(machines.begin(), machines.end());
  return machines;
}

// The inventory of a fixture tree as list --json prints it, with the checkout path removed.
nlohmann::ordered_json FixtureInventory(const std::string& machine) {
  std::string root = SourcePath("tests/fixtures/sysfs/" + machine);
  DiscoverOptions options;
  options.probes = {"sysfs", "cpu", "rocm"};
  Observations observations = Probe(*NewRootedEnv(root), options);
  // Names come from the built-in table only, so the golden does not depend on the pci.ids version.
  Inventory inventory = Correlate(observations, nullptr);
  nlohmann::ordered_json j = InventoryToJson(inventory, {});
  j["host"]["captured_root"] = "tests/fixtures/sysfs/" + machine;
  return j;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, InventoryMatchesGolden) {
  std::string golden_path = SourcePath("tests/fixtures/sysfs/" + GetParam() + ".golden.json");
  std::string actual = FixtureInventory(GetParam()).dump(2) + "\n";
  if (std::getenv("DEVPICK_UPDATE_GOLDENS") != nullptr) {
    std::ofstream(golden_path) << actual;
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  ASSERT_TRUE(fs::exists(golden_path))
      << "no golden for " << GetParam() << "; run with DEVPICK_UPDATE_GOLDENS=1 and review it";
  EXPECT_EQ(actual, ReadTextFile(golden_path)) << "inventory of " << GetParam() << " changed";
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(FixtureMachines()),
                         [](const auto& param_info) {
                           std::string name;
                           for (char c : param_info.param) name += std::isalnum(c) ? c : '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

}  // namespace
}  // namespace devpick::testing
