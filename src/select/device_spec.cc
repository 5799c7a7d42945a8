#include "select/device_spec.h"

#include <vector>

#include "core/text.h"
#include "select/backend_table.h"

namespace devpick {
namespace {

using Type = DeviceSpecItem::Type;
using KindFilter = DeviceSpecItem::KindFilter;

constexpr std::pair<std::string_view, KindFilter> kKinds[] = {
    {"cpu", KindFilter::kCpu},   {"gpu", KindFilter::kGpu}, {"dgpu", KindFilter::kDgpu},
    {"igpu", KindFilter::kIgpu}, {"npu", KindFilter::kNpu},
};
constexpr std::pair<std::string_view, Vendor> kVendors[] = {
    {"nvidia", Vendor::kNvidia}, {"amd", Vendor::kAmd},           {"intel", Vendor::kIntel},
    {"apple", Vendor::kApple},   {"qualcomm", Vendor::kQualcomm},
};
// PyTorch device strings (research/specs.md §3): "<prefix>:N" of the backends the table spells
// kTorchIndexed (cuda, xpu, privateuseone) and the bare prefix of kTorchBare ones (mps).
bool IsTorchPrefix(std::string_view text, NativeStyle style) {
  for (const BackendInfo& row : Backends()) {
    if (row.native_style == style && row.torch_prefix == text) return true;
  }
  return false;
}

constexpr std::string_view kAccepted =
    "auto, cpu, gpu, dgpu, igpu, npu, a vendor (nvidia, amd, intel, apple) with an optional :kind, "
    "an inventory id (gpu0, npu0), pci:BDF, uuid:PREFIX, name:TEXT, a backend index (0, 1, ...), "
    "or "
    "a backend's own name (cuda:0, xpu:0, GPU, GPU.1, NPU, CPU, privateuseone:0, mps)";

std::optional<KindFilter> KindFrom(std::string_view text) {
  for (const auto& [name, kind] : kKinds) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

// "0" or digits without a leading zero (PyTorch's index grammar), at most 6 digits.
std::optional<int> ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 6 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class ItemParser {
 public:
  explicit ItemParser(std::string_view spec) : spec_(spec) {}

  Result<DeviceSpecItem> Parse(const std::string& text) {
    DeviceSpecItem item;
    item.text = text;
    if (text == "auto") {
      item.type = Type::kAuto;
      return item;
    }
    if (auto kind = KindFrom(text)) {
      item.type = Type::kKind;
      item.kind = *kind;
      return item;
    }
    std::size_t colon = text.find(':');
    std::string head = text.substr(0, colon);
    std::string tail = colon == std::string::npos ? "" : text.substr(colon + 1);
    for (const auto& [name, vendor] : kVendors) {
      if (head != name) continue;
      item.type = Type::kVendor;
      item.vendor = vendor;
      if (colon == std::string::npos) return item;
      auto kind = KindFrom(tail);
      if (!kind) {
        return Error(
            text, "has an unknown kind '" + tail + "'; accepted kinds: cpu, gpu, dgpu, igpu, npu");
      }
      item.kind = *kind;
      return item;
    }
    for (std::string_view prefix : {"gpu", "npu"}) {
      if (text.size() > prefix.size() && text.compare(0, prefix.size(), prefix) == 0 &&
          AllDigits(std::string_view(text).substr(prefix.size()))) {
        if (!ParseIndex(std::string_view(text).substr(prefix.size()))) {
          return Error(text, "is not an inventory id; ids are cpu, gpu0, gpu1, ..., npu0, ...");
        }
        item.type = Type::kId;
        item.value = text;
        return item;
      }
    }
    if (head == "pci" && colon != std::string::npos) {
      item.type = Type::kPci;
      item.pci = ParsePciAddress(tail);
      if (!item.pci) {
        return Error(text, "is not a PCI address; expected pci:DDDD:BB:DD.F or pci:BB:DD.F");
      }
      return item;
    }
    if (head == "uuid" && colon != std::string::npos) {
      if (tail.empty())
        return Error(text, "has no UUID prefix; expected uuid:PREFIX such as uuid:GPU-8932f937");
      item.type = Type::kUuid;
      item.value = tail;
      return item;
    }
    if (head == "name" && colon != std::string::npos) {
      if (tail.empty()) return Error(text, "has no text; expected name:TEXT such as name:A770");
      item.type = Type::kName;
      item.value = tail;
      return item;
    }
    if (AllDigits(text)) {
      item.index = ParseIndex(text);
      if (!item.index) return BadIndex(text, text, "0");
      item.type = Type::kIndex;
      return item;
    }
    if (colon != std::string::npos && IsTorchPrefix(head, NativeStyle::kTorchIndexed)) {
      item.index = ParseIndex(tail);
      if (!item.index) return BadIndex(text, tail, head + ":1");
      item.type = Type::kNative;
      item.value = head;
      return item;
    }
    if (IsTorchPrefix(text, NativeStyle::kTorchBare) || text == "GPU" || text == "NPU" ||
        text == "CPU") {
      item.type = Type::kNative;
      item.value = text;
      return item;
    }
    if (text.rfind("GPU.", 0) == 0 || text.rfind("NPU.", 0) == 0) {
      item.index = ParseIndex(std::string_view(text).substr(4));
      if (!item.index) return BadIndex(text, text.substr(4), text.substr(0, 3) + ".1");
      item.type = Type::kNative;
      item.value = text.substr(0, 3);
      return item;
    }
    return Error(text, std::string("is not a device spec; accepted: ") + std::string(kAccepted));
  }

 private:
  Status Error(const std::string& item, const std::string& what) const {
    return Status::InvalidArgument("invalid device spec '" + std::string(spec_) + "': item '" +
                                   item + "' " + what);
  }
  Status BadIndex(const std::string& item, const std::string& index, const std::string& example) {
    return Error(item, "has an invalid index '" + index +
                           "'; expected a number without sign or leading zeros, e.g. " + example);
  }

  std::string_view spec_;
};

}  // namespace

std::string_view AcceptedDeviceSpecForms() { return kAccepted; }

bool IsTorchNative(const DeviceSpecItem& item) {
  return item.type == Type::kNative && (IsTorchPrefix(item.value, NativeStyle::kTorchIndexed) ||
                                        IsTorchPrefix(item.value, NativeStyle::kTorchBare));
}

bool IsOpenVinoNative(const DeviceSpecItem& item) {
  return item.type == Type::kNative && !IsTorchNative(item);
}

bool NamesNpu(const DeviceSpecItem& item) {
  switch (item.type) {
    case Type::kAuto:
      return false;
    case Type::kKind:
    case Type::kVendor:
      return item.kind == KindFilter::kNpu;
    case Type::kNative:
      return item.value == "NPU";
    default:
      // ids, pci:, uuid:, name: and indices name one device, whatever its kind.
      return true;
  }
}

Result<std::vector<DeviceSpecItem>> ParseDeviceSpec(std::string_view text) {
  std::vector<DeviceSpecItem> items;
  if (Trim(text).empty()) {
    return Status::InvalidArgument("invalid device spec '" + std::string(text) +
                                   "': it is empty; accepted: " + std::string(kAccepted));
  }
  ItemParser parser(text);
  std::size_t start = 0;
  int position = 1;
  while (true) {
    std::size_t end = text.find(',', start);
    std::string item = Trim(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (item.empty()) {
      return Status::InvalidArgument("invalid device spec '" + std::string(text) + "': item " +
                                     std::to_string(position) +
                                     " is empty; separate items with "
                                     "single commas, e.g. dgpu,igpu,cpu");
    }
    Result<DeviceSpecItem> parsed = parser.Parse(item);
    if (!parsed.ok()) return parsed.status();
    items.push_back(std::move(parsed).value());
    if (end == std::string_view::npos) break;
    start = end + 1;
    ++position;
  }
  return items;
}

}  // namespace devpick
