// `devpick doctor` as a user runs it: exit statuses (4 for an error about the requested backend),
// replayed snapshots, and --python over a venv laid out on disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace devpick::testing {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return "/tmp/devpick-doctor-test-" + std::to_string(getpid()) + "-" + name;
}

// An RTX 3080 bound to nouveau, as a snapshot records it.
std::string NouveauSnapshot() {
  std::string path = TempPath("nouveau.json");
  std::ofstream(path) << R"({"devpick_snapshot": 1,
 "host": {"os": "linux", "arch": "x86_64", "kernel": "6.8.0-45-generic", "container": false},
 "env": {},
 "pci": [{"address": "0000:01:00.0", "vendor": "0x10de", "device": "0x2206", "class": "0x030000",
          "driver": "nouveau", "drm": ["card0", "renderD128"], "accel": []}],
 "probes": {"sysfs": {"status": "ok",
                      "dev_nodes": {"/dev/dri/renderD128": "rw", "/dev/kfd": "missing"}}}})";
  return path;
}

std::vector<std::string> Codes(const std::string& json_text) {
  std::vector<std::string> codes;
  nlohmann::json json = nlohmann::json::parse(json_text);
  for (const auto& finding : json["findings"]) {
    codes.push_back(finding["code"].get<std::string>());
  }
  return codes;
}

TEST(DoctorCli, ErrorForTheRequestedBackendExits4) {
  std::string snapshot = NouveauSnapshot();
  CliResult cuda = RunDevpick({"--replay", snapshot, "doctor", "--backend", "cuda", "--json"});
  EXPECT_EQ(cuda.exit_status, 4) << cuda.err;
  EXPECT_EQ(Codes(cuda.out), std::vector<std::string>{"nouveau_driver"});
  // The same machine is fine for OpenVINO (it would use the CPU): the finding is a warning.
  CliResult openvino = RunDevpick({"--replay", snapshot, "doctor", "--backend", "openvino"});
  EXPECT_EQ(openvino.exit_status, 0) << openvino.err;
  EXPECT_EQ(openvino.out.substr(0, 30), "warning gpu0  nouveau_driver: ");
  // Without a backend any error counts.
  EXPECT_EQ(RunDevpick({"--replay", snapshot, "doctor"}).exit_status, 4);
  std::remove(snapshot.c_str());
}

TEST(DoctorCli, UnknownBackendIsUsageError) {
  CliResult r = RunDevpick({"doctor", "--backend", "cudaa", "--probes", "sysfs"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: unknown backend 'cudaa'; accepted: cuda, rocm, zluda, xpu, openvino, "
            "directml, mps, onnxruntime, vulkan, cpu (aliases: torch-cuda, hip, ipex, dml, ort)\n");
}

TEST(DoctorCli, PythonWithReplayIsUsageError) {
  std::string snapshot = NouveauSnapshot();
  CliResult r = RunDevpick({"--replay", snapshot, "doctor", "--python", "/usr/bin/python3"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err,
            "devpick: --python: a Python environment on this machine cannot be combined with a "
            "replayed snapshot (" +
                snapshot + ")\n");
  std::remove(snapshot.c_str());
}

TEST(DoctorCli, MissingPythonEnvironmentIsUsageError) {
  CliResult r = RunDevpick({"doctor", "--python", "/nonexistent/venv", "--probes", "sysfs"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.err, "devpick: --python: /nonexistent/venv: No such file or directory\n");
}

TEST(DoctorCli, CpuTorchInAVenvFailsTheCudaBackend) {
  std::string venv = TempPath("venv");
  fs::path metadata = fs::path(venv) / "lib/python3.12/site-packages/torch-2.5.1+cpu.dist-info";
  fs::create_directories(metadata);
  std::ofstream(metadata / "METADATA")
      << "Metadata-Version: 2.1\nName: torch\nVersion: 2.5.1+cpu\n";
  CliResult r = RunDevpick(
      {"doctor", "--backend", "cuda", "--python", venv, "--json", "--probes", "sysfs,cpu"});
  EXPECT_EQ(r.exit_status, 4) << r.err;
  nlohmann::json json = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& finding : json["findings"]) {
    if (finding["code"] != "python_torch_mismatch") continue;
    found = true;
    EXPECT_EQ(finding["severity"], "error");
    EXPECT_EQ(finding["message"],
              "torch 2.5.1+cpu is a cpu build, but the cuda backend needs a cuda build");
  }
  EXPECT_TRUE(found) << r.out;
  fs::remove_all(venv);
}

// The RX 7900 XTX + Raphael fixture with Raphael's node (KFD node 2) overridden: the variable is
// recorded in the snapshot, and replay judges the recorded value, not the replaying process's.
TEST(DoctorCli, PerNodeGfxOverrideIsRecordedAndReplayed) {
  std::string root = SourcePath("tests/fixtures/sysfs/rx7900xtx-raphael");
  std::map<std::string, std::string> env = {{"HSA_OVERRIDE_GFX_VERSION_2", "10.3.0"}};
  CliResult live = RunDevpick({"--root", root, "--probes", "sysfs,rocm", "doctor"}, env);
  EXPECT_EQ(live.exit_status, 0) << live.err;
  EXPECT_EQ(live.out.substr(0, live.out.find('\n')),
            "info    gpu1  hsa_override_set: HSA_OVERRIDE_GFX_VERSION_2=10.3.0 is set for gpu1 "
            "(gfx1036), so ROCm runs this unsupported target as its supported sibling gfx1030");
  std::string snapshot = TempPath("per-node-override.json");
  CliResult snap =
      RunDevpick({"--root", root, "--probes", "sysfs,rocm", "snapshot", "-o", snapshot}, env);
  ASSERT_EQ(snap.exit_status, 0) << snap.err;
  nlohmann::json recorded = nlohmann::json::parse(ReadTextFile(snapshot));
  EXPECT_EQ(recorded["env"]["HSA_OVERRIDE_GFX_VERSION_2"], "10.3.0");
  CliResult replay = RunDevpick({"--replay", snapshot, "doctor", "--json"},
                                {{"HSA_OVERRIDE_GFX_VERSION_2", "10.3"}});
  EXPECT_EQ(replay.exit_status, 0) << replay.err;
  EXPECT_EQ(Codes(replay.out), std::vector<std::string>{"hsa_override_set"});
  std::remove(snapshot.c_str());
}

}  // namespace
}  // namespace devpick::testing
