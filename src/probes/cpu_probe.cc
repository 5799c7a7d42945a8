// The cpu probe: /proc/cpuinfo, sysfs CPU topology and frequency, /proc/meminfo and cgroup limits,
// with CPUID filling gaps on the live x86-64 system. See research/sysfs.md §6.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "probes/cpu_parse.h"
#include "probes/cpuid.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

constexpr std::string_view kCpuinfoPath = "/proc/cpuinfo";
constexpr std::string_view kMeminfoPath = "/proc/meminfo";
constexpr std::string_view kCpuSysfs = "/sys/devices/system/cpu";
constexpr std::string_view kSelfCgroupPath = "/proc/self/cgroup";
constexpr std::string_view kMountInfoPath = "/proc/self/mountinfo";
constexpr std::string_view kCgroupFsRoot = "/sys/fs/cgroup";

// Reads through the Env and turns trouble into warnings: a missing file is normal (optional
// attributes, older kernels, other architectures), anything else names the path and the reason.
class Reader {
 public:
  Reader(const Env& env, std::vector<std::string>* warnings) : env_(env), warnings_(warnings) {}

  std::optional<std::string> Read(std::string_view path) {
    Result<std::string> text = env_.ReadFile(path);
    if (text.ok()) return std::move(text).value();
    if (text.status().code() != StatusCode::kNotFound)
      warnings_->push_back(text.status().message());
    return std::nullopt;
  }

  // `parse` applied to the file at `path`; garbage becomes "<path>: <reason>".
  template <typename T, typename Parse>
  std::optional<T> ReadParsed(std::string_view path, Parse parse) {
    std::optional<std::string> text = Read(path);
    if (!text) return std::nullopt;
    Result<T> value = parse(*text);
    if (value.ok()) return std::move(value).value();
    Warn(path, value.status());
    return std::nullopt;
  }

  void Warn(std::string_view context, const Status& status) {
    warnings_->push_back(std::string(context) + ": " + status.message());
  }

  void AddWarning(std::string warning) { warnings_->push_back(std::move(warning)); }

  const Env& env() const { return env_; }

 private:
  const Env& env_;
  std::vector<std::string>* warnings_;
};

std::string CpuDirectory(int cpu) { return std::string(kCpuSysfs) + "/cpu" + std::to_string(cpu); }

// The CPUs to describe: the online ones when the kernel says, else every cpuN directory.
std::vector<int> CpusToRead(Reader& reader, const std::optional<std::vector<int>>& online) {
  if (online && !online->empty()) return *online;
  std::vector<int> cpus;
  Result<std::vector<std::string>> names = reader.env().ListDirectory(kCpuSysfs);
  if (!names.ok()) return cpus;
  for (const std::string& name : *names) {
    if (name.size() <= 3 || !name.starts_with("cpu")) continue;
    if (!std::all_of(name.begin() + 3, name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    Result<std::vector<int>> number = ParseCpuRanges(name.substr(3));
    if (number.ok() && number->size() == 1) cpus.push_back(number->front());
  }
  std::sort(cpus.begin(), cpus.end());
  return cpus;
}

// Packages, physical cores and the highest maximum frequency from sysfs. Cores are distinct
// (package, die, core) tuples (research/sysfs.md §6.2). The maximum is taken over all CPUs because
// on hybrid and "favoured core" parts cpu0 need not be the fastest.
void ReadTopology(Reader& reader, const std::vector<int>& cpus, CpuObservation* cpu) {
  std::set<long long> packages;
  std::set<std::tuple<long long, long long, long long>> cores;
  std::optional<long long> max_khz;
  for (int number : cpus) {
    std::string dir = CpuDirectory(number);
    auto integer = [&](const std::string& path) {
      return reader.ReadParsed<long long>(path, ParseSysfsInteger);
    };
    std::optional<long long> package = integer(dir + "/topology/physical_package_id");
    std::optional<long long> core = integer(dir + "/topology/core_id");
    if (package && *package >= 0) packages.insert(*package);
    if (core) {
      std::optional<long long> die = integer(dir + "/topology/die_id");
      cores.insert({package.value_or(-1), die.value_or(-1), *core});
    }
    std::string freq_path = dir + "/cpufreq/cpuinfo_max_freq";
    if (std::optional<long long> khz = integer(freq_path)) {
      if (*khz > 0) {
        max_khz = std::max(max_khz.value_or(0), *khz);
      } else {
        reader.Warn(freq_path,
                    Status::InvalidArgument("expected a positive frequency in kHz, got " +
                                            std::to_string(*khz)));
      }
    }
  }
  if (!packages.empty()) cpu->packages = static_cast<int>(packages.size());
  if (!cores.empty()) cpu->cores = static_cast<int>(cores.size());
  if (max_khz) cpu->max_mhz = static_cast<double>(*max_khz) / 1000.0;
}

// Without /proc/self/cgroup and mountinfo (a captured tree, a restricted /proc), assume the usual
// layout: the process's own cgroup mounted at /sys/fs/cgroup, as inside a container.
std::optional<CgroupLocation> FallbackCgroup(const Env& env, std::string_view controller) {
  std::string root(kCgroupFsRoot);
  if (env.TypeOf(root + "/cgroup.controllers") == FileType::kRegular) {
    return CgroupLocation{.version = CgroupVersion::kV2, .directory = root, .mount_point = root};
  }
  std::vector<std::string> candidates = {root + "/" + std::string(controller)};
  if (controller == "cpu") candidates.insert(candidates.begin(), root + "/cpu,cpuacct");
  for (const std::string& dir : candidates) {
    if (env.TypeOf(dir) == FileType::kDirectory) {
      return CgroupLocation{.version = CgroupVersion::kV1, .directory = dir, .mount_point = dir};
    }
  }
  return std::nullopt;
}

std::optional<double> CpuLimitIn(Reader& reader, CgroupVersion version, const std::string& dir) {
  if (version == CgroupVersion::kV2) {
    return reader.ReadParsed<std::optional<double>>(dir + "/cpu.max", ParseCgroupV2CpuMax)
        .value_or(std::nullopt);
  }
  std::optional<std::string> quota = reader.Read(dir + "/cpu.cfs_quota_us");
  if (!quota) return std::nullopt;
  std::string period = reader.Read(dir + "/cpu.cfs_period_us").value_or("");
  Result<std::optional<double>> limit = ParseCgroupV1CpuQuota(*quota, period);
  if (limit.ok()) return *limit;
  // The reason begins with the file's name, so "<dir>/<reason>" reads "<path>: <why>".
  reader.AddWarning(dir + "/" + limit.status().message());
  return std::nullopt;
}

std::optional<std::uint64_t> MemoryLimitIn(Reader& reader, CgroupVersion version,
                                           const std::string& dir) {
  if (version == CgroupVersion::kV2) {
    return reader
        .ReadParsed<std::optional<std::uint64_t>>(dir + "/memory.max", ParseCgroupV2MemoryMax)
        .value_or(std::nullopt);
  }
  return reader
      .ReadParsed<std::optional<std::uint64_t>>(dir + "/memory.limit_in_bytes",
                                                ParseCgroupV1MemoryLimit)
      .value_or(std::nullopt);
}

// The tightest limit along the cgroup's ancestry: a child cannot use more than any parent allows.
template <typename T, typename LimitIn>
std::optional<T> TightestLimit(Reader& reader, const std::optional<CgroupLocation>& location,
                               LimitIn limit_in) {
  if (!location) return std::nullopt;
  std::optional<T> tightest;
  for (const std::string& dir : CgroupAncestry(*location)) {
    if (std::optional<T> limit = limit_in(reader, location->version, dir)) {
      tightest = tightest ? std::min(*tightest, *limit) : *limit;
    }
  }
  return tightest;
}

void ReadCgroupLimits(Reader& reader, CpuObservation* cpu) {
  std::vector<CgroupMembership> memberships =
      reader.ReadParsed<std::vector<CgroupMembership>>(kSelfCgroupPath, ParseProcSelfCgroup)
          .value_or(std::vector<CgroupMembership>{});
  std::vector<MountEntry> mounts =
      reader.ReadParsed<std::vector<MountEntry>>(kMountInfoPath, ParseMountInfo)
          .value_or(std::vector<MountEntry>{});
  auto locate = [&](std::string_view controller) {
    std::optional<CgroupLocation> location = LocateCgroup(memberships, mounts, controller);
    return location ? location : FallbackCgroup(reader.env(), controller);
  };
  cpu->cgroup_cpu_limit = TightestLimit<double>(reader, locate("cpu"), CpuLimitIn);
  cpu->cgroup_memory_limit_bytes =
      TightestLimit<std::uint64_t>(reader, locate("memory"), MemoryLimitIn);
}

bool DescribesCpu(const CpuObservation& cpu) {
  return cpu.vendor || cpu.model || cpu.packages || cpu.cores || cpu.threads || cpu.max_mhz ||
         !cpu.flags.empty();
}

}  // namespace

void RunCpuProbe(const Env& env, Observations* out) {
  ProbeHeader header;
  CpuObservation cpu;
  Reader reader(env, &header.warnings);

  std::string cpuinfo_problem;
  CpuinfoFacts facts;
  Result<std::string> cpuinfo = env.ReadFile(kCpuinfoPath);
  if (cpuinfo.ok()) {
    facts = ParseCpuinfo(*cpuinfo);
    if (facts.processors == 0 && !facts.vendor && !facts.model && facts.flags.empty()) {
      cpuinfo_problem = std::string(kCpuinfoPath) + ": no processor entries";
      header.warnings.push_back(cpuinfo_problem);
    }
  } else {
    cpuinfo_problem = cpuinfo.status().message();
    header.warnings.push_back(cpuinfo_problem);
  }
  cpu.vendor = facts.vendor;
  cpu.model = facts.model;
  cpu.flags = facts.flags;

  std::optional<std::vector<int>> online =
      reader.ReadParsed<std::vector<int>>(std::string(kCpuSysfs) + "/online", ParseCpuRanges);
  ReadTopology(reader, CpusToRead(reader, online), &cpu);
  if (online && !online->empty()) {
    cpu.threads = static_cast<int>(online->size());
  } else if (facts.processors > 0) {
    cpu.threads = facts.processors;
  }
  if (!cpu.packages) cpu.packages = facts.packages;
  if (!cpu.cores) cpu.cores = facts.cores;

  cpu.memory_bytes = reader.ReadParsed<std::uint64_t>(kMeminfoPath, ParseMemTotalBytes);
  ReadCgroupLimits(reader, &cpu);

  // CPUID describes the CPU running devpick, which is the observed one only on the live system.
  std::string cpuid_problem;
  if (!env.IsThisMachine()) {
    cpuid_problem = "CPUID not consulted for a captured tree";
  } else if (std::optional<CpuidInfo> cpuid = ReadCpuid()) {
    MergeCpuid(*cpuid, &cpu, &header.warnings);
  } else {
    cpuid_problem = "CPUID unavailable on this architecture";
  }

  if (DescribesCpu(cpu)) {
    header.status = ProbeStatus::kOk;
  } else {
    header.status = ProbeStatus::kError;
    header.detail = "no CPU facts: " + (cpuinfo_problem.empty() ? "" : cpuinfo_problem + "; ") +
                    (cpuid_problem.empty() ? "CPUID reported nothing" : cpuid_problem);
  }
  out->cpu = std::move(cpu);
  out->probes.cpu = std::move(header);
}

}  // namespace devpick
