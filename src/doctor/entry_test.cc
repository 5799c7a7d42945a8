// Doctor(): the machine's findings and those of a Python environment, for the CLI and the C ABI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devpick/doctor.h"
#include "fake_env.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using testing::FakeEnv;

// The Arc A770 desktop scenario, on which doctor finds nothing, as if probed on this machine.
Discovery ArcDesktop(DiscoverSource source) {
  std::unique_ptr<Env> real = NewRealEnv();
  const std::string file =
      std::string(DEVPICK_SOURCE_DIR) + "/tests/scenarios/desktop-arc-a770-uhd770.json";
  DiscoverRequest request;
  request.source = DiscoverSource::kReplayFile;
  request.path = file;
  Result<Discovery> machine = Discover(*real, request);
  EXPECT_TRUE(machine.ok()) << machine.status().message();
  Discovery out = std::move(machine).value();
  out.source = source;
  if (source == DiscoverSource::kLive) out.path.clear();
  return out;
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings)
    codes.push_back(f.code + " " + std::string(ToString(f.severity)));
  return codes;
}

TEST(Doctor, AddsThePythonEnvironmentsFindingsErrorsFirst) {
  FakeEnv env;
  env.AddFile("/home/u/sd/venv/pyvenv.cfg", "home = /usr/bin\n");
  env.AddFile("/home/u/sd/venv/lib/python3.11/site-packages/torch-2.5.1+cu124.dist-info/METADATA",
              "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cu124\n\n");
  Result<std::vector<Finding>> findings =
      Doctor(env, ArcDesktop(DiscoverSource::kLive),
             {.backend = "openvino", .python = "/home/u/sd/venv/"});
  ASSERT_TRUE(findings.ok()) << findings.status().message();
  EXPECT_THAT(Codes(*findings),
              ElementsAre("python_package_missing error", "python_torch_mismatch warning",
                          "python_packages info"));
}

TEST(Doctor, WithoutAPythonEnvironmentItIsDiagnose) {
  FakeEnv env;
  Discovery machine = ArcDesktop(DiscoverSource::kLive);
  Result<std::vector<Finding>> findings = Doctor(env, machine, {.backend = "cuda", .python = {}});
  ASSERT_TRUE(findings.ok()) << findings.status().message();
  EXPECT_EQ(Codes(*findings), Codes(Diagnose(machine.observations, machine.inventory, "cuda")));
  EXPECT_EQ(env.reads(), std::vector<std::string>{});
}

TEST(Doctor, APythonEnvironmentCannotJudgeAReplayedSnapshot) {
  FakeEnv env;
  Discovery machine = ArcDesktop(DiscoverSource::kReplayFile);
  Result<std::vector<Finding>> findings =
      Doctor(env, machine, {.backend = std::nullopt, .python = "/usr"});
  ASSERT_FALSE(findings.ok());
  EXPECT_EQ(findings.status().message(),
            "a Python environment on this machine cannot be combined with a replayed snapshot (" +
                machine.path + ")");
  EXPECT_EQ(env.reads(), std::vector<std::string>{});
}

TEST(Doctor, AMissingPythonEnvironmentNamesThePath) {
  FakeEnv env;
  Result<std::vector<Finding>> findings = Doctor(env, ArcDesktop(DiscoverSource::kRoot),
                                                 {.backend = std::nullopt, .python = "/no/venv"});
  ASSERT_FALSE(findings.ok());
  EXPECT_EQ(findings.status().message(), "/no/venv: No such file or directory");
}

}  // namespace
}  // namespace devpick
