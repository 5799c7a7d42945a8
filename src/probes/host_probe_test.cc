#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <string>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "fake_env.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using testing::FakeEnv;

Observations ProbeHost(const Env& env) {
  Observations out;
  RunHostProbe(env, &out);
  return out;
}

TEST(HostProbe, ReadsKernelFromFixtureWithoutBorrowingOurArch) {
  std::string root = std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/nvidia-dual";
  Observations out = ProbeHost(*NewRootedEnv(root));
  EXPECT_EQ(out.host.kernel, "5.15.0-119-generic");
  EXPECT_EQ(out.host.arch, "");  // uname describes this machine, not the captured one
  EXPECT_EQ(out.host.captured_root, root);
  EXPECT_FALSE(out.host.wsl);
  EXPECT_FALSE(out.host.container);
  EXPECT_EQ(out.host.os, "linux");
}

TEST(HostProbe, LiveSystemHasArchAndKernel) {
  Observations out = ProbeHost(*NewRealEnv());
  struct utsname name {};
  ASSERT_EQ(uname(&name), 0);
  EXPECT_EQ(out.host.arch, name.machine);
  EXPECT_EQ(out.host.captured_root, std::nullopt);
  if (out.host.kernel) {
    EXPECT_EQ(*out.host.kernel, name.release);
  }
}

TEST(HostProbe, DetectsWslFromKernelRelease) {
  for (const char* release : {"5.15.90.1-microsoft-standard-WSL2\n", "4.4.0-19041-Microsoft\n",
                              "6.6.36.3-MICROSOFT-standard\n"}) {
    FakeEnv env;
    env.AddFile("/proc/sys/kernel/osrelease", release);
    EXPECT_TRUE(ProbeHost(env).host.wsl) << release;
  }
  FakeEnv native;
  native.AddFile("/proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
  EXPECT_FALSE(ProbeHost(native).host.wsl);
}

TEST(HostProbe, MissingOsreleaseLeavesKernelUnknown) {
  FakeEnv env;
  Observations out = ProbeHost(env);
  EXPECT_EQ(out.host.kernel, std::nullopt);
  EXPECT_FALSE(out.host.wsl);
  EXPECT_EQ(out.host.captured_root, "fake:");
}

TEST(HostProbe, DetectsContainerMarkers) {
  FakeEnv docker;
  docker.AddFile("/.dockerenv", "");
  EXPECT_TRUE(ProbeHost(docker).host.container);

  FakeEnv podman;
  podman.AddFile("/run/.containerenv", "engine=\"podman-4.9.3\"\n");
  EXPECT_TRUE(ProbeHost(podman).host.container);

  FakeEnv kubernetes;
  kubernetes.AddFile("/proc/1/cgroup",
                     "12:memory:/kubepods/besteffort/pod1234/abcdef\n0::/kubepods/pod1234\n");
  EXPECT_TRUE(ProbeHost(kubernetes).host.container);

  FakeEnv host;
  host.AddFile("/proc/1/cgroup", "0::/init.scope\n");
  EXPECT_FALSE(ProbeHost(host).host.container);
}

}  // namespace
}  // namespace devpick
