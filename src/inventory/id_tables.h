// ID tables: what devpick knows about specific PCI IDs, driver names and AMD gfx targets without
// asking a runtime.
//
// Each question is answered from one declarative table in id_tables.cc, with its source beside it
// (mostly linux:include/drm/intel/pciids.h, linux:drivers/gpu/drm/amd/amdkfd/kfd_device.c, the
// installed pci.ids and ollama's discovery code, as summarised in research/sysfs.md). The tables
// are deliberately small: they classify devices (discrete or integrated, GPU or NPU, compute or
// just a display) and name the few devices that matter when pci.ids is old or missing. A runtime's
// answer always wins over a table's.
//
// Thread-safety: pure functions over constant data.
#ifndef DEVPICK_INVENTORY_ID_TABLES_H_
#define DEVPICK_INVENTORY_ID_TABLES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace devpick {

// Intel (vendor 0x8086) GPU device IDs. Discrete: DG1, DG2-G10/G11/G12 (Arc A), ATS-M (Flex), PVC
// (Max), BMG (Arc B). Everything else, including IDs devpick has never heard of, is not discrete.
bool IsIntelDiscreteGpu(std::uint32_t device_id);
// The Xe architecture of an Intel GPU ID in the tables: "Xe-LP" (DG1, TGL/RKL/ADL/RPL iGPUs),
// "Xe-HPG" (DG2, ATS-M), "Xe-HPC" (PVC), "Xe-LPG" (MTL, ARL), "Xe2" (LNL, BMG), "Xe3" (PTL, WCL);
// nullopt for older or unknown IDs.
std::optional<std::string_view> IntelGpuArch(std::uint32_t device_id);

// A fallback marketing name for a device that matters, used when no runtime names it and pci.ids
// lacks it. Names are plain marketing spellings ("Intel Arc A770 Graphics"); runtimes print their
// own ("Intel(R) Arc(TM) A770 Graphics") and those win. Where one ID covers several products the
// name says so ("AMD Radeon RX 7900 XT/7900 XTX").
std::optional<std::string> BuiltinGpuName(std::uint32_t vendor, std::uint32_t device);

// AMD KFD gfx_target_version (major*10000 + minor*100 + stepping) as an ISA name: major in decimal,
// minor and stepping in hex. 110000 -> "gfx1100", 90010 -> "gfx90a", 100306 -> "gfx1036".
// "" for a value that is not positive (KFD CPU nodes report 0).
std::string GfxTargetName(int gfx_target_version);
// Whether a gfx target is only ever an APU's integrated GPU (Raven, Renoir, MI300A, Van Gogh,
// Rembrandt, Raphael/Mendocino, Phoenix/Hawk Point, Strix Point/Halo, Krackan).
bool IsAmdApuGfxTarget(int gfx_target_version);
// Whether an AMD (0x1002) PCI device ID is an APU's integrated GPU.
bool IsAmdApuDeviceId(std::uint32_t device_id);
// ollama's heuristic for an amdgpu device that hides whether it is an APU: a small VRAM carve-out
// (<= 4 GiB) with a large GTT (>= 8 GiB and >= 4x the VRAM). Sizes in bytes.
bool LooksLikeAmdApuByMemory(std::uint64_t vram_bytes, std::uint64_t gtt_bytes);
// Whether official ROCm builds ship kernels for this gfx target (approximate); a target outside the
// list needs HSA_OVERRIDE_GFX_VERSION to run.
bool IsSupportedRocmTarget(int gfx_target_version);
// The HSA_OVERRIDE_GFX_VERSION value ("major.minor.stepping") known to run a gfx target ROCm does
// not support as its supported sibling, by major.minor family: "10.3.0" for RDNA2 (gfx103x),
// "11.0.0" for RDNA3 (gfx110x) and RDNA3.5 (gfx115x); nullopt for every other family, where no
// override is known to work. Meant for targets outside the supported list: the answer for a
// supported target is its family's row all the same, and it needs no override.
std::optional<std::string_view> KnownGfxOverride(int gfx_target_version);

// Kernel drivers of BMC, firmware-framebuffer, virtual and USB displays: never compute devices.
bool IsExcludedDisplayDriver(std::string_view driver);
// PCI vendors that only make BMC or virtual display adapters (ASPEED, Matrox, QEMU, VMware, ...).
bool IsExcludedDisplayVendor(std::uint32_t vendor_id);

// Kernel drivers of NPUs and other compute accelerators (intel_vpu, amdxdna, qaic, habanalabs).
bool IsNpuDriver(std::string_view driver);
// Intel NPU (intel_vpu) device IDs: MTL, ARL, LNL, PTL, WCL.
bool IsIntelNpuDeviceId(std::uint32_t device_id);
// AMD XDNA NPU (vendor 0x1022, amdxdna) device IDs.
bool IsAmdXdnaDeviceId(std::uint32_t device_id);

// A CUDA compute capability "major.minor" as an architecture name: "8.9" -> "sm_89",
// "10.0" -> "sm_100". nullopt when the text is not two dot-separated numbers.
std::optional<std::string> NvidiaArch(std::string_view compute_capability);

}  // namespace devpick

#endif  // DEVPICK_INVENTORY_ID_TABLES_H_
