// TimeRuns reads its clock through Env::MonotonicNow, so a FakeEnv (whose clock advances exactly
// 1 ms per reading) gives exact timings.
#include <gtest/gtest.h>

#include "fake_env.h"
#include "verify/verify.h"

namespace devpick {
namespace {

TEST(TimeRuns, TimesEveryRunButTheWarmUpOnTheEnvsClock) {
  testing::FakeEnv env;
  int calls = 0;
  int afters = 0;
  std::optional<double> seconds = TimeRuns(
      env, 3,
      [&] {
        ++calls;
        return true;
      },
      [&] {
        ++afters;
        return true;
      });
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(afters, 4);
  // Two readings per run, 1 ms apart.
  EXPECT_EQ(seconds, 0.001);
}

TEST(TimeRuns, StopsAtTheFirstFailure) {
  testing::FakeEnv env;
  int calls = 0;
  EXPECT_EQ(TimeRuns(env, 3, [&] { return ++calls < 2; }), std::nullopt);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace devpick
