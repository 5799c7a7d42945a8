#include "probes/cpu_parse.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "devpick/env.h"

namespace devpick {
namespace {

constexpr std::string_view kBlank = " \t\r\n";

std::string_view Trim(std::string_view text) {
  std::size_t start = text.find_first_not_of(kBlank);
  if (start == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(kBlank);
  return text.substr(start, end - start + 1);
}

// Garbage is quoted in messages, but never more than a line's worth of it.
std::string Quote(std::string_view text) {
  constexpr std::size_t kMaxQuoted = 64;
  if (text.size() <= kMaxQuoted) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMaxQuoted)) + "...'";
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while ((start = text.find_first_not_of(kBlank, start)) != std::string_view::npos) {
    std::size_t end = text.find_first_of(kBlank, start);
    if (end == std::string_view::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

// The whole of `text` as a number, or nullopt (no sign for unsigned types, no trailing bytes).
template <typename T>
std::optional<T> ParseNumber(std::string_view text, int base = 10) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// "\040" in mountinfo is a space, "\011" a tab, "\012" a newline, "\134" a backslash.
std::string UnescapeOctal(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size()) {
      std::optional<unsigned> code = ParseNumber<unsigned>(text.substr(i + 1, 3), 8);
      if (code && *code < 256) {
        out.push_back(static_cast<char>(*code));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// ARM's registry of "CPU implementer" codes (Arm ARM, MIDR_EL1.Implementer).
constexpr std::pair<unsigned, const char*> kArmImplementers[] = {
    {0x41, "ARM"}, {0x42, "Broadcom"}, {0x43, "Cavium"},  {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},
    {0x50, "APM"}, {0x51, "Qualcomm"}, {0x53, "Samsung"}, {0x61, "Apple"},     {0xc0, "Ampere"},
};

}  // namespace

std::string ArmImplementerName(std::string_view code) {
  std::string_view digits = code;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  if (std::optional<unsigned> value = ParseNumber<unsigned>(digits, 16)) {
    for (const auto& [number, name] : kArmImplementers) {
      if (number == *value) return name;
    }
  }
  return std::string(code);
}

CpuinfoFacts ParseCpuinfo(std::string_view text) {
  CpuinfoFacts facts;
  std::set<long long> packages;
  std::set<std::pair<long long, long long>> cores;
  std::set<std::string> flags;
  // "physical id" and "core id" belong to the processor block they appear in.
  std::optional<long long> package_id;
  std::optional<long long> core_id;
  auto close_block = [&] {
    if (package_id) packages.insert(*package_id);
    if (core_id) cores.insert({package_id.value_or(-1), *core_id});
    package_id.reset();
    core_id.reset();
  };
  for (std::string_view line : Split(text, '\n')) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (key == "processor") {
      close_block();
      ++facts.processors;
    } else if (key == "vendor_id") {
      if (!facts.vendor && !value.empty()) facts.vendor = std::string(value);
    } else if (key == "CPU implementer") {
      if (!facts.vendor && !value.empty()) facts.vendor = ArmImplementerName(value);
    } else if (key == "model name") {
      if (!facts.model && !value.empty()) facts.model = std::string(value);
    } else if (key == "cpu" && value.starts_with("POWER")) {
      // "POWER9 (raw), altivec supported": what follows the comma lists features, not the model.
      if (!facts.model) facts.model = std::string(Trim(value.substr(0, value.find(','))));
      if (!facts.vendor) facts.vendor = "IBM";
    } else if (key == "flags" || key == "Features") {
      for (std::string_view flag : SplitWhitespace(value)) flags.emplace(flag);
    } else if (key == "physical id") {
      package_id = ParseNumber<long long>(value);
    } else if (key == "core id") {
      core_id = ParseNumber<long long>(value);
    }
  }
  close_block();
  if (!packages.empty()) facts.packages = static_cast<int>(packages.size());
  if (!cores.empty()) facts.cores = static_cast<int>(cores.size());
  facts.flags.assign(flags.begin(), flags.end());
  return facts;
}

Result<std::vector<int>> ParseCpuRanges(std::string_view text) {
  std::string_view list = Trim(text);
  std::vector<int> cpus;
  if (list.empty()) return cpus;
  auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument("invalid CPU list " + Quote(list) + ": " + why);
  };
  auto cpu_number = [](std::string_view word) -> std::optional<int> {
    std::optional<int> number = ParseNumber<int>(Trim(word));
    if (!number || *number < 0 || *number > kMaxCpuNumber) return std::nullopt;
    return number;
  };
  for (std::string_view part : Split(list, ',')) {
    std::size_t dash = part.find('-');
    std::optional<int> first = cpu_number(part.substr(0, dash));
    std::optional<int> last =
        dash == std::string_view::npos ? first : cpu_number(part.substr(dash + 1));
    if (!first || !last) {
      return invalid(Quote(Trim(part)) + " is not a CPU number (0-" +
                     std::to_string(kMaxCpuNumber) + ") or range");
    }
    if (*last < *first) return invalid("range " + Quote(Trim(part)) + " runs backwards");
    for (int cpu = *first; cpu <= *last; ++cpu) cpus.push_back(cpu);
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

Result<long long> ParseSysfsInteger(std::string_view text) {
  std::optional<long long> value = ParseNumber<long long>(Trim(text));
  if (!value) return Status::InvalidArgument("expected an integer, got " + Quote(Trim(text)));
  return *value;
}

Result<std::uint64_t> ParseMemTotalBytes(std::string_view meminfo) {
  for (std::string_view line : Split(meminfo, '\n')) {
    if (!line.starts_with("MemTotal:")) continue;
    std::string_view value = Trim(line.substr(line.find(':') + 1));
    std::vector<std::string_view> words = SplitWhitespace(value);
    std::optional<std::uint64_t> kib;
    if (words.size() == 2 && words[1] == "kB") kib = ParseNumber<std::uint64_t>(words[0]);
    if (!kib || *kib > std::numeric_limits<std::uint64_t>::max() / 1024) {
      return Status::InvalidArgument("MemTotal " + Quote(value) + " is not a number of kB");
    }
    return *kib * 1024;
  }
  return Status::InvalidArgument("no MemTotal line");
}

Result<std::optional<double>> ParseCgroupV2CpuMax(std::string_view text) {
  std::vector<std::string_view> fields = SplitWhitespace(text);
  std::optional<std::uint64_t> quota;
  std::optional<std::uint64_t> period = std::uint64_t{100000};  // the kernel's default period
  bool unlimited = !fields.empty() && fields[0] == "max";
  if (!fields.empty() && !unlimited) quota = ParseNumber<std::uint64_t>(fields[0]);
  if (fields.size() >= 2) period = ParseNumber<std::uint64_t>(fields[1]);
  bool valid = !fields.empty() && fields.size() <= 3 && (unlimited || (quota && *quota > 0)) &&
               period && *period > 0;
  if (!valid) {
    return Status::InvalidArgument("expected '$MAX $PERIOD', got " + Quote(Trim(text)));
  }
  if (unlimited) return std::optional<double>();
  return std::optional<double>(static_cast<double>(*quota) / static_cast<double>(*period));
}

Result<std::optional<double>> ParseCgroupV1CpuQuota(std::string_view quota,
                                                    std::string_view period) {
  std::optional<long long> quota_us = ParseNumber<long long>(Trim(quota));
  if (!quota_us || (*quota_us <= 0 && *quota_us != -1)) {
    return Status::InvalidArgument("cpu.cfs_quota_us: expected microseconds or -1, got " +
                                   Quote(Trim(quota)));
  }
  if (*quota_us == -1) return std::optional<double>();
  std::optional<long long> period_us = ParseNumber<long long>(Trim(period));
  if (!period_us || *period_us <= 0) {
    return Status::InvalidArgument("cpu.cfs_period_us: expected microseconds, got " +
                                   Quote(Trim(period)));
  }
  return std::optional<double>(static_cast<double>(*quota_us) / static_cast<double>(*period_us));
}

Result<std::optional<std::uint64_t>> ParseCgroupV2MemoryMax(std::string_view text) {
  std::string_view value = Trim(text);
  if (value == "max") return std::optional<std::uint64_t>();
  std::optional<std::uint64_t> bytes = ParseNumber<std::uint64_t>(value);
  if (!bytes) return Status::InvalidArgument("expected bytes or 'max', got " + Quote(value));
  return std::optional<std::uint64_t>(*bytes);
}

Result<std::optional<std::uint64_t>> ParseCgroupV1MemoryLimit(std::string_view text) {
  std::string_view value = Trim(text);
  if (value == "-1") return std::optional<std::uint64_t>();
  std::optional<std::uint64_t> bytes = ParseNumber<std::uint64_t>(value);
  if (!bytes) return Status::InvalidArgument("expected bytes, got " + Quote(value));
  if (*bytes >= kCgroupV1UnlimitedBytes) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(*bytes);
}

Result<std::vector<CgroupMembership>> ParseProcSelfCgroup(std::string_view text) {
  std::vector<CgroupMembership> memberships;
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    if (Trim(line).empty()) continue;
    // The path is last and may itself contain ':'.
    std::size_t first = line.find(':');
    std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    std::optional<int> hierarchy =
        first == std::string_view::npos ? std::nullopt : ParseNumber<int>(line.substr(0, first));
    if (!hierarchy || second == std::string_view::npos ||
        !line.substr(second + 1).starts_with('/')) {
      return Status::InvalidArgument("line " + std::to_string(line_number) +
                                     ": expected 'ID:CONTROLLERS:/PATH', got " + Quote(line));
    }
    CgroupMembership membership{
        .hierarchy = *hierarchy, .controllers = {}, .path = std::string(line.substr(second + 1))};
    std::string_view controllers = line.substr(first + 1, second - first - 1);
    if (!controllers.empty()) {
      for (std::string_view controller : Split(controllers, ',')) {
        membership.controllers.emplace_back(controller);
      }
    }
    memberships.push_back(std::move(membership));
  }
  return memberships;
}

Result<std::vector<MountEntry>> ParseMountInfo(std::string_view text) {
  std::vector<MountEntry> mounts;
  int line_number = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_number;
    if (Trim(line).empty()) continue;
    // ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS
    std::vector<std::string_view> fields = SplitWhitespace(line);
    auto separator = std::find(fields.begin(), fields.end(), "-");
    if (separator - fields.begin() < 6 || fields.end() - separator < 4) {
      return Status::InvalidArgument("line " + std::to_string(line_number) +
                                     ": expected '... - FSTYPE SOURCE OPTIONS', got " +
                                     Quote(line));
    }
    MountEntry mount{.root = UnescapeOctal(fields[3]),
                     .mount_point = UnescapeOctal(fields[4]),
                     .fstype = std::string(separator[1]),
                     .super_options = {}};
    for (std::string_view option : Split(separator[3], ',')) {
      mount.super_options.emplace_back(option);
    }
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

namespace {

// The mount's view of `path`: the mounted subtree is stripped from it. A path outside that subtree,
// or one climbing out of it (a cgroup namespace shows "/../.."), means the process sees only its
// own cgroup, which is then the mount point itself.
std::string CgroupDirectory(const MountEntry& mount, std::string_view path) {
  std::string_view relative;
  bool climbs = path.find("/..") != std::string_view::npos;
  if (climbs) return mount.mount_point;
  if (mount.root == "/") {
    relative = path;
  } else if (path == mount.root) {
    relative = {};
  } else if (path.starts_with(mount.root) && path.size() > mount.root.size() &&
             path[mount.root.size()] == '/') {
    relative = path.substr(mount.root.size());
  } else {
    return mount.mount_point;
  }
  return NormalizePath(mount.mount_point + std::string(relative));
}

bool Within(const MountEntry& mount, std::string_view path) {
  return mount.root == "/" || path == mount.root ||
         (path.starts_with(mount.root) && path.size() > mount.root.size() &&
          path[mount.root.size()] == '/');
}

// The mount of `fstype` (carrying `controller` when given) that holds `path`, else the first one.
const MountEntry* FindMount(const std::vector<MountEntry>& mounts, std::string_view fstype,
                            std::string_view controller, std::string_view path) {
  const MountEntry* first = nullptr;
  for (const MountEntry& mount : mounts) {
    if (mount.fstype != fstype) continue;
    if (!controller.empty() && !Contains(mount.super_options, controller)) continue;
    if (Within(mount, path)) return &mount;
    if (first == nullptr) first = &mount;
  }
  return first;
}

}  // namespace

std::optional<CgroupLocation> LocateCgroup(const std::vector<CgroupMembership>& memberships,
                                           const std::vector<MountEntry>& mounts,
                                           std::string_view controller) {
  for (const CgroupMembership& membership : memberships) {
    if (membership.hierarchy == 0 || !Contains(membership.controllers, controller)) continue;
    if (const MountEntry* mount = FindMount(mounts, "cgroup", controller, membership.path)) {
      return CgroupLocation{.version = CgroupVersion::kV1,
                            .directory = CgroupDirectory(*mount, membership.path),
                            .mount_point = mount->mount_point};
    }
  }
  for (const CgroupMembership& membership : memberships) {
    if (membership.hierarchy != 0 || !membership.controllers.empty()) continue;
    if (const MountEntry* mount = FindMount(mounts, "cgroup2", "", membership.path)) {
      return CgroupLocation{.version = CgroupVersion::kV2,
                            .directory = CgroupDirectory(*mount, membership.path),
                            .mount_point = mount->mount_point};
    }
  }
  return std::nullopt;
}

std::vector<std::string> CgroupAncestry(const CgroupLocation& location) {
  std::string top = NormalizePath(location.mount_point);
  std::string directory = NormalizePath(location.directory);
  std::string prefix = top == "/" ? "/" : top + "/";
  std::vector<std::string> ancestry;
  if (directory != top && !directory.starts_with(prefix)) return {directory};
  while (directory != top) {
    ancestry.push_back(directory);
    directory = DirName(directory);
  }
  ancestry.push_back(top);
  return ancestry;
}

void MergeCpuid(const CpuidInfo& cpuid, CpuObservation* cpu, std::vector<std::string>* warnings) {
  if (!cpu->vendor) cpu->vendor = cpuid.vendor;
  if (!cpu->model) cpu->model = cpuid.brand;
  if (cpu->flags.empty()) {
    cpu->flags = cpuid.flags;
    return;
  }
  // The kernel derives /proc/cpuinfo from CPUID, so these differ only when a hypervisor or the
  // kernel itself masked a feature; the kernel's word is the one that holds for this process.
  for (std::string_view flag : {"avx2", "avx512f"}) {
    bool in_cpuinfo = Contains(cpu->flags, flag);
    bool in_cpuid = Contains(cpuid.flags, flag);
    if (in_cpuinfo == in_cpuid) continue;
    warnings->push_back(std::string(in_cpuid ? "CPUID" : "/proc/cpuinfo") + " reports " +
                        std::string(flag) + " but " + (in_cpuid ? "/proc/cpuinfo" : "CPUID") +
                        " does not; using /proc/cpuinfo");
  }
}

}  // namespace devpick
