#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/snapshot_json.h"
#include "devpick/inventory.h"

namespace devpick {
namespace {

Observations Scenario(const std::string& name) {
  std::ifstream in(std::string(DEVPICK_SOURCE_DIR) + "/tests/scenarios/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Result<Observations> o = ParseSnapshot(buffer.str(), name);
  EXPECT_TRUE(o.ok()) << o.status().message();
  return o.ok() ? *o : Observations{};
}

const Binding* FindBinding(const Device& d, std::string_view api) { return d.FindBinding(api); }

bool HasNote(const Inventory& inventory, std::string_view text) {
  for (const Diagnostic& diag : inventory.diagnostics) {
    if (diag.detail == text) return true;
  }
  return false;
}

PciFunction Pci(std::string address, std::uint32_t vendor, std::uint32_t device,
                std::uint32_t class_code, std::optional<std::string> driver) {
  PciFunction f;
  f.address = std::move(address);
  f.vendor = vendor;
  f.device = device;
  f.class_code = class_code;
  f.driver = std::move(driver);
  return f;
}

TEST(Correlate, ArcDesktopRuntimeFlagsDecideKinds) {
  Inventory inv = Correlate(Scenario("desktop-arc-a770-uhd770.json"), nullptr);
  ASSERT_EQ(inv.devices.size(), 3u);
  const Device& cpu = inv.devices[0];
  EXPECT_EQ(cpu.id, "cpu");
  EXPECT_EQ(cpu.name, "13th Gen Intel(R) Core(TM) i9-13900K");
  ASSERT_NE(FindBinding(cpu, "openvino"), nullptr);
  EXPECT_EQ(FindBinding(cpu, "openvino")->name, "CPU");

  const Device& igpu = inv.devices[1];
  EXPECT_EQ(igpu.id, "gpu0");
  EXPECT_EQ(igpu.pci_address, "0000:00:02.0");
  EXPECT_EQ(igpu.kind, DeviceKind::kIgpu);
  EXPECT_EQ(igpu.kind_source, "level_zero: ZE_DEVICE_PROPERTY_FLAG_INTEGRATED set");
  EXPECT_EQ(igpu.name, "Intel(R) UHD Graphics 770");
  EXPECT_EQ(igpu.name_source, "level_zero");
  ASSERT_NE(FindBinding(igpu, "level_zero"), nullptr);
  EXPECT_EQ(FindBinding(igpu, "level_zero")->index, 1);
  EXPECT_EQ(FindBinding(igpu, "openvino")->name, "GPU.0");
  EXPECT_EQ(FindBinding(igpu, "opencl")->name, "0/1");
  EXPECT_TRUE(igpu.memory.shared_with_host);

  const Device& arc = inv.devices[2];
  EXPECT_EQ(arc.id, "gpu1");
  EXPECT_EQ(arc.kind, DeviceKind::kDgpu);
  EXPECT_EQ(arc.name, "Intel(R) Arc(TM) A770 Graphics");
  EXPECT_EQ(arc.uuid, "8680a056080000000300000000000000");
  EXPECT_EQ(FindBinding(arc, "level_zero")->index, 0);
  EXPECT_EQ(FindBinding(arc, "openvino")->name, "GPU.1");
  EXPECT_EQ(arc.memory.total_bytes, 16225243136u);
  EXPECT_EQ(arc.memory.source, "level_zero");
  EXPECT_EQ(arc.compute.units, 512);
  EXPECT_EQ(arc.compute.arch, "Xe-HPG");
  EXPECT_EQ(inv.probe_status.at("openvino"), ProbeStatus::kOk);
}

TEST(Correlate, NvidiaDesktopJoinsNvmlAndCudaByPciAddress) {
  Inventory inv = Correlate(Scenario("desktop-rtx3080-uhd770-no-openvino.json"), nullptr);
  ASSERT_EQ(inv.devices.size(), 3u);
  const Device& igpu = inv.devices[1];
  EXPECT_EQ(igpu.kind, DeviceKind::kIgpu);
  EXPECT_EQ(igpu.kind_source, "pci: Intel display device at 00:02.x is the integrated GPU");
  const Device& rtx = inv.devices[2];
  EXPECT_EQ(rtx.id, "gpu1");
  EXPECT_EQ(rtx.name, "NVIDIA GeForce RTX 3080");
  EXPECT_EQ(rtx.name_source, "cuda");
  EXPECT_EQ(rtx.uuid, "GPU-3f6e1b2a-9c4d-4e8f-a1b2-c3d4e5f60708");
  EXPECT_EQ(FindBinding(rtx, "cuda")->index, 0);
  EXPECT_EQ(FindBinding(rtx, "nvml")->index, 0);  // NVML printed "00000000:01:00.0"
  EXPECT_EQ(rtx.memory.total_bytes, 10737418240u);
  EXPECT_EQ(rtx.memory.free_bytes, 10200000000u);
  EXPECT_EQ(rtx.memory.source, "nvml");
  EXPECT_EQ(rtx.compute.arch, "sm_86");
  EXPECT_EQ(rtx.compute.units, 68);
  EXPECT_EQ(rtx.kind_source, "cuda: CU_DEVICE_ATTRIBUTE_INTEGRATED = 0");
  EXPECT_EQ(inv.probe_status.at("openvino"), ProbeStatus::kAbsent);
}

TEST(Correlate, AmdDesktopUsesKfdNode) {
  Inventory inv = Correlate(Scenario("desktop-rx6800.json"), nullptr);
  ASSERT_EQ(inv.devices.size(), 2u);
  const Device& rx = inv.devices[1];
  EXPECT_EQ(rx.kind, DeviceKind::kDgpu);
  EXPECT_EQ(FindBinding(rx, "rocm")->index, 1);
  EXPECT_EQ(rx.gfx_target_version, 100300);
  EXPECT_EQ(rx.compute.arch, "gfx1030");
  EXPECT_EQ(rx.memory.total_bytes, 17163091968u);
  EXPECT_EQ(rx.memory.source, "sysfs mem_info_vram_total");
  EXPECT_EQ(rx.vendor, Vendor::kAmd);
  EXPECT_EQ(rx.uuid, "GPU-3e5a1c22e19f0a44");
}

TEST(Correlate, BmcDisplayAndHostBridgeAreNotDevices) {
  Observations o;
  o.pci.push_back(Pci("0000:00:00.0", 0x8086, 0x0d57, 0x060000, std::nullopt));
  o.pci.push_back(Pci("0000:05:00.0", 0x1a03, 0x2000, 0x030000, "ast"));
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_EQ(inv.devices[0].id, "cpu");
  EXPECT_TRUE(HasNote(inv,
                      "0000:05:00.0 (1a03:2000, driver ast): BMC or virtual display, not a "
                      "compute device"));
}

TEST(Correlate, NvidiaVendorInferredFromProcfsWhenSysfsLacksIt) {
  Observations o;
  PciFunction f;
  f.address = "0004:05:00.0";
  f.class_code = 0x030200;
  f.nvidia_procfs =
      NvidiaProcfsGpu{.model = "Tesla V100-SXM2-16GB", .uuid = "GPU-1234", .device_minor = 0};
  o.pci.push_back(f);
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 2u);
  const Device& gpu = inv.devices[1];
  EXPECT_EQ(gpu.vendor, Vendor::kNvidia);
  EXPECT_EQ(gpu.pci_address, "0004:05:00.0");
  EXPECT_EQ(gpu.kind, DeviceKind::kDgpu);
  EXPECT_EQ(gpu.name, "Tesla V100-SXM2-16GB");
  EXPECT_EQ(gpu.name_source, "procfs");
  EXPECT_TRUE(HasNote(inv,
                      "0004:05:00.0: vendor NVIDIA inferred from procfs "
                      "/proc/driver/nvidia/gpus/0004:05:00.0 (the sysfs vendor file was not "
                      "readable)"));
}

TEST(Correlate, NouveauIsAProblemWithARemedy) {
  Observations o;
  o.pci.push_back(Pci("0000:01:00.0", 0x10de, 0x2684, 0x030000, "nouveau"));
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 2u);
  ASSERT_EQ(inv.devices[1].problems.size(), 1u);
  EXPECT_EQ(inv.devices[1].problems[0].code, "no_compute_driver");
  EXPECT_EQ(inv.devices[1].problems[0].message, "bound to nouveau, which cannot run CUDA");
  EXPECT_EQ(inv.devices[1].driver.name, "nouveau");
}

TEST(Correlate, UnboundGpuIsNotUsable) {
  Observations o;
  o.pci.push_back(Pci("0000:03:00.0", 0x1002, 0x744c, 0x030000, std::nullopt));
  Inventory inv = Correlate(o, nullptr);
  EXPECT_FALSE(inv.devices[1].usable);
  EXPECT_EQ(inv.devices[1].problems[0].message, "no kernel driver is bound to 0000:03:00.0");
}

TEST(Correlate, SoftwareRenderersAreCpuBindings) {
  Observations o;
  OpenClObservation cl;
  cl.status = ProbeStatus::kOk;
  OpenClPlatform pocl;
  pocl.name = "Portable Computing Language";
  pocl.devices.push_back(OpenClDevice{.index = 0,
                                      .name = "pthread-skylake-avx512-AMD EPYC",
                                      .type = "cpu",
                                      .vendor_id = 0x1002,
                                      .host_unified_memory = true,
                                      .global_mem_bytes = {},
                                      .compute_units = 2,
                                      .clock_mhz = {},
                                      .pci_address = {},
                                      .driver_version = {}});
  cl.platforms.push_back(pocl);
  o.probes.opencl = cl;
  VulkanObservation vk;
  vk.status = ProbeStatus::kOk;
  vk.devices.push_back(VulkanDevice{.index = 0,
                                    .name = "llvmpipe (LLVM 15.0.6, 256 bits)",
                                    .type = "cpu",
                                    .vendor_id = 0x10005,
                                    .device_id = 0,
                                    .driver_name = "llvmpipe",
                                    .uuid = {},
                                    .pci_address = {},
                                    .device_local_bytes = 0});
  o.probes.vulkan = vk;
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 1u);
  const Device& cpu = inv.devices[0];
  ASSERT_EQ(cpu.bindings.size(), 2u);
  EXPECT_EQ(cpu.bindings[0].api, "opencl");
  EXPECT_EQ(cpu.bindings[0].name, "0/0");
  EXPECT_TRUE(cpu.bindings[0].software);
  EXPECT_EQ(cpu.bindings[1].api, "vulkan");
  EXPECT_EQ(cpu.bindings[1].index, 0);
  EXPECT_TRUE(cpu.bindings[1].software);
}

TEST(Correlate, RuntimeDeviceWithoutPciIsListedWithAWarning) {
  Observations o;
  CudaObservation cuda;
  cuda.status = ProbeStatus::kOk;
  cuda.devices.push_back(CudaDevice{.ordinal = 0,
                                    .name = "NVIDIA GB10",
                                    .uuid = "GPU-aa",
                                    .pci_address = "000f:01:00.0",
                                    .memory_total_bytes = {},
                                    .compute_capability = "12.1",
                                    .multiprocessors = 48,
                                    .clock_mhz = 2418,
                                    .integrated = true});
  o.probes.cuda = cuda;
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 2u);
  EXPECT_EQ(inv.devices[1].kind, DeviceKind::kIgpu);
  EXPECT_EQ(inv.devices[1].pci_address, "000f:01:00.0");
  EXPECT_TRUE(HasNote(inv, "cuda device 0 matches no PCI device; listed on its own"));
}

// Issue 12: an NVIDIA runtime device that named the Intel iGPU's address was bound to it.
TEST(Correlate, ARuntimeDeviceClaimingAnotherVendorsAddressIsNotBoundThere) {
  Observations o = Scenario("desktop-rtx3080-uhd770-no-openvino.json");
  o.probes.nvml->devices[0].pci_address = "00000000:00:02.0";
  o.probes.cuda->devices[0].pci_address = "0000:00:02.0";
  Inventory inventory = Correlate(o, nullptr);
  const Device* igpu = inventory.FindDevice("gpu0");
  ASSERT_NE(igpu, nullptr);
  EXPECT_EQ(igpu->vendor, Vendor::kIntel);
  EXPECT_EQ(FindBinding(*igpu, "nvml"), nullptr);
  EXPECT_EQ(FindBinding(*igpu, "cuda"), nullptr);
  EXPECT_TRUE(HasNote(inventory,
                      "a device with vendor ID 0x10de reports PCI address 0000:00:02.0, where "
                      "sysfs has a 0x8086 function; not matched by that address"));
}

// Issue 12: an unparsable Level Zero pci_address was ignored silently (a bad sysfs one warns).
TEST(Correlate, AnUnparsableRuntimeAddressWarnsAndFallsBackToTheUuid) {
  Observations o = Scenario("desktop-arc-a770-uhd770.json");
  o.probes.level_zero->devices[0].pci_address = "03:00:0\x1b";
  Inventory inventory = Correlate(o, nullptr);
  EXPECT_TRUE(HasNote(inventory,
                      "PCI address \"03:00:0\\x1b\" is not of the form dddd:bb:dd.f; matched by "
                      "UUID or device ID instead"));
}

TEST(Correlate, GpusAndNpusAreNumberedInPciOrder) {
  Observations o;
  o.pci.push_back(Pci("0000:01:00.0", 0x10de, 0x28a0, 0x030200, "nvidia"));
  o.pci.push_back(Pci("0000:00:0b.0", 0x8086, 0x7d1d, 0x120000, "intel_vpu"));
  o.pci.push_back(Pci("0000:00:02.0", 0x8086, 0x7d55, 0x030000, "i915"));
  Inventory inv = Correlate(o, nullptr);
  ASSERT_EQ(inv.devices.size(), 4u);
  EXPECT_EQ(inv.devices[1].id, "gpu0");
  EXPECT_EQ(inv.devices[1].pci_address, "0000:00:02.0");
  EXPECT_EQ(inv.devices[2].id, "npu0");
  EXPECT_EQ(inv.devices[2].kind_source, "pci: driver intel_vpu is an NPU driver");
  EXPECT_EQ(inv.devices[3].id, "gpu1");
  EXPECT_EQ(inv.devices[3].kind, DeviceKind::kDgpu);
}

// Trust (src/probes/registry.cc): NVML's memory figure outranks CUDA's, CUDA's replaces the one
// sysfs sized, and the compute units of the most trusted runtime (CUDA) are kept over OpenCL's.
TEST(Correlate, MoreTrustedRuntimesKeepTheirFigures) {
  for (bool with_nvml : {true, false}) {
    SCOPED_TRACE(with_nvml ? "nvml and cuda" : "cuda alone");
    Observations o;
    PciFunction gpu = Pci("0000:01:00.0", 0x10de, 0x2684, 0x030000, "nvidia");
    if (!with_nvml) gpu.vram_bytes = 256ull << 20;  // a figure sysfs sized
    o.pci = {gpu};
    if (with_nvml) {
      NvmlDevice n;
      n.pci_address = "0000:01:00.0";
      n.memory_total_bytes = 24ull << 30;
      o.probes.nvml.emplace().devices = {n};
    }
    CudaDevice c;
    c.pci_address = "0000:01:00.0";
    c.memory_total_bytes = 23ull << 30;
    c.multiprocessors = 128;
    c.clock_mhz = 2520;
    o.probes.cuda.emplace().devices = {c};
    OpenClDevice cl;
    cl.pci_address = "0000:01:00.0";
    cl.compute_units = 64;
    o.probes.opencl.emplace().platforms = {
        OpenClPlatform{.name = {}, .vendor = {}, .version = {}, .devices = {cl}}};
    Inventory inv = Correlate(o, nullptr);
    ASSERT_EQ(inv.devices.size(), 2u);
    const Device& d = inv.devices[1];
    EXPECT_EQ(d.memory.total_bytes, with_nvml ? 24ull << 30 : 23ull << 30);
    EXPECT_EQ(d.memory.source, with_nvml ? "nvml" : "cuda");
    EXPECT_EQ(d.compute.units, 128);
  }
}

}  // namespace
}  // namespace devpick
