#include "verify/measured_guard.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

Discovery From(DiscoverSource source, std::string path) {
  return Discovery{.source = source, .path = std::move(path), .observations = {}, .inventory = {}};
}

TEST(MeasuredGuard, OnlyThisMachineIsMeasured) {
  EXPECT_TRUE(CheckMeasuredPolicyApplies(From(DiscoverSource::kLive, "")).ok());
  EXPECT_TRUE(CheckMeasuredPolicyApplies(From(DiscoverSource::kLive, ""), "flag --policy").ok());
}

TEST(MeasuredGuard, OneWordingForEveryOtherMachine) {
  EXPECT_EQ(CheckMeasuredPolicyApplies(From(DiscoverSource::kReplayFile, "m.json")).message(),
            "the measured policy runs work on this machine's devices; it cannot rank the devices "
            "of a replayed snapshot (m.json)");
  EXPECT_EQ(CheckMeasuredPolicyApplies(From(DiscoverSource::kReplayText, "snapshot_json"),
                                       "env DEVPICK_POLICY")
                .message(),
            "the measured policy (env DEVPICK_POLICY) runs work on this machine's devices; it "
            "cannot rank the devices of a replayed snapshot (snapshot_json)");
  Status tree =
      CheckMeasuredPolicyApplies(From(DiscoverSource::kRoot, "/captures/m1"), "flag --policy");
  EXPECT_EQ(tree.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tree.message(),
            "the measured policy (flag --policy) runs work on this machine's devices; it cannot "
            "rank the devices of a captured tree (/captures/m1)");
  EXPECT_EQ(MeasuredPolicyRefusedForTree("/captures/m1").message(),
            "the measured policy runs work on this machine's devices; it cannot rank the devices "
            "of a captured tree (/captures/m1)");
}

TEST(MeasuredGuard, VerifyIsRefusedInTheSameWords) {
  EXPECT_TRUE(CheckRunsOnThisMachine(DiscoverSource::kLive, "", LocalWork::kVerify).ok());
  Status replay = CheckRunsOnThisMachine(DiscoverSource::kReplayFile, "m.json", LocalWork::kVerify);
  EXPECT_EQ(replay.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(replay.message(),
            "verify runs work on this machine's devices; it cannot verify the devices of a "
            "replayed snapshot (m.json)");
  EXPECT_EQ(
      CheckRunsOnThisMachine(DiscoverSource::kRoot, "/captures/m1", LocalWork::kVerify).message(),
      "verify runs work on this machine's devices; it cannot verify the devices of a "
      "captured tree (/captures/m1)");
}

}  // namespace
}  // namespace devpick
