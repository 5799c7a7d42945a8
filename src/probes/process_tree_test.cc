#include "probes/process_tree.h"

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

}  // namespace
}  // namespace devpick
