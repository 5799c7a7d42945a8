// The backend table: its accepted-name lists (asserted here and nowhere else; other tests compare
// with AcceptedBackends()), typed lookups, and the rules that read rows instead of names: ONNX
// Runtime routing, the recommendation per vendor, kind and OS, and who owns a native spelling.
#include "select/backend_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "probes/registry.h"
#include "select/eligibility.h"
#include "select/native_names.h"

namespace devpick {
namespace {

TEST(BackendTable, AcceptedNamesAndAliasesInTableOrder) {
  EXPECT_EQ(BackendNameList(),
            "cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime, vulkan, cpu");
  EXPECT_EQ(AcceptedBackends(),
            "cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime, vulkan, cpu (aliases: "
            "torch-cuda, hip, ipex, dml, ort)");
  EXPECT_EQ(BackendNames().size(), kBackendCount);
}

TEST(BackendTable, RowsAreFoundByIdAndByNameOrAlias) {
  for (const BackendInfo& row : Backends()) {
    EXPECT_EQ(&Backend(row.id), &row) << row.name;
    EXPECT_EQ(FindBackend(row.name), &row);
  }
  EXPECT_EQ(FindBackend("ipex"), &Backend(BackendId::kXpu));
  EXPECT_EQ(FindBackend("ort"), &Backend(BackendId::kOnnxRuntime));
}

TEST(BackendTable, AnUnknownNameIsAnErrorNotTheCpuRow) {
  EXPECT_EQ(FindBackend("cpuu"), nullptr);
  Result<const BackendInfo*> row = LookupBackend("cud");
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(row.status().message(), "unknown backend 'cud'; accepted: " + AcceptedBackends());
  EXPECT_EQ(CanonicalBackend("hip").value_or(""), "rocm");
  EXPECT_FALSE(CanonicalBackend("").ok());
}

Device DeviceOf(Vendor vendor, DeviceKind kind, std::vector<std::string> bindings = {}) {
  Device device;
  device.id = "dev";
  device.vendor = vendor;
  device.kind = kind;
  for (const std::string& api : bindings) {
    device.bindings.push_back({.api = api, .index = 0, .name = std::nullopt, .software = false});
  }
  return device;
}

Inventory HostInventory(std::string os, std::string arch = "x86_64") {
  Inventory inventory;
  inventory.host.os = std::move(os);
  inventory.host.arch = std::move(arch);
  return inventory;
}

std::string NameOf(const BackendInfo* row) {
  return row == nullptr ? "none" : std::string(row->name);
}

struct RouteCase {
  Vendor vendor;
  DeviceKind kind;
  std::string os;
  std::vector<std::string> bindings;
  std::string ort;        // OrtBackendFor
  std::string recommend;  // RecommendedBackend
};

TEST(BackendTable, OnnxRuntimeRoutingAndRecommendationFollowTheRows) {
  const RouteCase kCases[] = {
      {Vendor::kNvidia, DeviceKind::kDgpu, "linux", {}, "cuda", "cuda"},
      {Vendor::kNvidia, DeviceKind::kDgpu, "windows", {"dxgi"}, "cuda", "cuda"},
      {Vendor::kAmd, DeviceKind::kDgpu, "linux", {}, "rocm", "rocm"},
      {Vendor::kAmd, DeviceKind::kDgpu, "windows", {"dxgi"}, "directml", "directml"},
      {Vendor::kAmd, DeviceKind::kDgpu, "windows", {}, "none", "none"},
      {Vendor::kAmd, DeviceKind::kNpu, "linux", {}, "none", "none"},
      {Vendor::kIntel, DeviceKind::kIgpu, "linux", {}, "openvino", "xpu"},
      {Vendor::kIntel, DeviceKind::kNpu, "windows", {"dxgi"}, "openvino", "openvino"},
      {Vendor::kApple, DeviceKind::kIgpu, "macos", {}, "mps", "mps"},
      {Vendor::kQualcomm, DeviceKind::kIgpu, "windows", {"dxgi"}, "directml", "directml"},
      {Vendor::kOther, DeviceKind::kDgpu, "linux", {"vulkan"}, "none", "vulkan"},
      {Vendor::kAmd, DeviceKind::kCpu, "linux", {}, "cpu", "openvino"},
  };
  for (const RouteCase& c : kCases) {
    Device device = DeviceOf(c.vendor, c.kind, c.bindings);
    Inventory inventory = HostInventory(c.os);
    SCOPED_TRACE(std::string(VendorDisplayName(c.vendor)) + " " + std::string(ToString(c.kind)) +
                 " on " + c.os);
    EXPECT_EQ(NameOf(OrtBackendFor(device, inventory)), c.ort);
    EXPECT_EQ(NameOf(RecommendedBackend(device, inventory.host)), c.recommend);
  }
  Device cpu = DeviceOf(Vendor::kOther, DeviceKind::kCpu);
  EXPECT_EQ(NameOf(RecommendedBackend(cpu, HostInventory("linux", "aarch64").host)), "cpu");
}

TEST(BackendTable, EachNativeSpellingBelongsToOneBackend) {
  auto owner = [](DeviceSpecItem::Type type, std::string value) {
    DeviceSpecItem item;
    item.type = type;
    item.value = std::move(value);
    return NameOf(BackendOfNative(item));
  };
  using Type = DeviceSpecItem::Type;
  EXPECT_EQ(owner(Type::kNative, "cuda"), "cuda");  // rocm and zluda spell it too
  EXPECT_EQ(owner(Type::kNative, "xpu"), "xpu");
  EXPECT_EQ(owner(Type::kNative, "privateuseone"), "directml");
  EXPECT_EQ(owner(Type::kNative, "mps"), "mps");
  EXPECT_EQ(owner(Type::kNative, "GPU"), "openvino");
  EXPECT_EQ(owner(Type::kNative, "CPU"), "openvino");
  EXPECT_EQ(owner(Type::kName, "cuda"), "none");
}

TEST(BackendTable, EveryProbeARowNamesIsRegistered) {
  for (const BackendInfo& row : Backends()) {
    for (std::string_view probe : row.probes) {
      if (probe.empty()) continue;
      EXPECT_NE(FindProbeDescriptor(probe), nullptr) << row.name << ": " << probe;
    }
    if (row.runtime_probe.empty()) continue;
    EXPECT_NE(FindProbeDescriptor(row.runtime_probe), nullptr) << row.name;
  }
}

TEST(ProbesForBackend, NamesOnlyTheProbesADecisionReadsThatThisBuildRuns) {
  // dxgi and metal are recorded in snapshots but have no live probe here.
  EXPECT_EQ(ProbesForBackend(std::string("directml")), (std::vector<std::string>{"sysfs", "cpu"}));
  EXPECT_EQ(ProbesForBackend(std::string("mps")), (std::vector<std::string>{"sysfs", "cpu"}));
  EXPECT_EQ(ProbesForBackend(std::string("cuda")),
            (std::vector<std::string>{"sysfs", "cpu", "nvml", "cuda"}));
  EXPECT_EQ(ProbesForBackend(std::string("ipex")),
            (std::vector<std::string>{"sysfs", "cpu", "level_zero"}));
  EXPECT_EQ(ProbesForBackend(std::string("openvino")),
            (std::vector<std::string>{"sysfs", "cpu", "openvino", "opencl", "level_zero"}));
  EXPECT_EQ(ProbesForBackend(std::string("cpu")), (std::vector<std::string>{"sysfs", "cpu"}));
  EXPECT_TRUE(ProbesForBackend(std::nullopt).empty());
  EXPECT_TRUE(ProbesForBackend(std::string("nonsense")).empty());
}

}  // namespace
}  // namespace devpick
