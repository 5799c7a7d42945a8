#include "core/snapshot_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace devpick {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(DEVPICK_SOURCE_DIR) + "/" + relative);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// ParseSnapshot(text, source) fails with exactly `message`.
void ExpectRejected(std::string_view text, std::string_view source, const std::string& message) {
  Result<Observations> read = ParseSnapshot(text, source);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), message);
}

TEST(SnapshotJson, ReadsArcA770Scenario) {
  Result<Observations> o =
      ParseSnapshot(ReadSource("tests/scenarios/desktop-arc-a770-uhd770.json"), "arc.json");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->host.kernel, "6.8.0-45-generic");
  EXPECT_EQ(o->cpu.threads, 32);
  ASSERT_EQ(o->pci.size(), 2u);
  EXPECT_EQ(o->pci[1].address, "0000:03:00.0");
  EXPECT_EQ(o->pci[1].device, 0x56a0u);
  EXPECT_EQ(o->pci[1].class_code, 0x030000u);
  EXPECT_EQ(o->pci[1].revision, 0x08u);
  EXPECT_EQ(o->pci[1].boot_vga, false);
  ASSERT_TRUE(o->probes.level_zero.has_value());
  EXPECT_EQ(o->probes.level_zero->status, ProbeStatus::kOk);
  EXPECT_EQ(o->probes.level_zero->devices[1].integrated, true);
  ASSERT_TRUE(o->probes.openvino.has_value());
  EXPECT_EQ(o->probes.openvino->devices[2].name, "GPU.1");
  EXPECT_EQ(o->probes.openvino->devices[2].device_id, 0x56a0u);
  ASSERT_TRUE(o->probes.opencl.has_value());
  EXPECT_EQ(o->probes.opencl->platforms[0].devices[1].host_unified_memory, true);
  EXPECT_FALSE(o->probes.cuda.has_value());
}

TEST(SnapshotJson, RoundTripsEveryScenarioUnchanged) {
  for (const char* name : {"desktop-arc-a770-uhd770.json",
                           "desktop-rtx3080-uhd770-no-openvino.json", "desktop-rx6800.json"}) {
    Result<Observations> first =
        ParseSnapshot(ReadSource(std::string("tests/scenarios/") + name), name);
    ASSERT_TRUE(first.ok()) << first.status().message();
    std::string written = SerializeSnapshot(*first);
    Result<Observations> second = ParseSnapshot(written, "rewritten");
    ASSERT_TRUE(second.ok()) << second.status().message();
    EXPECT_EQ(SerializeSnapshot(*second), written) << name;
    // Every key of the original survives (writers may add, never drop).
    nlohmann::json original =
        nlohmann::json::parse(ReadSource(std::string("tests/scenarios/") + name));
    nlohmann::json rewritten = nlohmann::json::parse(written);
    for (const auto& [key, value] : original["probes"].items()) {
      EXPECT_TRUE(rewritten["probes"].contains(key)) << name << " lost probes." << key;
    }
    EXPECT_EQ(rewritten["pci"].size(), original["pci"].size());
  }
}

TEST(SnapshotJson, SysfsDevNodesRoundTrip) {
  Observations o;
  SysfsObservation& sysfs = o.probes.sysfs.emplace();
  sysfs.status = ProbeStatus::kOk;
  sysfs.dev_nodes = {
      {"/dev/dri/renderD128", "rw"}, {"/dev/kfd", "denied"}, {"/dev/nvidiactl", "missing"}};
  std::string written = SerializeSnapshot(o);
  EXPECT_EQ(nlohmann::json::parse(written)["probes"]["sysfs"]["dev_nodes"],
            nlohmann::json::parse(R"({"/dev/dri/renderD128": "rw", "/dev/kfd": "denied",
                                      "/dev/nvidiactl": "missing"})"));
  Result<Observations> read = ParseSnapshot(written, "nodes.json");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->probes.sysfs->dev_nodes, sysfs.dev_nodes);
}

TEST(SnapshotJson, EnvWithPerNodeGfxOverridesRoundTrips) {
  Observations o;
  o.env = {{"HSA_OVERRIDE_GFX_VERSION", "10.3.0"},
           {"HSA_OVERRIDE_GFX_VERSION_1", "11.0.0"},
           {"HSA_OVERRIDE_GFX_VERSION_12", "11.0"}};  // malformed values are recorded as set
  std::string written = SerializeSnapshot(o);
  EXPECT_EQ(nlohmann::json::parse(written)["env"],
            nlohmann::json::parse(R"({"HSA_OVERRIDE_GFX_VERSION": "10.3.0",
                                      "HSA_OVERRIDE_GFX_VERSION_1": "11.0.0",
                                      "HSA_OVERRIDE_GFX_VERSION_12": "11.0"})"));
  Result<Observations> read = ParseSnapshot(written, "env.json");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->env, o.env);
}

TEST(SnapshotJson, SysfsDevNodesOfWrongTypeNameThePath) {
  ExpectRejected(R"({"devpick_snapshot": 1, "probes": {"sysfs":
      {"status": "ok", "dev_nodes": {"/dev/kfd": 1}}}})",
                 "nodes.json",
                 "nodes.json: probes.sysfs.dev_nodes./dev/kfd: expected \"rw\", \"denied\" or "
                 "\"missing\", got 1");
}

TEST(SnapshotJson, MalformedJsonNamesLineAndColumn) {
  Result<Observations> o =
      ParseSnapshot("{\n  \"devpick_snapshot\": 1,\n  \"host\": {,}\n}", "m.json");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(o.status().message().rfind("m.json:3:12: malformed JSON: syntax error", 0), 0u)
      << o.status().message();
}

TEST(SnapshotJson, MissingVersionIsRejected) {
  ExpectRejected(R"({"host": {}})", "x.json",
                 "x.json: not a devpick snapshot (no \"devpick_snapshot\" field); write one with "
                 "`devpick snapshot -o FILE`");
}

TEST(SnapshotJson, NewerVersionIsRejected) {
  ExpectRejected(
      R"({"devpick_snapshot": 2})", "new.json",
      "new.json: snapshot version 2 is newer than this devpick supports (versions 1 to 1); "
      "upgrade devpick");
}

TEST(SnapshotJson, WrongTypeNamesTheJsonPath) {
  ExpectRejected(R"({"devpick_snapshot": 1, "pci": [{"address": "0000:01:00.0", "vendor": 4318}]})",
                 "t.json",
                 "t.json: pci[0].vendor: expected a hex string such as \"0x10de\", got 4318");
  ExpectRejected(
      R"({"devpick_snapshot": 1, "probes": {"cuda": {"status": "ok", "devices": [{"ordinal": "0"}]}}})",
      "t.json", "t.json: probes.cuda.devices[0].ordinal: expected an integer, got \"0\"");
  ExpectRejected(
      R"({"devpick_snapshot": 1, "probes": {"nvml": {"status": "great"}}})", "t.json",
      "t.json: probes.nvml.status: expected one of ok, absent, error, timeout, skipped, got "
      "\"great\"");
}

TEST(SnapshotJson, UnknownFieldsAreIgnored) {
  Result<Observations> o = ParseSnapshot(
      R"({"devpick_snapshot": 1, "future": {"x": 1}, "cpu": {"threads": 4, "new_field": true}})",
      "u.json");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->cpu.threads, 4);
}

TEST(SnapshotJson, ProbeEntryRoundTripsForChildProcesses) {
  ProbeObservations probes;
  CudaObservation cuda;
  cuda.status = ProbeStatus::kOk;
  cuda.driver_version = 12040;
  cuda.devices.push_back(CudaDevice{.ordinal = 0,
                                    .name = "NVIDIA GeForce RTX 4090",
                                    .uuid = "GPU-5e1f",
                                    .pci_address = "0000:01:00.0",
                                    .memory_total_bytes = 25757220864ull,
                                    .compute_capability = "8.9",
                                    .multiprocessors = 128,
                                    .clock_mhz = 2520,
                                    .integrated = false});
  probes.cuda = cuda;
  nlohmann::json entry = nlohmann::json::parse(ProbeEntryToJson(probes, "cuda").dump());
  ProbeObservations back;
  ASSERT_TRUE(ProbeEntryFromJson(entry, "cuda", "child", &back).ok());
  ASSERT_TRUE(back.cuda.has_value());
  EXPECT_EQ(back.cuda->devices[0].memory_total_bytes, 25757220864ull);
  EXPECT_EQ(back.cuda->devices[0].multiprocessors, 128);
}

TEST(SnapshotJson, HexIdPadsToFourDigits) {
  EXPECT_EQ(HexId(0x10de), "0x10de");
  EXPECT_EQ(HexId(0x0), "0x0000");
  EXPECT_EQ(HexId(0x10005), "0x10005");
  EXPECT_EQ(HexId(0x030000, 6), "0x030000");
}

// Regression (fuzz/regressions/snapshot): a number too large for a double made nlohmann throw
// out_of_range from the re-parse that looks for the error position, and the exception escaped.
TEST(SnapshotJson, NumberTooLargeForADoubleIsAnErrorNotAnException) {
  Result<Observations> read =
      ParseSnapshot(R"({"devpick_snapshot": 1, "cpu": {"memory_bytes": 34359E38368}})", "big.json");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(read.status().message(),
            "big.json: malformed JSON: number overflow parsing '34359E38368'");
}

// Issue 12: a repeated PCI address made a phantom gpu2 that runtime devices bound to.
TEST(SnapshotJson, ARepeatedPciAddressIsRefused) {
  std::string function = R"({"address": "0000:0a:00.0", "vendor": "0x8086", "device": "0x56a0"})";
  std::string upper = R"({"address": "0000:0A:00.0", "vendor": "0x8086", "device": "0x56a0"})";
  ExpectRejected(R"({"devpick_snapshot": 1, "pci": [)" + function + ", " + upper + "]}", "dup.json",
                 "dup.json: pci[1].address: 0000:0A:00.0 is pci[0] too; a snapshot lists each PCI "
                 "function once");
}

// Issue 12: 20,000 entries took 5-8 s to correlate.
TEST(SnapshotJson, AListLongerThanTheBoundIsRefused) {
  std::string list;
  for (int i = 0; i < 1025; ++i) list += std::string(i ? "," : "") + "{}";
  ExpectRejected(R"({"devpick_snapshot": 1, "pci": [)" + list + "]}", "long.json",
                 "long.json: pci: 1025 entries; a snapshot list holds at most 1024");
}

// Issue 12: 100,000 nested arrays in a 200 KB snapshot killed devpick with SIGSEGV.
TEST(SnapshotJson, DeepNestingIsRefusedWithItsPosition) {
  const std::size_t n = 100000;
  std::string text =
      R"({"devpick_snapshot":1,"pci":[)" + std::string(n, '[') + std::string(n, ']') + "]}";
  ExpectRejected(
      text, "deep.json",
      "deep.json:1:92: malformed JSON: nested deeper than 64 levels of arrays and objects "
      "(devpick reads at most 64)");
}

}  // namespace
}  // namespace devpick
