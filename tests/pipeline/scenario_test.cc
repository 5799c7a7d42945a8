// Every expectation in tests/scenarios/expectations.json (a copy of shared/scenarios), run through
// the CLI exactly as a user would: `devpick --replay <scenario> <args> --json`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace devpick::testing {
namespace {

using nlohmann::json;

class ScenarioTest : public ::testing::TestWithParam<json> {};

TEST_P(ScenarioTest, MatchesExpectation) {
  const json& expect = GetParam();
  std::vector<std::string> args = {
      "--replay", SourcePath("tests/scenarios/" + expect["scenario"].get<std::string>())};
  for (const auto& arg : expect["args"]) args.push_back(arg.get<std::string>());
  args.push_back("--json");
  CliResult result = RunDevpick(args);
  ASSERT_EQ(result.exit_status, expect["exit"].get<int>()) << result.out << result.err;
  if (expect.contains("output_has")) {
    EXPECT_NE((result.out + result.err).find(expect["output_has"].get<std::string>()),
              std::string::npos)
        << result.out << result.err;
  }
  if (expect["exit"].get<int>() == 2) return;
  json decision = json::parse(result.out, nullptr, false);
  ASSERT_FALSE(decision.is_discarded()) << result.out;
  if (expect["exit"].get<int>() == 3) {
    EXPECT_TRUE(decision["device"].is_null());
    EXPECT_TRUE(decision["error"].is_string());
    return;
  }
  ASSERT_TRUE(decision["device"].is_object()) << result.out;
  // Braces: EXPECT_* expands to an if/else, and GCC's -Wdangling-else fails a -Werror build.
  if (expect.contains("pci_address")) {
    EXPECT_EQ(decision["device"]["pci_address"], expect["pci_address"]);
  }
  if (expect.contains("kind")) {
    EXPECT_EQ(decision["device"]["kind"], expect["kind"]);
  }
  if (expect.contains("device_id")) {
    EXPECT_EQ(decision["device"]["id"], expect["device_id"]);
  }
  if (expect.contains("backend")) {
    EXPECT_EQ(decision["backend"], expect["backend"]);
  }
  if (expect.contains("fallback")) {
    EXPECT_EQ(decision["fallback"], expect["fallback"]);
  }
  if (expect.contains("native")) {
    for (const auto& [key, value] : expect["native"].items()) {
      EXPECT_EQ(decision["native"][key], value) << key << " in " << result.out;
    }
  }
  if (expect.contains("env")) {
    for (const auto& [key, value] : expect["env"].items()) {
      EXPECT_EQ(decision["env"][key], value) << key << " in " << result.out;
    }
  }
}

std::vector<json> LoadExpectations() {
  json all = json::parse(ReadTextFile(SourcePath("tests/scenarios/expectations.json")));
  return std::vector<json>(all.begin(), all.end());
}

std::string Name(const ::testing::TestParamInfo<json>& info) {
  std::string name = info.param["scenario"].get<std::string>();
  name = name.substr(0, name.find('.'));
  for (const auto& arg : info.param["args"]) name += "_" + arg.get<std::string>();
  std::string clean;
  for (char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return clean + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Expectations, ScenarioTest, ::testing::ValuesIn(LoadExpectations()), Name);

}  // namespace
}  // namespace devpick::testing
