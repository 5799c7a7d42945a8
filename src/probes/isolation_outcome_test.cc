// How isolation turns a child's outcome into a probe entry or a helper error, with the outcomes
// scripted through FakeEnv::RunProcesses, so every way a child can end is shown exactly without a
// real helper binary. The real process mechanics are tested in src/core/posix_process_test.cc and
// tests/pipeline.
#include <gtest/gtest.h>

#include "fake_env.h"
#include "probes/isolation.h"
#include "probes/registry.h"

namespace devpick {
namespace {

constexpr char kHelper[] = "/opt/devpick/libexec/devpick-probe";

ProcessOutcome Exited(int code, std::string output, std::string error_output = "") {
  ProcessOutcome outcome;
  outcome.end = ProcessEnd::kExited;
  outcome.exit_code = code;
  outcome.output = std::move(output);
  outcome.error_output = std::move(error_output);
  return outcome;
}

ProcessOutcome Ended(ProcessEnd end) {
  ProcessOutcome outcome;
  outcome.end = end;
  return outcome;
}

// Runs the nvml probe isolated against the next scripted outcome; its entry's header.
ProbeHeader RunNvml(testing::FakeEnv& env, ProcessOutcome outcome) {
  env.AddProcessOutcome(std::move(outcome));
  const ProbeSpec* specs[] = {FindProbe("nvml")};
  ProbeObservations probes;
  RunIsolated(env, kHelper, specs, 500, &probes);
  const ProbeHeader* header = FindProbeHeader(probes, "nvml");
  return header == nullptr ? ProbeHeader{.status = ProbeStatus::kSkipped,
                                         .library = std::nullopt,
                                         .version = std::nullopt,
                                         .detail = "no entry",
                                         .warnings = {}}
                           : *header;
}

TEST(RunIsolated, AsksForOneChildPerProbeWithTheHelpersLimits) {
  testing::FakeEnv env;
  env.AddProcessOutcome(Exited(0, R"({"status": "absent"})"));
  env.AddProcessOutcome(Exited(0, R"({"status": "absent"})"));
  const ProbeSpec* specs[] = {FindProbe("nvml"), FindProbe("vulkan")};
  ProbeObservations probes;
  RunIsolated(env, kHelper, specs, 500, &probes);
  std::vector<ProcessRequest> requests = env.process_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].executable, kHelper);
  EXPECT_EQ(requests[0].arguments, std::vector<std::string>{"nvml"});
  EXPECT_EQ(requests[1].arguments, std::vector<std::string>{"vulkan"});
  EXPECT_EQ(requests[1].timeout_ms, 500);
  EXPECT_EQ(requests[1].max_output_bytes, std::size_t{16} << 20);
  EXPECT_EQ(requests[1].max_error_bytes, std::size_t{64} << 10);
  ASSERT_TRUE(probes.vulkan.has_value());
  EXPECT_EQ(probes.vulkan->status, ProbeStatus::kAbsent);
}

TEST(RunIsolated, ReadsTheReplyOfAChildThatExitedZero) {
  testing::FakeEnv env;
  env.AddProcessOutcome(Exited(0, R"({"status": "ok", "driver_version": 12040, "devices": []})"));
  const ProbeSpec* specs[] = {FindProbe("cuda")};
  ProbeObservations probes;
  RunIsolated(env, kHelper, specs, 500, &probes);
  ASSERT_TRUE(probes.cuda.has_value());
  EXPECT_EQ(probes.cuda->status, ProbeStatus::kOk);
  EXPECT_EQ(probes.cuda->driver_version, 12040);
}

TEST(RunIsolated, ATimeoutIsATimeoutEntry) {
  testing::FakeEnv env;
  ProbeHeader header = RunNvml(env, Ended(ProcessEnd::kTimedOut));
  EXPECT_EQ(header.status, ProbeStatus::kTimeout);
  EXPECT_EQ(header.detail, "no answer within 500 ms; the process was killed");
}

TEST(RunIsolated, ACrashNamesTheSignal) {
  testing::FakeEnv env;
  ProcessOutcome crashed = Ended(ProcessEnd::kSignaled);
  crashed.signal = 11;
  crashed.signal_description = "Segmentation fault";
  ProbeHeader header = RunNvml(env, crashed);
  EXPECT_EQ(header.status, ProbeStatus::kError);
  EXPECT_EQ(header.detail, "the probe process died from signal 11 (Segmentation fault)");
  crashed.signal_description = "";
  EXPECT_EQ(RunNvml(env, crashed).detail, "the probe process died from signal 11");
}

TEST(RunIsolated, ANonZeroExitEndsWithTheLastLineOfStandardError) {
  testing::FakeEnv env;
  ProbeHeader header =
      RunNvml(env, Exited(3, "", "loading libnvidia-ml.so.1\nnvmlInit failed: 9 \n\n"));
  EXPECT_EQ(header.status, ProbeStatus::kError);
  EXPECT_EQ(header.detail, "the probe process exited with status 3: nvmlInit failed: 9");
  EXPECT_EQ(RunNvml(env, Exited(1, "")).detail, "the probe process exited with status 1");
  EXPECT_EQ(RunNvml(env, Exited(1, "", std::string(250, 'x'))).detail,
            "the probe process exited with status 1: " + std::string(200, 'x') + "...");
}

TEST(RunIsolated, OversizedOutputAndUnreapedChildrenAreErrors) {
  testing::FakeEnv env;
  ProbeHeader oversized = RunNvml(env, Ended(ProcessEnd::kOutputTooLarge));
  EXPECT_EQ(oversized.status, ProbeStatus::kError);
  EXPECT_EQ(oversized.detail, "the probe process wrote more than 16 MiB and was killed");
  EXPECT_EQ(RunNvml(env, Ended(ProcessEnd::kNotReaped)).detail,
            "the probe process could not be reaped");
}

TEST(RunIsolated, ASpawnFailureIsTheEnvsReason) {
  testing::FakeEnv env;
  ProcessOutcome refused;
  refused.start_error = std::string("cannot start ") + kHelper + ": Permission denied";
  ProbeHeader header = RunNvml(env, refused);
  EXPECT_EQ(header.status, ProbeStatus::kError);
  EXPECT_EQ(header.detail, "cannot start /opt/devpick/libexec/devpick-probe: Permission denied");
}

TEST(RunIsolated, BadOutputFromAZeroExitIsNamed) {
  testing::FakeEnv env;
  EXPECT_EQ(RunNvml(env, Exited(0, "Segmentation\nfault\n")).detail,
            "the devpick-probe process for nvml answered with something that is not JSON: "
            "\"Segmentation fault\"");
}

TEST(RunHelper, ReturnsTheOutputOfAZeroExit) {
  testing::FakeEnv env;
  env.AddProcessOutcome(Exited(0, "{\"api\": \"cuda\"}"));
  Result<std::string> reply = RunHelper(env, kHelper, {"verify", "--api", "cuda"}, 2000);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(*reply, "{\"api\": \"cuda\"}");
  ASSERT_EQ(env.process_requests().size(), 1u);
  EXPECT_EQ(env.process_requests()[0].arguments,
            (std::vector<std::string>{"verify", "--api", "cuda"}));
}

TEST(RunHelper, EachEndIsAnErrorNamingTheCommand) {
  testing::FakeEnv env;
  auto run = [&](ProcessOutcome outcome) {
    env.AddProcessOutcome(std::move(outcome));
    return RunHelper(env, kHelper, {"verify", "--api", "cuda"}, 2000).status();
  };
  Status timeout = run(Ended(ProcessEnd::kTimedOut));
  EXPECT_EQ(timeout.code(), StatusCode::kTimeout);
  EXPECT_EQ(timeout.message(),
            "devpick-probe verify --api cuda: no answer within 2000 ms; the process was killed");
  ProcessOutcome crashed = Ended(ProcessEnd::kSignaled);
  crashed.signal = 6;
  crashed.signal_description = "Aborted";
  Status crash = run(crashed);
  EXPECT_EQ(crash.code(), StatusCode::kUnavailable);
  EXPECT_EQ(crash.message(),
            "devpick-probe verify --api cuda: the probe process died from signal 6 (Aborted)");
  EXPECT_EQ(run(Exited(2, "", "cuInit: CUDA_ERROR_NO_DEVICE\n")).message(),
            "devpick-probe verify --api cuda: exited with status 2: cuInit: CUDA_ERROR_NO_DEVICE");
  EXPECT_EQ(run(Ended(ProcessEnd::kOutputTooLarge)).message(),
            "devpick-probe verify --api cuda: wrote more than 16 MiB and was killed");
  EXPECT_EQ(run(Ended(ProcessEnd::kNotReaped)).message(),
            "devpick-probe verify --api cuda: the process could not be reaped");
  // Nothing scripted: FakeEnv refuses to start it, and that reason is the whole message.
  Status refused = RunHelper(env, kHelper, {"verify"}, 2000).status();
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_EQ(refused.message(),
            "cannot start /opt/devpick/libexec/devpick-probe: FakeEnv runs no processes");
}

}  // namespace
}  // namespace devpick
