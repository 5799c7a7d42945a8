#include "gather/capture.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "fake_env.h"
#include "gather/recording_env.h"
#include "run_command.h"

namespace devpick {
namespace {

using testing::FakeEnv;
using testing::RunCommand;

// GNU tar's listing of an uncompressed archive.
std::string ListTar(const std::string& tar) {
  std::string pattern = ::testing::TempDir() + "/capture_test.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "mkdtemp failed";
  std::string path = pattern + "/capture.tar";
  std::ofstream(path, std::ios::binary).write(tar.data(), static_cast<std::streamsize>(tar.size()));
  int status = 0;
  std::string listing = RunCommand("TZ=UTC tar --numeric-owner -tvf " + path, &status);
  return status == 0 ? listing : "tar failed: " + listing;
}

// A machine with one GPU function, a render node, an unreadable attribute and an empty KFD listing.
void AddMachine(FakeEnv& env) {
  const std::string function = "/sys/devices/pci0000:00/0000:03:00.0";
  env.AddFile(function + "/class", "0x030000\n");
  env.AddFile(function + "/board_info", "secret board data\n");
  env.AddFile(function + "/rom", "ROM");
  env.FailPath(function + "/rom", EACCES);
  env.AddSymlink("/sys/bus/pci/devices/0000:03:00.0", "../../../devices/pci0000:00/0000:03:00.0");
  env.AddCharDevice("/dev/dri/renderD128", /*read_write=*/true);
  env.AddDirectory("/sys/class/kfd/kfd/topology/nodes");
  env.AddFile("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  env.AddFile("/proc/unrelated", "never read\n");
}

// What a probe run does to AddMachine's tree: reads, lists, checks existence and access.
std::vector<RecordedPath> RecordProbeRun(const FakeEnv& base) {
  RecordingEnv env(base);
  (void)env.ListDirectory("/sys/bus/pci/devices");
  (void)env.ReadFile("/sys/bus/pci/devices/0000:03:00.0/class", 4096);
  (void)env.ReadFile("/sys/bus/pci/devices/0000:03:00.0/rom", 4096);
  (void)env.TypeOf("/sys/bus/pci/devices/0000:03:00.0/board_info", true);
  (void)env.CanReadWrite("/dev/dri/renderD128");
  (void)env.ListDirectory("/sys/class/kfd/kfd/topology/nodes");
  (void)env.ReadFile("/proc/sys/kernel/osrelease", 4096);
  return env.Recorded();
}

CaptureOptions Options() {
  return {.top_folder = "devpick-gather-box",
          .created_by = "devpick 0.1.0",
          .kernel = "6.1.0-18-amd64",
          .mtime_seconds = 0};
}

TEST(Capture, StoresExactlyWhatWasRecordedWithAManifest) {
  FakeEnv base;
  AddMachine(base);
  Result<Capture> capture = BuildCapture(base, RecordProbeRun(base), Options());
  ASSERT_TRUE(capture.ok()) << capture.status().message();
  EXPECT_EQ(capture->manifest, R"({
  "devpick_gather": 1,
  "created_by": "devpick 0.1.0",
  "kernel": "6.1.0-18-amd64",
  "files": [
    {
      "path": "/dev/dri/renderD128",
      "type": "chardev",
      "bytes": 0
    },
    {
      "path": "/proc/sys/kernel/osrelease",
      "type": "file",
      "bytes": 15
    },
    {
      "path": "/sys/bus/pci/devices",
      "type": "directory",
      "bytes": 0
    },
    {
      "path": "/sys/bus/pci/devices/0000:03:00.0",
      "type": "symlink",
      "bytes": 0,
      "target": "../../../devices/pci0000:00/0000:03:00.0"
    },
    {
      "path": "/sys/class/kfd/kfd/topology/nodes",
      "type": "directory",
      "bytes": 0
    },
    {
      "path": "/sys/devices/pci0000:00/0000:03:00.0/board_info",
      "type": "exists",
      "bytes": 0
    },
    {
      "path": "/sys/devices/pci0000:00/0000:03:00.0/class",
      "type": "file",
      "bytes": 9
    }
  ],
  "errors": [
    {
      "path": "/sys/devices/pci0000:00/0000:03:00.0/rom",
      "error": "/sys/devices/pci0000:00/0000:03:00.0/rom: Permission denied"
    }
  ]
}
)");
  EXPECT_EQ(capture->files, 2);
  EXPECT_EQ(capture->stand_ins, 2);
  EXPECT_EQ(capture->symlinks, 1);
  EXPECT_EQ(capture->directories, 2);
  EXPECT_EQ(capture->bytes, 24u);
  EXPECT_EQ(ListTar(capture->tar),
            "drwxr-xr-x 0/0               0 1970-01-01 00:00 devpick-gather-box/\n"
            "-rw-r--r-- 0/0            " +
                std::to_string(capture->manifest.size()) +
                " 1970-01-01 00:00 devpick-gather-box/MANIFEST.json\n"
                "-rw-r--r-- 0/0               0 1970-01-01 00:00 "
                "devpick-gather-box/dev/dri/renderD128\n"
                "-rw-r--r-- 0/0              15 1970-01-01 00:00 "
                "devpick-gather-box/proc/sys/kernel/osrelease\n"
                "drwxr-xr-x 0/0               0 1970-01-01 00:00 "
                "devpick-gather-box/sys/bus/pci/devices/\n"
                "lrwxrwxrwx 0/0               0 1970-01-01 00:00 "
                "devpick-gather-box/sys/bus/pci/devices/0000:03:00.0 -> "
                "../../../devices/pci0000:00/0000:03:00.0\n"
                "drwxr-xr-x 0/0               0 1970-01-01 00:00 "
                "devpick-gather-box/sys/class/kfd/kfd/topology/nodes/\n"
                "-rw-r--r-- 0/0               0 1970-01-01 00:00 "
                "devpick-gather-box/sys/devices/pci0000:00/0000:03:00.0/board_info\n"
                "-rw-r--r-- 0/0               9 1970-01-01 00:00 "
                "devpick-gather-box/sys/devices/pci0000:00/0000:03:00.0/class\n");
}

TEST(Capture, AnInaccessibleNodeStaysReadOnly) {
  FakeEnv base;
  base.AddCharDevice("/dev/accel/accel0", /*read_write=*/false);
  RecordingEnv env(base);
  EXPECT_FALSE(env.CanReadWrite("/dev/accel/accel0"));
  Result<Capture> capture = BuildCapture(base, env.Recorded(), Options());
  ASSERT_TRUE(capture.ok());
  EXPECT_NE(ListTar(capture->tar)
                .find("-r--r--r-- 0/0               0 1970-01-01 00:00 "
                      "devpick-gather-box/dev/accel/accel0\n"),
            std::string::npos);
}

TEST(Capture, ReadsAgainWithTheLimitTheProbesUsed) {
  FakeEnv base;
  base.AddFile("/proc/cpuinfo", std::string(200, 'c'));
  RecordingEnv env(base);
  EXPECT_FALSE(env.ReadFile("/proc/cpuinfo", 100).ok());  // too large for the probe, too
  Result<Capture> capture = BuildCapture(base, env.Recorded(), Options());
  ASSERT_TRUE(capture.ok());
  ASSERT_EQ(capture->errors.size(), 1u);
  EXPECT_EQ(capture->errors[0].error,
            "/proc/cpuinfo: larger than the 100-byte limit for this file");
  EXPECT_EQ(capture->files, 0);
}

// Why capturing AddMachine's probe run fails under `options`; a test failure when it succeeds.
std::string CaptureError(const CaptureOptions& options) {
  FakeEnv base;
  AddMachine(base);
  Result<Capture> capture = BuildCapture(base, RecordProbeRun(base), options);
  EXPECT_FALSE(capture.ok());
  return capture.ok() ? "<captured>" : capture.status().message();
}

TEST(Capture, FailsOverTheEntryLimitNamingIt) {
  CaptureOptions options = Options();
  options.max_entries = 3;
  EXPECT_EQ(CaptureError(options), "capture exceeds the limit of 3 files: the probes used 8");
}

TEST(Capture, FailsOverTheByteLimitNamingIt) {
  CaptureOptions options = Options();
  options.max_bytes = 20;
  EXPECT_EQ(CaptureError(options),
            "capture exceeds the limit of 20 bytes of file contents at "
            "/sys/devices/pci0000:00/0000:03:00.0/class");
}

TEST(Capture, DefaultLimitsAre4096EntriesAnd64MiB) {
  CaptureOptions options;
  EXPECT_EQ(options.max_entries, 4096u);
  EXPECT_EQ(options.max_bytes, 64u << 20);
}

TEST(Capture, FolderNameIsTheArchiveBaseNameWithoutItsSuffix) {
  EXPECT_EQ(CaptureFolderName("/tmp/out/devpick-gather-box.tar.gz"), "devpick-gather-box");
  EXPECT_EQ(CaptureFolderName("machine.tgz"), "machine");
  EXPECT_EQ(CaptureFolderName("plain"), "plain");
}

}  // namespace
}  // namespace devpick
