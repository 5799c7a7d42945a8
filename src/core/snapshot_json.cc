#include "core/snapshot_json.h"

#include <cinttypes>
#include <cstdio>
#include <functional>
#include <limits>
#include <type_traits>

#include "core/bounded_json.h"
#include "devpick/pci_address.h"

namespace devpick {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Writing

template <typename T>
OJson Opt(const std::optional<T>& value) {
  return value ? OJson(*value) : OJson(nullptr);
}

OJson OptHex(const std::optional<std::uint32_t>& value, int digits = 4) {
  return value ? OJson(HexId(*value, digits)) : OJson(nullptr);
}

void WriteHeader(const ProbeHeader& header, OJson* out) {
  (*out)["status"] = ToString(header.status);
  if (header.library) (*out)["library"] = *header.library;
  if (header.version) (*out)["version"] = *header.version;
  if (header.detail) (*out)["detail"] = *header.detail;
  if (!header.warnings.empty()) (*out)["warnings"] = header.warnings;
}

OJson CpuToJson(const CpuObservation& cpu) {
  OJson j;
  j["vendor"] = Opt(cpu.vendor);
  j["model"] = Opt(cpu.model);
  j["packages"] = Opt(cpu.packages);
  j["cores"] = Opt(cpu.cores);
  j["threads"] = Opt(cpu.threads);
  j["max_mhz"] = Opt(cpu.max_mhz);
  j["flags"] = cpu.flags;
  j["memory_bytes"] = Opt(cpu.memory_bytes);
  j["cgroup_cpu_limit"] = Opt(cpu.cgroup_cpu_limit);
  j["cgroup_memory_limit_bytes"] = Opt(cpu.cgroup_memory_limit_bytes);
  return j;
}

OJson PciToJson(const PciFunction& pci) {
  OJson j;
  j["address"] = pci.address;
  j["vendor"] = OptHex(pci.vendor);
  j["device"] = OptHex(pci.device);
  j["subsystem_vendor"] = OptHex(pci.subsystem_vendor);
  j["subsystem_device"] = OptHex(pci.subsystem_device);
  j["class"] = OptHex(pci.class_code, 6);
  j["revision"] = OptHex(pci.revision, 2);
  j["driver"] = Opt(pci.driver);
  j["numa_node"] = Opt(pci.numa_node);
  j["boot_vga"] = Opt(pci.boot_vga);
  j["drm"] = pci.drm;
  j["accel"] = pci.accel;
  j["vram_bytes"] = Opt(pci.vram_bytes);
  j["gtt_bytes"] = Opt(pci.gtt_bytes);
  if (pci.board_info) j["board_info"] = *pci.board_info;
  if (pci.render_node_accessible) j["render_node_accessible"] = *pci.render_node_accessible;
  if (pci.nvidia_procfs) {
    j["nvidia_procfs"] = {{"model", Opt(pci.nvidia_procfs->model)},
                          {"uuid", Opt(pci.nvidia_procfs->uuid)},
                          {"device_minor", Opt(pci.nvidia_procfs->device_minor)}};
  }
  if (pci.pci_ids_names) {
    j["pci_ids_names"] = {{"vendor", Opt(pci.pci_ids_names->vendor)},
                          {"device", Opt(pci.pci_ids_names->device)}};
  }
  return j;
}

OJson ProbeToJson(const ProbeObservations& probes, std::string_view name) {
  OJson j = OJson::object();
  if (name == "sysfs" && probes.sysfs) {
    WriteHeader(*probes.sysfs, &j);
    if (!probes.sysfs->module_versions.empty())
      j["module_versions"] = probes.sysfs->module_versions;
    if (!probes.sysfs->dev_nodes.empty()) j["dev_nodes"] = probes.sysfs->dev_nodes;
  } else if (name == "cpu" && probes.cpu) {
    WriteHeader(*probes.cpu, &j);
  } else if (name == "rocm" && probes.rocm) {
    WriteHeader(*probes.rocm, &j);
    OJson nodes = OJson::array();
    for (const RocmNode& n : probes.rocm->nodes) {
      OJson e;
      e["node"] = n.node;
      e["gfx_target_version"] = Opt(n.gfx_target_version);
      e["pci_address"] = Opt(n.pci_address);
      e["unique_id"] = Opt(n.unique_id);
      e["simd_count"] = Opt(n.simd_count);
      e["vram_bytes"] = Opt(n.vram_bytes);
      e["drm_render_minor"] = Opt(n.drm_render_minor);
      e["vendor_id"] = OptHex(n.vendor_id);
      e["device_id"] = OptHex(n.device_id);
      e["simd_per_cu"] = Opt(n.simd_per_cu);
      e["max_engine_clk_fcompute"] = Opt(n.max_engine_clk_fcompute);
      e["name"] = Opt(n.name);
      nodes.push_back(std::move(e));
    }
    j["nodes"] = std::move(nodes);
  } else if (name == "nvml" && probes.nvml) {
    WriteHeader(*probes.nvml, &j);
    j["cuda_driver_version"] = Opt(probes.nvml->cuda_driver_version);
    OJson devices = OJson::array();
    for (const NvmlDevice& d : probes.nvml->devices) {
      devices.push_back({{"index", d.index},
                         {"name", Opt(d.name)},
                         {"uuid", Opt(d.uuid)},
                         {"pci_address", Opt(d.pci_address)},
                         {"memory_total_bytes", Opt(d.memory_total_bytes)},
                         {"memory_free_bytes", Opt(d.memory_free_bytes)},
                         {"compute_capability", Opt(d.compute_capability)}});
    }
    j["devices"] = std::move(devices);
  } else if (name == "cuda" && probes.cuda) {
    WriteHeader(*probes.cuda, &j);
    j["driver_version"] = Opt(probes.cuda->driver_version);
    OJson devices = OJson::array();
    for (const CudaDevice& d : probes.cuda->devices) {
      devices.push_back({{"ordinal", d.ordinal},
                         {"name", Opt(d.name)},
                         {"uuid", Opt(d.uuid)},
                         {"pci_address", Opt(d.pci_address)},
                         {"memory_total_bytes", Opt(d.memory_total_bytes)},
                         {"compute_capability", Opt(d.compute_capability)},
                         {"multiprocessors", Opt(d.multiprocessors)},
                         {"clock_mhz", Opt(d.clock_mhz)},
                         {"integrated", Opt(d.integrated)}});
    }
    j["devices"] = std::move(devices);
  } else if (name == "level_zero" && probes.level_zero) {
    WriteHeader(*probes.level_zero, &j);
    OJson devices = OJson::array();
    for (const LevelZeroDevice& d : probes.level_zero->devices) {
      devices.push_back({{"driver", d.driver},
                         {"index", d.index},
                         {"name", Opt(d.name)},
                         {"type", d.type},
                         {"vendor_id", OptHex(d.vendor_id)},
                         {"device_id", OptHex(d.device_id)},
                         {"integrated", Opt(d.integrated)},
                         {"uuid", Opt(d.uuid)},
                         {"pci_address", Opt(d.pci_address)},
                         {"memory_bytes", Opt(d.memory_bytes)},
                         {"eu_count", Opt(d.eu_count)},
                         {"clock_mhz", Opt(d.clock_mhz)}});
    }
    j["devices"] = std::move(devices);
  } else if (name == "opencl" && probes.opencl) {
    WriteHeader(*probes.opencl, &j);
    OJson platforms = OJson::array();
    for (const OpenClPlatform& p : probes.opencl->platforms) {
      OJson devices = OJson::array();
      for (const OpenClDevice& d : p.devices) {
        devices.push_back({{"index", d.index},
                           {"name", Opt(d.name)},
                           {"type", d.type},
                           {"vendor_id", OptHex(d.vendor_id)},
                           {"host_unified_memory", Opt(d.host_unified_memory)},
                           {"global_mem_bytes", Opt(d.global_mem_bytes)},
                           {"compute_units", Opt(d.compute_units)},
                           {"clock_mhz", Opt(d.clock_mhz)},
                           {"pci_address", Opt(d.pci_address)},
                           {"driver_version", Opt(d.driver_version)}});
      }
      platforms.push_back({{"name", Opt(p.name)},
                           {"vendor", Opt(p.vendor)},
                           {"version", Opt(p.version)},
                           {"devices", std::move(devices)}});
    }
    j["platforms"] = std::move(platforms);
  } else if (name == "vulkan" && probes.vulkan) {
    WriteHeader(*probes.vulkan, &j);
    OJson devices = OJson::array();
    for (const VulkanDevice& d : probes.vulkan->devices) {
      devices.push_back({{"index", d.index},
                         {"name", Opt(d.name)},
                         {"type", d.type},
                         {"vendor_id", OptHex(d.vendor_id)},
                         {"device_id", OptHex(d.device_id)},
                         {"driver_name", Opt(d.driver_name)},
                         {"uuid", Opt(d.uuid)},
                         {"pci_address", Opt(d.pci_address)},
                         {"device_local_bytes", Opt(d.device_local_bytes)}});
    }
    j["devices"] = std::move(devices);
  } else if (name == "openvino" && probes.openvino) {
    WriteHeader(*probes.openvino, &j);
    OJson devices = OJson::array();
    for (const OpenVinoDevice& d : probes.openvino->devices) {
      OJson e;
      e["name"] = d.name;
      e["full_name"] = Opt(d.full_name);
      e["type"] = Opt(d.type);
      e["device_id"] = OptHex(d.device_id);
      e["uuid"] = Opt(d.uuid);
      e["pci_address"] = Opt(d.pci_address);
      e["total_mem_bytes"] = Opt(d.total_mem_bytes);
      e["capabilities"] = d.capabilities;
      devices.push_back(std::move(e));
    }
    j["devices"] = std::move(devices);
  } else if (name == "dxgi" && probes.dxgi) {
    WriteHeader(*probes.dxgi, &j);
    OJson adapters = OJson::array();
    for (const DxgiAdapter& a : probes.dxgi->adapters) {
      adapters.push_back({{"index", a.index},
                          {"name", Opt(a.name)},
                          {"vendor_id", OptHex(a.vendor_id)},
                          {"device_id", OptHex(a.device_id)},
                          {"luid", Opt(a.luid)},
                          {"dedicated_video_memory_bytes", Opt(a.dedicated_video_memory_bytes)},
                          {"shared_system_memory_bytes", Opt(a.shared_system_memory_bytes)},
                          {"software", a.software}});
    }
    j["adapters"] = std::move(adapters);
  } else if (name == "metal" && probes.metal) {
    WriteHeader(*probes.metal, &j);
    OJson devices = OJson::array();
    for (const MetalDevice& d : probes.metal->devices) {
      devices.push_back(
          {{"index", d.index},
           {"name", Opt(d.name)},
           {"registry_id", Opt(d.registry_id)},
           {"unified_memory", Opt(d.unified_memory)},
           {"recommended_max_working_set_bytes", Opt(d.recommended_max_working_set_bytes)},
           {"low_power", Opt(d.low_power)},
           {"removable", Opt(d.removable)}});
    }
    j["devices"] = std::move(devices);
  }
  return j;
}

constexpr std::string_view kProbeNames[] = {"sysfs",    "cpu",        "rocm",   "nvml",
                                            "cuda",     "level_zero", "opencl", "vulkan",
                                            "openvino", "dxgi",       "metal"};

// ---------------------------------------------------------------------------------------------
// Reading: a cursor over one JSON object that records the first type error with its JSON path.

std::string Describe(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

class Reader {
 public:
  Reader(const Json& object, std::string path, std::string_view source, Status* error)
      : object_(object), path_(std::move(path)), source_(source), error_(error) {}

  bool failed() const { return !error_->ok(); }

  void Fail(const std::string& key, const std::string& expected, const Json& got) {
    if (failed()) return;
    *error_ = Status::InvalidArgument(std::string(source_) + ": " + Path(key) + ": expected " +
                                      expected + ", got " + Describe(got));
  }

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  bool WithinListBound(const std::string& key, const Json& list) {
    if (list.size() <= kMaxSnapshotListEntries) return true;
    *error_ = Status::InvalidArgument(
        std::string(source_) + ": " + Path(key) + ": " + std::to_string(list.size()) +
        " entries; a snapshot list holds at most " + std::to_string(kMaxSnapshotListEntries));
    return false;
  }

  // The value at key, or nullptr when absent or null.
  const Json* Get(const std::string& key) const {
    if (failed()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  void String(const std::string& key, std::optional<std::string>* out) {
    if (const Json* v = Get(key)) {
      if (v->is_string())
        *out = v->get<std::string>();
      else
        Fail(key, "a string", *v);
    }
  }
  void RequiredString(const std::string& key, std::string* out) {
    const Json* v = Get(key);
    if (failed()) return;
    if (v == nullptr) {
      Fail(key, "a string", object_.contains(key) ? object_[key] : Json("<missing>"));
    } else if (v->is_string()) {
      *out = v->get<std::string>();
    } else {
      Fail(key, "a string", *v);
    }
  }
  void StringOr(const std::string& key, std::string* out) {
    std::optional<std::string> value;
    String(key, &value);
    if (value) *out = *value;
  }
  template <typename Int>
  static bool FitsIn(const Json& v) {
    if (v.is_number_unsigned()) {
      return v.get<std::uint64_t>() <= std::uint64_t{std::numeric_limits<Int>::max()};
    }
    std::int64_t s = v.get<std::int64_t>();
    if (s < 0) return std::is_signed_v<Int> && s >= std::int64_t{std::numeric_limits<Int>::min()};
    return static_cast<std::uint64_t>(s) <= std::uint64_t{std::numeric_limits<Int>::max()};
  }
  template <typename Int>
  void Integer(const std::string& key, std::optional<Int>* out) {
    if (const Json* v = Get(key)) {
      if (!v->is_number_integer()) return Fail(key, "an integer", *v);
      if (!FitsIn<Int>(*v)) return Fail(key, "an integer in range", *v);
      *out = v->get<Int>();
    }
  }
  void IntegerOr(const std::string& key, int* out) {
    std::optional<int> value;
    Integer(key, &value);
    if (value) *out = *value;
  }
  void Number(const std::string& key, std::optional<double>* out) {
    if (const Json* v = Get(key)) {
      if (v->is_number())
        *out = v->get<double>();
      else
        Fail(key, "a number", *v);
    }
  }
  void Bool(const std::string& key, std::optional<bool>* out) {
    if (const Json* v = Get(key)) {
      if (v->is_boolean())
        *out = v->get<bool>();
      else
        Fail(key, "true or false", *v);
    }
  }
  void BoolOr(const std::string& key, bool* out) {
    std::optional<bool> value;
    Bool(key, &value);
    if (value) *out = *value;
  }
  // PCI IDs are strings such as "0x10de" (SNAPSHOT.md conventions).
  void Hex(const std::string& key, std::optional<std::uint32_t>* out) {
    const Json* v = Get(key);
    if (v == nullptr) return;
    if (v->is_string()) {
      const std::string& s = v->get_ref<const std::string&>();
      if (s.size() > 2 && s.size() <= 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        std::uint32_t value = 0;
        bool good = true;
        for (std::size_t i = 2; i < s.size() && good; ++i) {
          char c = s[i];
          int d = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
          good = d >= 0;
          value = value * 16 + static_cast<std::uint32_t>(d < 0 ? 0 : d);
        }
        if (good) {
          *out = value;
          return;
        }
      }
    }
    Fail(key, "a hex string such as \"0x10de\"", *v);
  }
  void StringList(const std::string& key, std::vector<std::string>* out) {
    const Json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_array()) return Fail(key, "an array of strings", *v);
    if (!WithinListBound(key, *v)) return;
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        return Fail(key + "[" + std::to_string(i) + "]", "a string", (*v)[i]);
      out->push_back((*v)[i].get<std::string>());
    }
  }
  // Calls `each(reader)` for every object in the array at `key`.
  void Objects(const std::string& key, const std::function<void(Reader&)>& each) {
    const Json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_array()) return Fail(key, "an array", *v);
    if (!WithinListBound(key, *v)) return;
    for (std::size_t i = 0; i < v->size() && !failed(); ++i) {
      std::string element_path = Path(key) + "[" + std::to_string(i) + "]";
      if (!(*v)[i].is_object()) {
        *error_ = Status::InvalidArgument(std::string(source_) + ": " + element_path +
                                          ": expected an object, got " + Describe((*v)[i]));
        return;
      }
      Reader element((*v)[i], element_path, source_, error_);
      each(element);
    }
  }
  void Object(const std::string& key, const std::function<void(Reader&)>& body) {
    const Json* v = Get(key);
    if (v == nullptr) return;
    if (!v->is_object()) return Fail(key, "an object", *v);
    Reader inner(*v, Path(key), source_, error_);
    body(inner);
  }
  const Json& object() const { return object_; }

 private:
  const Json& object_;
  std::string path_;
  std::string_view source_;
  Status* error_;
};

void ReadHeader(Reader& r, ProbeHeader* header) {
  std::string status;
  r.RequiredString("status", &status);
  if (r.failed()) return;
  static const std::pair<std::string_view, ProbeStatus> kStatuses[] = {
      {"ok", ProbeStatus::kOk},
      {"absent", ProbeStatus::kAbsent},
      {"error", ProbeStatus::kError},
      {"timeout", ProbeStatus::kTimeout},
      {"skipped", ProbeStatus::kSkipped}};
  bool known = false;
  for (const auto& [name, value] : kStatuses) {
    if (status == name) {
      header->status = value;
      known = true;
    }
  }
  if (!known) {
    r.Fail("status", "one of ok, absent, error, timeout, skipped", Json(status));
    return;
  }
  r.String("library", &header->library);
  r.String("version", &header->version);
  r.String("detail", &header->detail);
  r.StringList("warnings", &header->warnings);
}

void ReadProbe(Reader& r, std::string_view name, ProbeObservations* probes) {
  if (name == "sysfs") {
    SysfsObservation o;
    ReadHeader(r, &o);
    if (const Json* versions = r.Get("module_versions")) {
      if (!versions->is_object()) return r.Fail("module_versions", "an object", *versions);
      for (const auto& [module, version] : versions->items()) {
        if (version.is_string()) o.module_versions[module] = version.get<std::string>();
      }
    }
    if (const Json* nodes = r.Get("dev_nodes")) {
      if (!nodes->is_object()) return r.Fail("dev_nodes", "an object", *nodes);
      for (const auto& [path, state] : nodes->items()) {
        if (!state.is_string()) {
          return r.Fail("dev_nodes." + path, "\"rw\", \"denied\" or \"missing\"", state);
        }
        o.dev_nodes[path] = state.get<std::string>();
      }
    }
    probes->sysfs = std::move(o);
  } else if (name == "cpu") {
    ProbeHeader o;
    ReadHeader(r, &o);
    probes->cpu = std::move(o);
  } else if (name == "rocm") {
    RocmObservation o;
    ReadHeader(r, &o);
    r.Objects("nodes", [&](Reader& e) {
      RocmNode n;
      e.IntegerOr("node", &n.node);
      e.Integer("gfx_target_version", &n.gfx_target_version);
      e.String("pci_address", &n.pci_address);
      e.String("unique_id", &n.unique_id);
      e.Integer("simd_count", &n.simd_count);
      e.Integer("vram_bytes", &n.vram_bytes);
      e.Integer("drm_render_minor", &n.drm_render_minor);
      e.Hex("vendor_id", &n.vendor_id);
      e.Hex("device_id", &n.device_id);
      e.Integer("simd_per_cu", &n.simd_per_cu);
      e.Integer("max_engine_clk_fcompute", &n.max_engine_clk_fcompute);
      e.String("name", &n.name);
      o.nodes.push_back(std::move(n));
    });
    probes->rocm = std::move(o);
  } else if (name == "nvml") {
    NvmlObservation o;
    ReadHeader(r, &o);
    r.Integer("cuda_driver_version", &o.cuda_driver_version);
    r.Objects("devices", [&](Reader& e) {
      NvmlDevice d;
      e.IntegerOr("index", &d.index);
      e.String("name", &d.name);
      e.String("uuid", &d.uuid);
      e.String("pci_address", &d.pci_address);
      e.Integer("memory_total_bytes", &d.memory_total_bytes);
      e.Integer("memory_free_bytes", &d.memory_free_bytes);
      e.String("compute_capability", &d.compute_capability);
      o.devices.push_back(std::move(d));
    });
    probes->nvml = std::move(o);
  } else if (name == "cuda") {
    CudaObservation o;
    ReadHeader(r, &o);
    r.Integer("driver_version", &o.driver_version);
    r.Objects("devices", [&](Reader& e) {
      CudaDevice d;
      e.IntegerOr("ordinal", &d.ordinal);
      e.String("name", &d.name);
      e.String("uuid", &d.uuid);
      e.String("pci_address", &d.pci_address);
      e.Integer("memory_total_bytes", &d.memory_total_bytes);
      e.String("compute_capability", &d.compute_capability);
      e.Integer("multiprocessors", &d.multiprocessors);
      e.Integer("clock_mhz", &d.clock_mhz);
      e.Bool("integrated", &d.integrated);
      o.devices.push_back(std::move(d));
    });
    probes->cuda = std::move(o);
  } else if (name == "level_zero") {
    LevelZeroObservation o;
    ReadHeader(r, &o);
    r.Objects("devices", [&](Reader& e) {
      LevelZeroDevice d;
      e.IntegerOr("driver", &d.driver);
      e.IntegerOr("index", &d.index);
      e.String("name", &d.name);
      e.StringOr("type", &d.type);
      e.Hex("vendor_id", &d.vendor_id);
      e.Hex("device_id", &d.device_id);
      e.Bool("integrated", &d.integrated);
      e.String("uuid", &d.uuid);
      e.String("pci_address", &d.pci_address);
      e.Integer("memory_bytes", &d.memory_bytes);
      e.Integer("eu_count", &d.eu_count);
      e.Integer("clock_mhz", &d.clock_mhz);
      o.devices.push_back(std::move(d));
    });
    probes->level_zero = std::move(o);
  } else if (name == "opencl") {
    OpenClObservation o;
    ReadHeader(r, &o);
    r.Objects("platforms", [&](Reader& p) {
      OpenClPlatform platform;
      p.String("name", &platform.name);
      p.String("vendor", &platform.vendor);
      p.String("version", &platform.version);
      p.Objects("devices", [&](Reader& e) {
        OpenClDevice d;
        e.IntegerOr("index", &d.index);
        e.String("name", &d.name);
        e.StringOr("type", &d.type);
        e.Hex("vendor_id", &d.vendor_id);
        e.Bool("host_unified_memory", &d.host_unified_memory);
        e.Integer("global_mem_bytes", &d.global_mem_bytes);
        e.Integer("compute_units", &d.compute_units);
        e.Integer("clock_mhz", &d.clock_mhz);
        e.String("pci_address", &d.pci_address);
        e.String("driver_version", &d.driver_version);
        platform.devices.push_back(std::move(d));
      });
      o.platforms.push_back(std::move(platform));
    });
    probes->opencl = std::move(o);
  } else if (name == "vulkan") {
    VulkanObservation o;
    ReadHeader(r, &o);
    r.Objects("devices", [&](Reader& e) {
      VulkanDevice d;
      e.IntegerOr("index", &d.index);
      e.String("name", &d.name);
      e.StringOr("type", &d.type);
      e.Hex("vendor_id", &d.vendor_id);
      e.Hex("device_id", &d.device_id);
      e.String("driver_name", &d.driver_name);
      e.String("uuid", &d.uuid);
      e.String("pci_address", &d.pci_address);
      e.Integer("device_local_bytes", &d.device_local_bytes);
      o.devices.push_back(std::move(d));
    });
    probes->vulkan = std::move(o);
  } else if (name == "openvino") {
    OpenVinoObservation o;
    ReadHeader(r, &o);
    r.Objects("devices", [&](Reader& e) {
      OpenVinoDevice d;
      e.RequiredString("name", &d.name);
      e.String("full_name", &d.full_name);
      e.String("type", &d.type);
      e.Hex("device_id", &d.device_id);
      e.String("uuid", &d.uuid);
      e.String("pci_address", &d.pci_address);
      e.Integer("total_mem_bytes", &d.total_mem_bytes);
      e.StringList("capabilities", &d.capabilities);
      o.devices.push_back(std::move(d));
    });
    probes->openvino = std::move(o);
  } else if (name == "dxgi") {
    DxgiObservation o;
    ReadHeader(r, &o);
    r.Objects("adapters", [&](Reader& e) {
      DxgiAdapter a;
      e.IntegerOr("index", &a.index);
      e.String("name", &a.name);
      e.Hex("vendor_id", &a.vendor_id);
      e.Hex("device_id", &a.device_id);
      e.String("luid", &a.luid);
      e.Integer("dedicated_video_memory_bytes", &a.dedicated_video_memory_bytes);
      e.Integer("shared_system_memory_bytes", &a.shared_system_memory_bytes);
      e.BoolOr("software", &a.software);
      o.adapters.push_back(std::move(a));
    });
    probes->dxgi = std::move(o);
  } else if (name == "metal") {
    MetalObservation o;
    ReadHeader(r, &o);
    r.Objects("devices", [&](Reader& e) {
      MetalDevice d;
      e.IntegerOr("index", &d.index);
      e.String("name", &d.name);
      e.String("registry_id", &d.registry_id);
      e.Bool("unified_memory", &d.unified_memory);
      e.Integer("recommended_max_working_set_bytes", &d.recommended_max_working_set_bytes);
      e.Bool("low_power", &d.low_power);
      e.Bool("removable", &d.removable);
      o.devices.push_back(std::move(d));
    });
    probes->metal = std::move(o);
  }
}

}  // namespace

std::string HexId(std::uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%0*x", digits, value);
  return buffer;
}

nlohmann::ordered_json ProbeEntryToJson(const ProbeObservations& probes, std::string_view name) {
  return ProbeToJson(probes, name);
}

Status ProbeEntryFromJson(const nlohmann::json& entry, std::string_view name,
                          std::string_view source, ProbeObservations* probes) {
  Status error;
  if (!entry.is_object()) {
    return Status::InvalidArgument(std::string(source) + ": probes." + std::string(name) +
                                   ": expected an object, got " + Describe(entry));
  }
  Reader reader(entry, "probes." + std::string(name), source, &error);
  ReadProbe(reader, name, probes);
  return error;
}

nlohmann::ordered_json ObservationsToJson(const Observations& o) {
  OJson j;
  j["devpick_snapshot"] = o.version;
  OJson host;
  host["os"] = o.host.os;
  host["arch"] = o.host.arch;
  host["kernel"] = Opt(o.host.kernel);
  host["container"] = o.host.container;
  host["wsl"] = o.host.wsl;
  if (o.host.captured_root) host["captured_root"] = *o.host.captured_root;
  j["host"] = std::move(host);
  j["env"] = o.env;
  j["cpu"] = CpuToJson(o.cpu);
  OJson pci = OJson::array();
  for (const PciFunction& f : o.pci) pci.push_back(PciToJson(f));
  j["pci"] = std::move(pci);
  OJson probes = OJson::object();
  for (std::string_view name : kProbeNames) {
    OJson entry = ProbeToJson(o.probes, name);
    if (!entry.empty()) probes[std::string(name)] = std::move(entry);
  }
  j["probes"] = std::move(probes);
  return j;
}

Result<Observations> ObservationsFromJson(const nlohmann::json& document, std::string_view source) {
  if (!document.is_object()) {
    return Status::InvalidArgument(std::string(source) +
                                   ": expected a JSON object with \"devpick_snapshot\": 1, got " +
                                   Describe(document));
  }
  auto version = document.find("devpick_snapshot");
  if (version == document.end()) {
    return Status::InvalidArgument(std::string(source) +
                                   ": not a devpick snapshot (no \"devpick_snapshot\" field); "
                                   "write one with `devpick snapshot -o FILE`");
  }
  if (!version->is_number_integer() || version->get<std::int64_t>() < 1) {
    return Status::InvalidArgument(std::string(source) +
                                   ": devpick_snapshot: expected a positive integer version, got " +
                                   Describe(*version));
  }
  if (version->get<std::int64_t>() > kSnapshotVersion) {
    return Status::InvalidArgument(std::string(source) + ": snapshot version " +
                                   std::to_string(version->get<std::int64_t>()) +
                                   " is newer than this devpick supports (versions 1 to " +
                                   std::to_string(kSnapshotVersion) + "); upgrade devpick");
  }
  Observations o;
  Status error;
  Reader root(document, "", source, &error);
  root.Object("host", [&](Reader& h) {
    h.StringOr("os", &o.host.os);
    h.StringOr("arch", &o.host.arch);
    h.String("kernel", &o.host.kernel);
    h.BoolOr("container", &o.host.container);
    h.BoolOr("wsl", &o.host.wsl);
    h.String("captured_root", &o.host.captured_root);
  });
  if (const Json* env = root.Get("env")) {
    if (!env->is_object()) {
      root.Fail("env", "an object of strings", *env);
    } else {
      for (const auto& [key, value] : env->items()) {
        if (!value.is_string()) {
          root.Fail("env." + key, "a string", value);
          break;
        }
        o.env[key] = value.get<std::string>();
      }
    }
  }
  root.Object("cpu", [&](Reader& c) {
    c.String("vendor", &o.cpu.vendor);
    c.String("model", &o.cpu.model);
    c.Integer("packages", &o.cpu.packages);
    c.Integer("cores", &o.cpu.cores);
    c.Integer("threads", &o.cpu.threads);
    c.Number("max_mhz", &o.cpu.max_mhz);
    c.StringList("flags", &o.cpu.flags);
    c.Integer("memory_bytes", &o.cpu.memory_bytes);
    c.Number("cgroup_cpu_limit", &o.cpu.cgroup_cpu_limit);
    c.Integer("cgroup_memory_limit_bytes", &o.cpu.cgroup_memory_limit_bytes);
  });
  root.Objects("pci", [&](Reader& p) {
    PciFunction f;
    p.RequiredString("address", &f.address);
    p.Hex("vendor", &f.vendor);
    p.Hex("device", &f.device);
    p.Hex("subsystem_vendor", &f.subsystem_vendor);
    p.Hex("subsystem_device", &f.subsystem_device);
    p.Hex("class", &f.class_code);
    p.Hex("revision", &f.revision);
    p.String("driver", &f.driver);
    p.Integer("numa_node", &f.numa_node);
    p.Bool("boot_vga", &f.boot_vga);
    p.StringList("drm", &f.drm);
    p.StringList("accel", &f.accel);
    p.Integer("vram_bytes", &f.vram_bytes);
    p.Integer("gtt_bytes", &f.gtt_bytes);
    p.Bool("board_info", &f.board_info);
    p.Bool("render_node_accessible", &f.render_node_accessible);
    p.Object("nvidia_procfs", [&](Reader& n) {
      NvidiaProcfsGpu gpu;
      n.String("model", &gpu.model);
      n.String("uuid", &gpu.uuid);
      n.Integer("device_minor", &gpu.device_minor);
      f.nvidia_procfs = std::move(gpu);
    });
    p.Object("pci_ids_names", [&](Reader& n) {
      PciIdsNames names;
      n.String("vendor", &names.vendor);
      n.String("device", &names.device);
      f.pci_ids_names = std::move(names);
    });
    o.pci.push_back(std::move(f));
  });
  // PCI addresses are identities: one function, one entry (a repeat made a phantom GPU that
  // runtimes' devices could bind to).
  std::vector<std::string> addresses;
  for (const PciFunction& f : o.pci) {
    std::optional<PciAddress> parsed = ParsePciAddress(f.address);
    addresses.push_back(parsed ? parsed->ToString() : f.address);
  }
  for (std::size_t i = 0; i < o.pci.size() && error.ok(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (addresses[j] != addresses[i]) continue;
      error = Status::InvalidArgument(
          std::string(source) + ": pci[" + std::to_string(i) + "].address: " + o.pci[i].address +
          " is pci[" + std::to_string(j) + "] too; a snapshot lists each PCI function once");
      break;
    }
  }
  root.Object("probes", [&](Reader& probes) {
    for (std::string_view name : kProbeNames) {
      probes.Object(std::string(name), [&](Reader& entry) { ReadProbe(entry, name, &o.probes); });
    }
  });
  if (!error.ok()) return error;
  return o;
}

Result<Observations> ParseSnapshot(std::string_view text, std::string_view source) {
  ParsedJson document = ParseBoundedJson(text);
  if (const std::optional<JsonSyntaxError>& error = document.error) {
    std::string where =
        error->positioned ? ":" + std::to_string(error->line) + ":" + std::to_string(error->column)
                          : "";
    return Status::InvalidArgument(std::string(source) + where +
                                   ": malformed JSON: " + error->reason);
  }
  return ObservationsFromJson(document.value, source);
}

std::string SerializeSnapshot(const Observations& observations) {
  // Strings from drivers are not always UTF-8: replace bad bytes rather than fail the snapshot.
  return ObservationsToJson(observations)
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace devpick
