// `devpick select --policy measured` as a user runs it: on this machine the host CPU is measured
// through PoCL, the figure is cached with the documented permissions and reused, --no-cache
// measures again, and a replayed snapshot or a captured tree is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace devpick::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

class MeasuredCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/devpick-measured-cli-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    cache_home_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(cache_home_); }

  CliResult Run(std::vector<std::string> args) {
    return RunDevpick(args, {{"XDG_CACHE_HOME", cache_home_}});
  }

  std::string cache_home_;
};

TEST_F(MeasuredCli, MeasuresTheCpuThroughPoclCachesItAndReusesIt) {
  CliResult first = Run({"select", "--backend", "openvino", "--policy", "measured", "--json"});
  ASSERT_EQ(first.exit_status, 0) << first.err;
  EXPECT_THAT(first.err, HasSubstr("devpick: measuring cpu ("));
  EXPECT_THAT(first.err, HasSubstr(") through opencl 0/0\n"));
  nlohmann::json decision = nlohmann::json::parse(first.out);
  EXPECT_EQ(decision["policy"], "measured");
  EXPECT_EQ(decision["device"]["id"], "cpu");
  const nlohmann::json& measurement = decision["candidates"][0]["measurement"];
  EXPECT_EQ(measurement["measured"], true);
  EXPECT_EQ(measurement["correct"], true);
  ASSERT_TRUE(measurement["gflops"].is_number());
  EXPECT_GT(measurement["gflops"].get<double>(), 0);
  EXPECT_THAT(measurement["source"].get<std::string>(),
              MatchesRegex("opencl 0/0 \\(pthread.*\\), measured "
                           "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));

  std::string cache = cache_home_ + "/devpick/measured.json";
  struct stat info {};
  ASSERT_EQ(stat(cache.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((cache_home_ + "/devpick").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  // The second run reads the cache: nothing measured, the same figure, its source says so.
  CliResult second = Run({"select", "--backend", "openvino", "--policy", "measured", "--json"});
  ASSERT_EQ(second.exit_status, 0) << second.err;
  EXPECT_THAT(second.err, Not(HasSubstr("measuring")));
  nlohmann::json again = nlohmann::json::parse(second.out);
  EXPECT_EQ(again["candidates"][0]["measurement"]["gflops"], measurement["gflops"]);
  EXPECT_THAT(again["candidates"][0]["measurement"]["source"].get<std::string>(),
              HasSubstr(", cached from "));

  // --no-cache measures again.
  CliResult fresh =
      Run({"select", "--backend", "openvino", "--policy", "measured", "--no-cache", "--json"});
  ASSERT_EQ(fresh.exit_status, 0) << fresh.err;
  EXPECT_THAT(fresh.err, HasSubstr("devpick: measuring cpu ("));
}

TEST_F(MeasuredCli, ExplainShowsTheMeasuredFigure) {
  CliResult r = Run({"explain", "--backend", "openvino", "--policy", "measured"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("backend openvino (measured): cpu "));
  EXPECT_THAT(r.out,
              MatchesRegex("(.|\n)*  1\\.  cpu   CPU, measured [0-9.]+ GFLOP/s \\(opencl 0/0 "
                           "\\(pthread(.|\n)*"));
}

// Issue 12: DEVPICK_POLICY=measured was refused in words that named the --policy flag.
TEST_F(MeasuredCli, ReplayRefusalNamesTheVariableThePolicyCameFrom) {
  const std::string snapshot = SourcePath("tests/scenarios/desktop-arc-a770-uhd770.json");
  CliResult r = RunDevpick({"--replay", snapshot, "select", "--backend", "openvino"},
                           {{"DEVPICK_POLICY", "measured"}});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: the measured policy (env DEVPICK_POLICY) runs work on this machine's "
            "devices; it cannot rank the devices of a replayed snapshot (" +
                snapshot + ")\n");
}

TEST_F(MeasuredCli, ReplayIsRefused) {
  CliResult r = Run({"--replay", SourcePath("tests/scenarios/desktop-arc-a770-uhd770.json"),
                     "select", "--backend", "openvino", "--policy", "measured"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: the measured policy (flag --policy) runs work on this machine's devices; it "
            "cannot rank the devices of a replayed snapshot (" +
                SourcePath("tests/scenarios/desktop-arc-a770-uhd770.json") + ")\n");
}

TEST_F(MeasuredCli, ACapturedTreeIsRefused) {
  std::string root = SourcePath("tests/fixtures/sysfs/arc-a770-uhd770");
  CliResult r = Run({"--root", root, "select", "--backend", "openvino", "--policy", "measured"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: the measured policy (flag --policy) runs work on this machine's devices; it "
            "cannot rank the devices of a captured tree (" +
                root + ")\n");
}

TEST_F(MeasuredCli, UnknownPolicyListsMeasured) {
  CliResult r = Run({"select", "--backend", "cpu", "--policy", "fastest"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: flag --policy: unknown policy 'fastest'; accepted: performance, efficiency, "
            "memory, "
            "measured\n");
}

}  // namespace
}  // namespace devpick::testing
