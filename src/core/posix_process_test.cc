#include "core/posix_process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace devpick {
namespace {

// A child that starts a grandchild in a session of its own, writes the grandchild's PID to `fd`,
// and both sleep: the shape of a daemon that left its process group.
pid_t StartTree(int fd) {
  pid_t child = fork();
  if (child != 0) return child;
  pid_t grandchild = fork();
  if (grandchild == 0) {
    setsid();
    pause();
    _exit(0);
  }
  (void)!write(fd, &grandchild, sizeof grandchild);
  pause();
  _exit(0);
}

TEST(ProcessTree, FindsAndKillsADescendantThatLeftTheProcessGroup) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = StartTree(fds[1]);
  pid_t grandchild = 0;
  ASSERT_EQ(read(fds[0], &grandchild, sizeof grandchild), static_cast<ssize_t>(sizeof grandchild));
  close(fds[0]);
  close(fds[1]);
  std::vector<pid_t> found = Descendants(getpid());
  EXPECT_THAT(found, ::testing::IsSupersetOf({child, grandchild}));
  EXPECT_EQ(KillDescendants(child, /*include_root=*/true), 2);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // The grandchild was re-parented to init (or a subreaper) when the child died; it is gone.
  for (int i = 0; i < 100 && kill(grandchild, 0) == 0; ++i) {
    std::vector<pid_t> left = Descendants(1);
    if (std::find(left.begin(), left.end(), grandchild) == left.end()) break;
    usleep(10000);
  }
  std::vector<pid_t> left = Descendants(1);
  EXPECT_EQ(std::find(left.begin(), left.end(), grandchild), left.end());
}

ProcessRequest Shell(std::string script, int timeout_ms = 5000) {
  return ProcessRequest{.executable = "/bin/sh",
                        .arguments = {"-c", std::move(script)},
                        .timeout_ms = timeout_ms,
                        .max_output_bytes = 1024,
                        .max_error_bytes = 16};
}

TEST(RunPosixProcesses, EachEndAsTheKernelReportsIt) {
  const ProcessRequest requests[] = {
      Shell("printf out; printf 'first\\nlast\\n' >&2; exit 3"),
      Shell("kill -SEGV $$"),
      Shell("exec sleep 30", /*timeout_ms=*/200),
      Shell("head -c 2000 /dev/zero; sleep 30"),
      {.executable = "/nonexistent/helper",
       .arguments = {},
       .timeout_ms = 1000,
       .max_output_bytes = 1024,
       .max_error_bytes = 1024},
      Shell("echo 0123456789abcdefghij >&2"),
  };
  std::vector<ProcessOutcome> outcomes = RunPosixProcesses(requests);
  ASSERT_EQ(outcomes.size(), 6u);
  EXPECT_EQ(outcomes[0].end, ProcessEnd::kExited);
  EXPECT_EQ(outcomes[0].exit_code, 3);
  EXPECT_EQ(outcomes[0].output, "out");
  EXPECT_EQ(outcomes[0].error_output, "first\nlast\n");
  EXPECT_EQ(outcomes[1].end, ProcessEnd::kSignaled);
  EXPECT_EQ(outcomes[1].signal, SIGSEGV);
  EXPECT_EQ(outcomes[1].signal_description, "Segmentation fault");
  EXPECT_EQ(outcomes[2].end, ProcessEnd::kTimedOut);
  EXPECT_EQ(outcomes[3].end, ProcessEnd::kOutputTooLarge);
  EXPECT_EQ(outcomes[3].output.size(), 1024u);
  EXPECT_EQ(outcomes[4].end, ProcessEnd::kNotStarted);
  EXPECT_EQ(outcomes[4].start_error, "cannot start /nonexistent/helper: No such file or directory");
  // Standard error is kept up to max_error_bytes from its start.
  EXPECT_EQ(outcomes[5].end, ProcessEnd::kExited);
  EXPECT_EQ(outcomes[5].error_output, "0123456789abcdef");
}

}  // namespace
}  // namespace devpick
