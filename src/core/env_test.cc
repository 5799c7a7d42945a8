#include "devpick/env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

namespace devpick {
namespace {

class RootedEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/devpick-env-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }
  void Write(const std::string& path, const std::string& text) {
    std::system(("mkdir -p " + root_ + DirName(path)).c_str());
    std::ofstream(root_ + path) << text;
  }
  void Link(const std::string& path, const std::string& target) {
    std::system(("mkdir -p " + root_ + DirName(path)).c_str());
    ASSERT_EQ(symlink(target.c_str(), (root_ + path).c_str()), 0);
  }
  std::string root_;
};

TEST_F(RootedEnvTest, ACapturedTreeIsReadOnly) {
  std::unique_ptr<Env> env = NewRootedEnv(root_);
  Status written = env->WriteFile("/etc/devpick.json", "{}", 0600, WriteMode::kReplace);
  EXPECT_EQ(written.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(written.message(),
            "cannot write /etc/devpick.json: the captured tree " + root_ + " is read-only");
  EXPECT_EQ(env->MakeDirectories("/var/cache/devpick", 0700).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(env->LockFile("/var/cache/devpick/x.lock", 10).ok());
  EXPECT_EQ(env->TypeOf("/etc/devpick.json"), FileType::kMissing);
}

TEST_F(RootedEnvTest, RelativeSymlinksResolveInsideTheRoot) {
  Write("/sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
  Link("/sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
  auto env = NewRootedEnv(root_);
  Result<std::string> vendor = env->ReadFile("/sys/bus/pci/devices/0000:00:02.0/vendor");
  ASSERT_TRUE(vendor.ok()) << vendor.status().message();
  EXPECT_EQ(*vendor, "0x8086\n");
  EXPECT_EQ(env->TypeOf("/sys/bus/pci/devices/0000:00:02.0", false), FileType::kSymlink);
  EXPECT_EQ(env->TypeOf("/sys/bus/pci/devices/0000:00:02.0", true), FileType::kDirectory);
}

TEST_F(RootedEnvTest, AbsoluteSymlinksStayInsideTheRoot) {
  Write("/sys/bus/pci/drivers/i915/bind", "");
  Link("/sys/devices/x/driver", "/sys/bus/pci/drivers/i915");
  auto env = NewRootedEnv(root_);
  EXPECT_EQ(env->TypeOf("/sys/devices/x/driver/bind"), FileType::kRegular);
  Result<std::string> target = env->ReadLink("/sys/devices/x/driver");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(BaseName(*target), "i915");
}

TEST_F(RootedEnvTest, SymlinkLoopIsAnErrorNotAHang) {
  Link("/sys/class/drm/card9", "card9");
  auto env = NewRootedEnv(root_);
  Result<std::string> r = env->ReadFile("/sys/class/drm/card9/dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "/sys/class/drm/card9/dev: Too many levels of symbolic links");
}

TEST_F(RootedEnvTest, ReadsAreBounded) {
  Write("/big", std::string(5000, 'x'));
  auto env = NewRootedEnv(root_);
  Result<std::string> r = env->ReadFile("/big", 4096);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "/big: larger than the 4096-byte limit for this file");
  EXPECT_TRUE(env->ReadFile("/big", 5000).ok());
}

TEST_F(RootedEnvTest, MissingFileNamesThePathAndReason) {
  auto env = NewRootedEnv(root_);
  Result<std::string> r = env->ReadFile("/proc/cpuinfo");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "/proc/cpuinfo: No such file or directory");
}

TEST_F(RootedEnvTest, ListDirectoryIsSorted) {
  Write("/d/b", "");
  Write("/d/a", "");
  Write("/d/c/x", "");
  auto env = NewRootedEnv(root_);
  Result<std::vector<std::string>> names = env->ListDirectory("/d");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RealEnv, LoadsLibrariesBySonameOnly) {
  auto env = NewRealEnv();
  auto lib = env->OpenLibrary("./libcuda.so.1");
  ASSERT_FALSE(lib.ok());
  EXPECT_EQ(lib.status().message(),
            "./libcuda.so.1: libraries are loaded by soname through the system loader only; use "
            "LD_LIBRARY_PATH or ldconfig for other locations");
  auto missing = env->OpenLibrary("libdevpick-does-not-exist.so.1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto libc = env->OpenLibrary("libc.so.6");
  ASSERT_TRUE(libc.ok()) << libc.status().message();
  EXPECT_NE((*libc)->Symbol("getpid"), nullptr);
  EXPECT_EQ((*libc)->Symbol("devpick_no_such_symbol"), nullptr);
}

// Issue 12: `--replay <(sleep .2; cat S)` failed with EAGAIN, and a FIFO nobody wrote to read as
// an empty file.
TEST_F(RootedEnvTest, ALiveFifoIsReadAsItsWriterDeliversIt) {
  const std::string fifo = root_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::ofstream out(fifo);
    out << "first ";
    out.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    out << "second\n";
  });
  Result<std::string> text = NewRealEnv()->ReadFile(fifo);
  writer.join();
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "first second\n");
}

TEST_F(RootedEnvTest, AFifoThatNobodyWritesIsATimeoutNotAnEmptyFile) {
  const std::string fifo = root_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> text = NewRealEnv(/*stream_idle_timeout_ms=*/300)->ReadFile(fifo);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kTimeout);
  EXPECT_EQ(
      text.status().message(),
      fifo + ": nothing was written to it for 300 ms (is the program that writes it running?)");
}

TEST_F(RootedEnvTest, AnAnonymousPipeIsReadToItsEnd) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_EQ(write(fds[1], "piped\n", 6), 6);
    close(fds[1]);
  });
  Result<std::string> text = NewRealEnv()->ReadFile("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  close(fds[0]);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "piped\n");
}

TEST_F(RootedEnvTest, ACapturedTreeHoldsNoFifos) {
  Write("/sys/x", "");
  ASSERT_EQ(mkfifo((root_ + "/sys/fifo").c_str(), 0600), 0);
  Result<std::string> text = NewRootedEnv(root_)->ReadFile("/sys/fifo");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "/sys/fifo: not a regular file (a captured tree holds files, directories and "
            "symlinks)");
}

// A tree for ResolvePath: every path it holds is a directory unless `links` names it.
struct LinkTree {
  std::map<std::string, std::string> links;
  Result<PathComponent> operator()(const std::string& path) const {
    auto it = links.find(path);
    if (it == links.end()) return PathComponent{.type = FileType::kDirectory, .link_target = {}};
    return PathComponent{.type = FileType::kSymlink, .link_target = it->second};
  }
};

TEST(ResolvePath, FollowsRelativeAndAbsoluteLinksInsideTheTree) {
  LinkTree tree{
      .links = {{"/sys/bus/pci/devices/0000:03:00.0", "../../../devices/pci0000:00/0000:03:00.0"},
                {"/sys/devices/pci0000:00/0000:03:00.0/driver", "/sys/bus/pci/drivers/i915"}}};
  auto lstat = [&](const std::string& path) { return tree(path); };
  EXPECT_EQ(*ResolvePath("/sys/bus/pci/devices/0000:03:00.0/vendor", true, lstat),
            "/sys/devices/pci0000:00/0000:03:00.0/vendor");
  EXPECT_EQ(*ResolvePath("/sys/bus/pci/devices/0000:03:00.0/driver", true, lstat),
            "/sys/bus/pci/drivers/i915");
  // The last component is the link itself when it is not followed.
  EXPECT_EQ(*ResolvePath("/sys/bus/pci/devices/0000:03:00.0/driver", false, lstat),
            "/sys/devices/pci0000:00/0000:03:00.0/driver");
  // ".." never climbs above the tree's "/".
  EXPECT_EQ(*ResolvePath("/../../etc/./passwd", true, lstat), "/etc/passwd");
  EXPECT_EQ(*ResolvePath("/", true, lstat), "/");
}

TEST(ResolvePath, ALoopIsEloopNamingThePath) {
  LinkTree tree{.links = {{"/a", "/b"}, {"/b", "/a"}}};
  Result<std::string> resolved =
      ResolvePath("/a/x", true, [&](const std::string& path) { return tree(path); });
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().message(), "/a/x: Too many levels of symbolic links");
}

TEST(ResolvePath, AnErrorFromLstatStopsTheResolution) {
  std::vector<std::string> asked;
  Result<std::string> resolved =
      ResolvePath("/a/b/c", true, [&](const std::string& path) -> Result<PathComponent> {
        asked.push_back(path);
        if (path == "/a/b") return Status::NotFound("/a/b: gone");
        return PathComponent{.type = FileType::kDirectory, .link_target = {}};
      });
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().message(), "/a/b: gone");
  EXPECT_EQ(asked, (std::vector<std::string>{"/a", "/a/b"}));
}

// Overrides one call and forwards the rest, as a test double built on EnvWrapper does.
class OneVariableEnv final : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;
  std::optional<std::string> GetEnv(std::string_view name) const override {
    if (name == "DEVPICK_TEST_VARIABLE") return std::string("wrapped");
    return EnvWrapper::GetEnv(name);
  }
};

TEST_F(RootedEnvTest, EnvWrapperForwardsEveryCallItDoesNotOverride) {
  Write("/proc/version", "Linux\n");
  Link("/proc/self-link", "/proc/version");
  std::unique_ptr<Env> rooted = NewRootedEnv(root_);
  OneVariableEnv env(*rooted);
  EXPECT_EQ(*env.ReadFile("/proc/self-link", 100), "Linux\n");
  EXPECT_EQ(*env.ListDirectory("/proc"), (std::vector<std::string>{"self-link", "version"}));
  EXPECT_EQ(*env.ReadLink("/proc/self-link"), "/proc/version");
  EXPECT_EQ(env.TypeOf("/proc/self-link", false), FileType::kSymlink);
  EXPECT_EQ(env.TypeOf("/proc/self-link", true), FileType::kRegular);
  EXPECT_EQ(env.root(), root_);
  EXPECT_EQ(env.GetEnv("DEVPICK_TEST_VARIABLE"), "wrapped");
  EXPECT_EQ(env.GetEnv("DEVPICK_TEST_UNSET_VARIABLE_42"), std::nullopt);
  EXPECT_EQ(&env.target(), rooted.get());
  EXPECT_FALSE(env.IsThisMachine());
  EXPECT_EQ(env.MachineArchitecture(), std::nullopt);
}

TEST(RealEnv, IsThisMachineAndAsksItsSystemCalls) {
  std::unique_ptr<Env> env = NewRealEnv();
  EXPECT_TRUE(env->IsThisMachine());
  struct utsname name {};
  ASSERT_EQ(uname(&name), 0);
  EXPECT_EQ(env->MachineArchitecture(), std::string(name.machine));
  auto before = std::chrono::system_clock::now();
  auto now = env->Now();
  EXPECT_LE(before, now);
  EXPECT_LE(now, std::chrono::system_clock::now());
  // This test binary (env_test.cc is built into core_linux_tests) holds the function; dladdr names
  // the binary's file.
  std::optional<std::string> module =
      env->ModulePath(reinterpret_cast<const void*>(&NormalizePath));
  ASSERT_TRUE(module);
  EXPECT_EQ(BaseName(*module), "core_linux_tests");
}

TEST_F(RootedEnvTest, ACapturedTreeIsNotThisMachine) {
  std::unique_ptr<Env> env = NewRootedEnv(root_);
  EXPECT_FALSE(env->IsThisMachine());
  EXPECT_EQ(env->MachineArchitecture(), std::nullopt);
}

TEST(PathHelpers, NormalizeBaseAndDirName) {
  EXPECT_EQ(NormalizePath("/a/b/../c/./d"), "/a/c/d");
  EXPECT_EQ(NormalizePath("/../.."), "/");
  EXPECT_EQ(BaseName("../../../bus/pci/drivers/i915"), "i915");
  EXPECT_EQ(DirName("/a/b/c"), "/a/b");
  EXPECT_EQ(DirName("/a"), "/");
}

}  // namespace
}  // namespace devpick
