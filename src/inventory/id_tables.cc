#include "inventory/id_tables.h"

#include <algorithm>
#include <charconv>
#include <span>

namespace devpick {
namespace {

template <typename T, std::size_t N>
constexpr bool Contains(const T (&table)[N], const T& value) {
  return std::find(std::begin(table), std::end(table), value) != std::end(table);
}

// --- Intel GPUs -------------------------------------------------------------------------------
// Source: linux include/drm/intel/pciids.h (INTEL_*_IDS macros; i915_pciids.h in older trees), plus
// the dri-devel patches adding BMG E209/E210/E211/E215/E216 and BMG-G31 E220-E222 (sysfs.md §3.2).
constexpr std::uint16_t kTglIds[] = {0x9a60, 0x9a68, 0x9a70, 0x9a40, 0x9a49, 0x9a59,
                                     0x9a78, 0x9ac0, 0x9ac9, 0x9ad9, 0x9af8};
constexpr std::uint16_t kRklIds[] = {0x4c80, 0x4c8a, 0x4c8b, 0x4c8c, 0x4c90, 0x4c9a};
constexpr std::uint16_t kDg1Ids[] = {0x4905, 0x4906, 0x4907, 0x4908, 0x4909};
constexpr std::uint16_t kAdlSIds[] = {0x4680, 0x4682, 0x4688, 0x468a,
                                      0x468b, 0x4690, 0x4692, 0x4693};
constexpr std::uint16_t kAdlPIds[] = {0x46a0, 0x46a1, 0x46a2, 0x46a3, 0x46a6, 0x46a8,
                                      0x46aa, 0x462a, 0x4626, 0x4628, 0x46b0, 0x46b1,
                                      0x46b2, 0x46b3, 0x46c0, 0x46c1, 0x46c2, 0x46c3};
constexpr std::uint16_t kAdlNIds[] = {0x46d0, 0x46d1, 0x46d2, 0x46d3, 0x46d4};
constexpr std::uint16_t kRplSIds[] = {0xa780, 0xa781, 0xa782, 0xa783,
                                      0xa788, 0xa789, 0xa78a, 0xa78b};
constexpr std::uint16_t kRplUIds[] = {0xa721, 0xa7a1, 0xa7a9, 0xa7ac, 0xa7ad};
constexpr std::uint16_t kRplPIds[] = {0xa720, 0xa7a0, 0xa7a8, 0xa7aa, 0xa7ab};
constexpr std::uint16_t kDg2G10Ids[] = {0x5690, 0x5691, 0x5692, 0x56a0,
                                        0x56a1, 0x56a2, 0x56be, 0x56bf};
constexpr std::uint16_t kDg2G11Ids[] = {0x5693, 0x5694, 0x5695, 0x56a5, 0x56a6, 0x56b0,
                                        0x56b1, 0x56ba, 0x56bb, 0x56bc, 0x56bd};
constexpr std::uint16_t kDg2G12Ids[] = {0x5696, 0x5697, 0x56a3, 0x56a4, 0x56b2, 0x56b3};
constexpr std::uint16_t kAtsMIds[] = {0x56c0, 0x56c1, 0x56c2};
constexpr std::uint16_t kPvcIds[] = {0x0b69, 0x0b6e, 0x0bd4, 0x0bd5, 0x0bd6, 0x0bd7, 0x0bd8,
                                     0x0bd9, 0x0bda, 0x0bdb, 0x0be0, 0x0be1, 0x0be5};
constexpr std::uint16_t kMtlIds[] = {0x7d40, 0x7d45, 0x7d55, 0x7d60, 0x7dd5};
constexpr std::uint16_t kArlIds[] = {0x7d51, 0x7dd1, 0x7d41, 0x7d67, 0xb640};
constexpr std::uint16_t kLnlIds[] = {0x6420, 0x64a0, 0x64b0};
constexpr std::uint16_t kBmgIds[] = {0xe202, 0xe209, 0xe20b, 0xe20c, 0xe20d, 0xe210, 0xe211,
                                     0xe212, 0xe215, 0xe216, 0xe220, 0xe221, 0xe222};
constexpr std::uint16_t kPtlIds[] = {0xb080, 0xb081, 0xb082, 0xb083, 0xb084, 0xb085,
                                     0xb086, 0xb087, 0xb08f, 0xb090, 0xb0a0, 0xb0b0};
constexpr std::uint16_t kWclIds[] = {0xfd80, 0xfd81};

struct IntelPlatform {
  std::string_view platform;
  std::string_view arch;
  bool discrete;
  std::span<const std::uint16_t> ids;
};

constexpr IntelPlatform kIntelPlatforms[] = {
    {"TGL", "Xe-LP", false, kTglIds},        {"RKL", "Xe-LP", false, kRklIds},
    {"DG1", "Xe-LP", true, kDg1Ids},         {"ADL-S", "Xe-LP", false, kAdlSIds},
    {"ADL-P", "Xe-LP", false, kAdlPIds},     {"ADL-N", "Xe-LP", false, kAdlNIds},
    {"RPL-S", "Xe-LP", false, kRplSIds},     {"RPL-U", "Xe-LP", false, kRplUIds},
    {"RPL-P", "Xe-LP", false, kRplPIds},     {"DG2-G10", "Xe-HPG", true, kDg2G10Ids},
    {"DG2-G11", "Xe-HPG", true, kDg2G11Ids}, {"DG2-G12", "Xe-HPG", true, kDg2G12Ids},
    {"ATS-M", "Xe-HPG", true, kAtsMIds},     {"PVC", "Xe-HPC", true, kPvcIds},
    {"MTL", "Xe-LPG", false, kMtlIds},       {"ARL", "Xe-LPG", false, kArlIds},
    {"LNL", "Xe2", false, kLnlIds},          {"BMG", "Xe2", true, kBmgIds},
    {"PTL", "Xe3", false, kPtlIds},          {"WCL", "Xe3", false, kWclIds},
};

const IntelPlatform* FindIntelPlatform(std::uint32_t device_id) {
  for (const IntelPlatform& platform : kIntelPlatforms) {
    if (std::find(platform.ids.begin(), platform.ids.end(), device_id) != platform.ids.end()) {
      return &platform;
    }
  }
  return nullptr;
}

// --- Built-in names ---------------------------------------------------------------------------
// Sources: installed pci.ids 2023.04.10 for the GPU IDs (e.g. "10de 2684 AD102 [GeForce RTX 4090]",
// "1002 744c Navi 31 [Radeon RX 7900 XT/7900 XTX]"), pciids.h for BMG/LNL/MTL, ivpu_drv.h for the
// Intel NPU IDs (marketed as "Intel AI Boost"), amdxdna_pci_drv.c for the AMD NPU IDs
// (research/sysfs.md §1.3, §3.2, §3.4, §4.5). One ID may cover several products; the name says so.
struct BuiltinName {
  std::uint32_t vendor;
  std::uint32_t device;
  std::string_view name;
};

constexpr BuiltinName kBuiltinNames[] = {
    {0x8086, 0x56a0, "Intel Arc A770 Graphics"},
    {0x8086, 0x56a1, "Intel Arc A750 Graphics"},
    {0x8086, 0x56a5, "Intel Arc A380 Graphics"},
    {0x8086, 0xe20b, "Intel Arc B580 Graphics"},
    {0x8086, 0xe20c, "Intel Arc B570 Graphics"},
    {0x8086, 0xa780, "Intel UHD Graphics 770"},
    {0x8086, 0x7d55, "Intel Arc Graphics (Meteor Lake)"},
    {0x8086, 0x64a0, "Intel Arc 140V/130V Graphics (Lunar Lake)"},
    {0x8086, 0x7d1d, "Intel AI Boost"},
    {0x8086, 0xad1d, "Intel AI Boost"},
    {0x8086, 0x643e, "Intel AI Boost"},
    {0x8086, 0xb03e, "Intel AI Boost"},
    {0x8086, 0xfd3e, "Intel AI Boost"},
    {0x10de, 0x2684, "NVIDIA GeForce RTX 4090"},
    {0x10de, 0x2704, "NVIDIA GeForce RTX 4080"},
    {0x10de, 0x28a0, "NVIDIA GeForce RTX 4060 Laptop GPU"},
    {0x10de, 0x2206, "NVIDIA GeForce RTX 3080"},
    {0x10de, 0x2204, "NVIDIA GeForce RTX 3090"},
    {0x1002, 0x744c, "AMD Radeon RX 7900 XT/7900 XTX"},
    {0x1002, 0x73bf, "AMD Radeon RX 6800/6800 XT/6900 XT"},
    {0x1002, 0x164e, "AMD Radeon Graphics (Raphael)"},
    {0x1002, 0x15bf, "AMD Radeon Graphics (Phoenix)"},
    {0x1022, 0x1502, "AMD Ryzen AI NPU (Phoenix/Hawk Point)"},
    {0x1022, 0x17f0, "AMD Ryzen AI NPU (Strix/Krackan)"},
};

// --- AMD --------------------------------------------------------------------------------------
// APU gfx targets. Source: linux drivers/gpu/drm/amd/amdkfd/kfd_device.c kgd2kfd_probe, as tabled
// in research/sysfs.md §4.2: gfx902 Raven/Picasso, gfx90c Renoir/Cezanne, gfx940 MI300A,
// gfx1033 Van Gogh, gfx1035 Rembrandt, gfx1036 Raphael/Mendocino, gfx1103 Phoenix/Hawk Point,
// gfx1150/1151/1152 Strix Point/Strix Halo/Krackan.
constexpr int kAmdApuGfxTargets[] = {90002,  90012,  90400,  100303, 100305,
                                     100306, 110003, 110500, 110501, 110502};

// APU integrated-GPU device IDs (vendor 0x1002). Source: the installed pci.ids (2023.04.10),
// the 1002 entries named Raven/Picasso/Renoir/Lucienne/Cezanne/Barcelo/VanGogh/Rembrandt/Raphael/
// Mendocino/Phoenix (audio and crypto functions left out); 0x150e Strix and 0x1586 Strix Halo from
// research/sysfs.md §4.3 (newer than that pci.ids).
constexpr std::uint32_t kAmdApuDeviceIds[] = {
    0x15dd,  // Raven Ridge
    0x15d8,  // Picasso/Raven 2
    0x1636,  // Renoir
    0x164c,  // Lucienne
    0x1638,  // Cezanne
    0x15e7,  // Barcelo
    0x163f,  // VanGogh
    0x164d,  // Rembrandt
    0x1681,  // Rembrandt [Radeon 680M]
    0x164e,  // Raphael
    0x1506,  // Mendocino
    0x15bf,  // Phoenix1
    0x15c8,  // Phoenix2
    0x164f,  // Phoenix
    0x150e,  // Strix
    0x1586,  // Strix Halo
};

// Source: ROCm system requirements (supported GPUs per release), approximate: the union over
// ROCm 5.x-7.x of gfx900, gfx906, gfx908, gfx90a, gfx940-942, gfx950 (MI350, ROCm 7), gfx1030,
// gfx1100-1102, gfx1150/1151 (newer releases) and gfx1200/1201.
constexpr int kRocmTargets[] = {90000,  90006,  90008,  90010,  90400,  90401,  90402,  90500,
                                100300, 110000, 110001, 110002, 110500, 110501, 120000, 120001};

// Overrides for unsupported gfx targets, matched by major.minor family. Source: what SD.Next and
// A1111 set and users report working (research/sdnext.md §2.5, §5.4, §6.2); the value's syntax is
// research/specs.md §4.2. RDNA1 (gfx101x) is deliberately absent although SD.Next maps it to 10.3.0
// too: a wrong override crashes in the first kernel launch, so no row means no advice.
struct GfxOverride {
  int major, minor;
  std::string_view value;
};
constexpr GfxOverride kGfxOverrides[] = {
    {10, 3, "10.3.0"},  // RDNA2: gfx1031..gfx1036 run as gfx1030
    {11, 0, "11.0.0"},  // RDNA3: gfx1103 (Phoenix APUs) runs as gfx1100
    {11, 5, "11.0.0"},  // RDNA3.5: gfx115x APUs outside the supported list run as gfx1100
};

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

// --- Drivers and vendors ----------------------------------------------------------------------
// Source: research/sysfs.md §2.3 (driver names from the kernel drivers' DRIVER_NAME) and §1.3.
constexpr std::string_view kExcludedDisplayDrivers[] = {
    "ast",        "mgag200",    "hibmc",     "simpledrm", "efifb",       "vesafb",   "virtio_gpu",
    "virtio-pci", "bochs",      "bochs-drm", "cirrus",    "cirrus-qemu", "qxl",      "vmwgfx",
    "vboxvideo",  "hyperv_drm", "udl",       "evdi",      "vkms",        "gm12u320",
};
constexpr std::uint32_t kExcludedDisplayVendors[] = {
    0x1a03,  // ASPEED (AST BMC)
    0x102b,  // Matrox (server BMC VGA)
    0x1234,  // QEMU/Bochs
    0x1af4,  // Red Hat virtio
    0x15ad,  // VMware
    0x1b36,  // Red Hat QXL
    0x80ee,  // VirtualBox
    0x1013,  // Cirrus Logic (emulated)
};
constexpr std::string_view kNpuDrivers[] = {"intel_vpu", "amdxdna", "qaic", "habanalabs"};
// Source: linux drivers/accel/ivpu/ivpu_drv.h PCI_DEVICE_ID_{MTL,ARL,LNL,PTL_P,WCL}.
constexpr std::uint32_t kIntelNpuIds[] = {0x7d1d, 0xad1d, 0x643e, 0xb03e, 0xfd3e};
// Source: amdxdna_pci_drv.c (mainline 0x1502, 0x17f0; out-of-tree amd/xdna-driver adds the rest).
constexpr std::uint32_t kAmdXdnaIds[] = {0x1502, 0x17f0, 0x17f1, 0x17f2,
                                         0x17f3, 0x1b0a, 0x1b0b, 0x1b0c};

// A decimal number of 1-3 digits; nullopt otherwise.
std::optional<int> SmallNumber(std::string_view text) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;  // from_chars would accept a sign
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

bool IsIntelDiscreteGpu(std::uint32_t device_id) {
  const IntelPlatform* platform = FindIntelPlatform(device_id);
  return platform != nullptr && platform->discrete;
}

std::optional<std::string_view> IntelGpuArch(std::uint32_t device_id) {
  const IntelPlatform* platform = FindIntelPlatform(device_id);
  if (platform == nullptr) return std::nullopt;
  return platform->arch;
}

std::optional<std::string> BuiltinGpuName(std::uint32_t vendor, std::uint32_t device) {
  for (const BuiltinName& row : kBuiltinNames) {
    if (row.vendor == vendor && row.device == device) return std::string(row.name);
  }
  return std::nullopt;
}

std::string GfxTargetName(int gfx_target_version) {
  if (gfx_target_version <= 0) return "";
  constexpr char kHex[] = "0123456789abcdef";
  int major = gfx_target_version / 10000;
  int minor = gfx_target_version / 100 % 100;
  int stepping = gfx_target_version % 100;
  std::string name = "gfx" + std::to_string(major);
  // Minor and stepping are single hex digits for every real target; larger values keep two.
  for (int part : {minor, stepping}) {
    if (part >= 16) name += kHex[part / 16];
    name += kHex[part % 16];
  }
  return name;
}

bool IsAmdApuGfxTarget(int gfx_target_version) {
  return Contains(kAmdApuGfxTargets, gfx_target_version);
}

bool IsAmdApuDeviceId(std::uint32_t device_id) { return Contains(kAmdApuDeviceIds, device_id); }

bool LooksLikeAmdApuByMemory(std::uint64_t vram_bytes, std::uint64_t gtt_bytes) {
  // Source: ollama discover/amd.go; written to avoid overflow of 4 * vram.
  return vram_bytes <= 4 * kGiB && gtt_bytes >= 8 * kGiB && gtt_bytes / 4 >= vram_bytes;
}

bool IsSupportedRocmTarget(int gfx_target_version) {
  return Contains(kRocmTargets, gfx_target_version);
}

std::optional<std::string_view> KnownGfxOverride(int gfx_target_version) {
  for (const GfxOverride& row : kGfxOverrides) {
    if (row.major == gfx_target_version / 10000 && row.minor == gfx_target_version / 100 % 100) {
      return row.value;
    }
  }
  return std::nullopt;
}

bool IsExcludedDisplayDriver(std::string_view driver) {
  return Contains(kExcludedDisplayDrivers, driver);
}

bool IsExcludedDisplayVendor(std::uint32_t vendor_id) {
  return Contains(kExcludedDisplayVendors, vendor_id);
}

bool IsNpuDriver(std::string_view driver) { return Contains(kNpuDrivers, driver); }

bool IsIntelNpuDeviceId(std::uint32_t device_id) { return Contains(kIntelNpuIds, device_id); }

bool IsAmdXdnaDeviceId(std::uint32_t device_id) { return Contains(kAmdXdnaIds, device_id); }

std::optional<std::string> NvidiaArch(std::string_view compute_capability) {
  std::size_t dot = compute_capability.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<int> major = SmallNumber(compute_capability.substr(0, dot));
  std::optional<int> minor = SmallNumber(compute_capability.substr(dot + 1));
  if (!major || !minor || *major == 0) return std::nullopt;
  return "sm_" + std::to_string(*major) + std::to_string(*minor);
}

}  // namespace devpick
