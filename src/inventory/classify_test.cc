#include "inventory/classify.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

struct ClassifyCase {
  std::string_view name;
  PciFunction pci;
  PciRole role;
  std::optional<std::uint32_t> vendor_id;
  Vendor vendor;
  DeviceKind kind;  // compared for kComputeDevice only
  std::string reason;
  std::optional<std::string> vendor_inferred_from = std::nullopt;
};

PciFunction Display(std::string address, std::optional<std::uint32_t> vendor, std::uint32_t device,
                    std::optional<std::string> driver) {
  PciFunction pci;
  pci.address = std::move(address);
  pci.vendor = vendor;
  pci.device = device;
  pci.class_code = 0x030000;
  pci.driver = std::move(driver);
  pci.drm = {"card0", "renderD128"};
  return pci;
}

PciFunction With(PciFunction pci, auto change) {
  change(pci);
  return pci;
}

const ClassifyCase kCases[] = {
    {.name = "Intel display at 00:02.0 is the iGPU",
     .pci = Display("0000:00:02.0", 0x8086, 0xa780, "i915"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x8086,
     .vendor = Vendor::kIntel,
     .kind = DeviceKind::kIgpu,
     .reason = "pci: Intel display device at 00:02.x is the integrated GPU"},
    {.name = "Intel Arc A770 is in the discrete tables",
     .pci = Display("0000:03:00.0", 0x8086, 0x56a0, "i915"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x8086,
     .vendor = Vendor::kIntel,
     .kind = DeviceKind::kDgpu,
     .reason = "pci: device id 0x56a0 is in the Intel discrete GPU tables"},
    {.name = "Intel GPU outside the tables and off 00:02 counts as integrated",
     .pci = Display("0000:05:00.0", 0x8086, 0x0bad, "xe"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x8086,
     .vendor = Vendor::kIntel,
     .kind = DeviceKind::kIgpu,
     .reason = "pci: Intel GPU outside the discrete tables"},
    {.name = "AMD with board_info is discrete",
     .pci = With(Display("0000:0b:00.0", 0x1002, 0x73bf, "amdgpu"),
                 [](PciFunction& p) { p.board_info = true; }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1002,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kDgpu,
     .reason = "sysfs: amdgpu board_info is present (hidden on APUs)"},
    {.name = "AMD APU by device id (Renoir)",
     .pci = Display("0000:05:00.0", 0x1002, 0x1636, "amdgpu"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1002,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kIgpu,
     .reason = "pci: device id 0x1636 is in the AMD APU table"},
    {.name = "AMD APU by memory: small VRAM, large GTT",
     .pci = With(Display("0000:05:00.0", 0x1002, 0x0bad, "amdgpu"),
                 [](PciFunction& p) {
                   p.vram_bytes = kGiB / 2;
                   p.gtt_bytes = 16 * kGiB;
                 }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1002,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kIgpu,
     .reason = "sysfs: small VRAM carve-out with large GTT (APU heuristic)"},
    {.name = "AMD without an APU signal is discrete",
     .pci = With(Display("0000:0b:00.0", 0x1002, 0x73bf, "amdgpu"),
                 [](PciFunction& p) {
                   p.vram_bytes = 16 * kGiB;
                   p.gtt_bytes = 16 * kGiB;
                 }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1002,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kDgpu,
     .reason = "pci: AMD GPU without an APU signal"},
    {.name = "NVIDIA is discrete until CUDA says otherwise",
     .pci = Display("0000:01:00.0", 0x10de, 0x2684, "nvidia"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x10de,
     .vendor = Vendor::kNvidia,
     .kind = DeviceKind::kDgpu,
     .reason = "pci: NVIDIA GPUs are discrete unless CUDA says integrated"},
    {.name = "unreadable vendor file with /proc/driver/nvidia entry is NVIDIA",
     .pci = With(Display("0000:01:00.0", std::nullopt, 0x2684, "nvidia"),
                 [](PciFunction& p) { p.nvidia_procfs.emplace().model = "RTX 4090"; }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x10de,
     .vendor = Vendor::kNvidia,
     .kind = DeviceKind::kDgpu,
     .reason = "pci: NVIDIA GPUs are discrete unless CUDA says integrated",
     .vendor_inferred_from = "procfs /proc/driver/nvidia/gpus/0000:01:00.0"},
    {.name = "NPU by driver",
     .pci = With(Display("0000:00:0b.0", 0x8086, 0x0bad, "intel_vpu"),
                 [](PciFunction& p) {
                   p.class_code = 0x120000;
                   p.drm.clear();
                 }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x8086,
     .vendor = Vendor::kIntel,
     .kind = DeviceKind::kNpu,
     .reason = "pci: driver intel_vpu is an NPU driver"},
    {.name = "NPU by accel node",
     .pci = With(Display("0000:00:0b.0", 0x8086, 0x7d1d, std::nullopt),
                 [](PciFunction& p) {
                   p.class_code = 0x120000;
                   p.drm.clear();
                   p.accel = {"accel0"};
                 }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x8086,
     .vendor = Vendor::kIntel,
     .kind = DeviceKind::kNpu,
     .reason = "sysfs: has an accel node (accel0)"},
    {.name = "NPU by processing-accelerator class alone",
     .pci = With(Display("0000:c5:00.1", 0x1022, 0x0bad, std::nullopt),
                 [](PciFunction& p) {
                   p.class_code = 0x118000;
                   p.drm.clear();
                 }),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1022,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kNpu,
     .reason = "pci: processing-accelerator class 1180"},
    {.name = "SDXI data mover without nodes is not a compute device",
     .pci = With(Display("0000:c5:00.2", 0x1022, 0x0bad, std::nullopt),
                 [](PciFunction& p) {
                   p.class_code = 0x120100;
                   p.drm.clear();
                 }),
     .role = PciRole::kNotCompute,
     .vendor_id = 0x1022,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kDgpu,
     .reason = ""},
    {.name = "a bridge is never a GPU, even with a DRM node",
     .pci = With(Display("0000:00:01.0", 0x1002, 0x0bad, std::nullopt),
                 [](PciFunction& p) { p.class_code = 0x060400; }),
     .role = PciRole::kNotCompute,
     .vendor_id = 0x1002,
     .vendor = Vendor::kAmd,
     .kind = DeviceKind::kDgpu,
     .reason = ""},
    {.name = "ASPEED BMC by vendor",
     .pci = Display("0000:02:00.0", 0x1a03, 0x2000, std::nullopt),
     .role = PciRole::kBmcOrVirtualDisplay,
     .vendor_id = 0x1a03,
     .vendor = Vendor::kOther,
     .kind = DeviceKind::kDgpu,
     .reason = ""},
    {.name = "virtual display by driver",
     .pci = Display("0000:00:01.0", 0x1b36, 0x0100, "qxl"),
     .role = PciRole::kBmcOrVirtualDisplay,
     .vendor_id = 0x1b36,
     .vendor = Vendor::kOther,
     .kind = DeviceKind::kDgpu,
     .reason = ""},
    {.name = "WSL paravirtual GPU",
     .pci = Display("0000:00:00.0", 0x1414, 0x008e, std::nullopt),
     .role = PciRole::kWslParavirtual,
     .vendor_id = 0x1414,
     .vendor = Vendor::kMicrosoft,
     .kind = DeviceKind::kDgpu,
     .reason = ""},
    {.name = "another vendor's display controller",
     .pci = Display("0000:07:00.0", 0x1d17, 0x3d00, "zx"),
     .role = PciRole::kComputeDevice,
     .vendor_id = 0x1d17,
     .vendor = Vendor::kOther,
     .kind = DeviceKind::kDgpu,
     .reason = "pci: display controller"},
};

TEST(ClassifyPciFunction, EveryRowOfTheTable) {
  for (const ClassifyCase& c : kCases) {
    SCOPED_TRACE(c.name);
    PciClassification got = ClassifyPciFunction(c.pci);
    EXPECT_EQ(got.role, c.role);
    EXPECT_EQ(got.vendor_id, c.vendor_id);
    EXPECT_EQ(got.vendor, c.vendor);
    EXPECT_EQ(got.vendor_inferred_from, c.vendor_inferred_from);
    EXPECT_EQ(got.reason, c.reason);
    if (c.role == PciRole::kComputeDevice) {
      EXPECT_EQ(got.kind, c.kind);
    }
  }
}

TEST(Hex4, PadsToFourLowerCaseDigits) {
  EXPECT_EQ(Hex4(0x56A0), "56a0");
  EXPECT_EQ(Hex4(0x8e), "008e");
}

}  // namespace
}  // namespace devpick
