// OpenVINO probe (SNAPSHOT.md "openvino"; C API in research/specs.md §1.3 and §1.5): what
// ov_core_get_available_devices lists and what each device's properties say.
#include <charconv>
#include <cstring>
#include <sstream>
#include <string>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/openvino_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, ov_status_e status) {
  return DescribeResult(call, status, kOpenVinoResultNames);
}

// The C API's strings are NUL-terminated by contract; the bound guards against a broken plugin.
constexpr std::size_t kMaxPropertyLength = 64 * 1024;

std::string Bounded(const char* text) {
  if (text == nullptr) return "";
  return std::string(text, strnlen(text, kMaxPropertyLength));
}

// The oldest release whose ov_core_get_property has the (char*, char*, char**) signature.
constexpr int kMinimumYear = 2023;

std::optional<std::uint64_t> ParseUnsigned(std::string_view text, int base = 10) {
  if (base == 16 && (text.starts_with("0x") || text.starts_with("0X"))) text.remove_prefix(2);
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::string> ParseOpenVinoPciInfo(std::string_view text) {
  std::string cleaned(text);
  for (char& c : cleaned) {
    if (c == '{' || c == '}' || c == ':') c = ' ';
  }
  std::istringstream words(cleaned);
  std::string key;
  std::string value;
  std::optional<std::uint64_t> parts[4];
  static constexpr const char* kKeys[] = {"domain", "bus", "device", "function"};
  while (words >> key >> value) {
    for (int i = 0; i < 4; ++i) {
      if (key != kKeys[i]) continue;
      bool hex = value.starts_with("0x") || value.starts_with("0X");
      parts[i] = ParseUnsigned(value, hex ? 16 : 10);
    }
  }
  for (const auto& part : parts) {
    if (!part || *part > 0xffff) return std::nullopt;
  }
  return FormatPciAddress(
      static_cast<std::uint32_t>(*parts[0]), static_cast<std::uint32_t>(*parts[1]),
      static_cast<std::uint32_t>(*parts[2]), static_cast<std::uint32_t>(*parts[3]));
}

namespace {

class DeviceReader {
 public:
  DeviceReader(const OpenVinoApi& api, ov_core_t* core, std::string name,
               OpenVinoObservation* entry)
      : api_(api), core_(core), name_(std::move(name)), entry_(entry) {}

  OpenVinoDevice Read() {
    OpenVinoDevice device;
    device.name = name_;
    device.full_name = Property("FULL_DEVICE_NAME");
    if (auto type = Property("DEVICE_TYPE")) {
      if (*type == "integrated" || *type == "discrete") {
        device.type = *type;
      } else {
        Warn("DEVICE_TYPE: unexpected value '" + *type + "'");
      }
    }
    if (auto id = Property("GPU_DEVICE_ID")) {
      auto value = ParseUnsigned(*id, 16);
      if (value && *value <= 0xffffffffu) {
        device.device_id = static_cast<std::uint32_t>(*value);
      } else {
        Warn("GPU_DEVICE_ID: expected a hex PCI product ID, got '" + *id + "'");
      }
    }
    device.uuid = Property("DEVICE_UUID");
    if (auto memory = Property("GPU_DEVICE_TOTAL_MEM_SIZE")) {
      device.total_mem_bytes = ParseUnsigned(*memory);
      if (!device.total_mem_bytes) {
        Warn("GPU_DEVICE_TOTAL_MEM_SIZE: expected a number of bytes, got '" + *memory + "'");
      }
    }
    if (auto pci = Property("DEVICE_PCI_INFO")) {
      device.pci_address = ParseOpenVinoPciInfo(*pci);
      if (!device.pci_address) Warn("DEVICE_PCI_INFO: cannot read '" + *pci + "'");
    }
    if (auto capabilities = Property("OPTIMIZATION_CAPABILITIES")) {
      std::istringstream words(*capabilities);
      std::string word;
      while (words >> word) device.capabilities.push_back(word);
    }
    return device;
  }

 private:
  // A property the plugin does not support is normal (the CPU has no GPU_DEVICE_ID): no warning.
  std::optional<std::string> Property(const char* key) {
    char* value = nullptr;
    if (api_.get_property(core_, name_.c_str(), key, &value) != OK || value == nullptr) {
      return std::nullopt;
    }
    std::string text = Bounded(value);
    api_.free(value);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (text.empty()) return std::nullopt;
    return text;
  }

  void Warn(const std::string& text) { entry_->warnings.push_back(name_ + ": " + text); }

  const OpenVinoApi& api_;
  ov_core_t* core_;
  std::string name_;
  OpenVinoObservation* entry_;
};

// What OpenVINO reports, through the table RunWithRuntime bound.
void ReadOpenVino(const OpenVinoApi& api, OpenVinoObservation& entry) {
  ov_version_t version = {};
  if (ov_status_e status = api.get_version(&version); status != OK) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("ov_get_openvino_version", status);
    return;
  }
  std::string build = Bounded(version.buildNumber);
  api.version_free(&version);
  std::string release = build.substr(0, build.find('-'));  // "2025.3.0-19807-..." -> "2025.3.0"
  entry.version = release;
  auto year = ParseUnsigned(std::string_view(release).substr(0, release.find('.')));
  if (!year || *year < kMinimumYear) {
    entry.status = ProbeStatus::kError;
    entry.detail = "OpenVINO " + (release.empty() ? std::string("of unknown version") : release) +
                   " is older than 2023.0, the first release with the stable C API devpick uses";
    return;
  }

  ov_core_t* core = nullptr;
  if (ov_status_e status = api.core_create(&core); status != OK || core == nullptr) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("ov_core_create", status);
    return;
  }
  ov_available_devices_t devices = {};
  if (ov_status_e status = api.get_available_devices(core, &devices); status != OK) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("ov_core_get_available_devices", status);
  } else {
    entry.status = ProbeStatus::kOk;
    std::uint32_t count = devices.devices == nullptr
                              ? 0
                              : CapCount(devices.size, "ov_core_get_available_devices", &entry);
    for (std::uint32_t i = 0; i < count; ++i) {
      std::string name = Bounded(devices.devices[i]);
      if (name.empty()) continue;
      entry.devices.push_back(DeviceReader(api, core, name, &entry).Read());
    }
    api.available_devices_free(&devices);
  }
  api.core_free(core);
}

}  // namespace

void RunOpenVinoProbe(const Env& env, Observations* out) {
  RunWithRuntime<OpenVinoApi>(env, kOpenVinoSonames, out->probes.openvino, ReadOpenVino);
}

}  // namespace devpick
