// The sysfs probe: PCI display and accelerator functions as the kernel describes them, with no
// vendor runtime loaded. Facts and formats are in research/sysfs.md §1-§5.
//
// It records every function that could be a compute device, BMC and virtual displays included:
// the snapshot is what the machine showed, and deciding what is not a compute device belongs to
// correlation, where it can be explained. Every unreadable or garbage file becomes one warning and
// the probe carries on with what it has.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "devpick/pci_address.h"
#include "probes/probe_runs.h"
#include "probes/sysfs_attr.h"

namespace devpick {
namespace {

constexpr std::string_view kPciDevices = "/sys/bus/pci/devices";
// The most entries of kPciDevices read: large servers have about 2,000 functions, and each entry
// costs a read and two listings, so a captured or faked tree of 100,000 would take a minute.
constexpr std::size_t kMaxPciFunctionsScanned = 8192;
constexpr std::string_view kNvidiaGpus = "/proc/driver/nvidia/gpus";
constexpr std::string_view kNvidiaVersion = "/proc/driver/nvidia/version";
// A sysfs attribute is at most one page; anything larger is not what the kernel wrote.
constexpr std::size_t kAttributeLimit = 4096;
// procfs text files of the NVIDIA driver are a few hundred bytes.
constexpr std::size_t kProcfsLimit = 64 * 1024;

// Which PCI classes are recorded; the first matching rule decides.
struct ClassRule {
  std::uint32_t value;
  std::uint32_t mask;
  bool keep;
};
constexpr ClassRule kClassRules[] = {
    {0x120100, 0xffff00, false},  // SDXI: a data mover, not a compute accelerator
    {0x030000, 0xff0000, true},   // display controllers: VGA, XGA, 3D, other
    {0x120000, 0xff0000, true},   // processing accelerators: Intel NPU, Gaudi, Cloud AI 100
    {0x118000, 0xffff00, true},   // signal processing controllers: AMD XDNA NPU
};

bool IsRecordedClass(std::uint32_t class_code) {
  for (const ClassRule& rule : kClassRules) {
    if ((class_code & rule.mask) == rule.value) return rule.keep;
  }
  return false;
}

// The PCI ID attributes read for every recorded function (research/sysfs.md §1.1).
struct HexAttribute {
  std::string_view file;
  std::optional<std::uint32_t> PciFunction::*field;
  std::uint32_t max;
  std::string_view example;
};
constexpr HexAttribute kHexAttributes[] = {
    {"vendor", &PciFunction::vendor, 0xffff, "0x10de"},
    {"device", &PciFunction::device, 0xffff, "0x2684"},
    {"subsystem_vendor", &PciFunction::subsystem_vendor, 0xffff, "0x1458"},
    {"subsystem_device", &PciFunction::subsystem_device, 0xffff, "0x40bf"},
    {"revision", &PciFunction::revision, 0xff, "0xa1"},
};

// Driver-free memory sizes, by vendor; the first readable source of a field wins. "{card}" stands
// for each of the function's cardN nodes (i915 backports put lmem_total_bytes on the DRM minor).
struct MemorySource {
  std::uint32_t vendor;
  std::string_view relative_path;
  std::optional<std::uint64_t> PciFunction::*field;
};
constexpr MemorySource kMemorySources[] = {
    {0x1002, "mem_info_vram_total", &PciFunction::vram_bytes},
    {0x1002, "mem_info_gtt_total", &PciFunction::gtt_bytes},
    {0x8086, "tile0/physical_vram_size_bytes", &PciFunction::vram_bytes},
    {0x8086, "drm/{card}/lmem_total_bytes", &PciFunction::vram_bytes},
};

// Kernel modules whose version file identifies the GPU/NPU driver stack (in-tree modules usually
// have none; DKMS and vendor builds do).
constexpr std::string_view kVersionedModules[] = {"nvidia", "amdgpu",    "i915",
                                                  "xe",     "intel_vpu", "amdxdna"};

// Node names that are devices: "card1", "renderD128", "accel0" — not connectors ("card1-DP-1").
bool IsNodeName(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool IsDrmNodeName(std::string_view name) {
  return IsNodeName(name, "card") || IsNodeName(name, "renderD");
}

bool IsAccelNodeName(std::string_view name) { return IsNodeName(name, "accel"); }

// card2 before card10, cards before render nodes.
// Numbers are compared by length, then text, so that no name can overflow a conversion.
bool NodeNameLess(const std::string& a, const std::string& b) {
  auto split = [](const std::string& name) {
    std::size_t digits = std::min(name.find_first_of("0123456789"), name.size());
    std::string_view number = std::string_view(name).substr(digits);
    return std::make_tuple(name.substr(0, digits), number.size(), number);
  };
  return split(a) < split(b);
}

// Reads attributes for one probe run and turns every failure into one warning.
class AttributeReader {
 public:
  AttributeReader(const Env& env, std::vector<std::string>* warnings)
      : env_(env), warnings_(warnings) {}

  void Warn(std::string warning) { warnings_->push_back(std::move(warning)); }

  // The file's contents; nullopt (with a warning unless the file is optional and missing) when it
  // cannot be read.
  std::optional<std::string> Read(const std::string& path, bool optional,
                                  std::size_t limit = kAttributeLimit) {
    Result<std::string> data = env_.ReadFile(path, limit);
    if (data.ok()) return std::move(data).value();
    if (!(optional && data.status().code() == StatusCode::kNotFound)) {
      Warn(data.status().message());
    }
    return std::nullopt;
  }

  template <typename T>
  std::optional<T> Parse(const std::string& path, const Result<T>& parsed) {
    if (parsed.ok()) return parsed.value();
    Warn(path + ": " + parsed.status().message());
    return std::nullopt;
  }

  std::optional<std::uint32_t> Hex(const std::string& path, std::uint32_t max,
                                   std::string_view example) {
    std::optional<std::string> text = Read(path, /*optional=*/false);
    if (!text) return std::nullopt;
    return Parse(path, ParseHexAttribute(*text, max, example));
  }

  std::optional<int> OptionalInt(const std::string& path) {
    std::optional<std::string> text = Read(path, /*optional=*/true);
    if (!text) return std::nullopt;
    return Parse(path, ParseDecimalInt(*text));
  }

  std::optional<std::uint64_t> OptionalU64(const std::string& path) {
    std::optional<std::string> text = Read(path, /*optional=*/true);
    if (!text) return std::nullopt;
    return Parse(path, ParseDecimalU64(*text));
  }

  // The entries of a directory that may be absent; other failures are warnings.
  std::vector<std::string> OptionalList(const std::string& path) {
    Result<std::vector<std::string>> names = env_.ListDirectory(path);
    if (names.ok()) return std::move(names).value();
    if (names.status().code() != StatusCode::kNotFound) Warn(names.status().message());
    return {};
  }

  // The basename of a symlink's target, or nullopt when there is no link.
  std::optional<std::string> LinkBaseName(const std::string& path) {
    Result<std::string> target = env_.ReadLink(path);
    if (target.ok()) return ValidUtf8(BaseName(*target));
    if (target.status().code() != StatusCode::kNotFound) Warn(target.status().message());
    return std::nullopt;
  }

 private:
  const Env& env_;
  std::vector<std::string>* warnings_;
};

// /proc/driver/nvidia/gpus/<address> directories by address. Inside a container these are the GPUs
// handed to it, while sysfs still lists every host GPU (research/sysfs.md §5.5).
std::map<PciAddress, std::string> ListNvidiaGpus(AttributeReader& reader) {
  std::map<PciAddress, std::string> gpus;
  for (const std::string& name : reader.OptionalList(std::string(kNvidiaGpus))) {
    std::optional<PciAddress> address = ParsePciAddress(name);
    if (!address) {
      reader.Warn(std::string(kNvidiaGpus) + "/" + name +
                  ": not a PCI address such as 0000:01:00.0");
      continue;
    }
    gpus.emplace(*address, name);
  }
  return gpus;
}

// Reads `information` unless the GPU is runtime-suspended: the driver powers the GPU up to answer
// (rm_ref_dynamic_power), and a probe must not wake a sleeping laptop dGPU.
NvidiaProcfsGpu ReadNvidiaProcfs(AttributeReader& reader, const std::string& procfs_name,
                                 const std::string* sysfs_dir) {
  if (sysfs_dir != nullptr) {
    std::optional<std::string> power = reader.Read(*sysfs_dir + "/power/runtime_status", true);
    if (power && TrimWhitespace(*power) == "suspended") return {};
  }
  std::string path = std::string(kNvidiaGpus) + "/" + procfs_name + "/information";
  std::optional<std::string> text = reader.Read(path, /*optional=*/false, kProcfsLimit);
  if (!text) return {};
  return reader.Parse(path, ParseNvidiaInformation(*text)).value_or(NvidiaProcfsGpu{});
}

void ReadMemory(AttributeReader& reader, const std::string& dir, PciFunction* function) {
  if (!function->vendor) return;
  for (const MemorySource& source : kMemorySources) {
    if (source.vendor != *function->vendor || (function->*source.field).has_value()) continue;
    std::string relative(source.relative_path);
    std::size_t placeholder = relative.find("{card}");
    if (placeholder == std::string::npos) {
      function->*source.field = reader.OptionalU64(dir + "/" + relative);
      continue;
    }
    for (const std::string& node : function->drm) {
      if (!IsNodeName(node, "card")) continue;
      std::string path = dir + "/" + relative;
      path.replace(path.find("{card}"), 6, node);
      function->*source.field = reader.OptionalU64(path);
      if ((function->*source.field).has_value()) break;
    }
  }
}

// Everything else about a function that is recorded.
void ReadDetails(const Env& env, AttributeReader& reader, const std::string& dir,
                 PciFunction* function) {
  for (const HexAttribute& attribute : kHexAttributes) {
    function->*attribute.field =
        reader.Hex(dir + "/" + std::string(attribute.file), attribute.max, attribute.example);
  }
  function->driver = reader.LinkBaseName(dir + "/driver");
  function->numa_node = reader.OptionalInt(dir + "/numa_node");
  // boot_vga exists only on VGA-class functions; its absence is normal on 3D controllers.
  std::string boot_vga_path = dir + "/boot_vga";
  if (std::optional<std::string> text = reader.Read(boot_vga_path, /*optional=*/true)) {
    std::string_view value = TrimWhitespace(*text);
    if (value == "0" || value == "1") {
      function->boot_vga = value == "1";
    } else {
      reader.Warn(boot_vga_path + ": expected 0 or 1, got \"" + QuoteForMessage(value) + "\"");
    }
  }
  ReadMemory(reader, dir, function);
  // board_info is hidden on APUs, so for amdgpu its absence is itself a fact (research §4.3).
  if (function->driver == "amdgpu") {
    function->board_info = env.TypeOf(dir + "/board_info") != FileType::kMissing;
  }
  auto render = std::find_if(function->drm.begin(), function->drm.end(),
                             [](const std::string& node) { return IsNodeName(node, "renderD"); });
  if (render != function->drm.end()) {
    function->render_node_accessible = env.CanReadWrite("/dev/dri/" + *render);
  } else if (!function->accel.empty()) {
    function->render_node_accessible = env.CanReadWrite("/dev/accel/" + function->accel.front());
  }
}

// /sys/class/drm and /sys/class/accel name the same nodes from the other side, by PCI address. A
// node found only there (a capture that lacks the per-device drm/ directory) still counts.
std::map<PciAddress, std::vector<std::string>> ClassNodes(AttributeReader& reader,
                                                          std::string_view class_dir,
                                                          bool (*is_node)(std::string_view)) {
  std::map<PciAddress, std::vector<std::string>> nodes;
  for (const std::string& name : reader.OptionalList(std::string(class_dir))) {
    if (!is_node(name)) continue;
    std::optional<std::string> device =
        reader.LinkBaseName(std::string(class_dir) + "/" + name + "/device");
    if (!device) continue;
    // A platform device such as simpledrm is not a PCI function.
    if (std::optional<PciAddress> address = ParsePciAddress(*device)) {
      nodes[*address].push_back(name);
    }
  }
  return nodes;
}

// The nodes below `dir` plus those the class directory attributes to the same function.
std::vector<std::string> FunctionNodes(AttributeReader& reader, const std::string& dir,
                                       bool (*is_node)(std::string_view),
                                       const std::vector<std::string>* from_class) {
  std::vector<std::string> nodes;
  for (std::string& name : reader.OptionalList(dir)) {
    if (is_node(name)) nodes.push_back(std::move(name));
  }
  if (from_class != nullptr) {
    for (const std::string& name : *from_class) {
      if (std::find(nodes.begin(), nodes.end(), name) == nodes.end()) nodes.push_back(name);
    }
  }
  std::sort(nodes.begin(), nodes.end(), NodeNameLess);
  return nodes;
}

template <typename Map>
const typename Map::mapped_type* Find(const Map& map, const typename Map::key_type& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

void ReadModuleVersions(AttributeReader& reader, SysfsObservation* sysfs) {
  for (std::string_view module : kVersionedModules) {
    std::string path = "/sys/module/" + std::string(module) + "/version";
    std::optional<std::string> text = reader.Read(path, /*optional=*/true);
    if (!text) continue;
    std::string_view version = TrimWhitespace(*text);
    if (version.empty() || QuoteForMessage(version) != version) {
      reader.Warn(path + ": expected a version such as 550.54.14, got \"" +
                  QuoteForMessage(version) + "\"");
      continue;
    }
    sysfs->module_versions[std::string(module)] = std::string(version);
  }
  if (sysfs->module_versions.count("nvidia") != 0) return;
  std::string path(kNvidiaVersion);
  std::optional<std::string> text = reader.Read(path, /*optional=*/true, kProcfsLimit);
  if (!text) return;
  if (std::optional<std::string> version = reader.Parse(path, ParseNvidiaVersion(*text))) {
    sysfs->module_versions["nvidia"] = *version;
  }
}

// The device nodes compute runtimes open (research/sysfs.md §2.2, §4.2, §5.3), with whether this
// user may open them. Nodes named by sysfs are checked even when /dev lacks them: in a container
// that absence is the finding ("not passed in").
std::string NodeState(const Env& env, const std::string& path) {
  if (env.TypeOf(path) == FileType::kMissing) return "missing";
  return env.CanReadWrite(path) ? "rw" : "denied";
}

bool IsRenderNodeName(std::string_view name) { return IsNodeName(name, "renderD"); }
bool IsNvidiaGpuNodeName(std::string_view name) { return IsNodeName(name, "nvidia"); }

void ReadDevNodes(const Env& env, AttributeReader& reader,
                  const std::map<PciAddress, PciFunction>& functions, SysfsObservation* sysfs) {
  std::vector<std::string> paths = {"/dev/kfd", "/dev/nvidiactl", "/dev/nvidia-uvm"};
  for (const auto& [address, function] : functions) {
    for (const std::string& node : function.drm) {
      if (IsRenderNodeName(node)) paths.push_back("/dev/dri/" + node);
    }
    for (const std::string& node : function.accel) paths.push_back("/dev/accel/" + node);
    if (function.nvidia_procfs && function.nvidia_procfs->device_minor) {
      paths.push_back("/dev/nvidia" + std::to_string(*function.nvidia_procfs->device_minor));
    }
  }
  struct Listed {
    std::string_view dir;
    bool (*is_node)(std::string_view);
  };
  constexpr Listed kListed[] = {{"/dev/dri", IsRenderNodeName},
                                {"/dev/accel", IsAccelNodeName},
                                {"/dev", IsNvidiaGpuNodeName}};
  for (const Listed& listed : kListed) {
    for (const std::string& name : reader.OptionalList(std::string(listed.dir))) {
      if (listed.is_node(name)) paths.push_back(std::string(listed.dir) + "/" + ValidUtf8(name));
    }
  }
  for (const std::string& path : paths) {
    if (sysfs->dev_nodes.count(path) == 0) sysfs->dev_nodes[path] = NodeState(env, path);
  }
}

}  // namespace

void RunSysfsProbe(const Env& env, Observations* out) {
  SysfsObservation sysfs;
  AttributeReader reader(env, &sysfs.warnings);
  std::map<PciAddress, std::string> nvidia_gpus = ListNvidiaGpus(reader);
  std::map<PciAddress, std::vector<std::string>> drm_nodes =
      ClassNodes(reader, "/sys/class/drm", IsDrmNodeName);
  std::map<PciAddress, std::vector<std::string>> accel_nodes =
      ClassNodes(reader, "/sys/class/accel", IsAccelNodeName);
  std::map<PciAddress, PciFunction> functions;

  Result<std::vector<std::string>> entries = env.ListDirectory(kPciDevices);
  if (entries.ok()) {
    sysfs.status = ProbeStatus::kOk;
  } else if (entries.status().code() == StatusCode::kNotFound) {
    sysfs.status = ProbeStatus::kAbsent;
    sysfs.detail = "no " + entries.status().message();
  } else {
    sysfs.status = ProbeStatus::kError;
    sysfs.detail = entries.status().message();
  }

  std::vector<std::string> names = entries.value_or({});
  if (names.size() > kMaxPciFunctionsScanned) {
    reader.Warn(std::string(kPciDevices) + " lists " + std::to_string(names.size()) +
                " entries; devpick reads the first " + std::to_string(kMaxPciFunctionsScanned) +
                " in name order and ignores the rest (no real machine has that many)");
    names.resize(kMaxPciFunctionsScanned);
  }
  bool full = false;
  for (const std::string& name : names) {
    std::string dir = std::string(kPciDevices) + "/" + name;
    std::optional<PciAddress> address = ParsePciAddress(name);
    if (!address) {
      reader.Warn(dir + ": not a PCI address such as 0000:03:00.0");
      continue;
    }
    // Decide from the class and the nodes before reading anything else: most functions (bridges,
    // USB, NICs) are not recorded and cost one read and two directory listings.
    PciFunction function;
    function.class_code = reader.Hex(dir + "/class", 0xffffff, "0x030000");
    function.drm = FunctionNodes(reader, dir + "/drm", IsDrmNodeName, Find(drm_nodes, *address));
    function.accel =
        FunctionNodes(reader, dir + "/accel", IsAccelNodeName, Find(accel_nodes, *address));
    auto nvidia = nvidia_gpus.find(*address);
    bool recorded = (function.class_code && IsRecordedClass(*function.class_code)) ||
                    !function.drm.empty() || !function.accel.empty() || nvidia != nvidia_gpus.end();
    if (!recorded) continue;
    if (functions.size() == kMaxSnapshotListEntries) {
      full = true;
      break;
    }
    function.address = address->ToString();
    ReadDetails(env, reader, dir, &function);
    if (nvidia != nvidia_gpus.end()) {
      function.nvidia_procfs = ReadNvidiaProcfs(reader, nvidia->second, &dir);
      nvidia_gpus.erase(nvidia);
    }
    functions.emplace(*address, std::move(function));
  }

  // GPUs the NVIDIA driver lists but sysfs did not show as such (a capture without their sysfs
  // files): recorded with what procfs says, and no invented vendor.
  for (const auto& [address, procfs_name] : nvidia_gpus) {
    if (functions.size() == kMaxSnapshotListEntries) {
      full = true;
      break;
    }
    PciFunction function;
    function.address = address.ToString();
    function.nvidia_procfs = ReadNvidiaProcfs(reader, procfs_name, nullptr);
    functions.emplace(address, std::move(function));
  }

  if (full) {
    reader.Warn(std::string(kPciDevices) + ": more than " +
                std::to_string(kMaxSnapshotListEntries) +
                " display or accelerator functions; the rest are ignored");
  }
  ReadModuleVersions(reader, &sysfs);
  ReadDevNodes(env, reader, functions, &sysfs);

  // Paths in warnings come from directory entries, which may hold any bytes; JSON needs UTF-8.
  for (std::string& warning : sysfs.warnings) warning = ValidUtf8(warning);
  if (sysfs.detail) sysfs.detail = ValidUtf8(*sysfs.detail);
  out->pci.clear();
  for (auto& [address, function] : functions) out->pci.push_back(std::move(function));
  out->probes.sysfs = std::move(sysfs);
}

}  // namespace devpick
