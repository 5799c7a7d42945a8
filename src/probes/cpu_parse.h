// Pure parsers for the text files the cpu probe reads: /proc/cpuinfo, /proc/meminfo, sysfs CPU
// lists
// ("0-3,8-11"), cgroup v1/v2 limit files, /proc/self/cgroup and /proc/self/mountinfo; plus the
// rules that place a process's cgroup on disk and merge CPUID into what /proc/cpuinfo said.
//
// Nothing here touches the operating system, so every edge case is a unit test on a string. Parsers
// of files whose garbage matters return Result with a reason that does not name the path (the
// caller prefixes it: "<path>: <reason>"). Facts: research/sysfs.md §6.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_PROBES_CPU_PARSE_H_
#define DEVPICK_SRC_PROBES_CPU_PARSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/observations.h"
#include "devpick/status.h"
#include "probes/cpuid.h"

namespace devpick {

// What /proc/cpuinfo says, in any of its architecture dialects (x86 "vendor_id"/"model
// name"/"flags", ARM "CPU implementer"/"Features", POWER "cpu").
struct CpuinfoFacts {
  std::optional<std::string> vendor;  // GenuineIntel; ARM implementer name or code; IBM for POWER
  std::optional<std::string> model;   // "model name", or POWER's "cpu" up to its first comma
  std::optional<int> packages;        // distinct "physical id" values
  std::optional<int> cores;           // distinct ("physical id", "core id") pairs
  int processors = 0;                 // "processor" entries
  std::vector<std::string> flags;     // union of "flags"/"Features" lines, sorted, unique
};
CpuinfoFacts ParseCpuinfo(std::string_view text);

// ARM's "CPU implementer" code to a company name ("0x41" -> "ARM"); an unknown code is returned as
// written.
std::string ArmImplementerName(std::string_view code);

// The highest CPU number a list may name; NR_CPUS tops out at 8192, and a bound keeps a hostile
// "0-2000000000" from allocating gigabytes.
inline constexpr int kMaxCpuNumber = 65535;
// A sysfs cpulist ("0-3,8-11\n") as sorted, unique CPU numbers; "" is the empty set.
Result<std::vector<int>> ParseCpuRanges(std::string_view text);

// A single integer sysfs attribute ("12\n"), e.g. topology/core_id.
Result<long long> ParseSysfsInteger(std::string_view text);

// /proc/meminfo "MemTotal:  65536000 kB" in bytes.
Result<std::uint64_t> ParseMemTotalBytes(std::string_view meminfo);

// cgroup v2 cpu.max ("$MAX $PERIOD", optionally "$BURST"; "max" = no limit) as CPUs (MAX / PERIOD);
// nullopt when unlimited.
Result<std::optional<double>> ParseCgroupV2CpuMax(std::string_view text);
// cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us as CPUs; nullopt when the quota is -1.
Result<std::optional<double>> ParseCgroupV1CpuQuota(std::string_view quota,
                                                    std::string_view period);
// cgroup v2 memory.max in bytes; nullopt for "max".
Result<std::optional<std::uint64_t>> ParseCgroupV2MemoryMax(std::string_view text);
// At or above this, a v1 memory.limit_in_bytes means "unlimited" (the kernel reports
// PAGE_COUNTER_MAX pages, 9223372036854771712 on 4 KiB pages).
inline constexpr std::uint64_t kCgroupV1UnlimitedBytes = std::uint64_t{1} << 62;
// cgroup v1 memory.limit_in_bytes in bytes; nullopt when unlimited.
Result<std::optional<std::uint64_t>> ParseCgroupV1MemoryLimit(std::string_view text);

// One line of /proc/self/cgroup: "hierarchy-ID:controller-list:cgroup-path". v2 is "0::/path".
struct CgroupMembership {
  int hierarchy = 0;
  std::vector<std::string> controllers;  // empty for v2
  std::string path;
};
Result<std::vector<CgroupMembership>> ParseProcSelfCgroup(std::string_view text);

// The fields of a /proc/self/mountinfo line that locating a cgroup needs (octal escapes decoded).
struct MountEntry {
  std::string root;         // the mounted subtree of the filesystem, e.g. "/" or "/docker/abc"
  std::string mount_point;  // e.g. "/sys/fs/cgroup"
  std::string fstype;       // "cgroup2", "cgroup", "ext4", ...
  std::vector<std::string> super_options;  // for cgroup v1, includes its controllers ("cpu")
};
Result<std::vector<MountEntry>> ParseMountInfo(std::string_view text);

enum class CgroupVersion { kV1, kV2 };

// Where one controller's files for this process live.
struct CgroupLocation {
  CgroupVersion version = CgroupVersion::kV2;
  std::string directory;    // the process's own cgroup directory
  std::string mount_point;  // the hierarchy's top as mounted here; limits are read up to it
};
// The v1 hierarchy that carries `controller` ("cpu", "memory") when one is mounted, else the v2
// unified hierarchy; nullopt when neither is mounted. A path outside the mounted subtree (a
// container that sees only its own cgroup) resolves to the mount point.
std::optional<CgroupLocation> LocateCgroup(const std::vector<CgroupMembership>& memberships,
                                           const std::vector<MountEntry>& mounts,
                                           std::string_view controller);
// The directories whose limits apply to `location`: its own, then each ancestor up to and including
// the mount point.
std::vector<std::string> CgroupAncestry(const CgroupLocation& location);

// Fills what /proc/cpuinfo left open from CPUID: vendor, model (the brand string) and, when
// /proc/cpuinfo gave no flags, the flags. /proc/cpuinfo wins where both speak, because the kernel
// may have disabled a feature; a disagreement on avx2 or avx512f (seen under some hypervisors)
// becomes a warning.
void MergeCpuid(const CpuidInfo& cpuid, CpuObservation* cpu, std::vector<std::string>* warnings);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_CPU_PARSE_H_
