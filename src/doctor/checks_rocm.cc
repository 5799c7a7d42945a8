// AMD gfx targets ROCm does not support, and HSA_OVERRIDE_GFX_VERSION overrides already set.
#include <cstdio>
#include <map>
#include <set>

#include "core/text.h"
#include "doctor/checks.h"
#include "inventory/id_tables.h"

namespace devpick::doctor {
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
                    .severity = Severity::kError,
                    .device_id = "",
                    .message = Quoted("HSA_OVERRIDE_GFX_VERSION", *global) +
                               " is not a version ROCm accepts, so ROCm fails to start",
                    .evidence = {"env: " + Quoted("HSA_OVERRIDE_GFX_VERSION", *global)},
                    .remedy = "use three decimal numbers such as 10.3.0 (major.minor.stepping), "
                              "or unset it",
                    .backends = BackendsNumberedBy(IndexSource::kRocm)});
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
    const Binding* node = device.FindBinding(KfdProbe());
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
                    .severity = Severity::kWarning,
                    .device_id = "",
                    .message = Quoted("HSA_OVERRIDE_GFX_VERSION", *global) +
                               " retargets every AMD GPU, but they differ: " + Join(listed, ", "),
                    .evidence = {"env: " + Quoted("HSA_OVERRIDE_GFX_VERSION", *global)},
                    .remedy = "unset it and set HSA_OVERRIDE_GFX_VERSION_<node> only for the GPU "
                              "that needs it",
                    .backends = BackendsNumberedBy(IndexSource::kRocm)});
  }
  for (const Device* device : amd) {
    int version = *device->gfx_target_version;
    if (IsSupportedRocmTarget(version)) continue;
    const Binding* node = device->FindBinding(KfdProbe());
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
                    .severity = any_supported ? Severity::kWarning : Severity::kError,
                    .device_id = device->id,
                    .message = Label(*device) + " is " + gfx + ", which ROCm does not support",
                    .evidence = {KfdEvidence() + "gfx_target_version " + std::to_string(version) +
                                 " (" + gfx + ")"},
                    .remedy = "",
                    .backends = BackendsNumberedBy(IndexSource::kRocm)};
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
    const Binding* node = device.FindBinding(KfdProbe());
    if (node != nullptr && node->index) gpus[*node->index] = &device;
  }
  // Only a rocm probe that ran says which nodes are GPUs.
  const ProbeHeader* rocm = m.Probe(KfdProbe());
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
           .severity = Severity::kWarning,
           .device_id = "",
           .message = Quoted(name, value) + " names KFD node " + std::to_string(number) +
                      ", which KFD does not list as a GPU, so ROCm ignores it",
           .evidence = {env, KfdEvidence() + (listed.empty() ? "ok, no GPU node"
                                                             : "GPU nodes " + Join(listed, ", "))},
           .remedy = nodes.empty() ? "unset it: KFD lists no AMD GPU on this machine"
                                   : "the number is the GPU's KFD node, not its HIP device index "
                                     "(KFD numbers CPU nodes first): " +
                                         Join(nodes, ", ") + "; or unset it",
           .backends = BackendsNumberedBy(IndexSource::kRocm)});
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
           .severity = Severity::kError,
           .device_id = device != nullptr ? device->id : "",
           .message =
               Quoted(name, value) + " is not a version ROCm accepts, so ROCm fails to start",
           .evidence = {env},
           .remedy =
               known ? "set " + name + "=" + std::string(*known) + " (ROCm accepts " +
                           std::string(kAcceptedOverride) + "), or unset it"
                     : "unset it, or write " + std::string(kAcceptedOverride) + ", such as 10.3.0",
           .backends = BackendsNumberedBy(IndexSource::kRocm)});
      continue;
    }
    if (!version) continue;  // nothing to judge the value against
    std::string gfx = GfxTargetName(*version);
    Finding finding{.code = "",
                    .severity = Severity::kWarning,
                    .device_id = device->id,
                    .message = "",
                    .evidence = {env, KfdEvidence() + "KFD node " + std::to_string(number) +
                                          " is " + device->id + ", gfx_target_version " +
                                          std::to_string(*version) + " (" + gfx + ")"},
                    .remedy = "",
                    .backends = BackendsNumberedBy(IndexSource::kRocm)};
    if (IsSupportedRocmTarget(*version) && *target == gfx && m.EnvVar("HSA_OVERRIDE_GFX_VERSION")) {
      // It keeps this GPU itself while the process-wide variable retargets the others.
      finding.code = "hsa_override_set";
      finding.severity = Severity::kInfo;
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
      finding.severity = Severity::kInfo;
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

}  // namespace devpick::doctor
