// Inputs and checks the per-API verify tests share, so that every API is held to the same
// description of a successful run.
//
// Thread-safety: functions returning fresh values; the checks only read.
#ifndef DEVPICK_VERIFY_VERIFY_TEST_UTIL_H_
#define DEVPICK_VERIFY_VERIFY_TEST_UTIL_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "verify/verify.h"

namespace devpick::testing {

// Small enough to stay well under a second on two shared cores, large enough to tile 16 x 16.
inline VerifyOptions SmallVerifyOptions() {
  return {.matrix_size = 64, .copy_bytes = 1 << 20, .runs = 2, .progress = {}};
}

// The first CPU device of `api`.
inline VerifyTarget FirstCpuTarget(VerifyApi api) {
  VerifyTarget target;
  target.api = api;
  target.first_cpu = true;
  return target;
}

// A correct run on lavapipe measured at `gflops`, the start of the results tests serialise.
inline VerifyResult CorrectLlvmpipeResult(double gflops) {
  VerifyResult result;
  result.api = "vulkan";
  result.device = "vulkan 0 (llvmpipe)";
  result.correct = true;
  result.gflops = gflops;
  return result;
}

using VerifyFunction = VerifyResult (*)(const Env&, const VerifyTarget&, const VerifyOptions&);

// `verify` run with SmallVerifyOptions, expecting progress to have seen each step it recorded.
inline VerifyResult VerifySmallWithProgress(VerifyFunction verify, const Env& env,
                                            const VerifyTarget& target) {
  std::vector<std::string> progress;
  VerifyOptions options = SmallVerifyOptions();
  options.progress = [&](std::string_view step) { progress.emplace_back(step); };
  VerifyResult result = verify(env, target, options);
  EXPECT_EQ(progress, result.steps);
  return result;
}

// A run that passed both workloads with measured throughput, named `api`, through exactly `steps`.
inline void ExpectMeasuredSuccess(const VerifyResult& result, const std::string& api,
                                  const std::vector<std::string>& steps) {
  ASSERT_TRUE(result.correct) << result.failed_step << ": " << result.detail;
  EXPECT_EQ(result.api, api);
  ASSERT_TRUE(result.gflops.has_value());
  EXPECT_GT(*result.gflops, 0);
  ASSERT_TRUE(result.copy_gbps.has_value());
  EXPECT_GT(*result.copy_gbps, 0);
  EXPECT_LE(result.max_rel_error, kMaxAcceptedRelError);
  EXPECT_EQ(result.failed_step, "");
  EXPECT_EQ(result.steps, steps);
}

// A run that stopped in "select device" because the target does not exist, saying why in `detail`.
inline void ExpectMissingDevice(const VerifyResult& result, const std::string& detail) {
  EXPECT_FALSE(result.correct);
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, detail);
  EXPECT_FALSE(result.gflops.has_value());
}

// A run that stopped at its first step because no library named `soname` could be opened.
inline void ExpectMissingLibrary(const VerifyResult& result, const std::string& soname) {
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "load " + soname);
  EXPECT_EQ(result.detail, soname + ": cannot open shared object file: No such file or directory");
}

}  // namespace devpick::testing

#endif  // DEVPICK_VERIFY_VERIFY_TEST_UTIL_H_
