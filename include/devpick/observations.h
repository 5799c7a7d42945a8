// Observations: what the probes saw on one machine, before correlation.
//
// This is the in-memory form of a snapshot (SNAPSHOT.md, version 1); src/core/snapshot_json.h reads
// and writes it. Field names follow the snapshot's JSON keys. A value that was not observed is an
// empty std::optional, never a made-up default. Units are in the names: *_bytes are bytes, *_mhz
// megahertz. PCI addresses are "dddd:bb:dd.f" strings exactly as the source printed them; compare
// them with ParsePciAddress (pci_address.h), never as strings.
//
// Thread-safety: plain values.
#ifndef DEVPICK_OBSERVATIONS_H_
#define DEVPICK_OBSERVATIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devpick {

inline constexpr int kSnapshotVersion = 1;

// The most entries a snapshot's lists may hold (PCI functions of display or accelerator class, a
// runtime's devices, DRM nodes of one function). The largest machines devpick knows have a few
// dozen; a longer list is not a machine but an attack on the reader's time, and is refused.
inline constexpr std::size_t kMaxSnapshotListEntries = 1024;

struct HostInfo {
  std::string os = "linux";  // linux | windows | macos
  std::string arch;          // uname machine: x86_64, aarch64, ppc64le
  std::optional<std::string> kernel;
  bool container = false;
  bool wsl = false;
  // Set when the driver-free probes read a captured tree (--root) instead of this machine.
  std::optional<std::string> captured_root;
};

struct CpuObservation {
  std::optional<std::string> vendor;  // GenuineIntel, AuthenticAMD, or the ARM implementer
  std::optional<std::string> model;
  std::optional<int> packages;
  std::optional<int> cores;    // physical cores
  std::optional<int> threads;  // logical CPUs online
  std::optional<double> max_mhz;
  std::vector<std::string> flags;  // /proc/cpuinfo spellings, sorted
  std::optional<std::uint64_t> memory_bytes;
  std::optional<double> cgroup_cpu_limit;  // CPUs (quota / period)
  std::optional<std::uint64_t> cgroup_memory_limit_bytes;
};

// Facts from /proc/driver/nvidia/gpus/<address>/information (snapshot extension "nvidia_procfs").
struct NvidiaProcfsGpu {
  std::optional<std::string> model;
  std::optional<std::string> uuid;
  std::optional<int> device_minor;
};

// One PCI function of a display (0x03xxxx) or processing-accelerator (0x12xxxx, 0x1180xx) class, or
// any function with a DRM or accel node.
// Snapshot key "pci_ids_names": {"vendor": "Intel Corporation", "device": "DG2 [Arc A770]"}.
struct PciIdsNames {
  std::optional<std::string> vendor;  // pci.ids' vendor line, verbatim
  std::optional<std::string> device;  // pci.ids' device line, verbatim
};

struct PciFunction {
  std::string address;  // dddd:bb:dd.f
  std::optional<std::uint32_t> vendor;
  std::optional<std::uint32_t> device;
  std::optional<std::uint32_t> subsystem_vendor;
  std::optional<std::uint32_t> subsystem_device;
  std::optional<std::uint32_t> class_code;  // 24-bit, snapshot key "class"
  std::optional<std::uint32_t> revision;
  std::optional<std::string> driver;  // null when unbound
  std::optional<int> numa_node;
  std::optional<bool> boot_vga;
  std::vector<std::string> drm;    // card1, renderD129
  std::vector<std::string> accel;  // accel0
  std::optional<std::uint64_t> vram_bytes;
  std::optional<std::uint64_t> gtt_bytes;
  // Extensions (readers of other versions ignore them).
  std::optional<bool> board_info;  // amdgpu device/board_info present (hidden on APUs)
  std::optional<NvidiaProcfsGpu> nvidia_procfs;
  std::optional<bool> render_node_accessible;  // access(R_OK|W_OK) on its render/accel node
  // The names pci.ids gave this function's vendor and device IDs at capture time, so that a replay
  // names the device as the captured machine did, whatever pci.ids the replaying machine has.
  // Absent when no pci.ids was read; a name is nullopt when the database does not list the ID.
  std::optional<PciIdsNames> pci_ids_names;
};

enum class ProbeStatus { kOk, kAbsent, kError, kTimeout, kSkipped };
// ok | absent | error | timeout | skipped: the snapshot's and list --json's spelling.
std::string_view ToString(ProbeStatus status);

// Fields every probe entry has.
struct ProbeHeader {
  ProbeStatus status = ProbeStatus::kSkipped;
  std::optional<std::string> library;
  std::optional<std::string> version;
  std::optional<std::string> detail;
  // Problems met while the probe still succeeded, e.g. one unreadable file (extension).
  std::vector<std::string> warnings;
};

struct NvmlDevice {
  int index = 0;
  std::optional<std::string> name, uuid, pci_address;
  std::optional<std::uint64_t> memory_total_bytes, memory_free_bytes;
  std::optional<std::string> compute_capability;  // "8.9"
};
struct NvmlObservation : ProbeHeader {
  std::optional<int> cuda_driver_version;  // 12040
  std::vector<NvmlDevice> devices;
};

struct CudaDevice {
  int ordinal = 0;
  std::optional<std::string> name, uuid, pci_address;
  std::optional<std::uint64_t> memory_total_bytes;
  std::optional<std::string> compute_capability;
  std::optional<int> multiprocessors;
  std::optional<int> clock_mhz;
  std::optional<bool> integrated;
};
struct CudaObservation : ProbeHeader {
  std::optional<int> driver_version;
  std::vector<CudaDevice> devices;
};

struct RocmNode {
  int node = 0;
  std::optional<int> gfx_target_version;  // 110000 = gfx1100
  std::optional<std::string> pci_address;
  std::optional<std::string> unique_id;
  std::optional<int> simd_count;
  std::optional<std::uint64_t> vram_bytes;
  std::optional<int> drm_render_minor;
  // Extensions.
  std::optional<std::uint32_t> vendor_id, device_id;
  std::optional<int> simd_per_cu;
  std::optional<int> max_engine_clk_fcompute;  // MHz
  std::optional<std::string> name;
};
struct RocmObservation : ProbeHeader {
  std::vector<RocmNode> nodes;
};

struct LevelZeroDevice {
  int driver = 0;
  int index = 0;
  std::optional<std::string> name;
  std::string type = "gpu";  // gpu | cpu | fpga | mca | vpu
  std::optional<std::uint32_t> vendor_id, device_id;
  std::optional<bool> integrated;
  std::optional<std::string> uuid, pci_address;
  std::optional<std::uint64_t> memory_bytes;
  std::optional<int> eu_count;
  std::optional<int> clock_mhz;
};
struct LevelZeroObservation : ProbeHeader {
  std::vector<LevelZeroDevice> devices;
};

struct OpenClDevice {
  int index = 0;
  std::optional<std::string> name;
  std::string type = "gpu";  // gpu | cpu | accelerator | custom
  std::optional<std::uint32_t> vendor_id;
  std::optional<bool> host_unified_memory;
  std::optional<std::uint64_t> global_mem_bytes;
  std::optional<int> compute_units;
  std::optional<int> clock_mhz;
  std::optional<std::string> pci_address;
  std::optional<std::string> driver_version;
};
struct OpenClPlatform {
  std::optional<std::string> name, vendor, version;
  std::vector<OpenClDevice> devices;
};
struct OpenClObservation : ProbeHeader {
  std::vector<OpenClPlatform> platforms;
};

struct VulkanDevice {
  int index = 0;
  std::optional<std::string> name;
  std::string type = "other";  // discrete | integrated | virtual | cpu | other
  std::optional<std::uint32_t> vendor_id, device_id;
  std::optional<std::string> driver_name, uuid, pci_address;
  std::optional<std::uint64_t> device_local_bytes;
};
struct VulkanObservation : ProbeHeader {
  std::vector<VulkanDevice> devices;
};

struct OpenVinoDevice {
  std::string name;  // CPU, GPU, GPU.0, NPU
  std::optional<std::string> full_name;
  std::optional<std::string> type;  // integrated | discrete
  std::optional<std::uint32_t> device_id;
  std::optional<std::string> uuid, pci_address;
  std::optional<std::uint64_t> total_mem_bytes;
  std::vector<std::string> capabilities;
};
struct OpenVinoObservation : ProbeHeader {
  std::vector<OpenVinoDevice> devices;
};

struct DxgiAdapter {
  int index = 0;
  std::optional<std::string> name;
  std::optional<std::uint32_t> vendor_id, device_id;
  std::optional<std::string> luid;
  std::optional<std::uint64_t> dedicated_video_memory_bytes, shared_system_memory_bytes;
  bool software = false;
};
struct DxgiObservation : ProbeHeader {
  std::vector<DxgiAdapter> adapters;
};

struct MetalDevice {
  int index = 0;
  std::optional<std::string> name, registry_id;
  std::optional<bool> unified_memory;
  std::optional<std::uint64_t> recommended_max_working_set_bytes;
  std::optional<bool> low_power, removable;
};
struct MetalObservation : ProbeHeader {
  std::vector<MetalDevice> devices;
};

// Driver-free probes record only their header (status, warnings) plus module versions.
struct SysfsObservation : ProbeHeader {
  std::map<std::string, std::string> module_versions;  // "nvidia" -> "550.54.14"
  // Extension "dev_nodes": the compute device nodes and whether this user may open them, by path:
  // "rw" (access(R_OK|W_OK) succeeds), "denied" (it exists but does not) or "missing". /dev/kfd,
  // /dev/nvidiactl and /dev/nvidia-uvm are always recorded when the probe ran, so an empty map
  // means "not observed" (an older snapshot); then the render/accel nodes of every recorded PCI
  // function, /dev/nvidia<minor> of every NVIDIA GPU, and every node listed in /dev/dri,
  // /dev/accel and /dev. In a container sysfs shows every host GPU while /dev holds only those
  // passed in (research/sysfs.md §7.1).
  std::map<std::string, std::string> dev_nodes;
};

struct ProbeObservations {
  std::optional<SysfsObservation> sysfs;
  std::optional<ProbeHeader> cpu;
  std::optional<RocmObservation> rocm;
  std::optional<NvmlObservation> nvml;
  std::optional<CudaObservation> cuda;
  std::optional<LevelZeroObservation> level_zero;
  std::optional<OpenClObservation> opencl;
  std::optional<VulkanObservation> vulkan;
  std::optional<OpenVinoObservation> openvino;
  std::optional<DxgiObservation> dxgi;
  std::optional<MetalObservation> metal;
};

struct Observations {
  int version = kSnapshotVersion;
  HostInfo host;
  std::map<std::string, std::string> env;  // the variables devpick reads, as set at capture time
  CpuObservation cpu;
  std::vector<PciFunction> pci;
  ProbeObservations probes;
};

// The environment variables devpick reads and records in snapshots, including ROCm's per-node
// HSA_OVERRIDE_GFX_VERSION_<n> for KFD nodes 0 to 127.
const std::vector<std::string>& RecordedEnvVars();

}  // namespace devpick

#endif  // DEVPICK_OBSERVATIONS_H_
