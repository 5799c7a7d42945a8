// Who may open the device nodes, and what a container was given.
#include <cstdio>

#include "core/text.h"
#include "devpick/env.h"
#include "doctor/checks.h"

namespace devpick::doctor {
// ---- Device-node permissions --------------------------------------------------------------------

// Which group udev gives each node (research/sysfs.md §2.2, §5.3) and what else to say.
struct NodeRule {
  std::string_view prefix;
  std::string_view code;
  std::string_view group;
  std::string_view note;
  // Whose backends the node serves when it belongs to no single device; nullopt: every backend.
  std::optional<IndexSource> backends;
};
constexpr NodeRule kNodeRules[] = {
    {"/dev/dri/renderD", "render_node_denied", "render", "", std::nullopt},
    {"/dev/accel/accel", "accel_node_denied", "render",
     "; no default udev rule covers accel nodes (root:root 0600), so also add "
     "SUBSYSTEM==\"accel\", KERNEL==\"accel*\", GROUP=\"render\", MODE=\"0660\"",
     IndexSource::kOpenVino},
    {"/dev/kfd", "kfd_denied", "render", "", IndexSource::kRocm},
    {"/dev/nvidia", "nvidia_node_denied", "video",
     "; NVIDIA's nodes are normally 0666, so also check the nvidia module's NVreg_DeviceFileMode "
     "and NVreg_DeviceFileGID",
     IndexSource::kCuda},
};

void AddDenied(const Machine& m, const std::string& path, const NodeRule& rule, Findings* out) {
  const Device* device = m.DeviceWithNode(BaseName(path));
  std::vector<std::string> backends;
  if (device != nullptr) backends = BackendsFor(*device);
  if (device == nullptr && rule.backends) backends = BackendsNumberedBy(*rule.backends);
  std::string remedy = "add the user to the '" + std::string(rule.group) +
                       "' group (sudo usermod -aG " + std::string(rule.group) +
                       " $USER), then log out and in again" + std::string(rule.note);
  if (m.obs().host.container) {
    remedy += "; in a container, also start it with --group-add " + std::string(rule.group);
  }
  out->push_back({.code = std::string(rule.code),
                  .severity = Severity::kError,
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
                    .severity = Severity::kError,
                    .device_id = "",
                    .message = "this container has the AMD render nodes but not /dev/kfd, which "
                               "ROCm needs",
                    .evidence = {"host.container: true", "/dev/kfd: missing"},
                    .remedy = "start the container with --device /dev/kfd",
                    .backends = BackendsNumberedBy(IndexSource::kRocm)});
  }
  if (absent.empty()) return;
  if (passed > 0) {
    for (const auto& [device, missing] : absent) {
      out->push_back({.code = "container_device_not_passed",
                      .severity = Severity::kInfo,
                      .device_id = device->id,
                      .message = Label(*device) + " is on the host but was not passed into this "
                                                  "container",
                      .evidence = {"host.container: true", Join(missing, ", ") + ": missing"},
                      .remedy = "nothing, if it belongs to another container; else pass it in",
                      .backends = BackendsFor(*device)});
    }
    return;
  }
  std::vector<std::string> evidence = {"host.container: true"}, backends, how;
  for (const auto& [device, missing] : absent) {
    evidence.push_back(device->id + ": " + Join(missing, ", ") + ": missing");
    for (const std::string& backend : BackendsFor(*device)) AddUnique(&backends, backend);
    for (const PassRule& rule : kPassRules) {
      if (rule.vendor == device->vendor) AddUnique(&how, std::string(rule.how));
    }
  }
  std::string remedy = "start the container with the devices passed in";
  if (!how.empty()) remedy += " (" + Join(how, ", ") + ")";
  out->push_back({.code = "container_no_devices",
                  .severity = Severity::kError,
                  .device_id = "",
                  .message = "this is a container and the host has " +
                             std::to_string(absent.size()) +
                             (absent.size() == 1 ? " GPU" : " GPUs/NPUs") +
                             ", but none of their device nodes were passed in",
                  .evidence = evidence,
                  .remedy = remedy,
                  .backends = backends});
}

}  // namespace devpick::doctor
