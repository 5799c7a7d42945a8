// Hand-built inventories of the machines in tests/scenarios/*.json, as correlation makes them, for
// library-level selection tests (the CLI runs the snapshots themselves through the whole pipeline).
//
// Thread-safety: functions returning fresh values.
#ifndef DEVPICK_SELECT_TEST_INVENTORIES_H_
#define DEVPICK_SELECT_TEST_INVENTORIES_H_

#include <string>

#include "devpick/inventory.h"

namespace devpick::testing {

inline Binding Indexed(std::string api, int index) {
  return {.api = std::move(api), .index = index, .name = std::nullopt, .software = false};
}
inline Binding Named(std::string api, std::string name) {
  return {.api = std::move(api), .index = std::nullopt, .name = std::move(name), .software = false};
}

inline Device Cpu(Vendor vendor, std::string name, std::uint64_t memory, double tflops) {
  Device d;
  d.id = "cpu";
  d.kind = DeviceKind::kCpu;
  d.vendor = vendor;
  d.name = std::move(name);
  d.memory = {.total_bytes = memory,
              .free_bytes = std::nullopt,
              .shared_with_host = true,
              .source = "/proc/meminfo MemTotal"};
  d.compute.est_fp32_tflops = tflops;
  return d;
}

inline Device Gpu(std::string id, DeviceKind kind, Vendor vendor, std::string name,
                  std::string pci_address, std::string driver, std::optional<std::uint64_t> memory,
                  std::optional<double> tflops) {
  Device d;
  d.id = std::move(id);
  d.kind = kind;
  d.vendor = vendor;
  d.name = std::move(name);
  d.pci_address = std::move(pci_address);
  d.driver.name = std::move(driver);
  d.memory.total_bytes = memory;
  d.memory.shared_with_host = kind != DeviceKind::kDgpu;
  d.compute.est_fp32_tflops = tflops;
  return d;
}

inline Inventory Machine(std::vector<Device> devices) {
  Inventory inventory;
  inventory.host.os = "linux";
  inventory.host.arch = "x86_64";
  inventory.devices = std::move(devices);
  return inventory;
}

// desktop-arc-a770-uhd770.json: Level Zero, OpenCL and OpenVINO all report both Intel GPUs.
inline Inventory ArcA770Desktop() {
  Device cpu = Cpu(Vendor::kIntel, "13th Gen Intel(R) Core(TM) i9-13900K", 68719476736, 4.45);
  cpu.bindings = {Named("openvino", "CPU")};
  Device uhd = Gpu("gpu0", DeviceKind::kIgpu, Vendor::kIntel, "Intel(R) UHD Graphics 770",
                   "0000:00:02.0", "i915", 54970548224, 0.845);
  uhd.uuid = "868080a7040000000002000000000000";
  uhd.bindings = {Indexed("level_zero", 1), Named("opencl", "0/1"), Named("openvino", "GPU.0")};
  Device arc = Gpu("gpu1", DeviceKind::kDgpu, Vendor::kIntel, "Intel(R) Arc(TM) A770 Graphics",
                   "0000:03:00.0", "i915", 16225243136, 19.66);
  arc.uuid = "8680a056080000000300000000000000";
  arc.bindings = {Indexed("level_zero", 0), Named("opencl", "0/0"), Named("openvino", "GPU.1")};
  Inventory inventory = Machine({cpu, uhd, arc});
  inventory.probe_status = {{"level_zero", ProbeStatus::kOk},
                            {"opencl", ProbeStatus::kOk},
                            {"openvino", ProbeStatus::kOk}};
  return inventory;
}

// desktop-rtx3080-uhd770-no-openvino.json: CUDA and NVML see the RTX 3080; no Intel runtime ran
// and OpenVINO is absent.
inline Inventory Rtx3080Desktop() {
  Device cpu = Cpu(Vendor::kIntel, "12th Gen Intel(R) Core(TM) i7-12700K", 34359738368, 1.92);
  Device uhd = Gpu("gpu0", DeviceKind::kIgpu, Vendor::kIntel, "Intel(R) UHD Graphics 770",
                   "0000:00:02.0", "i915", 34359738368, std::nullopt);
  Device rtx = Gpu("gpu1", DeviceKind::kDgpu, Vendor::kNvidia, "NVIDIA GeForce RTX 3080",
                   "0000:01:00.0", "nvidia", 10737418240, 29.77);
  rtx.uuid = "GPU-3f6e1b2a-9c4d-4e8f-a1b2-c3d4e5f60708";
  rtx.bindings = {Indexed("nvml", 0), Indexed("cuda", 0)};
  Inventory inventory = Machine({cpu, uhd, rtx});
  inventory.probe_status = {
      {"nvml", ProbeStatus::kOk}, {"cuda", ProbeStatus::kOk}, {"openvino", ProbeStatus::kAbsent}};
  inventory.diagnostics = {
      {"openvino", ProbeStatus::kAbsent, "libopenvino_c.so: cannot open shared object file"}};
  return inventory;
}

// desktop-rx6800.json: one RX 6800 (gfx1030) in the KFD topology as node 1.
inline Inventory Rx6800Desktop() {
  Device cpu = Cpu(Vendor::kAmd, "AMD Ryzen 7 5800X 8-Core Processor", 34359738368, 1.24);
  Device rx = Gpu("gpu0", DeviceKind::kDgpu, Vendor::kAmd, "AMD Radeon RX 6800", "0000:0b:00.0",
                  "amdgpu", 17163091968, std::nullopt);
  rx.gfx_target_version = 100300;
  rx.compute.arch = "gfx1030";
  rx.bindings = {Indexed("rocm", 1)};
  Inventory inventory = Machine({cpu, rx});
  inventory.probe_status = {{"rocm", ProbeStatus::kOk}};
  return inventory;
}

}  // namespace devpick::testing

#endif  // DEVPICK_SELECT_TEST_INVENTORIES_H_
