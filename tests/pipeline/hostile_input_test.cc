// Issue 12's reproducers, run through the devpick binary as a user or a hostile environment would:
// output targets that are not regular files, documents nested to overflow a stack, values that
// carry control characters into a terminal or an env file, and writes that fail.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"
#include "process_state.h"
#include "temp_dir.h"

namespace devpick::testing {
namespace {

namespace fs = std::filesystem;

const std::string kRtx = "tests/scenarios/desktop-rtx3080-uhd770-no-openvino.json";

class HostileInputTest : public ::testing::Test {
 protected:
  // The RTX 3080 scenario with `edit` applied, written to dir_/name.
  std::string Snapshot(const std::string& name, void (*edit)(nlohmann::json&)) const {
    nlohmann::json document = nlohmann::json::parse(ReadTextFile(SourcePath(kRtx)));
    edit(document);
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << document.dump();
    return path;
  }

  TempDir temp_{"devpick-hostile"};
  const std::string& dir_ = temp_.path();
};

// --- 1. -o writes what the path names ---

TEST_F(HostileInputTest, SnapshotToACharacterDeviceWritesThroughAndLeavesTheNode) {
  CliResult r = RunDevpick({"--replay", SourcePath(kRtx), "snapshot", "-o", "/dev/null"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "devpick: wrote /dev/null\n");
  struct stat st {};
  ASSERT_EQ(lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(HostileInputTest, SnapshotToAFifoIsReadByItsReaderAndTheFifoStays) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::future<std::string> reader = std::async(std::launch::async, [&] {
    return ReadTextFile(fifo);  // opens for reading, so devpick's open finds a reader
  });
  // The reader must have the FIFO open before devpick looks: retry the way a user would.
  CliResult r;
  for (int attempt = 0; attempt < 50; ++attempt) {
    r = RunDevpick({"--replay", SourcePath(kRtx), "snapshot", "-o", fifo});
    if (r.exit_status == 0) break;
    usleep(20000);
  }
  // Had devpick never opened it, the reader would still wait in open(): release it either way.
  if (int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK); fd >= 0) close(fd);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(reader.get().rfind("{\n  \"devpick_snapshot\": 1", 0), 0u);
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
}

TEST_F(HostileInputTest, SnapshotToAFifoWithoutAReaderIsRefusedNotAHang) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  CliResult r = RunDevpick({"--replay", SourcePath(kRtx), "snapshot", "-o", fifo});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err, "devpick: cannot write " + fifo +
                       ": it is a FIFO that nothing is reading (devpick writes regular files, "
                       "FIFOs and character devices)\n");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(fifo)));
}

TEST_F(HostileInputTest, SnapshotThroughASymlinkWritesTheTargetAndKeepsTheLink) {
  const std::string target = dir_ + "/real.json";
  const std::string link = dir_ + "/link.json";
  std::ofstream(target) << "old\n";
  fs::create_symlink(target, link);
  CliResult r = RunDevpick({"--replay", SourcePath(kRtx), "snapshot", "-o", link});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(ReadTextFile(target).rfind("{\n  \"devpick_snapshot\": 1", 0), 0u);
}

// Found in review: -o /dev/stdout truncated a log that stdout was appending to.
TEST_F(HostileInputTest, SnapshotToStandardOutputAppendsWhereStdoutAppends) {
  const std::string log = dir_ + "/log";
  CliResult r = RunShell("echo first > " + log + "; \"$DEVPICK\" --replay " + SourcePath(kRtx) +
                         " snapshot -o /dev/stdout >> " + log);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::string written = ReadTextFile(log);
  EXPECT_EQ(written.rfind("first\n{\n  \"devpick_snapshot\": 1", 0), 0u) << written.substr(0, 60);
}

TEST_F(HostileInputTest, SnapshotOntoADirectoryIsRefused) {
  CliResult r = RunDevpick({"--replay", SourcePath(kRtx), "snapshot", "-o", dir_});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err, "devpick: cannot write " + dir_ +
                       ": it is a directory (devpick writes regular files, FIFOs and character "
                       "devices)\n");
}

TEST_F(HostileInputTest, GatherToACharacterDeviceWritesThrough) {
  CliResult r = RunDevpick(
      {"--root", SourcePath("tests/fixtures/sysfs/arc-a770-uhd770"), "gather", "-o", "/dev/null"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(lstat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

// --- 2. nesting ---

TEST_F(HostileInputTest, DeeplyNestedSnapshotIsAUsageErrorNotACrash) {
  const std::string path = dir_ + "/deep.json";
  const std::size_t n = 100000;
  std::ofstream(path) << "{\"devpick_snapshot\":1,\"pci\":[" + std::string(n, '[') +
                             std::string(n, ']') + "]}\n";
  CliResult r = RunDevpick({"--replay", path, "select", "--backend", "cuda"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err, "devpick: " + path +
                       ":1:92: malformed JSON: nested deeper than 64 levels of arrays and objects "
                       "(devpick reads at most 64)\n");
}

// --- 7. pipes are read as they deliver ---

TEST_F(HostileInputTest, ReplayFromASlowProcessSubstitution) {
  CliResult r = RunShell("\"$DEVPICK\" --replay <(sleep .2; cat " + SourcePath(kRtx) +
                         ") select --backend cuda --json");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\": \"gpu1\""), std::string::npos) << r.out;
}

TEST_F(HostileInputTest, ReplayFromStandardInputThroughAPipe) {
  CliResult r = RunShell("(sleep .2; cat " + SourcePath(kRtx) +
                         ") | \"$DEVPICK\" --replay /dev/stdin select --backend cuda --json");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\": \"gpu1\""), std::string::npos) << r.out;
}

TEST_F(HostileInputTest, ConfigFromAProcessSubstitution) {
  CliResult r = RunShell("\"$DEVPICK\" config --config <(sleep .2; echo 'policy = \"memory\"')");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("memory"), std::string::npos) << r.out;
}

// --- 8. env files ---

TEST_F(HostileInputTest, EnvFormatRefusesAUuidWithANewlineAndShellQuotesIt) {
  std::string path = Snapshot("inject.json", [](nlohmann::json& d) {
    for (const char* probe : {"nvml", "cuda"}) {
      d["probes"][probe]["devices"][0]["uuid"] = "GPU-1\nLD_PRELOAD=evil.so";
    }
  });
  CliResult env =
      RunDevpick({"--replay", path, "select", "--backend", "cuda", "--isolate", "--format", "env"});
  EXPECT_EQ(env.exit_status, 2);
  EXPECT_EQ(env.out, "");
  EXPECT_EQ(env.err,
            "devpick: cannot write CUDA_VISIBLE_DEVICES in an env file: its value "
            "\"GPU-1\\x0aLD_PRELOAD=evil.so\" holds a control character at byte 5, which an env "
            "file cannot carry; use --format shell (quoted) or --json\n");
  CliResult shell = RunDevpick(
      {"--replay", path, "select", "--backend", "cuda", "--isolate", "--format", "shell"});
  EXPECT_EQ(shell.exit_status, 0) << shell.err;
  EXPECT_EQ(shell.out, "export CUDA_VISIBLE_DEVICES='GPU-1\nLD_PRELOAD=evil.so'\n");
}

// --- 10. failed writes to standard output ---

TEST_F(HostileInputTest, ListToAFullDeviceIsAnError) {
  CliResult r = RunShell("\"$DEVPICK\" --replay " + SourcePath(kRtx) + " list --json > /dev/full");
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "devpick: cannot write standard output: No space left on device\n");
}

TEST_F(HostileInputTest, SelectTextToAFullDeviceIsAnError) {
  CliResult r =
      RunShell("\"$DEVPICK\" --replay " + SourcePath(kRtx) + " select --backend cuda > /dev/full");
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "devpick: cannot write standard output: No space left on device\n");
}

// --- 11. --in-process keeps vendor output off stdout and vendor exit() from passing as success ---

std::map<std::string, std::string> FakeNvidia(const std::string& mode) {
  return {{"LD_LIBRARY_PATH", DEVPICK_FAKES_DIR "/good"},
          {"FAKE_NVIDIA_GPUS", "name=NVIDIA GeForce RTX 4090,bus=00000000:01:00.0"},
          {"FAKE_CUDA_MODE", mode}};
}

TEST_F(HostileInputTest, InProcessLibraryOutputGoesToStderrNotIntoJson) {
  CliResult r =
      RunDevpick({"--in-process", "--probes", "cuda", "list", "--json"}, FakeNvidia("print"));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\n  \"devices\"", 0), 0u) << r.out.substr(0, 80);
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out.substr(0, 200);
  EXPECT_NE(r.err.find("fake library chatter on stdout\n"), std::string::npos) << r.err;
}

TEST_F(HostileInputTest, InProcessLibraryExitIsAFailureNotSuccess) {
  CliResult r =
      RunDevpick({"--in-process", "--probes", "cuda", "list", "--json"}, FakeNvidia("exit"));
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "devpick: a vendor library called exit() while it ran inside devpick (--in-process); "
            "run without --in-process to isolate it\n");
  // Isolated, the same library costs only its probe.
  CliResult isolated = RunDevpick({"--probes", "cuda", "list", "--json"}, FakeNvidia("exit"));
  EXPECT_EQ(isolated.exit_status, 0) << isolated.err;
}

// --- 9. what a crashed probe helper's library detached does not outlive devpick ---

TEST_F(HostileInputTest, ADaemonLeftByACrashedHelperEndsWithDevpick) {
  const std::string pids = dir_ + "/pids";
  std::map<std::string, std::string> env = FakeNvidia("daemon_crash");
  env["FAKE_ORPHAN_PIDS"] = pids;
  CliResult r = RunDevpick({"--probes", "cuda", "list", "--json"}, env);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::ifstream in(pids);
  int pid = 0;
  ASSERT_TRUE(in >> pid) << "the fake library started no process";
  for (int i = 0; i < 100 && !ProcessEnded(pid); ++i) usleep(10000);
  EXPECT_TRUE(ProcessEnded(pid)) << "process " << pid << " outlived devpick";
  if (!ProcessEnded(pid)) kill(pid, SIGKILL);
}

// --- 12. control characters reach the terminal escaped ---

TEST_F(HostileInputTest, ControlBytesInASnapshotNameAreEscapedInText) {
  std::string path = Snapshot("escape.json", [](nlohmann::json& d) {
    for (const char* probe : {"nvml", "cuda"}) {
      d["probes"][probe]["devices"][0]["name"] = "RTX\x1b]0;pwned\x07\r3080";
    }
  });
  CliResult r = RunDevpick({"--replay", path, "select", "--backend", "cuda"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RTX\\x1b]0;pwned\\x07\\x0d3080"), std::string::npos) << r.out;
  // JSON keeps the exact name, escaped by JSON's own rules.
  CliResult json = RunDevpick({"--replay", path, "select", "--backend", "cuda", "--json"});
  EXPECT_NE(json.out.find("RTX\\u001b]0;pwned\\u0007\\r3080"), std::string::npos) << json.out;
}

}  // namespace
}  // namespace devpick::testing
