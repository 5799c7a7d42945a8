// Decision output: the select --json contract, human text, and env/shell assignments
// (src/emit/decision_format.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devpick/select.h"
#include "select/test_inventories.h"

namespace devpick {
namespace {

using ::devpick::testing::ArcA770Desktop;
using ::devpick::testing::Rtx3080Desktop;
using ::devpick::testing::Rx6800Desktop;
using Json = nlohmann::ordered_json;

// The decision for `backend` with the defaults.
Decision Pick(const Inventory& inventory, std::string backend) {
  Request request;
  request.backend = std::move(backend);
  Result<Decision> decision = Select(inventory, request);
  EXPECT_TRUE(decision.ok()) << decision.status().message();
  return decision.ok() ? std::move(decision).value() : Decision{};
}

TEST(DecisionToJson, HasTheContractFieldsInOrder) {
  Inventory inventory = ArcA770Desktop();
  Json json = DecisionToJson(Pick(inventory, "openvino"));
  EXPECT_EQ(json.dump(),
            R"({"backend":"openvino","backend_recommended":false,"policy":"performance",)"
            R"("device":{"id":"gpu1","kind":"dgpu","vendor":"intel","name":"Intel(R) Arc(TM) A770 )"
            R"(Graphics","pci_address":"0000:03:00.0","uuid":"8680a056080000000300000000000000",)"
            R"("memory_total_bytes":16225243136},"native":{"openvino":"GPU.1","torch":"cpu"},)"
            R"("env":{},"fallback":false,"candidates":[{"id":"gpu1","eligible":true,"rank":1,)"
            R"("reason":"discrete GPU, 15 GiB","reason_code":"eligible"},{"id":"gpu0",)"
            R"("eligible":true,"rank":2,"reason":"integrated GPU","reason_code":"eligible"},)"
            R"({"id":"cpu","eligible":true,"rank":3,"reason":"CPU","reason_code":"eligible"}],)"
            R"("warnings":[]})");
}

TEST(DecisionToJson, NoDeviceHasNullDeviceAndError) {
  Inventory inventory = Rx6800Desktop();
  Json json = DecisionToJson(Pick(inventory, "cuda"));
  EXPECT_TRUE(json["device"].is_null());
  EXPECT_EQ(json["error"],
            "no eligible device for backend cuda: no NVIDIA GPU was found (found: cpu (CPU), gpu0 "
            "(AMD Radeon RX 6800, dgpu))");
  EXPECT_FALSE(json["candidates"][0].contains("rank"));
}

TEST(FormatDecision, TextAndExplain) {
  Inventory inventory = Rtx3080Desktop();
  Decision d = Pick(inventory, "xpu");
  EXPECT_EQ(FormatDecisionText(d, false),
            "backend xpu (performance): gpu0 Intel(R) UHD Graphics 770 [igpu, 0000:00:02.0]\n"
            "  torch: xpu:0\n"
            "  env: ZE_ENABLE_PCI_ID_DEVICE_ORDER=1\n"
            "warning: xpu:N follows the PCI bus order because Level Zero was not queried "
            "(level_zero probe did not run); ZE_ENABLE_PCI_ID_DEVICE_ORDER=1 makes Level Zero "
            "number GPUs the same way\n");
  EXPECT_EQ(FormatDecisionText(Pick(inventory, "cuda"), true),
            "backend cuda (performance): gpu1 NVIDIA GeForce RTX 3080 [dgpu, 0000:01:00.0]\n"
            "  torch: cuda:0\n"
            "candidates:\n"
            "  1.  gpu1  discrete GPU, 10 GiB\n"
            "  -   cpu   CUDA does not run on the CPU; --fallback cpu allows the CPU explicitly "
            "[cpu_needs_fallback]\n"
            "  -   gpu0  CUDA cannot drive Intel GPUs [backend_cannot_drive]\n");
}

TEST(FormatDecision, EnvAndShellQuoting) {
  Decision d;
  d.env = {{"A", "it's"}, {"ZE_ENABLE_PCI_ID_DEVICE_ORDER", "1"}};
  EXPECT_EQ(*FormatDecisionEnv(d, false), "A=it's\nZE_ENABLE_PCI_ID_DEVICE_ORDER=1\n");
  EXPECT_EQ(*FormatDecisionEnv(d, true),
            "export A='it'\\''s'\nexport ZE_ENABLE_PCI_ID_DEVICE_ORDER='1'\n");
}

// Issue 12: a UUID holding a newline (from a snapshot) injected a second line into the env file.
TEST(FormatDecision, EnvFileRefusesAValueWithAControlCharacterAndShellQuotesIt) {
  Decision d;
  d.env = {{"CUDA_VISIBLE_DEVICES", "GPU-1\nLD_PRELOAD=evil.so"}};
  Result<std::string> env = FormatDecisionEnv(d, false);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().message(),
            "cannot write CUDA_VISIBLE_DEVICES in an env file: its value "
            "\"GPU-1\\x0aLD_PRELOAD=evil.so\" holds a control character at byte 5, which an env "
            "file cannot carry; use --format shell (quoted) or --json");
  EXPECT_EQ(*FormatDecisionEnv(d, true),
            "export CUDA_VISIBLE_DEVICES='GPU-1\nLD_PRELOAD=evil.so'\n");
}

}  // namespace
}  // namespace devpick
