// Kernel drivers, the compute runtimes of present hardware and NVML's version mismatch.
#include <algorithm>
#include <cstdio>

#include "core/text.h"
#include "doctor/checks.h"
#include "inventory/driver_problems.h"
#include "inventory/id_tables.h"
#include "probes/registry.h"

namespace devpick::doctor {
// ---- Kernel driver ------------------------------------------------------------------------------

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
             .severity = Severity::kError,
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
    }
    const DriverProblem* problem = FindDriverProblem(pci->driver);
    if (problem == nullptr) continue;
    std::string_view remedy = problem->finding_remedy.empty()
                                  ? NoDriverRemedyFor(*device).finding_remedy
                                  : problem->finding_remedy;
    out->push_back({.code = std::string(problem->finding_code),
                    .severity = problem->finding_is_warning ? Severity::kWarning : Severity::kError,
                    .device_id = device->id,
                    .message = Label(*device) + DriverProblemText(problem->finding_message,
                                                                  pci->driver, pci->address),
                    .evidence = {DriverEvidence(*pci)},
                    .remedy = DriverProblemText(remedy, pci->driver, pci->address),
                    .backends = backends});
  }
}

// ---- Compute runtimes of present hardware -------------------------------------------------------

// "probes.level_zero: ok, but it does not list 0000:03:00.0" or the probe's failure.
std::string UnseenEvidence(std::string_view api, const ProbeHeader& header,
                           const std::string& address) {
  if (header.status == ProbeStatus::kOk) {
    return "probes." + std::string(api) + ": ok, but it does not list " + address;
  }
  return ProbeEvidence(api, header);
}

// A compute runtime that the device's backends run on, and those backends.
struct DeviceRuntime {
  const ProbeDescriptor* probe;
  std::vector<std::string> backends;
};

// The compute runtimes of the backends that drive `device` (their gpu_runtime_probe), in backend
// table order: Level Zero for xpu, OpenCL for OpenVINO's GPU plugin.
std::vector<DeviceRuntime> RuntimesOf(const Device& device) {
  std::vector<DeviceRuntime> runtimes;
  for (const std::string& name : BackendsFor(device)) {
    const BackendInfo& row = *FindBackend(name);
    const ProbeDescriptor* probe = FindProbeDescriptor(row.gpu_runtime_probe);
    if (probe == nullptr) continue;
    auto it = std::find_if(runtimes.begin(), runtimes.end(),
                           [&](const DeviceRuntime& r) { return r.probe == probe; });
    if (it == runtimes.end())
      it = runtimes.insert(runtimes.end(), {.probe = probe, .backends = {}});
    it->backends.push_back(name);
  }
  return runtimes;
}

void CheckIntelRuntime(const Machine& m, const Device& device, const PciFunction& pci,
                       Findings* out) {
  std::vector<std::string> missing, evidence = {DriverEvidence(pci)}, backends;
  std::vector<DeviceRuntime> runtimes = RuntimesOf(device);
  for (const DeviceRuntime& runtime : runtimes) {
    std::string_view api = runtime.probe->name;
    const ProbeHeader* header = m.Probe(api);
    // A probe that did not run (--probes) or timed out says nothing about the runtime.
    if (header == nullptr || header->status == ProbeStatus::kSkipped ||
        header->status == ProbeStatus::kTimeout || device.FindBinding(api) != nullptr) {
      continue;
    }
    missing.emplace_back(runtime.probe->display);
    evidence.push_back(UnseenEvidence(api, *header, *device.pci_address));
    backends.insert(backends.end(), runtime.backends.begin(), runtime.backends.end());
  }
  if (missing.empty()) return;
  bool both = missing.size() == 2 && runtimes.size() == 2;
  out->push_back({.code = "intel_runtime_missing",
                  .severity = Severity::kError,
                  .device_id = device.id,
                  .message = Label(device) + " has the " + *pci.driver + " driver but " +
                             (both ? "neither " + missing[0] + " nor " + missing[1] + " sees it"
                                   : "the " + missing.front() + " runtime does not see it"),
                  .evidence = evidence,
                  .remedy =
                      "install Intel's GPU compute runtime: on Debian/Ubuntu intel-opencl-icd and "
                      "libze-intel-gpu1 (intel-level-zero-gpu on older releases) with libze1; "
                      "elsewhere see dgpu-docs.intel.com",
                  .backends = backends});
}

// The libraries the probes of the device's backends load (NVML's and CUDA's for the cuda backend)
// that are not installed.
void CheckNvidiaRuntime(const Machine& m, const Device& device, const PciFunction& pci,
                        Findings* out) {
  std::vector<std::string> missing, evidence = {DriverEvidence(pci)};
  for (const std::string& backend : BackendsFor(device)) {
    for (std::string_view name : FindBackend(backend)->probes) {
      const ProbeDescriptor* probe = FindProbeDescriptor(name);
      if (probe == nullptr || probe->library.empty()) continue;
      const ProbeHeader* header = m.Probe(name);
      if (header == nullptr || header->status != ProbeStatus::kAbsent) continue;
      std::string library(probe->library);
      if (std::find(missing.begin(), missing.end(), library) != missing.end()) continue;
      missing.push_back(library);
      evidence.push_back(ProbeEvidence(name, *header));
    }
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
       .severity = Severity::kError,
       .device_id = device.id,
       .message = Label(device) + " has the nvidia kernel driver but " + Join(missing, ", ") +
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
  const ProbeHeader* rocm = m.Probe(KfdProbe());
  std::optional<std::string> kfd = m.Node("/dev/kfd");
  bool node_absent = kfd == "missing" && !m.obs().host.container;
  bool topology_absent = rocm != nullptr && rocm->status == ProbeStatus::kAbsent;
  if (amd_without_kfd.empty() || !(node_absent || topology_absent)) return;
  std::vector<std::string> ids, evidence;
  for (const Device* device : amd_without_kfd) ids.push_back(device->id);
  if (kfd) evidence.push_back("/dev/kfd: " + *kfd);
  if (rocm != nullptr) evidence.push_back(ProbeEvidence(KfdProbe(), *rocm));
  Finding finding{.code = "amd_kfd_missing",
                  .severity = Severity::kError,
                  .device_id = ids.size() == 1 ? ids.front() : "",
                  .message = "amdgpu drives " + Join(ids, ", ") +
                             " but the kernel's compute interface (KFD, /dev/kfd) is missing, so "
                             "ROCm sees no GPU",
                  .evidence = evidence,
                  .remedy =
                      "use a kernel built with CONFIG_HSA_AMD=y (distribution kernels are) "
                      "and check 'sudo dmesg | grep kfd' for why KFD did not start",
                  .backends = BackendsNumberedBy(IndexSource::kRocm)};
  if (!topology_absent && rocm != nullptr && rocm->status == ProbeStatus::kOk) {
    // KFD runs (its topology is there) but nothing created the node.
    finding.message = "amdgpu drives " + Join(ids, ", ") +
                      " and KFD is running, but /dev/kfd does not exist, so ROCm sees no GPU";
    finding.remedy =
        "udev creates /dev/kfd (group render): check that systemd-udevd runs and "
        "'sudo udevadm trigger', or reboot";
  }
  out->push_back(std::move(finding));
}

// ---- NVML driver/library version mismatch -------------------------------------------------------

void CheckNvmlMismatch(const Machine& m, Findings* out) {
  const ProbeHeader* nvml = m.Probe(kNvmlProbeName);
  if (nvml == nullptr || nvml->status != ProbeStatus::kError || !nvml->detail) return;
  // The probe names the code; snapshots written before it knew the name say "error 18".
  const std::string& detail = *nvml->detail;
  if (detail.find("NVML_ERROR_LIB_RM_VERSION_MISMATCH") == std::string::npos &&
      detail.find(": error 18") == std::string::npos) {
    return;
  }
  std::vector<std::string> evidence = {ProbeEvidence(kNvmlProbeName, *nvml)};
  if (nvml->library) {
    evidence.push_back("probes." + std::string(kNvmlProbeName) + " library: " + *nvml->library);
  }
  std::optional<std::string> version = m.ModuleVersion("nvidia");
  if (version) evidence.push_back("module nvidia version: " + *version);
  out->push_back(
      {.code = "nvml_version_mismatch",
       .severity = Severity::kError,
       .device_id = "",
       .message = "the loaded nvidia kernel module" + (version ? " (" + *version + ")" : "") +
                  " and the installed NVIDIA libraries are different versions (NVML: "
                  "driver/library version mismatch), so no CUDA application can start",
       .evidence = evidence,
       .remedy = "reboot, so that the kernel loads the module of the installed driver (this "
                 "follows a driver upgrade without a reboot); in a container, the host driver "
                 "must match the libraries mounted in",
       .backends = BackendsNumberedBy(IndexSource::kCuda)});
}

}  // namespace devpick::doctor
