// The doctor's checks: one function per question, run in table order over the observations and
// the inventory. Facts and their sources: research/sysfs.md §2.2 (udev groups), §2.3 and §3.2
// (drivers, DG2 force_probe), §4.2 (KFD), §5 (NVIDIA nodes), §7.1 (containers); research/specs.md
// §4 (visibility variables); research/sdnext.md §5 (what users actually hit).
#include "devpick/doctor.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "devpick/env.h"
#include "devpick/pci_address.h"
#include "inventory/id_tables.h"
#include "probes/registry.h"
#include "select/backend_table.h"
#include "select/visibility.h"

namespace devpick {
namespace {

using Findings = std::vector<Finding>;

// Everything the checks read, with the lookups they share.
class Machine {
 public:
  Machine(const Observations& observations, const Inventory& inventory)
      : obs_(observations), inv_(inventory) {}

  const Observations& obs() const { return obs_; }
  const Inventory& inv() const { return inv_; }

  // GPUs and NPUs with a PCI function, in inventory order.
  std::vector<std::pair<const Device*, const PciFunction*>> PciDevices() const {
    std::vector<std::pair<const Device*, const PciFunction*>> out;
    for (const Device& device : inv_.devices) {
      if (device.kind == DeviceKind::kCpu || !device.pci_address) continue;
      if (const PciFunction* pci = Pci(*device.pci_address)) out.emplace_back(&device, pci);
    }
    return out;
  }

  const PciFunction* Pci(std::string_view address) const {
    std::optional<PciAddress> wanted = ParsePciAddress(address);
    for (const PciFunction& function : obs_.pci) {
      if (wanted && ParsePciAddress(function.address) == wanted) return &function;
    }
    return nullptr;
  }

  // The device whose PCI function owns DRM or accel node `name` ("renderD128", "accel0").
  const Device* DeviceWithNode(std::string_view name) const {
    for (const auto& [device, pci] : PciDevices()) {
      for (const auto* nodes : {&pci->drm, &pci->accel}) {
        if (std::find(nodes->begin(), nodes->end(), name) != nodes->end()) return device;
      }
    }
    return nullptr;
  }

  // "rw", "denied", "missing", or nullopt when the snapshot does not record the node. A captured
  // tree (--root) holds only the files someone copied, so a node missing there proves nothing.
  std::optional<std::string> Node(const std::string& path) const {
    if (!obs_.probes.sysfs) return std::nullopt;
    auto it = obs_.probes.sysfs->dev_nodes.find(path);
    if (it == obs_.probes.sysfs->dev_nodes.end()) return std::nullopt;
    if (it->second == "missing" && obs_.host.captured_root) return std::nullopt;
    return it->second;
  }

  const ProbeHeader* Probe(std::string_view name) const {
    return FindProbeHeader(obs_.probes, name);
  }

  std::optional<std::string> EnvVar(const std::string& name) const {
    auto it = obs_.env.find(name);
    if (it == obs_.env.end()) return std::nullopt;
    return it->second;
  }

  std::optional<std::string> ModuleVersion(const std::string& module) const {
    if (!obs_.probes.sysfs) return std::nullopt;
    auto it = obs_.probes.sysfs->module_versions.find(module);
    if (it == obs_.probes.sysfs->module_versions.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Observations& obs_;
  const Inventory& inv_;
};

// ---- Wording shared by the checks
// ----------------------------------------------------------------

std::string Label(const Device& device) { return device.name + " (" + device.id + ")"; }

std::string DriverEvidence(const PciFunction& pci) {
  return "/sys/bus/pci/devices/" + pci.address + "/driver: " + pci.driver.value_or("none bound");
}

// "probes.level_zero: absent (libze_loader.so.1: cannot open shared object file)"
std::string ProbeEvidence(std::string_view name, const ProbeHeader& header) {
  std::string text = "probes." + std::string(name) + ": " + std::string(ToString(header.status));
  if (header.detail && !header.detail->empty()) text += " (" + *header.detail + ")";
  return text;
}

std::string Quoted(const std::string& name, const std::string& value) {
  return name + "='" + value + "'";
}

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void AddUnique(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(item);
}

// The vendor backends that drive a device: rows of the backend table for its vendor and kind
// (cuda for NVIDIA GPUs; rocm, zluda for AMD; xpu, openvino for Intel GPUs; openvino for NPUs).
std::vector<std::string> BackendsFor(const Device& device) {
  std::vector<std::string> names;
  for (const BackendInfo& row : Backends()) {
    if (row.any_vendor || (row.kinds & KindBit(device.kind)) == 0) continue;
    if (std::find(row.vendors.begin(), row.vendors.end(), device.vendor) == row.vendors.end()) {
      continue;
    }
    names.emplace_back(row.name);
  }
  return names;
}

// "6.8.0-45-generic" -> {6, 8}.
std::optional<std::pair<int, int>> KernelVersion(const std::optional<std::string>& release) {
  if (!release) return std::nullopt;
  int major = 0;
  int minor = 0;
  if (std::sscanf(release->c_str(), "%d.%d", &major, &minor) != 2) return std::nullopt;
  return std::make_pair(major, minor);
}

// ---- Kernel driver ------------------------------------------------------------------------------

// What to load when no driver is bound, by vendor (research/sysfs.md §2.3).
struct DriverRemedy {
  Vendor vendor;
  bool npu;
  std::string_view remedy;
};
constexpr DriverRemedy kNoDriverRemedies[] = {
    {Vendor::kNvidia, false,
     "install the NVIDIA driver (e.g. sudo ubuntu-drivers install, or your distribution's "
     "nvidia-driver package) and reboot"},
    {Vendor::kAmd, false,
     "load amdgpu (sudo modprobe amdgpu) and check 'sudo dmesg | grep amdgpu' for missing "
     "firmware; a GPU newer than the kernel needs a newer kernel"},
    {Vendor::kIntel, false,
     "load i915 or xe (sudo modprobe i915) and check 'sudo dmesg | grep -e i915 -e xe'; a GPU "
     "newer than the kernel needs a newer kernel"},
    {Vendor::kIntel, true, "load intel_vpu (sudo modprobe intel_vpu); it needs Linux 6.3 or newer"},
    {Vendor::kAmd, true, "load amdxdna (sudo modprobe amdxdna); it needs Linux 6.14 or newer"},
};

std::string_view NoDriverRemedy(const Device& device) {
  bool npu = device.kind == DeviceKind::kNpu;
  for (const DriverRemedy& row : kNoDriverRemedies) {
    if (row.vendor == device.vendor && row.npu == npu) return row.remedy;
  }
  return "load the kernel driver for this device";
}

// Intel GPU architectures whose i915 support needed the force_probe parameter before a kernel
// release (research/sysfs.md §2.3, §3.2).
struct ForceProbeRow {
  std::string_view arch;
  std::string_view platform;
  int major, minor;  // first kernel that probes it by default
};
constexpr ForceProbeRow kForceProbe[] = {{"Xe-HPG", "DG2 (Arc A-series, Flex)", 6, 2}};

void CheckKernelDriver(const Machine& m, Findings* out) {
  for (const auto& [device, pci] : m.PciDevices()) {
    std::vector<std::string> backends = BackendsFor(*device);
    if (!pci->driver) {
      const ForceProbeRow* row = nullptr;
      if (device->vendor == Vendor::kIntel && device->kind != DeviceKind::kNpu && pci->device) {
        std::optional<std::string_view> arch = IntelGpuArch(*pci->device);
        for (const ForceProbeRow& candidate : kForceProbe) {
          if (arch == candidate.arch) row = &candidate;
        }
      }
      std::optional<std::pair<int, int>> kernel = KernelVersion(m.obs().host.kernel);
      if (row != nullptr && (!kernel || *kernel < std::make_pair(row->major, row->minor))) {
        char id[8];
        std::snprintf(id, sizeof id, "%04x", *pci->device);
        std::string first = std::to_string(row->major) + "." + std::to_string(row->minor);
        out->push_back(
            {.code = "intel_force_probe",
             .severity = "error",
             .device_id = device->id,
             .message = Label(*device) + " has no kernel driver: i915 drives " +
                        std::string(row->platform) + " without force_probe only from Linux " +
                        first + ", and this kernel is " + m.obs().host.kernel.value_or("unknown"),
             .evidence = {DriverEvidence(*pci), "pci device id: 0x" + std::string(id),
                          "host.kernel: " + m.obs().host.kernel.value_or("unknown")},
             .remedy = "upgrade to Linux " + first +
                       " or newer, or boot with the kernel parameter i915.force_probe=" + id,
             .backends = backends});
        continue;
      }
      out->push_back({.code = "no_driver",
                      .severity = "error",
                      .device_id = device->id,
                      .message = Label(*device) + " has no kernel driver bound",
                      .evidence = {DriverEvidence(*pci)},
                      .remedy = std::string(NoDriverRemedy(*device)),
                      .backends = backends});
    } else if (*pci->driver == "nouveau") {
      out->push_back({.code = "nouveau_driver",
                      .severity = "error",
                      .device_id = device->id,
                      .message = Label(*device) + " is driven by nouveau, which cannot run CUDA",
                      .evidence = {DriverEvidence(*pci)},
                      .remedy = "install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or "
                                "your distribution's nvidia-driver package), which blacklists "
                                "nouveau, and reboot",
                      .backends = backends});
    } else if (*pci->driver == "radeon") {
      out->push_back({.code = "radeon_driver",
                      .severity = "error",
                      .device_id = device->id,
                      .message = Label(*device) +
                                 " is driven by the legacy radeon driver, which has no KFD, so "
                                 "ROCm cannot use it",
                      .evidence = {DriverEvidence(*pci)},
                      .remedy = "GCN 1 and 2 GPUs can use amdgpu instead (kernel parameters "
                                "radeon.si_support=0 amdgpu.si_support=1, or the cik_ pair); "
                                "older GPUs cannot run ROCm: use the vulkan backend",
                      .backends = backends});
    } else if (*pci->driver == "vfio-pci" || *pci->driver == "pci-stub") {
      out->push_back({.code = "driver_passthrough",
                      .severity = "warning",
                      .device_id = device->id,
                      .message = Label(*device) + " is bound to " + *pci->driver +
                                 ", reserved for a virtual machine",
                      .evidence = {DriverEvidence(*pci)},
                      .remedy = "unbind it from " + *pci->driver +
                                " (remove it from the vfio-pci.ids kernel parameter) to use it on "
                                "this host",
                      .backends = backends});
    }
  }
}

// ---- Compute runtimes of present hardware -------------------------------------------------------

// The Intel runtimes and the backends that need each (OpenVINO's GPU plugin runs on OpenCL).
struct IntelRuntime {
  std::string_view api;
  std::string_view display;
  std::string_view backend;
};
constexpr IntelRuntime kIntelRuntimes[] = {{"level_zero", "Level Zero", "xpu"},
                                           {"opencl", "OpenCL", "openvino"}};

// "probes.level_zero: ok, but it does not list 0000:03:00.0" or the probe's failure.
std::string UnseenEvidence(std::string_view api, const ProbeHeader& header,
                           const std::string& address) {
  if (header.status == ProbeStatus::kOk) {
    return "probes." + std::string(api) + ": ok, but it does not list " + address;
  }
  return ProbeEvidence(api, header);
}

void CheckIntelRuntime(const Machine& m, const Device& device, const PciFunction& pci,
                       Findings* out) {
  std::vector<std::string> missing, evidence = {DriverEvidence(pci)}, backends;
  for (const IntelRuntime& runtime : kIntelRuntimes) {
    const ProbeHeader* header = m.Probe(runtime.api);
    // A probe that did not run (--probes) or timed out says nothing about the runtime.
    if (header == nullptr || header->status == ProbeStatus::kSkipped ||
        header->status == ProbeStatus::kTimeout || device.FindBinding(runtime.api) != nullptr) {
      continue;
    }
    missing.emplace_back(runtime.display);
    evidence.push_back(UnseenEvidence(runtime.api, *header, *device.pci_address));
    backends.emplace_back(runtime.backend);
  }
  if (missing.empty()) return;
  bool both = missing.size() == std::size(kIntelRuntimes);
  out->push_back({.code = "intel_runtime_missing",
                  .severity = "error",
                  .device_id = device.id,
                  .message = Label(device) + " has the " + *pci.driver + " driver but " +
                             (both ? "neither Level Zero nor OpenCL sees it"
                                   : "the " + missing.front() + " runtime does not see it"),
                  .evidence = evidence,
                  .remedy =
                      "install Intel's GPU compute runtime: on Debian/Ubuntu intel-opencl-icd and "
                      "libze-intel-gpu1 (intel-level-zero-gpu on older releases) with libze1; "
                      "elsewhere see dgpu-docs.intel.com",
                  .backends = backends});
}

void CheckNvidiaRuntime(const Machine& m, const Device& device, const PciFunction& pci,
                        Findings* out) {
  struct Library {
    std::string_view probe, soname;
  };
  constexpr Library kLibraries[] = {{"nvml", "libnvidia-ml.so.1"}, {"cuda", "libcuda.so.1"}};
  std::vector<std::string> missing, evidence = {DriverEvidence(pci)};
  for (const Library& library : kLibraries) {
    const ProbeHeader* header = m.Probe(library.probe);
    if (header == nullptr || header->status != ProbeStatus::kAbsent) continue;
    missing.emplace_back(library.soname);
    evidence.push_back(ProbeEvidence(library.probe, *header));
  }
  if (missing.empty()) return;
  std::optional<std::string> version = m.ModuleVersion("nvidia");
  std::string package = "libnvidia-compute-<version>";
  if (version) {
    evidence.push_back("module nvidia version: " + *version);
    package = "libnvidia-compute-" + version->substr(0, version->find('.'));
  }
  out->push_back(
      {.code = "nvidia_runtime_missing",
       .severity = "error",
       .device_id = device.id,
       .message = Label(device) + " has the nvidia kernel driver but " + JoinComma(missing) +
                  (missing.size() == 1 ? " is" : " are") + " not installed",
       .evidence = evidence,
       .remedy = "install the NVIDIA user-space libraries of the same version as the kernel module "
                 "(Debian/Ubuntu: " +
                 package +
                 "); in a container, start it with the NVIDIA Container Toolkit (--gpus all)",
       .backends = BackendsFor(device)});
}

void CheckRuntimes(const Machine& m, Findings* out) {
  std::vector<const Device*> amd_without_kfd;
  for (const auto& [device, pci] : m.PciDevices()) {
    if (device->kind == DeviceKind::kNpu || !pci->driver) continue;
    if (device->vendor == Vendor::kIntel && (*pci->driver == "i915" || *pci->driver == "xe")) {
      CheckIntelRuntime(m, *device, *pci, out);
    } else if (device->vendor == Vendor::kNvidia && *pci->driver == "nvidia") {
      CheckNvidiaRuntime(m, *device, *pci, out);
    } else if (device->vendor == Vendor::kAmd && *pci->driver == "amdgpu") {
      amd_without_kfd.push_back(device);
    }
  }
  // KFD is one character device for every AMD GPU. In a container a missing /dev/kfd was simply
  // not passed in; CheckContainer says so.
  const ProbeHeader* rocm = m.Probe("rocm");
  std::optional<std::string> kfd = m.Node("/dev/kfd");
  bool node_absent = kfd == "missing" && !m.obs().host.container;
  bool topology_absent = rocm != nullptr && rocm->status == ProbeStatus::kAbsent;
  if (amd_without_kfd.empty() || !(node_absent || topology_absent)) return;
  std::vector<std::string> ids, evidence;
  for (const Device* device : amd_without_kfd) ids.push_back(device->id);
  if (kfd) evidence.push_back("/dev/kfd: " + *kfd);
  if (rocm != nullptr) evidence.push_back(ProbeEvidence("rocm", *rocm));
  Finding finding{.code = "amd_kfd_missing",
                  .severity = "error",
                  .device_id = ids.size() == 1 ? ids.front() : "",
                  .message = "amdgpu drives " + JoinComma(ids) +
                             " but the kernel's compute interface (KFD, /dev/kfd) is missing, so "
                             "ROCm sees no GPU",
                  .evidence = evidence,
                  .remedy =
                      "use a kernel built with CONFIG_HSA_AMD=y (distribution kernels are) "
                      "and check 'sudo dmesg | grep kfd' for why KFD did not start",
                  .backends = {"rocm", "zluda"}};
  if (!topology_absent && rocm != nullptr && rocm->status == ProbeStatus::kOk) {
    // KFD runs (its topology is there) but nothing created the node.
    finding.message = "amdgpu drives " + JoinComma(ids) +
                      " and KFD is running, but /dev/kfd does not exist, so ROCm sees no GPU";
    finding.remedy =
        "udev creates /dev/kfd (group render): check that systemd-udevd runs and "
        "'sudo udevadm trigger', or reboot";
  }
  out->push_back(std::move(finding));
}

// ---- Device-node permissions --------------------------------------------------------------------

// Which group udev gives each node (research/sysfs.md §2.2, §5.3) and what else to say.
struct NodeRule {
  std::string_view prefix;
  std::string_view code;
  std::string_view group;
  std::string_view note;
  std::array<std::string_view, 2> backends;  // when the node belongs to no single device
};
constexpr NodeRule kNodeRules[] = {
    {"/dev/dri/renderD", "render_node_denied", "render", "", {"", ""}},
    {"/dev/accel/accel",
     "accel_node_denied",
     "render",
     "; no default udev rule covers accel nodes (root:root 0600), so also add "
     "SUBSYSTEM==\"accel\", KERNEL==\"accel*\", GROUP=\"render\", MODE=\"0660\"",
     {"openvino", ""}},
    {"/dev/kfd", "kfd_denied", "render", "", {"rocm", "zluda"}},
    {"/dev/nvidia",
     "nvidia_node_denied",
     "video",
     "; NVIDIA's nodes are normally 0666, so also check the nvidia module's NVreg_DeviceFileMode "
     "and NVreg_DeviceFileGID",
     {"cuda", ""}},
};

void AddDenied(const Machine& m, const std::string& path, const NodeRule& rule, Findings* out) {
  const Device* device = m.DeviceWithNode(BaseName(path));
  std::vector<std::string> backends;
  if (device != nullptr) backends = BackendsFor(*device);
  for (std::string_view name : rule.backends) {
    if (!name.empty() && device == nullptr) backends.emplace_back(name);
  }
  std::string remedy = "add the user to the '" + std::string(rule.group) +
                       "' group (sudo usermod -aG " + std::string(rule.group) +
                       " $USER), then log out and in again" + std::string(rule.note);
  if (m.obs().host.container) {
    remedy += "; in a container, also start it with --group-add " + std::string(rule.group);
  }
  out->push_back({.code = std::string(rule.code),
                  .severity = "error",
                  .device_id = device != nullptr ? device->id : "",
                  .message = "this user cannot open " + path + " for reading and writing" +
                             (device != nullptr ? ", so " + Label(*device) + " is unusable" : ""),
                  .evidence = {path + ": denied (access R_OK|W_OK failed)"},
                  .remedy = remedy,
                  .backends = backends});
}

void CheckPermissions(const Machine& m, Findings* out) {
  if (m.obs().probes.sysfs && !m.obs().probes.sysfs->dev_nodes.empty()) {
    for (const auto& [path, state] : m.obs().probes.sysfs->dev_nodes) {
      if (state != "denied") continue;
      for (const NodeRule& rule : kNodeRules) {
        if (path.rfind(rule.prefix, 0) == 0) {
          AddDenied(m, path, rule, out);
          break;
        }
      }
    }
    return;
  }
  // Older snapshots record only the per-function flag.
  for (const auto& [device, pci] : m.PciDevices()) {
    if (pci->render_node_accessible != false) continue;
    for (const std::string& node : pci->drm) {
      if (node.rfind("renderD", 0) == 0) AddDenied(m, "/dev/dri/" + node, kNodeRules[0], out);
    }
    if (!pci->accel.empty()) AddDenied(m, "/dev/accel/" + pci->accel.front(), kNodeRules[1], out);
  }
}

// ---- NVML driver/library version mismatch -------------------------------------------------------

void CheckNvmlMismatch(const Machine& m, Findings* out) {
  const ProbeHeader* nvml = m.Probe("nvml");
  if (nvml == nullptr || nvml->status != ProbeStatus::kError || !nvml->detail) return;
  // The probe names the code; snapshots written before it knew the name say "error 18".
  const std::string& detail = *nvml->detail;
  if (detail.find("NVML_ERROR_LIB_RM_VERSION_MISMATCH") == std::string::npos &&
      detail.find(": error 18") == std::string::npos) {
    return;
  }
  std::vector<std::string> evidence = {ProbeEvidence("nvml", *nvml)};
  if (nvml->library) evidence.push_back("probes.nvml library: " + *nvml->library);
  std::optional<std::string> version = m.ModuleVersion("nvidia");
  if (version) evidence.push_back("module nvidia version: " + *version);
  out->push_back(
      {.code = "nvml_version_mismatch",
       .severity = "error",
       .device_id = "",
       .message = "the loaded nvidia kernel module" + (version ? " (" + *version + ")" : "") +
                  " and the installed NVIDIA libraries are different versions (NVML: "
                  "driver/library version mismatch), so no CUDA application can start",
       .evidence = evidence,
       .remedy = "reboot, so that the kernel loads the module of the installed driver (this "
                 "follows a driver upgrade without a reboot); in a container, the host driver "
                 "must match the libraries mounted in",
       .backends = {"cuda"}});
}

// ---- AMD gfx targets ----------------------------------------------------------------------------

// The gfx target an HSA_OVERRIDE_GFX_VERSION value runs a GPU as ("10.3.0" -> "gfx1030"), or
// nullopt when ROCm rejects the value: it must be three decimal numbers, major <= 63, minor and
// stepping <= 255, and the name is major in decimal, minor and stepping in hex (research/specs.md
// §4.2).
std::optional<std::string> OverrideTarget(const std::string& value) {
  unsigned major = 0, minor = 0, stepping = 0;
  char extra = 0;
  if (std::sscanf(value.c_str(), "%u.%u.%u%c", &major, &minor, &stepping, &extra) != 3 ||
      major > 63 || minor > 255 || stepping > 255 ||
      value.find_first_of(" +-") != std::string::npos) {
    return std::nullopt;
  }
  char name[32];
  std::snprintf(name, sizeof name, "gfx%u%x%x", major, minor, stepping);
  return name;
}

// What OverrideTarget accepts, for remedies.
constexpr std::string_view kAcceptedOverride =
    "three decimal numbers, major.minor.stepping, with major at most 63 and minor and stepping at "
    "most 255";

// "gpu1 (gfx1103)"
std::string GfxLabel(const Device& device) {
  return device.id + " (" + GfxTargetName(device.gfx_target_version.value_or(0)) + ")";
}

void CheckGfxTargets(const Machine& m, Findings* out) {
  std::optional<std::string> global = m.EnvVar("HSA_OVERRIDE_GFX_VERSION");
  if (global && !OverrideTarget(*global)) {
    out->push_back({.code = "hsa_override_invalid",
                    .severity = "error",
                    .device_id = "",
                    .message = Quoted("HSA_OVERRIDE_GFX_VERSION", *global) +
                               " is not a version ROCm accepts, so ROCm fails to start",
                    .evidence = {"env: " + Quoted("HSA_OVERRIDE_GFX_VERSION", *global)},
                    .remedy = "use three decimal numbers such as 10.3.0 (major.minor.stepping), "
                              "or unset it",
                    .backends = {"rocm", "zluda"}});
    global.reset();
  }
  std::vector<const Device*> amd;
  // The GPUs the global variable retargets: a valid per-node override wins for its node.
  std::vector<const Device*> retargeted;
  bool any_supported = false;
  std::set<int> targets;
  for (const Device& device : m.inv().devices) {
    if (device.vendor != Vendor::kAmd || !device.gfx_target_version) continue;
    amd.push_back(&device);
    any_supported = any_supported || IsSupportedRocmTarget(*device.gfx_target_version);
    const Binding* node = device.FindBinding("rocm");
    std::optional<std::string> own =
        node != nullptr && node->index
            ? m.EnvVar("HSA_OVERRIDE_GFX_VERSION_" + std::to_string(*node->index))
            : std::nullopt;
    if (own && OverrideTarget(*own)) continue;
    retargeted.push_back(&device);
    targets.insert(*device.gfx_target_version);
  }
  if (global && targets.size() > 1) {
    std::vector<std::string> listed;
    for (const Device* device : retargeted) listed.push_back(GfxLabel(*device));
    out->push_back({.code = "hsa_override_global",
                    .severity = "warning",
                    .device_id = "",
                    .message = Quoted("HSA_OVERRIDE_GFX_VERSION", *global) +
                               " retargets every AMD GPU, but they differ: " + JoinComma(listed),
                    .evidence = {"env: " + Quoted("HSA_OVERRIDE_GFX_VERSION", *global)},
                    .remedy = "unset it and set HSA_OVERRIDE_GFX_VERSION_<node> only for the GPU "
                              "that needs it",
                    .backends = {"rocm", "zluda"}});
  }
  for (const Device* device : amd) {
    int version = *device->gfx_target_version;
    if (IsSupportedRocmTarget(version)) continue;
    const Binding* node = device->FindBinding("rocm");
    std::string per_node = node != nullptr && node->index
                               ? "HSA_OVERRIDE_GFX_VERSION_" + std::to_string(*node->index)
                               : "";
    // Already overridden; CheckGfxNodeOverrides judges a per-node value.
    if (global || (!per_node.empty() && m.EnvVar(per_node))) continue;
    std::string gfx = GfxTargetName(version);
    // No known override, no advice: a wrong one crashes in the first kernel launch.
    std::optional<std::string_view> known = KnownGfxOverride(version);
    Finding finding{.code = "gfx_unsupported",
                    // Another AMD GPU that ROCm supports keeps the backend working (e.g. Raphael's
                    // iGPU next to an RX 7900 XTX).
                    .severity = any_supported ? "warning" : "error",
                    .device_id = device->id,
                    .message = Label(*device) + " is " + gfx + ", which ROCm does not support",
                    .evidence = {"probes.rocm: gfx_target_version " + std::to_string(version) +
                                 " (" + gfx + ")"},
                    .remedy = "",
                    .backends = {"rocm", "zluda"}};
    if (known && !per_node.empty()) {
      finding.remedy = "set " + per_node + "=" + std::string(*known) +
                       " to run only this GPU as its supported sibling (KFD node " +
                       std::to_string(*node->index) +
                       "); never the process-wide HSA_OVERRIDE_GFX_VERSION, which retargets every "
                       "GPU";
    } else {
      finding.message += " and no override is known to work for it";
      finding.remedy = "use another backend (vulkan), or a ROCm build that includes " + gfx;
    }
    out->push_back(std::move(finding));
  }
}

// ROCm's per-node override, HSA_OVERRIDE_GFX_VERSION_<KFD node>: libhsakmt reads it for each GPU
// node before the process-wide variable, with the same syntax, and never for CPU nodes
// (research/specs.md §4.2).
constexpr std::string_view kPerNodeOverride = "HSA_OVERRIDE_GFX_VERSION_";

// The KFD node a per-node override names; nullopt for any other variable and for spellings
// libhsakmt never reads (it prints the node with %d, so "_01" is not node 1).
std::optional<int> OverrideNode(const std::string& name) {
  if (name.rfind(kPerNodeOverride, 0) != 0) return std::nullopt;
  std::string digits = name.substr(kPerNodeOverride.size());
  if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits[0] == '0') ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(digits);
}

void CheckGfxNodeOverrides(const Machine& m, Findings* out) {
  std::map<int, std::pair<std::string, std::string>> overrides;  // by node: name, value
  for (const auto& [name, value] : m.obs().env) {
    if (std::optional<int> node = OverrideNode(name)) overrides[*node] = {name, value};
  }
  if (overrides.empty()) return;
  std::map<int, const Device*> gpus;  // by KFD node
  for (const Device& device : m.inv().devices) {
    const Binding* node = device.FindBinding("rocm");
    if (node != nullptr && node->index) gpus[*node->index] = &device;
  }
  // Only a rocm probe that ran says which nodes are GPUs.
  const ProbeHeader* rocm = m.Probe("rocm");
  bool nodes_known = rocm != nullptr && rocm->status == ProbeStatus::kOk;
  for (const auto& [number, variable] : overrides) {
    const auto& [name, value] = variable;
    std::string env = "env: " + Quoted(name, value);
    auto gpu = gpus.find(number);
    const Device* device = gpu == gpus.end() ? nullptr : gpu->second;
    if (device == nullptr && nodes_known) {
      std::vector<std::string> listed, nodes;
      for (const auto& [node, other] : gpus) {
        listed.push_back(std::to_string(node) + " (" + other->id + ")");
        nodes.push_back(GfxLabel(*other) + " is node " + std::to_string(node));
      }
      out->push_back(
          {.code = "hsa_override_no_gpu_node",
           .severity = "warning",
           .device_id = "",
           .message = Quoted(name, value) + " names KFD node " + std::to_string(number) +
                      ", which KFD does not list as a GPU, so ROCm ignores it",
           .evidence = {env, listed.empty() ? "probes.rocm: ok, no GPU node"
                                            : "probes.rocm: GPU nodes " + JoinComma(listed)},
           .remedy = nodes.empty() ? "unset it: KFD lists no AMD GPU on this machine"
                                   : "the number is the GPU's KFD node, not its HIP device index "
                                     "(KFD numbers CPU nodes first): " +
                                         JoinComma(nodes) + "; or unset it",
           .backends = {"rocm", "zluda"}});
      continue;
    }
    std::optional<int> version;
    if (device != nullptr) version = device->gfx_target_version;
    std::optional<std::string_view> known;
    if (version && !IsSupportedRocmTarget(*version)) known = KnownGfxOverride(*version);
    std::optional<std::string> target = OverrideTarget(value);
    if (!target) {
      out->push_back(
          {.code = "hsa_override_invalid",
           .severity = "error",
           .device_id = device != nullptr ? device->id : "",
           .message =
               Quoted(name, value) + " is not a version ROCm accepts, so ROCm fails to start",
           .evidence = {env},
           .remedy =
               known ? "set " + name + "=" + std::string(*known) + " (ROCm accepts " +
                           std::string(kAcceptedOverride) + "), or unset it"
                     : "unset it, or write " + std::string(kAcceptedOverride) + ", such as 10.3.0",
           .backends = {"rocm", "zluda"}});
      continue;
    }
    if (!version) continue;  // nothing to judge the value against
    std::string gfx = GfxTargetName(*version);
    Finding finding{.code = "",
                    .severity = "warning",
                    .device_id = device->id,
                    .message = "",
                    .evidence = {env, "probes.rocm: KFD node " + std::to_string(number) + " is " +
                                          device->id + ", gfx_target_version " +
                                          std::to_string(*version) + " (" + gfx + ")"},
                    .remedy = "",
                    .backends = {"rocm", "zluda"}};
    if (IsSupportedRocmTarget(*version) && *target == gfx && m.EnvVar("HSA_OVERRIDE_GFX_VERSION")) {
      // It keeps this GPU itself while the process-wide variable retargets the others.
      finding.code = "hsa_override_set";
      finding.severity = "info";
      finding.message = name + "=" + value + " keeps " + GfxLabel(*device) +
                        " on its own target while HSA_OVERRIDE_GFX_VERSION retargets the other "
                        "AMD GPUs";
      finding.remedy = "nothing to do; keep it set for every process that uses this GPU";
    } else if (IsSupportedRocmTarget(*version)) {
      finding.code = "hsa_override_not_needed";
      finding.message = Quoted(name, value) + " is set for " + GfxLabel(*device) +
                        ", which ROCm supports without an override";
      finding.remedy = *target == gfx
                           ? "unset " + name + "; it names the GPU's own target"
                           : "unset " + name + ": it makes ROCm run this GPU as " + *target +
                                 ", and kernels built for another target can fail on it";
    } else if (known && OverrideTarget(std::string(*known)) == target) {
      finding.code = "hsa_override_set";
      finding.severity = "info";
      finding.message = name + "=" + value + " is set for " + GfxLabel(*device) +
                        ", so ROCm runs this unsupported target as its supported sibling " +
                        *target;
      finding.remedy = "nothing to do; keep it set for every process that uses this GPU";
    } else if (known) {
      finding.code = "hsa_override_unverified";
      finding.message = Quoted(name, value) + " runs " + GfxLabel(*device) + " as " + *target +
                        ", but the override known to work for it is " + std::string(*known) + " (" +
                        OverrideTarget(std::string(*known)).value_or("") + ")";
      finding.remedy = "set " + name + "=" + std::string(*known) + " instead";
    } else {
      finding.code = "hsa_override_unverified";
      finding.message = Quoted(name, value) + " runs " + GfxLabel(*device) + " as " + *target +
                        ", and no override is known to work for " + gfx;
      finding.remedy =
          "if ROCm fails or computes wrong results on this GPU, unset it and use "
          "another backend (vulkan)";
    }
    out->push_back(std::move(finding));
  }
}

// ---- Containers ---------------------------------------------------------------------------------

// The nodes a device needs inside a container and which are missing; empty when all are there.
std::vector<std::string> MissingNodes(const Machine& m, const PciFunction& pci) {
  std::vector<std::string> needed;
  if (pci.driver == "nvidia") {
    needed.push_back("/dev/nvidiactl");
    if (pci.nvidia_procfs && pci.nvidia_procfs->device_minor) {
      needed.push_back("/dev/nvidia" + std::to_string(*pci.nvidia_procfs->device_minor));
    }
  } else {
    for (const std::string& node : pci.drm) {
      if (node.rfind("renderD", 0) == 0) needed.push_back("/dev/dri/" + node);
    }
    for (const std::string& node : pci.accel) needed.push_back("/dev/accel/" + node);
  }
  std::vector<std::string> missing;
  for (const std::string& path : needed) {
    if (m.Node(path) == "missing") missing.push_back(path);
  }
  return missing;
}

// How to pass a vendor's devices in (research/sysfs.md §7.1, §5.5).
struct PassRule {
  Vendor vendor;
  std::string_view how;
};
constexpr PassRule kPassRules[] = {
    {Vendor::kNvidia, "NVIDIA: --gpus all with the NVIDIA Container Toolkit"},
    {Vendor::kAmd, "AMD: --device /dev/kfd --device /dev/dri --group-add render"},
    {Vendor::kIntel, "Intel: --device /dev/dri (NPU: --device /dev/accel) --group-add render"},
};

void CheckContainer(const Machine& m, Findings* out) {
  if (!m.obs().host.container || !m.obs().probes.sysfs || m.obs().probes.sysfs->dev_nodes.empty()) {
    return;
  }
  std::vector<std::pair<const Device*, std::vector<std::string>>> absent;
  std::size_t passed = 0;
  bool amd_passed = false;
  for (const auto& [device, pci] : m.PciDevices()) {
    if (!pci->driver) continue;  // CheckKernelDriver reports it
    std::vector<std::string> missing = MissingNodes(m, *pci);
    if (missing.empty()) {
      ++passed;
      amd_passed = amd_passed || (device->vendor == Vendor::kAmd && pci->driver == "amdgpu");
    } else {
      absent.emplace_back(device, std::move(missing));
    }
  }
  if (amd_passed && m.Node("/dev/kfd") == "missing") {
    out->push_back({.code = "container_no_kfd",
                    .severity = "error",
                    .device_id = "",
                    .message = "this container has the AMD render nodes but not /dev/kfd, which "
                               "ROCm needs",
                    .evidence = {"host.container: true", "/dev/kfd: missing"},
                    .remedy = "start the container with --device /dev/kfd",
                    .backends = {"rocm", "zluda"}});
  }
  if (absent.empty()) return;
  if (passed > 0) {
    for (const auto& [device, missing] : absent) {
      out->push_back({.code = "container_device_not_passed",
                      .severity = "info",
                      .device_id = device->id,
                      .message = Label(*device) + " is on the host but was not passed into this "
                                                  "container",
                      .evidence = {"host.container: true", JoinComma(missing) + ": missing"},
                      .remedy = "nothing, if it belongs to another container; else pass it in",
                      .backends = BackendsFor(*device)});
    }
    return;
  }
  std::vector<std::string> evidence = {"host.container: true"}, backends, how;
  for (const auto& [device, missing] : absent) {
    evidence.push_back(device->id + ": " + JoinComma(missing) + ": missing");
    for (const std::string& backend : BackendsFor(*device)) AddUnique(&backends, backend);
    for (const PassRule& rule : kPassRules) {
      if (rule.vendor == device->vendor) AddUnique(&how, std::string(rule.how));
    }
  }
  std::string remedy = "start the container with the devices passed in";
  if (!how.empty()) remedy += " (" + JoinComma(how) + ")";
  out->push_back({.code = "container_no_devices",
                  .severity = "error",
                  .device_id = "",
                  .message = "this is a container and the host has " +
                             std::to_string(absent.size()) +
                             (absent.size() == 1 ? " GPU" : " GPUs/NPUs") +
                             ", but none of their device nodes were passed in",
                  .evidence = evidence,
                  .remedy = remedy,
                  .backends = backends});
}

// ---- Visibility variables -----------------------------------------------------------------------

std::vector<Finding> HidesAll(const std::string& code, const std::string& variable,
                              const std::string& value, const VisibleList& list,
                              const std::string& what, std::size_t count, std::string remedy,
                              std::vector<std::string> backends) {
  std::vector<std::string> evidence = {"env: " + Quoted(variable, value)};
  for (const std::string& note : list.notes) evidence.push_back(note);
  return {{.code = code,
           .severity = "error",
           .device_id = "",
           .message = Quoted(variable, value) + " hides every " + what + " (" +
                      std::to_string(count) + " present)",
           .evidence = evidence,
           .remedy = std::move(remedy),
           .backends = std::move(backends)}};
}

std::vector<const Device*> DevicesOf(const Machine& m, Vendor vendor) {
  std::vector<const Device*> devices;
  for (const Device& device : m.inv().devices) {
    if (device.vendor == vendor &&
        (device.kind == DeviceKind::kDgpu || device.kind == DeviceKind::kIgpu)) {
      devices.push_back(&device);
    }
  }
  return devices;
}

void CheckCudaVisibility(const Machine& m, Findings* out) {
  std::optional<std::string> value = m.EnvVar("CUDA_VISIBLE_DEVICES");
  std::vector<const Device*> nvidia = DevicesOf(m, Vendor::kNvidia);
  if (!value || nvidia.empty()) return;
  // CUDA's own enumeration already applied the mask; the inventory holds every GPU.
  std::vector<std::string> uuids;
  for (const Device* device : nvidia) uuids.push_back(device->uuid.value_or(""));
  VisibleList list = ApplyCudaVisibleDevices(*value, uuids);
  if (!list.indices.empty()) return;
  for (Finding& finding :
       HidesAll("cuda_visible_hides_all", "CUDA_VISIBLE_DEVICES", *value, list, "NVIDIA GPU",
                nvidia.size(),
                "unset CUDA_VISIBLE_DEVICES, or list GPUs by index (0 to " +
                    std::to_string(nvidia.size() - 1) + ") or by UUID (nvidia-smi -L)",
                {"cuda"})) {
    out->push_back(std::move(finding));
  }
}

void CheckRocmVisibility(const Machine& m, Findings* out) {
  std::optional<std::string> rocr = m.EnvVar("ROCR_VISIBLE_DEVICES");
  std::optional<std::string> hip = m.EnvVar("HIP_VISIBLE_DEVICES");
  std::vector<const Device*> amd = DevicesOf(m, Vendor::kAmd);
  if ((!rocr && !hip) || amd.empty()) return;
  std::vector<std::string> uuids(amd.size());
  std::vector<std::string> left = uuids;
  VisibleList list{.indices = {}, .notes = {}};
  for (std::size_t i = 0; i < amd.size(); ++i) list.indices.push_back(static_cast<int>(i));
  std::vector<std::string> evidence;
  if (rocr) {
    list = ApplyRocrVisibleDevices(*rocr, uuids);
    left.assign(list.indices.size(), "");
    evidence.push_back("env: " + Quoted("ROCR_VISIBLE_DEVICES", *rocr));
  }
  if (hip) {
    VisibleList after = ApplyHipVisibleDevices(*hip, left);
    for (std::string& note : list.notes) after.notes.push_back(std::move(note));
    list = std::move(after);
    evidence.push_back("env: " + Quoted("HIP_VISIBLE_DEVICES", *hip));
  }
  for (const std::string& note : list.notes) evidence.push_back(note);
  std::string count = std::to_string(amd.size());
  if (rocr && hip) {
    bool none = list.indices.empty();
    out->push_back(
        {.code = "rocm_visibility_conflict",
         .severity = none ? "error" : "warning",
         .device_id = "",
         .message =
             "both ROCR_VISIBLE_DEVICES and HIP_VISIBLE_DEVICES are set; HIP numbers only "
             "the GPUs ROCr left, so the two use different indices" +
             std::string(none ? ", and together they leave no GPU visible (" + count + " present)"
                              : ""),
         .evidence = evidence,
         .remedy = "set only ROCR_VISIBLE_DEVICES (ROCm's advice on Linux) and unset "
                   "HIP_VISIBLE_DEVICES",
         .backends = {"rocm", "zluda"}});
  } else if (list.indices.empty()) {
    std::string variable = rocr ? "ROCR_VISIBLE_DEVICES" : "HIP_VISIBLE_DEVICES";
    out->push_back({.code = "rocm_visible_hides_all",
                    .severity = "error",
                    .device_id = "",
                    .message = Quoted(variable, rocr ? *rocr : *hip) + " hides every AMD GPU (" +
                               count + " present)",
                    .evidence = evidence,
                    .remedy = "unset " + variable + ", or list GPUs by index (0 to " +
                              std::to_string(amd.size() - 1) + ")",
                    .backends = {"rocm", "zluda"}});
  }
}

void CheckOneApiSelector(const Machine& m, Findings* out) {
  std::optional<std::string> value = m.EnvVar("ONEAPI_DEVICE_SELECTOR");
  if (!value) return;
  std::string evidence = "env: " + Quoted("ONEAPI_DEVICE_SELECTOR", *value);
  Result<std::vector<OneApiFilter>> filters = ParseOneApiDeviceSelector(*value);
  if (!filters.ok()) {
    out->push_back({.code = "oneapi_selector_invalid",
                    .severity = "error",
                    .device_id = "",
                    .message = filters.status().message(),
                    .evidence = {evidence},
                    .remedy = "fix or unset ONEAPI_DEVICE_SELECTOR; SYCL refuses to start with "
                              "an invalid value (e.g. level_zero:0 or level_zero:gpu)",
                    .backends = {"xpu"}});
    return;
  }
  std::vector<const Device*> intel = DevicesOf(m, Vendor::kIntel);
  if (intel.empty()) return;
  VisibleList list = ApplyOneApiDeviceSelector(*filters, static_cast<int>(intel.size()));
  if (!list.indices.empty()) return;
  for (Finding& finding : HidesAll(
           "oneapi_selector_hides_all", "ONEAPI_DEVICE_SELECTOR", *value, list,
           "Intel GPU from Level Zero", intel.size(),
           "unset ONEAPI_DEVICE_SELECTOR, or accept a Level Zero GPU (level_zero:0)", {"xpu"})) {
    out->push_back(std::move(finding));
  }
}

// ---- The table ----------------------------------------------------------------------------------

using Check = void (*)(const Machine&, Findings*);
constexpr Check kChecks[] = {
    CheckKernelDriver,   CheckRuntimes,         CheckPermissions, CheckNvmlMismatch,
    CheckGfxTargets,     CheckGfxNodeOverrides, CheckContainer,   CheckCudaVisibility,
    CheckRocmVisibility, CheckOneApiSelector,
};

int SeverityRank(const std::string& severity) {
  return severity == "error" ? 0 : severity == "warning" ? 1 : 2;
}

bool Concerns(const Finding& finding, const std::string& backend) {
  return finding.backends.empty() || std::find(finding.backends.begin(), finding.backends.end(),
                                               backend) != finding.backends.end();
}

}  // namespace

std::vector<Finding> Diagnose(const Observations& observations, const Inventory& inventory,
                              const std::optional<std::string>& backend) {
  Machine machine(observations, inventory);
  Findings findings;
  for (Check check : kChecks) check(machine, &findings);
  // Severities are absolute except where a finding cannot matter to the requested backend: an
  // error about another backend's device does not stop this one, so it is shown as a warning.
  if (backend) {
    for (Finding& finding : findings) {
      if (finding.severity == "error" && !Concerns(finding, *backend)) finding.severity = "warning";
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return SeverityRank(a.severity) < SeverityRank(b.severity);
  });
  return findings;
}

bool HasBlockingFinding(const std::vector<Finding>& findings,
                        const std::optional<std::string>& backend) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.severity == "error" && (!backend || Concerns(finding, *backend));
  });
}

nlohmann::ordered_json FindingsToJson(const std::vector<Finding>& findings,
                                      const std::optional<std::string>& backend) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  int errors = 0;
  int warnings = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == "error";
    warnings += finding.severity == "warning";
    list.push_back(
        {{"code", finding.code},
         {"severity", finding.severity},
         {"device_id", finding.device_id.empty() ? nlohmann::ordered_json()
                                                 : nlohmann::ordered_json(finding.device_id)},
         {"message", finding.message},
         {"evidence", finding.evidence},
         {"remedy", finding.remedy},
         {"backends", finding.backends}});
  }
  return {{"backend", backend ? nlohmann::ordered_json(*backend) : nlohmann::ordered_json()},
          {"findings", std::move(list)},
          {"errors", errors},
          {"warnings", warnings}};
}

std::string FormatFindingsText(const std::vector<Finding>& findings) {
  if (findings.empty()) return "no problems found\n";
  std::string out;
  int errors = 0;
  int warnings = 0;
  for (const Finding& finding : findings) {
    errors += finding.severity == "error";
    warnings += finding.severity == "warning";
    std::string head = finding.severity;
    head.resize(std::max<std::size_t>(head.size() + 1, 8), ' ');
    if (!finding.device_id.empty()) head += finding.device_id + "  ";
    out += head + finding.code + ": " + finding.message + "\n";
    for (const std::string& fact : finding.evidence) out += "    evidence: " + fact + "\n";
    if (!finding.remedy.empty()) out += "    remedy:   " + finding.remedy + "\n";
    if (!finding.backends.empty()) out += "    affects:  " + JoinComma(finding.backends) + "\n";
  }
  auto plural = [](int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  out += plural(errors, "error") + ", " + plural(warnings, "warning") + "\n";
  return out;
}

}  // namespace devpick
