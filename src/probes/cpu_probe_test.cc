// RunCpuProbe against in-memory machines (FakeEnv) and, once, against the live system.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>

#include "fake_env.h"
#include "probes/cpu_fixture_test_util.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using testing::FakeEnv;
using ::testing::IsEmpty;

std::string Fixture(const std::string& name) { return testing::CpuFixture(name); }

// The CPU probe's observations of the machine `env` shows.
Observations ProbeCpu(const Env& env) {
  Observations out;
  RunCpuProbe(env, &out);
  return out;
}

std::string Cpu(int n) { return "/sys/devices/system/cpu/cpu" + std::to_string(n); }

// An i9-13900K desktop: 8 hyper-threaded P-cores (cpu0-15, core ids 0,4,...,28) and 16 E-cores
// (cpu16-31, core ids 32-47); cpu4/5 are the favoured 5.8 GHz cores.
void AddI9_13900K(FakeEnv& env) {
  env.AddFile("/proc/cpuinfo", Fixture("i9-13900k.cpuinfo"));
  env.AddFile("/sys/devices/system/cpu/online", "0-31\n");
  for (int cpu = 0; cpu < 32; ++cpu) {
    int core = cpu < 16 ? 4 * (cpu / 2) : 32 + (cpu - 16);
    int khz = cpu < 16 ? (cpu / 2 == 2 ? 5800000 : 5500000) : 4300000;
    env.AddFile(Cpu(cpu) + "/topology/physical_package_id", "0\n");
    env.AddFile(Cpu(cpu) + "/topology/die_id", "0\n");
    env.AddFile(Cpu(cpu) + "/topology/core_id", std::to_string(core) + "\n");
    env.AddFile(Cpu(cpu) + "/cpufreq/cpuinfo_max_freq", std::to_string(khz) + "\n");
  }
  env.AddDirectory("/sys/devices/system/cpu/cpufreq");
  env.AddDirectory("/sys/devices/system/cpu/cpuidle");
  env.AddFile("/proc/meminfo",
              "MemTotal:       65641656 kB\nMemFree:        40000000 kB\n"
              "MemAvailable:   50000000 kB\n");
}

// The cgroup v1 CPU controller's quota and period (microseconds) and, when given, the memory
// controller's limit (bytes), each file holding the text given, at the usual v1 mount points.
void AddCgroupV1Limits(FakeEnv& env, const std::string& quota_us, const std::string& period_us,
                       std::optional<std::string> memory_limit = std::nullopt) {
  env.AddFile("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", quota_us + "\n");
  env.AddFile("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", period_us + "\n");
  if (memory_limit) {
    env.AddFile("/sys/fs/cgroup/memory/memory.limit_in_bytes", *memory_limit + "\n");
  }
}

// A systemd session under cgroup v2 with limits at two levels of its ancestry.
void AddCgroupV2Session(FakeEnv& env) {
  env.AddFile("/proc/self/cgroup", "0::/user.slice/user-1000.slice/session-2.scope\n");
  env.AddFile("/proc/self/mountinfo",
              "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
              "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 "
              "cgroup2 rw,nsdelegate,memory_recursiveprot\n");
  const std::string session = "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope";
  env.AddFile(session + "/cpu.max", "max 100000\n");
  env.AddFile(session + "/memory.max", "max\n");
  env.AddFile("/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max", "800000 100000\n");
  env.AddFile("/sys/fs/cgroup/user.slice/user-1000.slice/memory.max", "34359738368\n");
  env.AddFile("/sys/fs/cgroup/user.slice/cpu.max", "1200000 100000\n");
  env.AddFile("/sys/fs/cgroup/user.slice/memory.max", "17179869184\n");
  env.AddFile("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
}

TEST(CpuProbe, ReadsI9_13900KDesktop) {
  FakeEnv env;
  AddI9_13900K(env);
  AddCgroupV2Session(env);
  Observations out = ProbeCpu(env);

  ASSERT_TRUE(out.probes.cpu.has_value());
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.cpu->warnings, IsEmpty());
  EXPECT_EQ(out.probes.cpu->detail, std::nullopt);
  const CpuObservation& cpu = out.cpu;
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model, "13th Gen Intel(R) Core(TM) i9-13900K");
  EXPECT_EQ(cpu.packages, 1);
  EXPECT_EQ(cpu.cores, 24);
  EXPECT_EQ(cpu.threads, 32);
  EXPECT_EQ(cpu.max_mhz, 5800.0);  // the favoured cores, not cpu0 and not "cpu MHz"
  EXPECT_EQ(cpu.flags.size(), 138u);
  EXPECT_TRUE(std::binary_search(cpu.flags.begin(), cpu.flags.end(), "avx_vnni"));
  EXPECT_EQ(cpu.memory_bytes, 65641656ull * 1024);
  EXPECT_EQ(cpu.cgroup_cpu_limit, 8.0);                    // user-1000.slice
  EXPECT_EQ(cpu.cgroup_memory_limit_bytes, 17179869184u);  // user.slice
}

TEST(CpuProbe, TopologyFromSysfsWinsOverCpuinfo) {
  FakeEnv env;
  // cpuinfo of two threads on one core; sysfs says the online CPUs are two separate cores.
  env.AddFile("/proc/cpuinfo",
              "processor : 0\nphysical id : 0\ncore id : 0\n\n"
              "processor : 1\nphysical id : 0\ncore id : 0\n");
  env.AddFile("/sys/devices/system/cpu/online", "0-1\n");
  env.AddFile(Cpu(0) + "/topology/physical_package_id", "0\n");
  env.AddFile(Cpu(0) + "/topology/core_id", "0\n");
  env.AddFile(Cpu(1) + "/topology/physical_package_id", "1\n");
  env.AddFile(Cpu(1) + "/topology/core_id", "0\n");
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.cpu.packages, 2);
  EXPECT_EQ(out.cpu.cores, 2);
  EXPECT_EQ(out.cpu.threads, 2);
}

TEST(CpuProbe, CpuinfoAloneGivesCountsAndNoWarnings) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("ryzen9-7950x.cpuinfo"));
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.cpu->warnings, IsEmpty());  // missing optional files are not warnings
  EXPECT_EQ(out.cpu.vendor, "AuthenticAMD");
  EXPECT_EQ(out.cpu.packages, 1);
  EXPECT_EQ(out.cpu.cores, 16);
  EXPECT_EQ(out.cpu.threads, 32);
  EXPECT_EQ(out.cpu.max_mhz, std::nullopt);  // "cpu MHz" is the current clock, never the max
  EXPECT_EQ(out.cpu.memory_bytes, std::nullopt);
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, std::nullopt);
  EXPECT_EQ(out.cpu.cgroup_memory_limit_bytes, std::nullopt);
}

TEST(CpuProbe, UnreadableCpuinfoFallsBackToSysfsAndWarns) {
  FakeEnv env;
  AddI9_13900K(env);
  env.FailPath("/proc/cpuinfo", EACCES);
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.cpu->warnings, ElementsAre("/proc/cpuinfo: Permission denied"));
  EXPECT_EQ(out.cpu.vendor, std::nullopt);  // no CPUID for a captured tree
  EXPECT_EQ(out.cpu.model, std::nullopt);
  EXPECT_THAT(out.cpu.flags, IsEmpty());
  EXPECT_EQ(out.cpu.threads, 32);
  EXPECT_EQ(out.cpu.cores, 24);
  EXPECT_EQ(out.cpu.packages, 1);
  EXPECT_EQ(out.cpu.max_mhz, 5800.0);
}

TEST(CpuProbe, NothingAboutTheCpuIsAnErrorWithDetail) {
  FakeEnv env;
  env.FailPath("/proc/cpuinfo", EACCES);
  env.AddFile("/proc/meminfo", "MemTotal: 1024 kB\n");
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kError);
  EXPECT_EQ(out.probes.cpu->detail,
            "no CPU facts: /proc/cpuinfo: Permission denied; CPUID not consulted for a captured "
            "tree");
  EXPECT_EQ(out.cpu.memory_bytes, 1024u * 1024);  // still recorded
}

TEST(CpuProbe, EmptyMachineIsAnError) {
  FakeEnv env;
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kError);
  EXPECT_EQ(out.probes.cpu->detail,
            "no CPU facts: /proc/cpuinfo: No such file or directory; CPUID not consulted for a "
            "captured tree");
}

TEST(CpuProbe, GarbageFilesBecomeWarningsNamingPathAndReason) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", "processor : 0\nvendor_id : GenuineIntel\n\nprocessor : 1\n");
  env.AddFile("/sys/devices/system/cpu/online", "zero\n");
  env.AddFile(Cpu(0) + "/topology/core_id", "banana\n");
  env.AddFile(Cpu(0) + "/cpufreq/cpuinfo_max_freq", "0\n");
  env.AddFile(Cpu(1) + "/topology/core_id", "1\n");
  env.AddFile("/proc/meminfo", "MemTotal: lots\n");
  env.AddFile("/proc/self/cgroup", "0::/\n");
  env.AddFile("/proc/self/mountinfo",
              "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
  env.AddFile("/sys/fs/cgroup/cpu.max", "lots\n");
  env.AddFile("/sys/fs/cgroup/memory.max", "-5\n");
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk);
  EXPECT_THAT(
      out.probes.cpu->warnings,
      ElementsAre("/sys/devices/system/cpu/online: invalid CPU list 'zero': 'zero' is not a CPU "
                  "number (0-65535) or range",
                  "/sys/devices/system/cpu/cpu0/topology/core_id: expected an integer, got "
                  "'banana'",
                  "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq: expected a positive "
                  "frequency in kHz, got 0",
                  "/proc/meminfo: MemTotal 'lots' is not a number of kB",
                  "/sys/fs/cgroup/cpu.max: expected '$MAX $PERIOD', got 'lots'",
                  "/sys/fs/cgroup/memory.max: expected bytes or 'max', got '-5'"));
  EXPECT_EQ(out.cpu.vendor, "GenuineIntel");
  EXPECT_EQ(out.cpu.threads, 2);  // from cpuinfo, as the online list is garbage
  EXPECT_EQ(out.cpu.cores, 1);    // cpu1's core; cpu0's was garbage
  EXPECT_EQ(out.cpu.max_mhz, std::nullopt);
  EXPECT_EQ(out.cpu.memory_bytes, std::nullopt);
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, std::nullopt);
  EXPECT_EQ(out.cpu.cgroup_memory_limit_bytes, std::nullopt);
}

TEST(CpuProbe, GarbageCpuinfoIsAWarning) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo",
              "\x7f"
              "ELF\x02\x01\x01");
  env.AddFile("/sys/devices/system/cpu/online", "0-3\n");
  Observations out = ProbeCpu(env);
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk);
  EXPECT_THAT(out.probes.cpu->warnings, ElementsAre("/proc/cpuinfo: no processor entries"));
  EXPECT_EQ(out.cpu.threads, 4);
}

TEST(CpuProbe, CgroupV1ContainerLimits) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("neoverse-n1.cpuinfo"));
  env.AddFile("/proc/self/cgroup",
              "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
  env.AddFile("/proc/self/mountinfo",
              "50 40 0:40 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup "
              "rw,cpu,cpuacct\n"
              "51 40 0:41 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
  AddCgroupV1Limits(env, "150000", "100000", "2147483648");
  Observations out = ProbeCpu(env);
  EXPECT_THAT(out.probes.cpu->warnings, IsEmpty());
  EXPECT_EQ(out.cpu.vendor, "ARM");
  EXPECT_EQ(out.cpu.threads, 4);
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, 1.5);
  EXPECT_EQ(out.cpu.cgroup_memory_limit_bytes, 2147483648u);
}

TEST(CpuProbe, CgroupV1UnlimitedValuesAreNull) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("power9.cpuinfo"));
  env.AddFile("/proc/self/cgroup", "5:memory:/\n3:cpu,cpuacct:/\n");
  env.AddFile("/proc/self/mountinfo",
              "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
              "31 25 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  AddCgroupV1Limits(env, "-1", "100000", "9223372036854771712");
  Observations out = ProbeCpu(env);
  EXPECT_THAT(out.probes.cpu->warnings, IsEmpty());
  EXPECT_EQ(out.cpu.model, "POWER9 (raw)");
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, std::nullopt);
  EXPECT_EQ(out.cpu.cgroup_memory_limit_bytes, std::nullopt);
}

TEST(CpuProbe, CgroupV1BadPeriodNamesTheFile) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("power9.cpuinfo"));
  AddCgroupV1Limits(env, "50000", "0");
  Observations out = ProbeCpu(env);
  EXPECT_THAT(out.probes.cpu->warnings,
              ElementsAre("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us: expected microseconds, "
                          "got '0'"));
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, std::nullopt);
}

TEST(CpuProbe, FallsBackToSysFsCgroupWithoutProcSelf) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("neoverse-n1.cpuinfo"));
  env.AddFile("/sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
  env.AddFile("/sys/fs/cgroup/cpu.max", "200000 100000\n");
  env.AddFile("/sys/fs/cgroup/memory.max", "max\n");
  Observations out = ProbeCpu(env);
  EXPECT_THAT(out.probes.cpu->warnings, IsEmpty());
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, 2.0);
  EXPECT_EQ(out.cpu.cgroup_memory_limit_bytes, std::nullopt);
}

TEST(CpuProbe, UnreadableCgroupFileIsAWarning) {
  FakeEnv env;
  env.AddFile("/proc/cpuinfo", Fixture("neoverse-n1.cpuinfo"));
  env.AddFile("/proc/self/cgroup", "0::/app\n");
  env.AddFile("/proc/self/mountinfo", "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
  env.AddFile("/sys/fs/cgroup/app/cpu.max", "100000 100000\n");
  env.FailPath("/sys/fs/cgroup/app/memory.max", EACCES);
  Observations out = ProbeCpu(env);
  EXPECT_THAT(out.probes.cpu->warnings,
              ElementsAre("/sys/fs/cgroup/app/memory.max: Permission denied"));
  EXPECT_EQ(out.cpu.cgroup_cpu_limit, 1.0);
}

TEST(CpuProbe, LiveSystemDescribesThisMachine) {
  std::unique_ptr<Env> env = NewRealEnv();
  Observations out = ProbeCpu(*env);
  ASSERT_TRUE(out.probes.cpu.has_value());
  EXPECT_EQ(out.probes.cpu->status, ProbeStatus::kOk) << out.probes.cpu->detail.value_or("");
  ASSERT_TRUE(out.cpu.threads.has_value());
  EXPECT_GE(*out.cpu.threads, 1);
  ASSERT_TRUE(out.cpu.memory_bytes.has_value());
  EXPECT_GT(*out.cpu.memory_bytes, 0u);
  EXPECT_TRUE(std::is_sorted(out.cpu.flags.begin(), out.cpu.flags.end()));
#if defined(__x86_64__)
  EXPECT_THAT(out.cpu.flags, ::testing::Contains("sse4_2"));
  EXPECT_TRUE(out.cpu.vendor.has_value());
#endif
}

}  // namespace
}  // namespace devpick
