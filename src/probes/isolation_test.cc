#include "probes/isolation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_env.h"

namespace devpick {
namespace {

TEST(LocateProbeHelper, OptionComesFirstAndMustExist) {
  testing::FakeEnv env;
  env.AddFile("/opt/devpick/devpick-probe", "");
  env.SetEnv("DEVPICK_PROBE_HELPER", "/elsewhere/devpick-probe");
  DiscoverOptions options;
  options.probe_helper = "/opt/devpick/devpick-probe";
  EXPECT_EQ(LocateProbeHelper(env, options).value_or(""), "/opt/devpick/devpick-probe");
  options.probe_helper = "/missing/devpick-probe";
  EXPECT_EQ(LocateProbeHelper(env, options).status().message(),
            "probe helper /missing/devpick-probe (from DiscoverOptions.probe_helper) does not "
            "exist; point it at the devpick-probe executable");
}

TEST(LocateProbeHelper, EnvironmentVariableThenNextToTheExecutable) {
  testing::FakeEnv env;
  env.AddFile("/usr/bin/devpick", "");
  env.AddFile("/usr/bin/devpick-probe", "");
  env.AddSymlink("/proc/self/exe", "/usr/bin/devpick");
  env.AddFile("/custom/helper", "");
  env.SetEnv("DEVPICK_PROBE_HELPER", "/custom/helper");
  EXPECT_EQ(LocateProbeHelper(env, {}).value_or(""), "/custom/helper");
  env.SetEnv("DEVPICK_PROBE_HELPER", "");  // empty means unset
  EXPECT_EQ(LocateProbeHelper(env, {}).value_or(""), "/usr/bin/devpick-probe");
}

// Issue 12: DEVPICK_PROBE_HELPER=/etc was said not to exist.
TEST(LocateProbeHelper, ADirectoryIsNamedAsOne) {
  testing::FakeEnv env;
  env.AddDirectory("/etc");
  env.SetEnv("DEVPICK_PROBE_HELPER", "/etc");
  EXPECT_EQ(LocateProbeHelper(env, {}).status().message(),
            "probe helper /etc (from DEVPICK_PROBE_HELPER) is a directory; point it at the "
            "devpick-probe executable");
}

TEST(LocateProbeHelper, NotFoundSaysWhereItLookedAndHowToFix) {
  testing::FakeEnv env;
  env.AddFile("/home/u/bin/app", "");
  env.AddSymlink("/proc/self/exe", "/home/u/bin/app");
  Result<std::string> helper = LocateProbeHelper(env, {});
  ASSERT_FALSE(helper.ok());
  EXPECT_EQ(
      helper.status().message(),
      "the probe helper devpick-probe was not found (looked in /home/u/bin, " DEVPICK_LIBEXECDIR
      "); set DEVPICK_PROBE_HELPER to its path, or run the probes in this process with "
      "--in-process");
}

TEST(ReadProbeReply, ReadsAnEntry) {
  ProbeObservations probes;
  ASSERT_TRUE(
      ReadProbeReply(R"({"status": "ok", "driver_version": 12040, "devices": []})", "cuda", &probes)
          .ok());
  ASSERT_TRUE(probes.cuda.has_value());
  EXPECT_EQ(probes.cuda->driver_version, 12040);
}

TEST(ReadProbeReply, NamesWhatIsWrong) {
  ProbeObservations probes;
  EXPECT_EQ(ReadProbeReply("", "nvml", &probes).message(),
            "the devpick-probe process for nvml answered with something that is not JSON: no "
            "output");
  EXPECT_EQ(ReadProbeReply("Segmentation\nfault\n", "nvml", &probes).message(),
            "the devpick-probe process for nvml answered with something that is not JSON: "
            "\"Segmentation fault\"");
  Status wrong = ReadProbeReply("[1]", "nvml", &probes);
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.message(),
            "the devpick-probe process for nvml: probes.nvml: expected an object, got [1]");
  EXPECT_FALSE(probes.nvml.has_value());
}

TEST(ProbeEntries, EmplaceAndMoveByName) {
  ProbeObservations a;
  ProbeObservations b;
  ProbeHeader* header = EmplaceProbeEntry(&a, "level_zero");
  ASSERT_NE(header, nullptr);
  header->detail = "moved";
  EXPECT_EQ(EmplaceProbeEntry(&a, "no_such_probe"), nullptr);
  MoveProbeEntry(&a, &b, "level_zero");
  ASSERT_TRUE(b.level_zero.has_value());
  EXPECT_EQ(b.level_zero->detail, "moved");
}

}  // namespace
}  // namespace devpick
