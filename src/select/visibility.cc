#include "select/visibility.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "core/text.h"

namespace devpick {
namespace {

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The devices whose UUID starts with `prefix` (case-insensitive).
std::vector<int> PrefixMatches(std::string_view prefix, const std::vector<std::string>& uuids) {
  std::string wanted = Lower(prefix);
  std::vector<int> found;
  for (std::size_t i = 0; i < uuids.size(); ++i) {
    if (!uuids[i].empty() && StartsWith(Lower(uuids[i]), wanted))
      found.push_back(static_cast<int>(i));
  }
  return found;
}

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Stopped(std::string_view variable, const std::string& token, std::string_view why) {
  return std::string(variable) + ": entry '" + token + "' " + std::string(why) +
         ", so it and every later entry are ignored";
}

// The one device whose UUID starts with `token` (CUDA and ROCr accept a unique prefix); otherwise a
// note says why `variable` stopped there.
std::optional<int> UuidIndex(std::string_view variable, const std::string& token,
                             const std::vector<std::string>& uuids, VisibleList* out) {
  std::vector<int> found = PrefixMatches(token, uuids);
  if (found.size() == 1) return found[0];
  out->notes.push_back(Stopped(
      variable, token, found.empty() ? "matches no GPU's UUID" : "matches several GPUs' UUIDs"));
  return std::nullopt;
}

// A strtoul-style read of leading decimal digits after optional whitespace: "1gpu2" -> 1; nothing
// for a sign, no digits, or a value past int.
std::optional<int> LeadingUnsigned(std::string_view token) {
  std::size_t i = 0;
  while (i < token.size() && std::isspace(static_cast<unsigned char>(token[i]))) ++i;
  long long value = 0;
  std::size_t start = i;
  while (i < token.size() && token[i] >= '0' && token[i] <= '9') {
    value = value * 10 + (token[i] - '0');
    if (value > 1 << 20) return std::nullopt;
    ++i;
  }
  if (i == start) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

VisibleList ApplyCudaVisibleDevices(std::string_view value, const std::vector<std::string>& uuids) {
  constexpr std::string_view kVar = "CUDA_VISIBLE_DEVICES";
  VisibleList out;
  if (Trim(value).empty()) return out;
  const int count = static_cast<int>(uuids.size());
  std::vector<std::string> tokens = Split(value, ',');
  for (std::size_t position = 0; position < tokens.size(); ++position) {
    std::string token = Trim(tokens[position]);
    if (StartsWith(token, "MIG-")) {
      std::string parent = token.substr(
          4, token.find('/') == std::string::npos ? std::string::npos : token.find('/') - 4);
      std::vector<int> found =
          StartsWith(parent, "GPU-") ? PrefixMatches(parent, uuids) : std::vector<int>{};
      if (found.size() != 1) {
        out.notes.push_back(
            Stopped(kVar, token, "names a MIG instance devpick cannot match to a GPU"));
        return out;
      }
      if (!Contains(out.indices, found[0])) out.indices.push_back(found[0]);
      if (position + 1 < tokens.size()) {
        out.notes.push_back(std::string(kVar) +
                            ": CUDA enumerates a single MIG instance; entries after '" + token +
                            "' are ignored");
      }
      return out;
    }
    int index = -1;
    if (StartsWith(token, "GPU-")) {
      std::optional<int> found = UuidIndex(kVar, token, uuids, &out);
      if (!found) return out;
      index = *found;
    } else {
      std::optional<int> parsed = LeadingUnsigned(token);
      if (!parsed || *parsed >= count) {
        out.notes.push_back(
            Stopped(kVar, token, parsed ? "is past the last GPU" : "is not a GPU index"));
        return out;
      }
      index = *parsed;
    }
    if (Contains(out.indices, index)) {
      out.notes.push_back(std::string(kVar) + ": entry '" + token +
                          "' repeats a device, and CUDA then shows no device at all");
      out.indices.clear();
      return out;
    }
    out.indices.push_back(index);
  }
  return out;
}

VisibleList ApplyRocrVisibleDevices(std::string_view value, const std::vector<std::string>& uuids) {
  constexpr std::string_view kVar = "ROCR_VISIBLE_DEVICES";
  VisibleList out;
  const int count = static_cast<int>(uuids.size());
  if (Trim(value).empty()) return out;
  for (const std::string& raw : Split(value, ',')) {
    std::string token = Trim(raw);
    int index = -1;
    if (StartsWith(token, "GPU-")) {
      if (token == "GPU-XX") {
        out.notes.push_back(Stopped(kVar, token, "is the UUID of devices that have none"));
        return out;
      }
      std::optional<int> found = UuidIndex(kVar, token, uuids, &out);
      if (!found) return out;
      index = *found;
    } else {
      if (!AllDigits(token) || token.size() > 6 || std::atoi(token.c_str()) >= count) {
        out.notes.push_back(Stopped(kVar, token, "is not a GPU index"));
        return out;
      }
      index = std::atoi(token.c_str());
    }
    if (Contains(out.indices, index)) {
      out.notes.push_back(Stopped(kVar, token, "repeats a device"));
      return out;
    }
    out.indices.push_back(index);
  }
  return out;
}

VisibleList ApplyHipVisibleDevices(std::string_view value, const std::vector<std::string>& uuids) {
  constexpr std::string_view kVar = "HIP_VISIBLE_DEVICES";
  VisibleList out;
  const int count = static_cast<int>(uuids.size());
  if (value.empty()) {
    for (int i = 0; i < count; ++i) out.indices.push_back(i);
    return out;
  }
  for (const std::string& token : Split(value, ',')) {
    int index = -1;
    if (token.find("GPU-") != std::string::npos) {
      for (int i = 0; i < count && index < 0; ++i) {
        if (!uuids[static_cast<std::size_t>(i)].empty() &&
            uuids[static_cast<std::size_t>(i)].find(token) != std::string::npos) {
          index = i;
        }
      }
      if (index < 0) {
        out.notes.push_back(Stopped(kVar, token, "matches no GPU's UUID"));
        return out;
      }
    } else {
      // ROCclr accepts a token only if it reads back unchanged: std::to_string(atoi(token)).
      bool canonical = token.size() <= 6 && token == std::to_string(std::atoi(token.c_str()));
      index = canonical ? std::atoi(token.c_str()) : -1;
      if (index < 0 || index >= count) {
        out.notes.push_back(Stopped(kVar, token, "is not a GPU index"));
        return out;
      }
    }
    if (!Contains(out.indices, index)) out.indices.push_back(index);
  }
  return out;
}

VisibleList ApplyZeAffinityMask(std::string_view value, int device_count) {
  constexpr std::string_view kVar = "ZE_AFFINITY_MASK";
  VisibleList out;
  if (Trim(value).empty()) {
    for (int i = 0; i < device_count; ++i) out.indices.push_back(i);
    return out;
  }
  std::vector<bool> selected(static_cast<std::size_t>(std::max(device_count, 0)), false);
  for (const std::string& raw : Split(value, ',')) {
    std::string token = Trim(raw);
    std::string root = token.substr(0, token.find('.'));
    std::string sub = token.find('.') == std::string::npos ? "" : token.substr(token.find('.') + 1);
    bool valid = AllDigits(root) && root.size() <= 6 && (sub.empty() || AllDigits(sub)) &&
                 (token.find('.') == std::string::npos || !sub.empty());
    if (!valid || std::atoi(root.c_str()) >= device_count) {
      out.notes.push_back(
          std::string(kVar) + ": entry '" + token + "' is " +
          (valid ? "past the last device" : "not <device> or <device>.<sub-device>") + "; ignored");
      continue;
    }
    selected[static_cast<std::size_t>(std::atoi(root.c_str()))] = true;
  }
  for (int i = 0; i < device_count; ++i) {
    if (selected[static_cast<std::size_t>(i)]) out.indices.push_back(i);
  }
  return out;
}

Result<std::vector<OneApiFilter>> ParseOneApiDeviceSelector(std::string_view value) {
  constexpr std::string_view kBackends[] = {"*",    "level_zero", "opencl",
                                            "cuda", "hip",        "native_cpu"};
  auto error = [&](const std::string& what) {
    return Status::InvalidArgument("ONEAPI_DEVICE_SELECTOR='" + std::string(value) + "': " + what);
  };
  auto valid_device = [](const std::string& device) {
    if (device == "*" || device == "cpu" || device == "gpu" || device == "fpga") return true;
    std::vector<std::string> parts = Split(device, '.');
    if (parts.size() > 3) return false;
    // N, N.M, N.*, *.*, N.M.K, N.M.*, N.*.*, *.*.*: a '*' may only be followed by '*'.
    bool star = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == "*") {
        if (i == 0 && parts.size() == 1) return true;
        star = true;
      } else if (star || !AllDigits(parts[i])) {
        return false;
      }
    }
    return !(parts[0] == "*" && parts.size() == 3 && parts[1] != "*");
  };
  std::vector<OneApiFilter> filters;
  for (const std::string& raw : Split(value, ';')) {
    std::string term = Trim(raw);
    if (term.empty())
      return error("an empty filter; expected <backend>:<devices> such as level_zero:0");
    OneApiFilter filter;
    if (term.front() == '!') {
      filter.discard = true;
      term.erase(0, 1);
    } else if (!filters.empty() && filters.back().discard) {
      return error("accept filter '" + term +
                   "' follows a discard filter; discard filters ('!') "
                   "must come last");
    }
    std::size_t colon = term.find(':');
    if (colon == std::string::npos) {
      return error("filter '" + term +
                   "' has no ':'; expected <backend>:<devices> such as level_zero:0 or *:gpu");
    }
    filter.backend = Lower(Trim(term.substr(0, colon)));
    if (std::find(std::begin(kBackends), std::end(kBackends), filter.backend) ==
        std::end(kBackends)) {
      return error("unknown backend '" + filter.backend +
                   "'; accepted: *, level_zero, opencl, cuda, hip, native_cpu");
    }
    for (const std::string& device : Split(term.substr(colon + 1), ',')) {
      std::string d = Lower(Trim(device));
      if (!valid_device(d)) {
        return error(
            "device '" + d + "' in filter '" + term +
            "' is not one of *, cpu, gpu, fpga, N, N.M, N.*, *.*, N.M.K, N.M.*, N.*.*, *.*.*");
      }
      filter.devices.push_back(d);
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

VisibleList ApplyOneApiDeviceSelector(const std::vector<OneApiFilter>& filters, int device_count) {
  VisibleList out;
  auto applies = [](const OneApiFilter& f) {
    return f.backend == "*" || f.backend == "level_zero";
  };
  auto matches = [](const std::string& device, int index, bool whole_only) {
    if (device == "*" || device == "gpu") return true;
    std::string root = device.substr(0, device.find('.'));
    if (whole_only && root != device) return false;  // discarding sub-devices keeps the root
    return root == "*" || (AllDigits(root) && std::atoi(root.c_str()) == index);
  };
  bool any_accept =
      std::any_of(filters.begin(), filters.end(), [](const OneApiFilter& f) { return !f.discard; });
  for (int i = 0; i < device_count; ++i) {
    bool accepted = !any_accept;
    bool discarded = false;
    for (const OneApiFilter& f : filters) {
      if (!applies(f)) continue;
      for (const std::string& device : f.devices) {
        if (!matches(device, i, f.discard)) continue;
        (f.discard ? discarded : accepted) = true;
        if (!f.discard && device.find('.') != std::string::npos) {
          out.notes.push_back("ONEAPI_DEVICE_SELECTOR: '" + device +
                              "' exposes sub-devices of Level Zero device " + std::to_string(i) +
                              " as devices; devpick counts the device once");
        }
      }
    }
    if (accepted && !discarded) out.indices.push_back(i);
  }
  return out;
}

}  // namespace devpick
