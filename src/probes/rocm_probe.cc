// The rocm probe: AMD GPUs as the KFD kernel driver lists them, without loading the ROCm runtime.
//
// KFD numbers its topology nodes CPU first, then GPUs; HIP and ROCr number GPUs in that node order,
// which is why the rocm backend takes its indices from here (research/sysfs.md §4.2). All values in
// KFD properties files are decimal. Inside a container KFD answers EPERM for GPUs whose render node
// the device cgroup does not allow, which is a fact about assignment, not an error of the probe.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "devpick/pci_address.h"
#include "probes/probe_runs.h"
#include "probes/sysfs_attr.h"

namespace devpick {
namespace {

constexpr std::string_view kNodes = "/sys/class/kfd/kfd/topology/nodes";
// A properties file is a few dozen short lines, well within one sysfs page.
constexpr std::size_t kPropertiesLimit = 4096;
// mem_banks heap types holding the GPU's own memory (kfd_crat.h): FB_PUBLIC and FB_PRIVATE.
constexpr std::uint64_t kFrameBufferHeaps[] = {1, 2};

// The properties of one node with typed look-ups; bad values become warnings naming the key.
class Properties {
 public:
  Properties(std::string path, std::map<std::string, std::string> values,
             std::vector<std::string>* warnings)
      : path_(std::move(path)), values_(std::move(values)), warnings_(warnings) {}

  std::optional<std::uint64_t> U64(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    Result<std::uint64_t> value = ParseDecimalU64(it->second);
    if (value.ok()) return *value;
    warnings_->push_back(path_ + ": " + key + ": " + value.status().message());
    return std::nullopt;
  }

  std::optional<int> Int(const std::string& key) const {
    std::optional<std::uint64_t> value = U64(key);
    if (!value) return std::nullopt;
    if (*value > static_cast<std::uint64_t>(INT_MAX)) {
      warnings_->push_back(path_ + ": " + key + ": " + std::to_string(*value) + " is out of range");
      return std::nullopt;
    }
    return static_cast<int>(*value);
  }

  std::optional<std::uint32_t> U32(const std::string& key) const {
    std::optional<std::uint64_t> value = U64(key);
    if (!value) return std::nullopt;
    if (*value > UINT32_MAX) {
      warnings_->push_back(path_ + ": " + key + ": " + std::to_string(*value) + " is out of range");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(*value);
  }

  const std::string* Raw(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, std::string> values_;
  std::vector<std::string>* warnings_;
};

std::optional<Properties> ReadProperties(const Env& env, const std::string& path,
                                         std::vector<std::string>* warnings) {
  Result<std::string> text = env.ReadFile(path, kPropertiesLimit);
  if (!text.ok()) {
    warnings->push_back(text.status().message());
    return std::nullopt;
  }
  Result<std::map<std::string, std::string>> values = ParseKeyValueLines(*text);
  if (!values.ok()) {
    warnings->push_back(path + ": " + values.status().message());
    return std::nullopt;
  }
  return Properties(path, std::move(values).value(), warnings);
}

// "dddd:bb:dd.f" from KFD's domain and location_id = (bus << 8) | devfn. Partitioned devices
// (MI300 CPX) OR a partition id into bits 31:28, which is not part of the address.
std::optional<std::string> PciAddressOf(const Properties& properties) {
  std::optional<std::uint32_t> domain = properties.U32("domain");
  std::optional<std::uint32_t> location = properties.U32("location_id");
  if (!domain || !location) return std::nullopt;
  PciAddress address{.domain = *domain,
                     .bus = (*location >> 8) & 0xff,
                     .device = (*location >> 3) & 0x1f,
                     .function = *location & 0x7};
  return address.ToString();
}

// KFD prints unique_id as decimal today; a proposed patch prints "%016llx" like the DRM attribute.
// A 16-digit value with a leading zero or a hex letter can only be the latter. 0 means "unknown"
// (GPUs before GFX9), which is recorded as no value rather than as an id.
std::optional<std::string> UniqueIdOf(const Properties& properties) {
  const std::string* raw = properties.Raw("unique_id");
  if (raw == nullptr) return std::nullopt;
  std::string_view text = *raw;
  bool prefixed = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (prefixed) text.remove_prefix(2);
  bool hex_letters = std::any_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
  bool hex = prefixed || hex_letters || (text.size() == 16 && text[0] == '0');
  std::uint64_t value = 0;
  bool ok = false;
  if (hex) {
    ok = text.size() <= 16 && !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c) != 0; });
    if (ok) value = std::stoull(std::string(text), nullptr, 16);
  } else {
    Result<std::uint64_t> decimal = ParseDecimalU64(text);
    ok = decimal.ok();
    if (ok) value = *decimal;
  }
  if (!ok) {
    properties.U64("unique_id");  // records the warning with the usual wording
    return std::nullopt;
  }
  if (value == 0) return std::nullopt;
  char formatted[32];
  std::snprintf(formatted, sizeof formatted, "0x%016llx", static_cast<unsigned long long>(value));
  return std::string(formatted);
}

// The node's own memory: framebuffer heaps summed over its memory banks; nullopt when none.
std::optional<std::uint64_t> VramOf(const Env& env, const std::string& node_dir,
                                    std::vector<std::string>* warnings) {
  std::string banks_dir = node_dir + "/mem_banks";
  Result<std::vector<std::string>> banks = env.ListDirectory(banks_dir);
  if (!banks.ok()) {
    if (banks.status().code() != StatusCode::kNotFound)
      warnings->push_back(banks.status().message());
    return std::nullopt;
  }
  std::optional<std::uint64_t> total;
  for (const std::string& bank : *banks) {
    std::optional<Properties> properties =
        ReadProperties(env, banks_dir + "/" + bank + "/properties", warnings);
    if (!properties) continue;
    std::optional<std::uint64_t> heap = properties->U64("heap_type");
    std::optional<std::uint64_t> size = properties->U64("size_in_bytes");
    if (!heap || !size) continue;
    if (std::find(std::begin(kFrameBufferHeaps), std::end(kFrameBufferHeaps), *heap) ==
        std::end(kFrameBufferHeaps)) {
      continue;
    }
    total = total.value_or(0) + *size;
  }
  return total;
}

std::optional<std::string> NameOf(const Env& env, const std::string& node_dir,
                                  std::vector<std::string>* warnings) {
  Result<std::string> text = env.ReadFile(node_dir + "/name", kPropertiesLimit);
  if (!text.ok()) {
    if (text.status().code() != StatusCode::kNotFound) warnings->push_back(text.status().message());
    return std::nullopt;
  }
  std::string_view name = TrimWhitespace(*text);
  if (name.empty()) return std::nullopt;
  return ValidUtf8(name);
}

// Node directory names in numeric order ("10" after "9"); other names are warnings.
std::vector<int> NodeNumbers(const std::vector<std::string>& names,
                             std::vector<std::string>* warnings) {
  std::vector<int> numbers;
  for (const std::string& name : names) {
    Result<int> number = ParseDecimalInt(name);
    if (!number.ok() || *number < 0) {
      warnings->push_back(std::string(kNodes) + "/" + name + ": not a node number");
      continue;
    }
    numbers.push_back(*number);
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

}  // namespace

void RunRocmProbe(const Env& env, Observations* out) {
  RocmObservation rocm;
  Result<std::vector<std::string>> names = env.ListDirectory(kNodes);
  if (!names.ok()) {
    bool absent = names.status().code() == StatusCode::kNotFound;
    rocm.status = absent ? ProbeStatus::kAbsent : ProbeStatus::kError;
    rocm.detail = ValidUtf8(absent ? "no " + names.status().message() : names.status().message());
    out->probes.rocm = std::move(rocm);
    return;
  }
  rocm.status = ProbeStatus::kOk;
  for (int number : NodeNumbers(*names, &rocm.warnings)) {
    std::string node_dir = std::string(kNodes) + "/" + std::to_string(number);
    std::string path = node_dir + "/properties";
    Result<std::string> text = env.ReadFile(path, kPropertiesLimit);
    if (!text.ok()) {
      int error = text.status().errno_value();
      rocm.warnings.push_back(error == EPERM || error == EACCES
                                  ? "node " + std::to_string(number) +
                                        ": Permission denied (GPU not assigned to this container?)"
                                  : text.status().message());
      continue;
    }
    Result<std::map<std::string, std::string>> values = ParseKeyValueLines(*text);
    if (!values.ok()) {
      rocm.warnings.push_back(path + ": " + values.status().message());
      continue;
    }
    Properties properties(path, std::move(values).value(), &rocm.warnings);
    std::optional<int> simd_count = properties.Int("simd_count");
    if (!simd_count || *simd_count == 0) continue;  // a CPU node
    RocmNode node;
    node.node = number;
    node.simd_count = simd_count;
    node.gfx_target_version = properties.Int("gfx_target_version");
    node.pci_address = PciAddressOf(properties);
    node.unique_id = UniqueIdOf(properties);
    node.vram_bytes = VramOf(env, node_dir, &rocm.warnings);
    node.drm_render_minor = properties.Int("drm_render_minor");
    node.vendor_id = properties.U32("vendor_id");
    node.device_id = properties.U32("device_id");
    node.simd_per_cu = properties.Int("simd_per_cu");
    node.max_engine_clk_fcompute = properties.Int("max_engine_clk_fcompute");
    node.name = NameOf(env, node_dir, &rocm.warnings);
    rocm.nodes.push_back(std::move(node));
  }
  // Paths in warnings come from directory entries, which may hold any bytes; JSON needs UTF-8.
  for (std::string& warning : rocm.warnings) warning = ValidUtf8(warning);
  out->probes.rocm = std::move(rocm);
}

}  // namespace devpick
