// Inventory: one record per physical compute device, correlated from the observations.
//
// Identity is physical (PCI address, UUID); every per-API index lives in a Binding and is what that
// API reported, never assumed. Every classified fact names its source (kind_source, name_source,
// memory.source, compute.source) so a decision can be explained. The JSON form is the `devices`
// array of `devpick list --json` (DESIGN.md "list --json output"); field names here match its keys.
//
// Thread-safety: plain values.
#ifndef DEVPICK_INVENTORY_H_
#define DEVPICK_INVENTORY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/observations.h"

namespace devpick {

enum class DeviceKind { kCpu, kDgpu, kIgpu, kNpu };
enum class Vendor { kNvidia, kAmd, kIntel, kApple, kQualcomm, kMicrosoft, kOther };

std::string_view ToString(DeviceKind kind);  // cpu | dgpu | igpu | npu
std::string_view ToString(Vendor vendor);    // nvidia | amd | intel | ...
std::optional<DeviceKind> ParseDeviceKind(std::string_view text);
std::optional<Vendor> ParseVendor(std::string_view text);
Vendor VendorFromPciId(std::uint32_t vendor_id);

// One API that sees the device, with what that API calls it.
struct Binding {
  std::string api;           // cuda, nvml, rocm, level_zero, opencl, vulkan, openvino, dxgi, metal
  std::optional<int> index;  // the API's own ordinal (Level Zero: flattened across drivers)
  std::optional<std::string> name;  // openvino "GPU.1"; opencl "platform/device" such as "0/1"
  bool software = false;            // llvmpipe, PoCL: a CPU implementation of a GPU API
};

struct Problem {
  std::string code;     // machine-readable: no_compute_driver, render_node_denied, ...
  std::string message;  // what is wrong
  std::string remedy;   // what the user can do
};

struct MemoryInfo {
  std::optional<std::uint64_t> total_bytes;
  std::optional<std::uint64_t> free_bytes;
  bool shared_with_host = false;  // iGPU / UMA: "total" is host memory the device may use
  std::string source;             // the probe or file the figure came from
};

struct ComputeInfo {
  std::optional<int> units;         // SMs, CUs, Xe-cores/EUs as the source reports them
  std::optional<int> clock_mhz;     // peak
  std::optional<std::string> arch;  // sm_89, gfx1100, Xe-HPG
  std::optional<double> est_fp32_tflops;
  std::optional<double> est_fp16_tflops;
  std::string source;
};

struct Capabilities {
  std::optional<bool> fp16;
  std::optional<bool> bf16;
  std::optional<bool> int8;
};

struct DriverInfo {
  std::optional<std::string> name;     // kernel driver: i915, amdgpu, nvidia
  std::optional<std::string> version;  // module version when known
};

struct Device {
  std::string id;  // cpu, gpu0, gpu1, npu0 (numbered in PCI address order)
  DeviceKind kind = DeviceKind::kCpu;
  std::string kind_source;  // e.g. "level_zero: ZE_DEVICE_PROPERTY_FLAG_INTEGRATED"
  Vendor vendor = Vendor::kOther;
  std::optional<std::uint32_t> vendor_id;
  std::optional<std::uint32_t> device_id;  // PCI product id
  std::string name;
  std::string name_source;                 // runtime name > pci.ids > IDs
  std::optional<std::string> pci_address;  // dddd:bb:dd.f, lower case
  std::optional<std::string> uuid;
  MemoryInfo memory;
  ComputeInfo compute;
  Capabilities capabilities;
  std::vector<Binding> bindings;
  DriverInfo driver;
  bool usable = true;
  std::vector<Problem> problems;
  // AMD: KFD facts used by the rocm backend.
  std::optional<int> gfx_target_version;

  const Binding* FindBinding(std::string_view api) const;
};

// A probe's outcome, as shown in `diagnostics`.
struct Diagnostic {
  std::string probe;
  ProbeStatus status = ProbeStatus::kOk;
  std::string detail;
  // "status" for a probe's own outcome, "warning" for a problem it met while succeeding, "note" for
  // an explanation of a correlation step (a device excluded, a kind overridden).
  std::string level = "status";
};

struct Inventory {
  HostInfo host;
  std::map<std::string, std::string> env;  // the variables devpick reads (visibility masks)
  std::vector<Device> devices;             // cpu first, then by id
  std::vector<Diagnostic> diagnostics;     // one per probe that ran, then per-fact warnings
  // The probe statuses, so selection knows whether an index came from a runtime or is emulated.
  std::map<std::string, ProbeStatus> probe_status;

  const Device* FindDevice(std::string_view id) const;
};

// Correlates observations into the inventory (DESIGN.md "Inventory"). Pure: no I/O.
// `pci_names` may be null; it names devices from pci.ids when no runtime names them.
class PciIds;
Inventory Correlate(const Observations& observations, const PciIds* pci_names);

}  // namespace devpick

#endif  // DEVPICK_INVENTORY_H_
