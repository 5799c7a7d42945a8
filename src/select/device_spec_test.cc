#include "select/device_spec.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

using Type = DeviceSpecItem::Type;
using KindFilter = DeviceSpecItem::KindFilter;

DeviceSpecItem One(std::string_view text) {
  Result<std::vector<DeviceSpecItem>> items = ParseDeviceSpec(text);
  EXPECT_TRUE(items.ok()) << items.status().message();
  if (!items.ok() || items->size() != 1) return {};
  return items->front();
}

TEST(ParseDeviceSpec, EveryForm) {
  EXPECT_EQ(One("auto").type, Type::kAuto);
  EXPECT_EQ(One("gpu").kind, KindFilter::kGpu);
  EXPECT_EQ(One("npu").kind, KindFilter::kNpu);
  DeviceSpecItem vendor = One("intel:igpu");
  EXPECT_EQ(vendor.type, Type::kVendor);
  EXPECT_EQ(vendor.vendor, Vendor::kIntel);
  EXPECT_EQ(vendor.kind, KindFilter::kIgpu);
  EXPECT_EQ(One("nvidia").kind, KindFilter::kAny);
  EXPECT_EQ(One("gpu1").type, Type::kId);
  EXPECT_EQ(One("npu0").value, "npu0");
  DeviceSpecItem pci = One("pci:03:00.0");
  EXPECT_EQ(pci.type, Type::kPci);
  EXPECT_EQ(pci.pci->ToString(), "0000:03:00.0");
  EXPECT_EQ(One("uuid:GPU-8932f937").value, "GPU-8932f937");
  EXPECT_EQ(One("name:Arc A770").value, "Arc A770");
  EXPECT_EQ(One("12").index, 12);
  DeviceSpecItem cuda = One("cuda:1");
  EXPECT_EQ(cuda.type, Type::kNative);
  EXPECT_EQ(cuda.value, "cuda");
  EXPECT_EQ(cuda.index, 1);
  EXPECT_TRUE(IsTorchNative(cuda));
  DeviceSpecItem gpu1 = One("GPU.1");
  EXPECT_EQ(gpu1.value, "GPU");
  EXPECT_EQ(gpu1.index, 1);
  EXPECT_TRUE(IsOpenVinoNative(gpu1));
  EXPECT_FALSE(One("GPU").index.has_value());
  EXPECT_EQ(One("privateuseone:0").value, "privateuseone");
  EXPECT_EQ(One("mps").type, Type::kNative);
  EXPECT_EQ(One("CPU").value, "CPU");
}

TEST(ParseDeviceSpec, ListKeepsOrderAndTrimsSpaces) {
  Result<std::vector<DeviceSpecItem>> items = ParseDeviceSpec("dgpu, igpu ,cpu");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].text, "dgpu");
  EXPECT_EQ((*items)[1].text, "igpu");
  EXPECT_EQ((*items)[2].kind, KindFilter::kCpu);
}

TEST(ParseDeviceSpec, NpuIsNamedOnlyExplicitly) {
  EXPECT_TRUE(NamesNpu(One("npu")));
  EXPECT_TRUE(NamesNpu(One("intel:npu")));
  EXPECT_TRUE(NamesNpu(One("NPU")));
  EXPECT_TRUE(NamesNpu(One("npu0")));
  EXPECT_FALSE(NamesNpu(One("auto")));
  EXPECT_FALSE(NamesNpu(One("intel")));
  EXPECT_FALSE(NamesNpu(One("gpu")));
}

struct BadSpec {
  std::string spec;
  std::string message;
};

class ParseDeviceSpecError : public ::testing::TestWithParam<BadSpec> {};

TEST_P(ParseDeviceSpecError, NamesTheItemAndWhatIsAccepted) {
  Result<std::vector<DeviceSpecItem>> items = ParseDeviceSpec(GetParam().spec);
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(items.status().message(), GetParam().message);
}

const std::string kAccepted(AcceptedDeviceSpecForms());

INSTANTIATE_TEST_SUITE_P(
    Grammar, ParseDeviceSpecError,
    ::testing::Values(
        BadSpec{"cuda:0,1x",
                "invalid device spec 'cuda:0,1x': item '1x' is not a device spec; "
                "accepted: " +
                    kAccepted},
        BadSpec{"", "invalid device spec '': it is empty; accepted: " + kAccepted},
        BadSpec{"dgpu,,cpu",
                "invalid device spec 'dgpu,,cpu': item 2 is empty; separate items "
                "with single commas, e.g. dgpu,igpu,cpu"},
        BadSpec{"cuda:01",
                "invalid device spec 'cuda:01': item 'cuda:01' has an invalid index "
                "'01'; expected a number without sign or leading zeros, e.g. cuda:1"},
        BadSpec{"cuda:",
                "invalid device spec 'cuda:': item 'cuda:' has an invalid index ''; "
                "expected a number without sign or leading zeros, e.g. cuda:1"},
        BadSpec{"GPU.x",
                "invalid device spec 'GPU.x': item 'GPU.x' has an invalid index 'x'; "
                "expected a number without sign or leading zeros, e.g. GPU.1"},
        BadSpec{"007",
                "invalid device spec '007': item '007' has an invalid index '007'; expected "
                "a number without sign or leading zeros, e.g. 0"},
        BadSpec{"pci:03:00",
                "invalid device spec 'pci:03:00': item 'pci:03:00' is not a PCI "
                "address; expected pci:DDDD:BB:DD.F or pci:BB:DD.F"},
        BadSpec{"uuid:",
                "invalid device spec 'uuid:': item 'uuid:' has no UUID prefix; expected "
                "uuid:PREFIX such as uuid:GPU-8932f937"},
        BadSpec{"name:",
                "invalid device spec 'name:': item 'name:' has no text; expected "
                "name:TEXT such as name:A770"},
        BadSpec{"nvidia:tpu",
                "invalid device spec 'nvidia:tpu': item 'nvidia:tpu' has an unknown "
                "kind 'tpu'; accepted kinds: cpu, gpu, dgpu, igpu, npu"},
        BadSpec{"gpu01",
                "invalid device spec 'gpu01': item 'gpu01' is not an inventory id; ids "
                "are cpu, gpu0, gpu1, ..., npu0, ..."},
        BadSpec{"Intel",
                "invalid device spec 'Intel': item 'Intel' is not a device spec; "
                "accepted: " +
                    kAccepted},
        BadSpec{"cuda", "invalid device spec 'cuda': item 'cuda' is not a device spec; accepted: " +
                            kAccepted}));

}  // namespace
}  // namespace devpick
