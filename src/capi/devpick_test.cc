// The C ABI as a C caller sees it: handles, status codes, JSON documents and error strings, on the
// replayed scenario machines of tests/scenarios.
#include "devpick/devpick.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

using Json = nlohmann::json;

const std::string kScenarios = std::string(DEVPICK_SOURCE_DIR) + "/tests/scenarios/";
const std::string kArcMachine = kScenarios + "desktop-arc-a770-uhd770.json";
const std::string kRtxMachine = kScenarios + "desktop-rtx3080-uhd770-no-openvino.json";

// Owns what a devpick function returned, so a failing assertion leaks nothing.
struct StringFree {
  void operator()(char* text) const { devpick_string_free(text); }
};
using OwnedString = std::unique_ptr<char, StringFree>;
struct InventoryFree {
  void operator()(devpick_inventory* inventory) const { devpick_inventory_free(inventory); }
};
using OwnedInventory = std::unique_ptr<devpick_inventory, InventoryFree>;

struct Call {
  int code = -1;
  OwnedString output;
  OwnedString error;

  std::string error_text() const { return error ? error.get() : "(null)"; }
  Json json() const { return Json::parse(output.get()); }
};

// `call` was refused as invalid, with no output; its error text, for the caller to compare.
std::string RefusedAsInvalid(const Call& call) {
  EXPECT_EQ(call.code, DEVPICK_INVALID);
  EXPECT_EQ(call.output, nullptr);
  return call.error_text();
}

OwnedInventory Discover(const Json& options) {
  devpick_inventory* inventory = nullptr;
  char* error = nullptr;
  int code = devpick_discover(options.dump().c_str(), &inventory, &error);
  OwnedString owned_error(error);
  EXPECT_EQ(code, DEVPICK_OK) << (error ? error : "");
  return OwnedInventory(inventory);
}

Call SelectOn(const devpick_inventory* inventory, const Json& request) {
  char* output = nullptr;
  char* error = nullptr;
  Call call;
  call.code = devpick_select(inventory, request.dump().c_str(), &output, &error);
  call.output.reset(output);
  call.error.reset(error);
  return call;
}

Call ListOf(const devpick_inventory* inventory) {
  char* output = nullptr;
  char* error = nullptr;
  Call call;
  call.code = devpick_inventory_list_json(inventory, &output, &error);
  call.output.reset(output);
  call.error.reset(error);
  return call;
}

TEST(CApi, ReportsItsVersions) {
  EXPECT_THAT(devpick_version(), testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
  EXPECT_EQ(devpick_abi_version(), DEVPICK_ABI_VERSION);
}

TEST(CApi, OpenVinoOnTheRtxMachineGetsTheIntelGpuAndTorchCpu) {
  OwnedInventory machine = Discover({{"replay", kRtxMachine}});
  ASSERT_NE(machine, nullptr);
  Call call = SelectOn(machine.get(), {{"backend", "openvino"}});
  ASSERT_EQ(call.code, DEVPICK_OK) << call.error_text();
  EXPECT_EQ(call.error, nullptr);
  Json decision = call.json();
  EXPECT_EQ(decision["backend"], "openvino");
  EXPECT_EQ(decision["device"]["pci_address"], "0000:00:02.0");
  EXPECT_EQ(decision["device"]["kind"], "igpu");
  EXPECT_EQ(decision["native"], Json({{"openvino", "GPU"}, {"torch", "cpu"}}));
  EXPECT_EQ(decision["fallback"], false);
}

TEST(CApi, CudaOnTheRtxMachineGetsCudaZero) {
  OwnedInventory machine = Discover({{"replay", kRtxMachine}});
  Call call = SelectOn(machine.get(), {{"backend", "cuda"}});
  ASSERT_EQ(call.code, DEVPICK_OK) << call.error_text();
  EXPECT_EQ(call.json()["device"]["pci_address"], "0000:01:00.0");
  EXPECT_EQ(call.json()["native"], Json({{"torch", "cuda:0"}}));
}

TEST(CApi, OpenVinoOnTheArcMachinePrefersTheDiscreteArc) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  Call call = SelectOn(machine.get(), {{"backend", "openvino"}});
  ASSERT_EQ(call.code, DEVPICK_OK) << call.error_text();
  EXPECT_EQ(call.json()["device"]["pci_address"], "0000:03:00.0");
  EXPECT_EQ(call.json()["native"], Json({{"openvino", "GPU.1"}, {"torch", "cpu"}}));
}

TEST(CApi, NoEligibleDeviceReturnsThreeWithTheDecisionAndItsError) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  Call call = SelectOn(machine.get(), {{"backend", "cuda"}});
  ASSERT_EQ(call.code, DEVPICK_NO_DEVICE);
  ASSERT_NE(call.output, nullptr);
  Json decision = call.json();
  EXPECT_TRUE(decision["device"].is_null());
  ASSERT_TRUE(decision["error"].is_string());
  EXPECT_EQ(call.error_text(), decision["error"].get<std::string>());
}

TEST(CApi, InvalidRequestReturnsTwoWithTheClisMessageAndNoDecision) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  EXPECT_THAT(
      RefusedAsInvalid(SelectOn(machine.get(), {{"backend", "openvino"}, {"device", "cuda:0,1x"}})),
      testing::StartsWith("invalid device spec 'cuda:0,1x': item '1x' is not a device "
                          "spec; accepted: "));
}

TEST(CApi, MeasuredPolicyIsRefusedForAReplayedMachine) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  EXPECT_EQ(
      RefusedAsInvalid(SelectOn(machine.get(), {{"backend", "openvino"}, {"policy", "measured"}})),
      "the measured policy runs work on this machine's devices; it cannot rank the devices "
      "of a replayed snapshot (" +
          kArcMachine + ")");
}

TEST(CApi, SnapshotRoundTripsToTheSameInventory) {
  OwnedInventory replayed = Discover({{"replay", kArcMachine}});
  char* snapshot = nullptr;
  char* error = nullptr;
  ASSERT_EQ(devpick_inventory_snapshot_json(replayed.get(), &snapshot, &error), DEVPICK_OK);
  OwnedString owned_snapshot(snapshot);
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(Json::parse(snapshot)["devpick_snapshot"], 1);
  OwnedInventory imported = Discover({{"snapshot_json", snapshot}});
  Call first = ListOf(replayed.get());
  Call second = ListOf(imported.get());
  ASSERT_EQ(first.code, DEVPICK_OK);
  ASSERT_EQ(second.code, DEVPICK_OK);
  EXPECT_STREQ(first.output.get(), second.output.get());
}

TEST(CApi, ListShowsTheChoiceOfEveryBackend) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  Call call = ListOf(machine.get());
  ASSERT_EQ(call.code, DEVPICK_OK) << call.error_text();
  Json list = call.json();
  std::string arc_id;
  for (const Json& device : list["devices"]) {
    if (device["pci_address"] == "0000:03:00.0") arc_id = device["id"];
  }
  ASSERT_FALSE(arc_id.empty());
  EXPECT_EQ(list["backends"]["openvino"], arc_id);
  EXPECT_EQ(list["backends"]["xpu"], arc_id);
  EXPECT_TRUE(list["backends"]["cuda"].is_null());
  EXPECT_EQ(list["backends"].size(), 10u);
}

TEST(CApi, RejectsBadOptionsWithoutAHandle) {
  struct Case {
    Json options;
    std::string message;
  };
  const std::vector<Case> kCases = {
      {{{"replay", "/nonexistent/machine.json"}},
       "cannot read snapshot /nonexistent/machine.json: No such file or directory"},
      {{{"root", "/nonexistent/tree"}}, "the captured tree /nonexistent/tree is not a directory"},
      {{{"snapshot_json", "{\"devpick_snapshot\": 99}"}}, ""},
      {{{"timeout_ms", -5}},
       "options.timeout_ms: expected a positive number of milliseconds up to 3600000, got -5"},
  };
  for (const Case& c : kCases) {
    devpick_inventory* inventory = reinterpret_cast<devpick_inventory*>(0x1);
    char* error = nullptr;
    EXPECT_EQ(devpick_discover(c.options.dump().c_str(), &inventory, &error), DEVPICK_INVALID)
        << c.options;
    OwnedString owned(error);
    EXPECT_EQ(inventory, nullptr);
    ASSERT_NE(error, nullptr);
    if (!c.message.empty()) {
      EXPECT_EQ(std::string(error), c.message);
    } else {
      EXPECT_THAT(error, testing::StartsWith("snapshot_json: "));
    }
  }
}

TEST(CApi, NullArgumentsAreInvalidNotCrashes) {
  char* output = reinterpret_cast<char*>(0x1);
  char* error = nullptr;
  EXPECT_EQ(devpick_select(nullptr, "{}", &output, &error), DEVPICK_INVALID);
  EXPECT_EQ(output, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_STREQ(error, "devpick_select: inventory is NULL");
  devpick_string_free(error);
  EXPECT_EQ(devpick_discover("{}", nullptr, nullptr), DEVPICK_INVALID);
  EXPECT_EQ(devpick_inventory_list_json(nullptr, nullptr, nullptr), DEVPICK_INVALID);
  devpick_inventory_free(nullptr);
  devpick_string_free(nullptr);
}

TEST(CApi, ErrorPointerMayBeNull) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  char* output = nullptr;
  EXPECT_EQ(devpick_select(machine.get(), "{\"backend\": \"cud\"}", &output, nullptr),
            DEVPICK_INVALID);
  EXPECT_EQ(devpick_select(machine.get(), "{\"backend\": \"cuda\"}", &output, nullptr),
            DEVPICK_NO_DEVICE);
  devpick_string_free(output);
}

TEST(CApi, RootedDiscoveryReadsACapturedTree) {
  OwnedInventory machine =
      Discover({{"root", std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/arc-a770-uhd770"},
                {"probes", {"sysfs", "cpu"}}});
  ASSERT_NE(machine, nullptr);
  Call list = ListOf(machine.get());
  ASSERT_EQ(list.code, DEVPICK_OK);
  const Json document = list.json();
  std::vector<std::string> addresses;
  for (const Json& device : document["devices"]) {
    if (device["pci_address"].is_string()) addresses.push_back(device["pci_address"]);
  }
  EXPECT_THAT(addresses, testing::UnorderedElementsAre("0000:00:02.0", "0000:03:00.0"));
}

TEST(CApi, SeveralThreadsMaySelectOnOneHandle) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  const std::string expected = SelectOn(machine.get(), {{"backend", "openvino"}}).output.get();
  constexpr int kThreads = 8;
  std::vector<std::string> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) {
        Call call = SelectOn(machine.get(), {{"backend", "openvino"}});
        if (call.code != DEVPICK_OK || expected != call.output.get()) return;
      }
      results[i] = expected;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, expected);
}

Call DoctorOf(const devpick_inventory* inventory, const char* request) {
  char* output = nullptr;
  char* error = nullptr;
  Call call;
  call.code = devpick_inventory_doctor_json(inventory, request, &output, &error);
  call.output.reset(output);
  call.error.reset(error);
  return call;
}

TEST(CApi, DoctorReportsABlockingProblemWithStatusFour) {
  OwnedInventory machine =
      Discover({{"root", std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/broken"},
                {"probes", {"sysfs", "cpu", "rocm"}}});
  ASSERT_NE(machine, nullptr);
  Call for_rocm = DoctorOf(machine.get(), R"({"backend": "hip"})");
  ASSERT_EQ(for_rocm.code, DEVPICK_PROBLEMS) << for_rocm.error_text();
  EXPECT_EQ(for_rocm.error, nullptr);
  Json report = for_rocm.json();
  EXPECT_EQ(report["backend"], "rocm");
  EXPECT_EQ(report["errors"], 1);
  ASSERT_EQ(report["findings"].size(), 1u);
  EXPECT_EQ(report["findings"][0]["code"], "no_driver");
  EXPECT_EQ(report["findings"][0]["device_id"], "gpu1");
  // The same error does not block a backend it cannot concern.
  Call for_cuda = DoctorOf(machine.get(), R"({"backend": "cuda"})");
  EXPECT_EQ(for_cuda.code, DEVPICK_OK) << for_cuda.error_text();
  EXPECT_EQ(for_cuda.json()["errors"], 0);
}

TEST(CApi, DoctorOnAHealthyReplayIsOk) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  Call call = DoctorOf(machine.get(), nullptr);
  ASSERT_EQ(call.code, DEVPICK_OK) << call.error_text();
  EXPECT_EQ(call.json(), Json::parse(R"({"backend": null, "findings": [], "errors": 0,
                                         "warnings": 0})"));
}

TEST(CApi, DoctorRejectsBadRequests) {
  OwnedInventory machine = Discover({{"replay", kArcMachine}});
  EXPECT_EQ(RefusedAsInvalid(DoctorOf(machine.get(), R"({"python": "/usr"})")),
            "request.python: a Python environment on this machine cannot be combined with a "
            "replayed snapshot (" +
                kArcMachine + ")");
  Call backend = DoctorOf(machine.get(), R"({"backend": "cud"})");
  EXPECT_EQ(backend.code, DEVPICK_INVALID);
  EXPECT_THAT(backend.error_text(), testing::StartsWith("unknown backend 'cud'; accepted: "));
  Call key = DoctorOf(machine.get(), R"({"backends": "cuda"})");
  EXPECT_EQ(key.error_text(), "request: unknown key 'backends'; known keys: backend, python");
}

}  // namespace
