#include "gather/recording_env.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "fake_env.h"

namespace devpick {
namespace {

using testing::FakeEnv;

// One line per record, so a whole recording compares as one readable string.
std::string Describe(const std::vector<RecordedPath>& records) {
  static const char* const kTypeNames[] = {"missing", "file", "dir", "symlink", "chardev", "other"};
  std::string out;
  for (const RecordedPath& record : records) {
    out += record.path + " " + kTypeNames[static_cast<int>(record.type)];
    if (record.type == FileType::kSymlink) out += " -> " + record.target;
    if (record.read) out += " read(" + std::to_string(record.read_limit) + ")";
    if (record.listed) out += " listed";
    if (record.read_write) out += *record.read_write ? " rw" : " no-rw";
    out += "\n";
  }
  return out;
}

// A PCI function behind a bridge, reached through /sys/bus/pci/devices and /sys/class/drm, the
// way the kernel lays it out.
void AddPciTree(FakeEnv& env) {
  const std::string function = "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0";
  env.AddFile(function + "/class", "0x030000\n");
  env.AddFile(function + "/vendor", "0x8086\n");
  env.AddDirectory("/sys/bus/pci/drivers/i915");
  env.AddSymlink(function + "/driver", "../../../../bus/pci/drivers/i915");
  env.AddFile(function + "/drm/card1/dev", "226:1\n");
  env.AddSymlink(function + "/drm/card1/device", "../../../0000:03:00.0");
  env.AddSymlink("/sys/bus/pci/devices/0000:03:00.0",
                 "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0");
  env.AddSymlink("/sys/class/drm/card1",
                 "../../devices/pci0000:00/0000:00:01.0/0000:03:00.0/drm/card1");
  env.AddCharDevice("/dev/dri/renderD128", /*read_write=*/false);
}

TEST(RecordingEnv, RecordsTheSymlinkMetAndThePhysicalFileRead) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  Result<std::string> text = env.ReadFile("/sys/bus/pci/devices/0000:03:00.0/class", 64);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "0x030000\n");
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/bus/pci/devices/0000:03:00.0 symlink -> "
            "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/class file read(64)\n");
}

TEST(RecordingEnv, RecordsEverySymlinkInAChain) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  // card1 -> .../drm/card1, whose device -> the function, whose vendor is read.
  ASSERT_TRUE(env.ReadFile("/sys/class/drm/card1/device/vendor", 4096).ok());
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/class/drm/card1 symlink -> "
            "../../devices/pci0000:00/0000:00:01.0/0000:03:00.0/drm/card1\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/drm/card1/device symlink -> "
            "../../../0000:03:00.0\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor file read(4096)\n");
}

TEST(RecordingEnv, ReadLinkRecordsTheLinkWithoutFollowingIt) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  Result<std::string> target = env.ReadLink("/sys/bus/pci/devices/0000:03:00.0/driver");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, "../../../../bus/pci/drivers/i915");
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/bus/pci/devices/0000:03:00.0 symlink -> "
            "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/driver symlink -> "
            "../../../../bus/pci/drivers/i915\n");
}

TEST(RecordingEnv, TypeOfFollowingRecordsTheTargetDirectory) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  EXPECT_EQ(env.TypeOf("/sys/bus/pci/devices/0000:03:00.0/driver", true), FileType::kDirectory);
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/bus/pci/devices/0000:03:00.0 symlink -> "
            "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n"
            "/sys/bus/pci/drivers/i915 dir\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/driver symlink -> "
            "../../../../bus/pci/drivers/i915\n");
}

TEST(RecordingEnv, ListDirectoryAndCanReadWriteAreRecorded) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  Result<std::vector<std::string>> names = env.ListDirectory("/sys/bus/pci/devices");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"0000:03:00.0"});
  EXPECT_FALSE(env.CanReadWrite("/dev/dri/renderD128"));
  EXPECT_EQ(Describe(env.Recorded()),
            "/dev/dri/renderD128 chardev no-rw\n"
            "/sys/bus/pci/devices dir listed\n"
            "/sys/bus/pci/devices/0000:03:00.0 symlink -> "
            "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n");
}

TEST(RecordingEnv, ListingRecordsEachEntryByNameAndTypeWithoutReadingIt) {
  FakeEnv base;
  AddPciTree(base);
  RecordingEnv env(base);
  ASSERT_TRUE(env.ListDirectory("/sys/bus/pci/devices/0000:03:00.0").ok());
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/bus/pci/devices/0000:03:00.0 symlink -> "
            "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0 dir listed\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/class file\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/driver symlink -> "
            "../../../../bus/pci/drivers/i915\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/drm dir\n"
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor file\n");
  EXPECT_TRUE(base.reads().empty());
}

TEST(RecordingEnv, MissingPathsAreNotRecordedButADanglingLinkIs) {
  FakeEnv base;
  AddPciTree(base);
  base.AddSymlink("/sys/class/drm/card7", "../../devices/gone/card7");
  RecordingEnv env(base);
  EXPECT_FALSE(env.ReadFile("/proc/driver/nvidia/version", 4096).ok());
  EXPECT_EQ(env.TypeOf("/sys/class/drm/card7/device", true), FileType::kMissing);
  EXPECT_EQ(Describe(env.Recorded()), "/sys/class/drm/card7 symlink -> ../../devices/gone/card7\n");
}

TEST(RecordingEnv, ASymlinkLoopIsRecordedOnceAndEnds) {
  FakeEnv base;
  base.AddSymlink("/sys/class/drm/card9", "card9");
  RecordingEnv env(base);
  EXPECT_EQ(env.TypeOf("/sys/class/drm/card9/device", true), FileType::kMissing);
  EXPECT_EQ(Describe(env.Recorded()), "/sys/class/drm/card9 symlink -> card9\n");
}

TEST(RecordingEnv, AbsoluteTargetsRestartAtTheRoot) {
  FakeEnv base;
  base.AddFile("/proc/4242/cgroup", "0::/user.slice\n");
  base.AddSymlink("/proc/self", "4242");
  base.AddSymlink("/run/cgroup-link", "/proc/self/cgroup");
  RecordingEnv env(base);
  ASSERT_TRUE(env.ReadFile("/run/cgroup-link", 100).ok());
  EXPECT_EQ(Describe(env.Recorded()),
            "/proc/4242/cgroup file read(100)\n"
            "/proc/self symlink -> 4242\n"
            "/run/cgroup-link symlink -> /proc/self/cgroup\n");
}

TEST(RecordingEnv, ForwardsErrorsAndRecordsTheFileThatFailed) {
  FakeEnv base;
  AddPciTree(base);
  base.FailPath("/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor", EACCES);
  RecordingEnv env(base);
  Result<std::string> text =
      env.ReadFile("/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor", 4096);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor: Permission denied");
  EXPECT_EQ(Describe(env.Recorded()),
            "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/vendor file read(4096)\n");
}

TEST(RecordingEnv, KeepsTheLargestReadLimitAndForwardsEnvAndRoot) {
  FakeEnv base;
  base.AddFile("/proc/cpuinfo", "processor\t: 0\n");
  base.SetEnv("CUDA_VISIBLE_DEVICES", "1");
  RecordingEnv env(base);
  ASSERT_TRUE(env.ReadFile("/proc/cpuinfo", 100).ok());
  ASSERT_TRUE(env.ReadFile("/proc/./cpuinfo", 1000).ok());
  ASSERT_TRUE(env.ReadFile("/proc/cpuinfo", 20).ok());
  EXPECT_EQ(Describe(env.Recorded()), "/proc/cpuinfo file read(1000)\n");
  EXPECT_EQ(env.GetEnv("CUDA_VISIBLE_DEVICES"), "1");
  EXPECT_EQ(env.root(), "fake:");
  EXPECT_EQ(base.reads(),
            (std::vector<std::string>{"/proc/cpuinfo", "/proc/./cpuinfo", "/proc/cpuinfo"}));
}

}  // namespace
}  // namespace devpick
