#include "capi/request_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace devpick::capi {
namespace {

TEST(ParseDiscoverArguments, EmptyTextGivesTheDefaults) {
  for (const char* text : {"", "  \n", "{}"}) {
    Result<DiscoverArguments> arguments = ParseDiscoverArguments(text);
    ASSERT_TRUE(arguments.ok()) << text << ": " << arguments.status().message();
    EXPECT_TRUE(arguments->options.probes.empty());
    EXPECT_TRUE(arguments->options.excluded.empty());
    EXPECT_EQ(arguments->options.timeout_ms, 5000);
    EXPECT_TRUE(arguments->options.isolate);
    EXPECT_EQ(arguments->options.probe_helper, "");
    EXPECT_FALSE(arguments->source.replay);
    EXPECT_FALSE(arguments->source.snapshot_json);
    EXPECT_FALSE(arguments->source.root);
  }
}

TEST(ParseDiscoverArguments, ReadsEveryKey) {
  Result<DiscoverArguments> arguments = ParseDiscoverArguments(R"({
      "probes": ["sysfs", "cpu", "opencl"], "no_probe": "vulkan,cuda", "timeout_ms": 250,
      "in_process": true, "probe_helper": "/opt/devpick-probe", "root": "/captures/m1"})");
  ASSERT_TRUE(arguments.ok()) << arguments.status().message();
  EXPECT_THAT(arguments->options.probes, testing::ElementsAre("sysfs", "cpu", "opencl"));
  EXPECT_THAT(arguments->options.excluded, testing::ElementsAre("vulkan", "cuda"));
  EXPECT_EQ(arguments->options.timeout_ms, 250);
  EXPECT_FALSE(arguments->options.isolate);
  EXPECT_EQ(arguments->options.probe_helper, "/opt/devpick-probe");
  EXPECT_EQ(arguments->source.root, "/captures/m1");
  EXPECT_FALSE(arguments->source.replay);
}

TEST(ParseDiscoverArguments, NullLeavesASourceUnset) {
  Result<DiscoverArguments> arguments =
      ParseDiscoverArguments(R"({"replay": "m.json", "snapshot_json": null, "root": null})");
  ASSERT_TRUE(arguments.ok()) << arguments.status().message();
  EXPECT_EQ(arguments->source.replay, "m.json");
  EXPECT_FALSE(arguments->source.snapshot_json);
}

TEST(ParseDiscoverArguments, RejectsAnUnknownKeyListingTheKnownOnes) {
  Result<DiscoverArguments> arguments = ParseDiscoverArguments(R"({"probe": ["cpu"]})");
  ASSERT_FALSE(arguments.ok());
  EXPECT_EQ(arguments.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(arguments.status().message(),
            "options: unknown key 'probe'; known keys: probes, no_probe, timeout_ms, in_process, "
            "probe_helper, replay, snapshot_json, root");
}

TEST(ParseDiscoverArguments, RejectsWrongTypesNamingTheKey) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case kCases[] = {
      {R"({"timeout_ms": 0})",
       "options.timeout_ms: expected a positive number of milliseconds up to 3600000, got 0"},
      {R"({"timeout_ms": "5s"})",
       "options.timeout_ms: expected a positive number of milliseconds up to 3600000, got \"5s\""},
      {R"({"timeout_ms": 1.5})",
       "options.timeout_ms: expected a positive number of milliseconds up to 3600000, got 1.5"},
      {R"({"in_process": 1})", "options.in_process: expected true or false, got 1"},
      {R"({"probes": ["cpu", 7]})", "options.probes[1]: expected a string, got 7"},
      {R"({"probes": {"cpu": true}})",
       "options.probes: expected an array of strings, got {\"cpu\":true}"},
      {R"({"replay": 3})", "options.replay: expected a string or null, got 3"},
  };
  for (const Case& c : kCases) {
    Result<DiscoverArguments> arguments = ParseDiscoverArguments(c.text);
    ASSERT_FALSE(arguments.ok()) << c.text;
    EXPECT_EQ(arguments.status().message(), c.message) << c.text;
  }
}

TEST(ParseDiscoverArguments, RejectsTwoMachineSources) {
  Result<DiscoverArguments> arguments =
      ParseDiscoverArguments(R"({"replay": "m.json", "root": "/captures/m1"})");
  ASSERT_FALSE(arguments.ok());
  EXPECT_EQ(arguments.status().message(),
            "options: replay and root cannot be combined; give at most one of replay, "
            "snapshot_json and root");
}

TEST(ParseDiscoverArguments, RejectsAnUnknownProbeWithTheLibrarysMessage) {
  DiscoverOptions options;
  options.probes = {"cpu", "cuda2"};
  Status expected = ValidateDiscoverOptions(options);
  ASSERT_FALSE(expected.ok());
  Result<DiscoverArguments> arguments = ParseDiscoverArguments(R"({"probes": ["cpu", "cuda2"]})");
  ASSERT_FALSE(arguments.ok());
  EXPECT_EQ(arguments.status().message(), expected.message());
  EXPECT_THAT(arguments.status().message(), testing::HasSubstr("cuda2"));
}

TEST(ParseJsonObject, MalformedJsonNamesLineAndColumn) {
  Result<nlohmann::json> object = ParseJsonObject("{\n  \"backend\": cuda\n}", "request");
  ASSERT_FALSE(object.ok());
  EXPECT_THAT(object.status().message(),
              testing::StartsWith("request: malformed JSON at line 2, column 14: syntax error"));
}

// Regression: nlohmann throws out_of_range, not parse_error, for a number too large for a double;
// it escaped ParseJsonObject (the same bug fuzz/snapshot_fuzzer found in ParseSnapshot).
TEST(ParseJsonObject, NumberTooLargeForADoubleIsAnErrorNotAnException) {
  Result<nlohmann::json> object = ParseJsonObject(R"({"min_memory": 1E400})", "request");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(), "request: malformed JSON: number overflow parsing '1E400'");
}

// Issue 12: nested options JSON overflowed the stack of the caller of the C ABI.
TEST(ParseJsonObject, DeepNestingIsRefusedNotACrash) {
  std::string text = R"({"exclude": )" + std::string(70000, '[') + std::string(70000, ']') + "}";
  Result<nlohmann::json> object = ParseJsonObject(text, "request");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(),
            "request: malformed JSON at line 1, column 76: nested deeper than 64 levels of arrays "
            "and objects (devpick reads at most 64)");
}

TEST(ParseJsonObject, RejectsANonObject) {
  Result<nlohmann::json> object = ParseJsonObject(R"(["cuda"])", "request");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(), "request: expected a JSON object, got [\"cuda\"]");
}

TEST(ParseSelectRequest, EmptyRequestRecommendsWithTheDefaults) {
  Result<Request> request = ParseSelectRequest("");
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_FALSE(request->backend);
  EXPECT_FALSE(request->device_spec);
  EXPECT_EQ(request->policy, Policy::kPerformance);
  EXPECT_EQ(request->fallback, Fallback::kNone);
  EXPECT_FALSE(request->min_memory_bytes);
  EXPECT_TRUE(request->exclude.empty());
  EXPECT_FALSE(request->isolate);
}

TEST(ParseSelectRequest, ReadsEveryKeyAndCanonicalizesTheBackend) {
  Result<Request> request = ParseSelectRequest(R"({
      "backend": "ipex", "device": "dgpu,igpu", "policy": "efficiency", "fallback": "cpu",
      "min_memory": "6GiB", "exclude": ["npu", "pci:0000:00:02.0"], "isolate": true})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->backend, "xpu");
  EXPECT_EQ(request->device_spec, "dgpu,igpu");
  EXPECT_EQ(request->policy, Policy::kEfficiency);
  EXPECT_EQ(request->fallback, Fallback::kCpu);
  EXPECT_EQ(request->min_memory_bytes, std::uint64_t{6442450944});
  EXPECT_THAT(request->exclude, testing::ElementsAre("npu", "pci:0000:00:02.0"));
  EXPECT_TRUE(request->isolate);
}

TEST(ParseSelectRequest, AcceptsBytesAndCommaListsAndNulls) {
  Result<Request> request = ParseSelectRequest(
      R"({"backend": null, "device": null, "policy": null, "min_memory": 1000000,
          "exclude": "igpu,npu"})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_FALSE(request->backend);
  EXPECT_FALSE(request->device_spec);
  EXPECT_EQ(request->policy, Policy::kPerformance);
  EXPECT_EQ(request->min_memory_bytes, std::uint64_t{1000000});
  EXPECT_THAT(request->exclude, testing::ElementsAre("igpu", "npu"));
}

TEST(ParseSelectRequest, ReportsBadValuesWithTheClisMessages) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case kCases[] = {
      {R"({"policy": "fast"})",
       "unknown policy 'fast'; accepted: performance, efficiency, memory, measured"},
      {R"({"fallback": "gpu"})", "unknown fallback 'gpu'; accepted: none, cpu"},
      {R"({"polcy": "fast"})",
       "request: unknown key 'polcy'; known keys: backend, device, policy, fallback, min_memory, "
       "exclude, isolate"},
      {R"({"min_memory": -1})",
       "request.min_memory: expected a size such as \"6GiB\", a number of bytes or null, got -1"},
      {R"({"exclude": ["igpu", 3]})", "request.exclude[1]: expected a string, got 3"},
      {R"({"isolate": "yes"})", "request.isolate: expected true or false, got \"yes\""},
      {R"({"backend": 1})", "request.backend: expected a string or null, got 1"},
  };
  for (const Case& c : kCases) {
    Result<Request> request = ParseSelectRequest(c.text);
    ASSERT_FALSE(request.ok()) << c.text;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(request.status().message(), c.message) << c.text;
  }
}

TEST(ParseSelectRequest, UnknownBackendListsTheAcceptedOnes) {
  Result<Request> request = ParseSelectRequest(R"({"backend": "cud"})");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(), CanonicalBackend("cud").status().message());
  EXPECT_THAT(request.status().message(),
              testing::StartsWith("unknown backend 'cud'; accepted: cuda, rocm"));
}

TEST(ParseDoctorRequest, ReadsBackendAndPython) {
  Result<DoctorRequest> request = ParseDoctorRequest(R"({"backend": "ort", "python": "/venv"})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->backend, "onnxruntime");
  EXPECT_EQ(request->python, "/venv");
  Result<DoctorRequest> empty = ParseDoctorRequest(R"({"backend": null})");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->backend);
  EXPECT_FALSE(empty->python);
}

TEST(ParseDoctorRequest, RejectsWrongTypes) {
  Result<DoctorRequest> request = ParseDoctorRequest(R"({"python": true})");
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.status().message(), "request.python: expected a string or null, got true");
}

}  // namespace
}  // namespace devpick::capi
