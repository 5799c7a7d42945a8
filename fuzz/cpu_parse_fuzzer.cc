// Fuzzes the cpu probe's parsers (src/probes/cpu_parse.h): /proc/cpuinfo, /proc/meminfo, cpulists,
// cgroup v1/v2 limit files, /proc/self/cgroup and /proc/self/mountinfo, and the rule that places a
// process's cgroup from the last two. The first byte picks the parser; two-file parsers split the
// rest with FuzzedDataProvider. Oracle: cpulists sorted, unique and bounded; limits positive; a
// cgroup's ancestry is finite and ends at its mount point.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "probes/cpu_parse.h"

namespace {

using devpick::fuzz::Check;

void FuzzCgroupPlacement(const std::string& cgroup, const std::string& mountinfo,
                         const std::string& controller) {
  auto memberships = devpick::ParseProcSelfCgroup(cgroup);
  auto mounts = devpick::ParseMountInfo(mountinfo);
  if (!memberships.ok() || !mounts.ok()) return;
  auto location = devpick::LocateCgroup(*memberships, *mounts, controller);
  if (!location) return;
  std::vector<std::string> ancestry = devpick::CgroupAncestry(*location);
  // One entry per path component at most, plus the directory and the mount point themselves.
  std::size_t components = 0;
  for (char c : location->directory) components += c == '/' ? 1 : 0;
  Check(ancestry.size() <= components + 2, "a cgroup's ancestry is bounded by its depth");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const int selector = input.ConsumeIntegralInRange(0, 9);
  switch (selector) {
    case 0: {
      devpick::CpuinfoFacts facts = devpick::ParseCpuinfo(input.ConsumeRemainingBytesAsString());
      Check(facts.processors >= 0, "processor count is not negative");
      for (std::size_t i = 1; i < facts.flags.size(); ++i) {
        Check(facts.flags[i - 1] < facts.flags[i], "flags are sorted and unique");
      }
      break;
    }
    case 1: {
      auto cpus = devpick::ParseCpuRanges(input.ConsumeRemainingBytesAsString());
      if (cpus.ok()) {
        Check(devpick::fuzz::StrictlyIncreasing(*cpus), "a cpulist is sorted and unique");
        Check(cpus->empty() || (cpus->front() >= 0 && cpus->back() <= devpick::kMaxCpuNumber),
              "cpu numbers are within bounds");
      }
      break;
    }
    case 2:
      (void)devpick::ParseSysfsInteger(input.ConsumeRemainingBytesAsString());
      break;
    case 3:
      (void)devpick::ParseMemTotalBytes(input.ConsumeRemainingBytesAsString());
      break;
    case 4: {
      auto cpus = devpick::ParseCgroupV2CpuMax(input.ConsumeRemainingBytesAsString());
      if (cpus.ok() && *cpus) Check(**cpus > 0, "a cpu limit is positive");
      break;
    }
    case 5: {
      std::string quota = input.ConsumeRandomLengthString(64);
      auto cpus = devpick::ParseCgroupV1CpuQuota(quota, input.ConsumeRemainingBytesAsString());
      if (cpus.ok() && *cpus) Check(**cpus > 0, "a cpu limit is positive");
      break;
    }
    case 6:
      (void)devpick::ParseCgroupV2MemoryMax(input.ConsumeRemainingBytesAsString());
      break;
    case 7:
      (void)devpick::ParseCgroupV1MemoryLimit(input.ConsumeRemainingBytesAsString());
      break;
    case 8: {
      std::string controller = input.ConsumeBool() ? "cpu" : "memory";
      std::string cgroup = input.ConsumeRandomLengthString(512);
      FuzzCgroupPlacement(cgroup, input.ConsumeRemainingBytesAsString(), controller);
      break;
    }
    case 9:
      (void)devpick::ArmImplementerName(input.ConsumeRemainingBytesAsString());
      break;
  }
  return 0;
}
