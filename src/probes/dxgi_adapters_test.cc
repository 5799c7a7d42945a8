#include "probes/dxgi_adapters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>

#include "devpick/inventory.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

// Made-up DXGI factories: the adapters a machine would enumerate, or a failing factory.
class FakeDxgi final : public DxgiAdapterSource {
 public:
  explicit FakeDxgi(std::vector<DxgiAdapterDescription> adapters)
      : adapters_(std::move(adapters)) {}
  explicit FakeDxgi(Status failure) : failure_(std::move(failure)) {}
  Result<std::vector<DxgiAdapterDescription>> Adapters() const override {
    if (!failure_.ok()) return failure_;
    return adapters_;
  }
  std::string library() const override { return "C:\\Windows\\System32\\dxgi.dll"; }

 private:
  std::vector<DxgiAdapterDescription> adapters_;
  Status failure_ = Status::Ok();
};

DxgiAdapterDescription Rtx3080() {
  return {.description = "NVIDIA GeForce RTX 3080",
          .vendor_id = 0x10de,
          .device_id = 0x2206,
          .dedicated_video_memory_bytes = 10 * kGiB,
          .shared_system_memory_bytes = 16 * kGiB,
          .luid = 0x0000d2f1};
}

DxgiAdapterDescription Uhd770() {
  return {.description = "Intel(R) UHD Graphics 770",
          .vendor_id = 0x8086,
          .device_id = 0x4680,
          .dedicated_video_memory_bytes = 128 << 20,
          .shared_system_memory_bytes = 16 * kGiB,
          .luid = 0x0000e3a2};
}

DxgiAdapterDescription BasicRenderDriver() {
  return {.description = "Microsoft Basic Render Driver",
          .vendor_id = 0x1414,
          .device_id = 0x008c,
          .shared_system_memory_bytes = 16 * kGiB,
          .luid = 0x0001'0000'0042,
          .software = true};
}

TEST(ProbeDxgi, RecordsEachAdapterInEnumerationOrder) {
  Observations out;
  ProbeDxgi(FakeDxgi({Rtx3080(), Uhd770(), BasicRenderDriver()}), &out);
  ASSERT_TRUE(out.probes.dxgi);
  const DxgiObservation& dxgi = *out.probes.dxgi;
  EXPECT_EQ(dxgi.status, ProbeStatus::kOk);
  EXPECT_EQ(dxgi.library, "C:\\Windows\\System32\\dxgi.dll");
  ASSERT_EQ(dxgi.adapters.size(), 3u);
  EXPECT_EQ(dxgi.adapters[0].index, 0);
  EXPECT_EQ(dxgi.adapters[0].name, "NVIDIA GeForce RTX 3080");
  EXPECT_EQ(dxgi.adapters[0].vendor_id, 0x10deu);
  EXPECT_EQ(dxgi.adapters[0].device_id, 0x2206u);
  EXPECT_EQ(dxgi.adapters[0].luid, "0x0000d2f1");
  EXPECT_EQ(dxgi.adapters[0].dedicated_video_memory_bytes, 10 * kGiB);
  EXPECT_EQ(dxgi.adapters[0].shared_system_memory_bytes, 16 * kGiB);
  EXPECT_FALSE(dxgi.adapters[0].software);
  EXPECT_EQ(dxgi.adapters[1].index, 1);
  EXPECT_EQ(dxgi.adapters[1].name, "Intel(R) UHD Graphics 770");
  EXPECT_EQ(dxgi.adapters[2].index, 2);
  EXPECT_EQ(dxgi.adapters[2].luid, "0x100000042");
  EXPECT_TRUE(dxgi.adapters[2].software);
}

TEST(ProbeDxgi, AFailingFactoryIsAnErrorNamingTheCall) {
  Observations out;
  ProbeDxgi(FakeDxgi(Status::Unavailable("CreateDXGIFactory1 failed: 0x887a0004")), &out);
  ASSERT_TRUE(out.probes.dxgi);
  EXPECT_EQ(out.probes.dxgi->status, ProbeStatus::kError);
  EXPECT_EQ(out.probes.dxgi->detail, "CreateDXGIFactory1 failed: 0x887a0004");
  EXPECT_TRUE(out.probes.dxgi->adapters.empty());
}

TEST(ProbeDxgi, NoAdaptersIsOkAndEmpty) {
  Observations out;
  ProbeDxgi(FakeDxgi(std::vector<DxgiAdapterDescription>{}), &out);
  EXPECT_EQ(out.probes.dxgi->status, ProbeStatus::kOk);
  EXPECT_TRUE(out.probes.dxgi->adapters.empty());
}

// DESIGN.md rule 5: without sysfs, adapters are classified by vendor, the ID tables and
// dedicated versus shared memory; the software adapter is a CPU binding, never a GPU.
TEST(ProbeDxgi, NvidiaPlusIntelIgpuCorrelateToADgpuAndAnIgpuInAdapterOrder) {
  Observations out;
  ProbeDxgi(FakeDxgi({Rtx3080(), Uhd770(), BasicRenderDriver()}), &out);
  Inventory inventory = Correlate(out, nullptr);
  std::vector<std::pair<std::string, DeviceKind>> devices;
  for (const Device& device : inventory.devices) devices.emplace_back(device.id, device.kind);
  EXPECT_THAT(devices, ElementsAre(std::pair<std::string, DeviceKind>{"cpu", DeviceKind::kCpu},
                                   std::pair<std::string, DeviceKind>{"gpu0", DeviceKind::kDgpu},
                                   std::pair<std::string, DeviceKind>{"gpu1", DeviceKind::kIgpu}));
}

TEST(FormatLuid, PadsToEightHexDigitsAndKeepsTheHighPart) {
  EXPECT_EQ(FormatLuid(0x3f0), "0x000003f0");
  EXPECT_EQ(FormatLuid(0x0000'0001'0000'0000), "0x100000000");
}

}  // namespace
}  // namespace devpick
