#include "probes/cpu_parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "devpick/env.h"
#include "expect_table.h"
#include "probes/cpu_fixture_test_util.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Fixture(const std::string& name) { return testing::CpuFixture(name); }

// The flags CPUID can also report: the ones inference engines dispatch on.
std::vector<std::string> InferenceFlags(const std::vector<std::string>& flags) {
  static const std::vector<std::string> kInference = {
      "amx_bf16",    "amx_int8", "amx_tile", "avx",  "avx2", "avx512_bf16", "avx512_fp16",
      "avx512_vnni", "avx512f",  "avx_vnni", "f16c", "fma",  "sse4_2"};
  std::vector<std::string> kept;
  std::copy_if(flags.begin(), flags.end(), std::back_inserter(kept), [](const std::string& flag) {
    return std::find(kInference.begin(), kInference.end(), flag) != kInference.end();
  });
  return kept;
}

// ---- /proc/cpuinfo ----

TEST(ParseCpuinfo, ReadsHybridI9_13900K) {
  CpuinfoFacts facts = ParseCpuinfo(Fixture("i9-13900k.cpuinfo"));
  EXPECT_EQ(facts.vendor, "GenuineIntel");
  EXPECT_EQ(facts.model, "13th Gen Intel(R) Core(TM) i9-13900K");
  EXPECT_EQ(facts.packages, 1);
  EXPECT_EQ(facts.cores, 24);  // 8 P-cores with two threads each, 16 E-cores
  EXPECT_EQ(facts.processors, 32);
  EXPECT_EQ(facts.flags.size(), 138u);
  EXPECT_TRUE(std::is_sorted(facts.flags.begin(), facts.flags.end()));
  EXPECT_THAT(InferenceFlags(facts.flags),
              ElementsAre("avx", "avx2", "avx_vnni", "f16c", "fma", "sse4_2"));
}

TEST(ParseCpuinfo, ReadsZen4Ryzen9_7950X) {
  CpuinfoFacts facts = ParseCpuinfo(Fixture("ryzen9-7950x.cpuinfo"));
  EXPECT_EQ(facts.vendor, "AuthenticAMD");
  EXPECT_EQ(facts.model, "AMD Ryzen 9 7950X 16-Core Processor");
  EXPECT_EQ(facts.packages, 1);
  EXPECT_EQ(facts.cores, 16);
  EXPECT_EQ(facts.processors, 32);
  EXPECT_EQ(facts.flags.size(), 157u);
  EXPECT_THAT(InferenceFlags(facts.flags), ElementsAre("avx", "avx2", "avx512_bf16", "avx512_vnni",
                                                       "avx512f", "f16c", "fma", "sse4_2"));
}

TEST(ParseCpuinfo, ReadsAarch64FeaturesAndImplementerWithoutInventingAModel) {
  CpuinfoFacts facts = ParseCpuinfo(Fixture("neoverse-n1.cpuinfo"));
  EXPECT_EQ(facts.vendor, "ARM");
  EXPECT_EQ(facts.model, std::nullopt);
  EXPECT_EQ(facts.packages, std::nullopt);
  EXPECT_EQ(facts.cores, std::nullopt);
  EXPECT_EQ(facts.processors, 4);
  EXPECT_THAT(facts.flags, ElementsAre("aes", "asimd", "asimddp", "asimdhp", "asimdrdm", "atomics",
                                       "cpuid", "crc32", "dcpop", "evtstrm", "fp", "fphp", "lrcpc",
                                       "pmull", "sha1", "sha2", "ssbs"));
}

TEST(ParseCpuinfo, ReadsPower9CpuLineAsModelAndIbmAsVendor) {
  CpuinfoFacts facts = ParseCpuinfo(Fixture("power9.cpuinfo"));
  EXPECT_EQ(facts.vendor, "IBM");
  EXPECT_EQ(facts.model, "POWER9 (raw)");  // not the trailing "model : 9006-22P" machine type
  EXPECT_EQ(facts.processors, 4);
  EXPECT_THAT(facts.flags, IsEmpty());
  EXPECT_EQ(facts.cores, std::nullopt);
}

TEST(ParseCpuinfo, CountsCoresPerPackageOnTwoSockets) {
  std::string text;
  for (int cpu = 0; cpu < 8; ++cpu) {
    text += "processor\t: " + std::to_string(cpu) + "\nphysical id\t: " + std::to_string(cpu / 4) +
            "\ncore id\t\t: " + std::to_string(cpu % 2) + "\n\n";
  }
  CpuinfoFacts facts = ParseCpuinfo(text);
  EXPECT_EQ(facts.packages, 2);
  EXPECT_EQ(facts.cores, 4);  // core ids 0 and 1 repeat in each package
  EXPECT_EQ(facts.processors, 8);
}

TEST(ParseCpuinfo, EmptyAndGarbageTextLearnNothing) {
  for (std::string_view text : {std::string_view(""), std::string_view("\x01\x02:::\n\n::"),
                                std::string_view("core id : banana\nphysical id : -\n")}) {
    CpuinfoFacts facts = ParseCpuinfo(text);
    EXPECT_EQ(facts.vendor, std::nullopt);
    EXPECT_EQ(facts.model, std::nullopt);
    EXPECT_EQ(facts.packages, std::nullopt);
    EXPECT_EQ(facts.cores, std::nullopt);
    EXPECT_EQ(facts.processors, 0);
    EXPECT_THAT(facts.flags, IsEmpty());
  }
}

TEST(ArmImplementerName, MapsKnownCodesAndKeepsUnknownOnes) {
  testing::ExpectEachMapsTo<std::string_view, const char*>(ArmImplementerName,
                                                           {{"0x41", "ARM"},
                                                            {"0x61", "Apple"},
                                                            {"0x51", "Qualcomm"},
                                                            {"0x4e", "NVIDIA"},
                                                            {"0x4E", "NVIDIA"},
                                                            {"0x7f", "0x7f"},
                                                            {"zz", "zz"}});
}

// ---- cpulist ----

TEST(ParseCpuRanges, EmptyIsTheEmptySet) {
  Result<std::vector<int>> cpus = ParseCpuRanges("");
  ASSERT_TRUE(cpus.ok());
  EXPECT_THAT(*cpus, IsEmpty());
  EXPECT_THAT(ParseCpuRanges("\n").value(), IsEmpty());
}

TEST(ParseCpuRanges, SingleCpu) { EXPECT_THAT(ParseCpuRanges("0\n").value(), ElementsAre(0)); }

TEST(ParseCpuRanges, RangesAndSingles) {
  EXPECT_THAT(ParseCpuRanges("0-3,8-11\n").value(), ElementsAre(0, 1, 2, 3, 8, 9, 10, 11));
  EXPECT_THAT(ParseCpuRanges("0-1,3").value(), ElementsAre(0, 1, 3));
  EXPECT_THAT(ParseCpuRanges("5,1-2,2").value(), ElementsAre(1, 2, 5));  // sorted, unique
}

TEST(ParseCpuRanges, BackwardsRangeIsInvalid) {
  Result<std::vector<int>> cpus = ParseCpuRanges("3-1");
  ASSERT_FALSE(cpus.ok());
  EXPECT_EQ(cpus.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cpus.status().message(), "invalid CPU list '3-1': range '3-1' runs backwards");
}

TEST(ParseCpuRanges, GarbageIsInvalid) {
  EXPECT_EQ(ParseCpuRanges("zero").status().message(),
            "invalid CPU list 'zero': 'zero' is not a CPU number (0-65535) or range");
  EXPECT_EQ(ParseCpuRanges("0,,2").status().message(),
            "invalid CPU list '0,,2': '' is not a CPU number (0-65535) or range");
  EXPECT_EQ(ParseCpuRanges("-1").status().message(),
            "invalid CPU list '-1': '-1' is not a CPU number (0-65535) or range");
  EXPECT_EQ(ParseCpuRanges("1-").status().message(),
            "invalid CPU list '1-': '1-' is not a CPU number (0-65535) or range");
}

TEST(ParseCpuRanges, HugeRangeIsRejectedRatherThanAllocated) {
  EXPECT_EQ(ParseCpuRanges("0-2000000000").status().message(),
            "invalid CPU list '0-2000000000': '0-2000000000' is not a CPU number (0-65535) or "
            "range");
  EXPECT_EQ(ParseCpuRanges("0-65535").value().size(), 65536u);
}

TEST(ParseSysfsInteger, ReadsSignedValuesAndRejectsGarbage) {
  EXPECT_EQ(ParseSysfsInteger("12\n").value(), 12);
  EXPECT_EQ(ParseSysfsInteger("-1\n").value(), -1);
  EXPECT_EQ(ParseSysfsInteger("12x").status().message(), "expected an integer, got '12x'");
  EXPECT_EQ(ParseSysfsInteger("").status().message(), "expected an integer, got ''");
}

// ---- /proc/meminfo ----

TEST(ParseMemTotalBytes, ConvertsKibToBytes) {
  EXPECT_EQ(ParseMemTotalBytes("MemTotal:       65536000 kB\nMemFree:  1 kB\n").value(),
            65536000ull * 1024);
  EXPECT_EQ(ParseMemTotalBytes("MemFree: 1 kB\nMemTotal: 16 kB").value(), 16384u);
}

TEST(ParseMemTotalBytes, MissingOrGarbageLineIsAnError) {
  EXPECT_EQ(ParseMemTotalBytes("MemFree: 1 kB\n").status().message(), "no MemTotal line");
  EXPECT_EQ(ParseMemTotalBytes("MemTotal: lots kB\n").status().message(),
            "MemTotal 'lots kB' is not a number of kB");
  EXPECT_EQ(ParseMemTotalBytes("MemTotal: 1024\n").status().message(),
            "MemTotal '1024' is not a number of kB");
  EXPECT_EQ(ParseMemTotalBytes("MemTotal: 18446744073709551615 kB\n").status().message(),
            "MemTotal '18446744073709551615 kB' is not a number of kB");
}

// ---- cgroup limit files ----

TEST(ParseCgroupV2CpuMax, MaxMeansNoLimit) {
  Result<std::optional<double>> limit = ParseCgroupV2CpuMax("max 100000\n");
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(*limit, std::nullopt);
  EXPECT_EQ(ParseCgroupV2CpuMax("max").value(), std::nullopt);
}

TEST(ParseCgroupV2CpuMax, QuotaOverPeriodIsCpus) {
  EXPECT_EQ(ParseCgroupV2CpuMax("200000 100000\n").value(), 2.0);
  EXPECT_EQ(ParseCgroupV2CpuMax("50000 100000").value(), 0.5);
  EXPECT_EQ(ParseCgroupV2CpuMax("150000 100000 0").value(), 1.5);  // with a burst field
  EXPECT_EQ(ParseCgroupV2CpuMax("300000").value(), 3.0);           // the default period
}

TEST(ParseCgroupV2CpuMax, GarbageIsAnError) {
  for (std::string_view text : {"", "lots", "100000 0", "0 100000", "1 2 3 4", "max abc"}) {
    Result<std::optional<double>> limit = ParseCgroupV2CpuMax(text);
    ASSERT_FALSE(limit.ok()) << text;
    EXPECT_EQ(limit.status().message(), "expected '$MAX $PERIOD', got '" + std::string(text) + "'");
  }
}

TEST(ParseCgroupV1CpuQuota, MinusOneMeansNoLimit) {
  EXPECT_EQ(ParseCgroupV1CpuQuota("-1\n", "100000\n").value(), std::nullopt);
  EXPECT_EQ(ParseCgroupV1CpuQuota("-1\n", "").value(), std::nullopt);
}

TEST(ParseCgroupV1CpuQuota, QuotaOverPeriodIsCpus) {
  EXPECT_EQ(ParseCgroupV1CpuQuota("150000\n", "100000\n").value(), 1.5);
}

TEST(ParseCgroupV1CpuQuota, GarbageNamesTheFile) {
  EXPECT_EQ(ParseCgroupV1CpuQuota("x", "100000").status().message(),
            "cpu.cfs_quota_us: expected microseconds or -1, got 'x'");
  EXPECT_EQ(ParseCgroupV1CpuQuota("-5", "100000").status().message(),
            "cpu.cfs_quota_us: expected microseconds or -1, got '-5'");
  EXPECT_EQ(ParseCgroupV1CpuQuota("100000", "0").status().message(),
            "cpu.cfs_period_us: expected microseconds, got '0'");
}

TEST(ParseCgroupV2MemoryMax, MaxOrBytes) {
  EXPECT_EQ(ParseCgroupV2MemoryMax("max\n").value(), std::nullopt);
  EXPECT_EQ(ParseCgroupV2MemoryMax("17179869184\n").value(), 17179869184u);
  EXPECT_EQ(ParseCgroupV2MemoryMax("-1").status().message(), "expected bytes or 'max', got '-1'");
  EXPECT_EQ(ParseCgroupV2MemoryMax("").status().message(), "expected bytes or 'max', got ''");
}

TEST(ParseCgroupV1MemoryLimit, HugeValuesMeanNoLimit) {
  EXPECT_EQ(ParseCgroupV1MemoryLimit("9223372036854771712\n").value(), std::nullopt);
  EXPECT_EQ(ParseCgroupV1MemoryLimit("4611686018427387904").value(), std::nullopt);  // 2^62
  EXPECT_EQ(ParseCgroupV1MemoryLimit("4611686018427387903").value(), 4611686018427387903u);
  EXPECT_EQ(ParseCgroupV1MemoryLimit("2147483648\n").value(), 2147483648u);
  EXPECT_EQ(ParseCgroupV1MemoryLimit("max").status().message(), "expected bytes, got 'max'");
}

// ---- /proc/self/cgroup and mountinfo ----

TEST(ParseProcSelfCgroup, ReadsV2AndV1Lines) {
  Result<std::vector<CgroupMembership>> memberships = ParseProcSelfCgroup(
      "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/a:b\n0::/\n");
  ASSERT_TRUE(memberships.ok()) << memberships.status().message();
  ASSERT_EQ(memberships->size(), 4u);
  EXPECT_EQ((*memberships)[0].hierarchy, 12);
  EXPECT_THAT((*memberships)[0].controllers, ElementsAre("memory"));
  EXPECT_THAT((*memberships)[1].controllers, ElementsAre("cpu", "cpuacct"));
  EXPECT_EQ((*memberships)[1].path, "/docker/abc");
  EXPECT_EQ((*memberships)[2].path, "/a:b");
  EXPECT_EQ((*memberships)[3].hierarchy, 0);
  EXPECT_THAT((*memberships)[3].controllers, IsEmpty());
  EXPECT_EQ((*memberships)[3].path, "/");
}

TEST(ParseProcSelfCgroup, GarbageLineIsAnError) {
  EXPECT_EQ(ParseProcSelfCgroup("0::/\nnonsense\n").status().message(),
            "line 2: expected 'ID:CONTROLLERS:/PATH', got 'nonsense'");
  EXPECT_EQ(ParseProcSelfCgroup("x::/\n").status().message(),
            "line 1: expected 'ID:CONTROLLERS:/PATH', got 'x::/'");
}

constexpr std::string_view kMountInfoV2 =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";

TEST(ParseMountInfo, ReadsRootMountPointTypeAndSuperOptions) {
  Result<std::vector<MountEntry>> mounts = ParseMountInfo(kMountInfoV2);
  ASSERT_TRUE(mounts.ok()) << mounts.status().message();
  ASSERT_EQ(mounts->size(), 2u);
  EXPECT_EQ((*mounts)[1].root, "/");
  EXPECT_EQ((*mounts)[1].mount_point, "/sys/fs/cgroup");
  EXPECT_EQ((*mounts)[1].fstype, "cgroup2");
  EXPECT_THAT((*mounts)[1].super_options, ElementsAre("rw", "nsdelegate", "memory_recursiveprot"));
}

TEST(ParseMountInfo, DecodesOctalEscapesAndToleratesNoOptionalFields) {
  Result<std::vector<MountEntry>> mounts =
      ParseMountInfo("40 35 0:33 /my\\040dir /mnt/with\\040space rw - cgroup cgroup rw,cpu\n");
  ASSERT_TRUE(mounts.ok()) << mounts.status().message();
  EXPECT_EQ((*mounts)[0].root, "/my dir");
  EXPECT_EQ((*mounts)[0].mount_point, "/mnt/with space");
  EXPECT_THAT((*mounts)[0].super_options, ElementsAre("rw", "cpu"));
}

TEST(ParseMountInfo, LineWithoutSeparatorIsAnError) {
  EXPECT_EQ(ParseMountInfo("1 2 3 / / rw\n").status().message(),
            "line 1: expected '... - FSTYPE SOURCE OPTIONS', got '1 2 3 / / rw'");
}

// ---- locating the cgroup ----

std::vector<MountEntry> Mounts(std::string_view text) { return ParseMountInfo(text).value(); }
std::vector<CgroupMembership> Memberships(std::string_view text) {
  return ParseProcSelfCgroup(text).value();
}

TEST(LocateCgroup, V2PathUnderTheMount) {
  std::optional<CgroupLocation> location =
      LocateCgroup(Memberships("0::/user.slice/session-2.scope\n"), Mounts(kMountInfoV2), "cpu");
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->version, CgroupVersion::kV2);
  EXPECT_EQ(location->directory, "/sys/fs/cgroup/user.slice/session-2.scope");
  EXPECT_EQ(location->mount_point, "/sys/fs/cgroup");
}

TEST(LocateCgroup, V2RootCgroupIsTheMountPoint) {
  std::optional<CgroupLocation> location =
      LocateCgroup(Memberships("0::/\n"), Mounts(kMountInfoV2), "memory");
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->directory, "/sys/fs/cgroup");
}

TEST(LocateCgroup, NamespacedPathClimbingOutResolvesToTheMountPoint) {
  std::optional<CgroupLocation> location =
      LocateCgroup(Memberships("0::/../../user.slice\n"), Mounts(kMountInfoV2), "cpu");
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->directory, "/sys/fs/cgroup");
}

TEST(LocateCgroup, V1ContainerSeesItsOwnCgroupAtTheMountPoint) {
  std::vector<MountEntry> mounts = Mounts(
      "50 40 0:40 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup "
      "rw,cpu,cpuacct\n"
      "51 40 0:41 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
  std::vector<CgroupMembership> memberships =
      Memberships("12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n");
  std::optional<CgroupLocation> cpu = LocateCgroup(memberships, mounts, "cpu");
  ASSERT_TRUE(cpu.has_value());
  EXPECT_EQ(cpu->version, CgroupVersion::kV1);
  EXPECT_EQ(cpu->directory, "/sys/fs/cgroup/cpu,cpuacct");
  std::optional<CgroupLocation> memory = LocateCgroup(memberships, mounts, "memory");
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->directory, "/sys/fs/cgroup/memory");
}

TEST(LocateCgroup, HybridPrefersTheV1ControllerHierarchy) {
  std::vector<MountEntry> mounts = Mounts(
      "30 25 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
      "31 25 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  std::vector<CgroupMembership> memberships =
      Memberships("9:memory:/user.slice\n0::/user.slice/session-1.scope\n");
  std::optional<CgroupLocation> memory = LocateCgroup(memberships, mounts, "memory");
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->version, CgroupVersion::kV1);
  EXPECT_EQ(memory->directory, "/sys/fs/cgroup/memory/user.slice");
  std::optional<CgroupLocation> cpu = LocateCgroup(memberships, mounts, "cpu");
  ASSERT_TRUE(cpu.has_value());
  EXPECT_EQ(cpu->version, CgroupVersion::kV2);
  EXPECT_EQ(cpu->directory, "/sys/fs/cgroup/unified/user.slice/session-1.scope");
}

TEST(LocateCgroup, NothingMountedIsNullopt) {
  EXPECT_FALSE(LocateCgroup(Memberships("0::/x\n"), {}, "cpu").has_value());
  EXPECT_FALSE(LocateCgroup({}, Mounts(kMountInfoV2), "cpu").has_value());
}

TEST(CgroupAncestry, ListsTheCgroupAndEachParentUpToTheMount) {
  EXPECT_THAT(CgroupAncestry({.version = CgroupVersion::kV2,
                              .directory = "/sys/fs/cgroup/a/b",
                              .mount_point = "/sys/fs/cgroup"}),
              ElementsAre("/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"));
  EXPECT_THAT(CgroupAncestry({.version = CgroupVersion::kV2,
                              .directory = "/sys/fs/cgroup",
                              .mount_point = "/sys/fs/cgroup"}),
              ElementsAre("/sys/fs/cgroup"));
  // Not below its mount (cannot happen from LocateCgroup): only the directory itself.
  EXPECT_THAT(CgroupAncestry({.version = CgroupVersion::kV1,
                              .directory = "/elsewhere/x",
                              .mount_point = "/sys/fs/cgroup"}),
              ElementsAre("/elsewhere/x"));
}

// ---- CPUID merge ----

CpuidInfo SapphireRapidsCpuid() {
  return CpuidInfo{.vendor = "GenuineIntel",
                   .brand = "Intel(R) Xeon(R) w7-2495X",
                   .flags = {"amx_tile", "avx", "avx2", "avx512f", "sse4_2"}};
}

TEST(MergeCpuid, FillsEverythingWhenCpuinfoGaveNothing) {
  CpuObservation cpu;
  std::vector<std::string> warnings;
  MergeCpuid(SapphireRapidsCpuid(), &cpu, &warnings);
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) w7-2495X");
  EXPECT_THAT(cpu.flags, ElementsAre("amx_tile", "avx", "avx2", "avx512f", "sse4_2"));
  EXPECT_THAT(warnings, IsEmpty());
}

TEST(MergeCpuid, CpuinfoWinsAndAgreementIsSilent) {
  CpuObservation cpu;
  cpu.vendor = "GenuineIntel";
  cpu.model = "from cpuinfo";
  cpu.flags = {"avx", "avx2", "avx512f", "sse4_2", "xsave"};
  std::vector<std::string> warnings;
  MergeCpuid(SapphireRapidsCpuid(), &cpu, &warnings);
  EXPECT_EQ(cpu.model, "from cpuinfo");
  EXPECT_THAT(cpu.flags, ElementsAre("avx", "avx2", "avx512f", "sse4_2", "xsave"));
  EXPECT_THAT(warnings, IsEmpty());
}

TEST(MergeCpuid, DisagreementOnAvx512fOrAvx2IsAWarning) {
  CpuObservation cpu;
  cpu.vendor = "GenuineIntel";
  cpu.flags = {"avx", "sse4_2"};
  std::vector<std::string> warnings;
  MergeCpuid(SapphireRapidsCpuid(), &cpu, &warnings);
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) w7-2495X");  // a gap CPUID fills
  EXPECT_THAT(cpu.flags, ElementsAre("avx", "sse4_2"));
  EXPECT_THAT(warnings,
              ElementsAre("CPUID reports avx2 but /proc/cpuinfo does not; using /proc/cpuinfo",
                          "CPUID reports avx512f but /proc/cpuinfo does not; using /proc/cpuinfo"));

  CpuObservation other;
  other.flags = {"avx2", "avx512f", "sse4_2"};
  warnings.clear();
  MergeCpuid(CpuidInfo{.vendor = std::nullopt, .brand = std::nullopt, .flags = {"avx2"}}, &other,
             &warnings);
  EXPECT_THAT(warnings,
              ElementsAre("/proc/cpuinfo reports avx512f but CPUID does not; using /proc/cpuinfo"));
}

// ---- robustness ----

TEST(CpuParsers, SurviveRandomBytes) {
  std::mt19937 random(1234);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string alphabet = "0123456789-,: \n\tmaxkBMemTotal/\\";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int length = round % 97;
    for (int i = 0; i < length; ++i) {
      int b = byte(random);
      text.push_back(round % 2 == 0 ? static_cast<char>(b) : alphabet[b % alphabet.size()]);
    }
    ParseCpuinfo(text);
    if (Result<std::vector<int>> cpus = ParseCpuRanges(text); cpus.ok()) {
      EXPECT_TRUE(std::is_sorted(cpus->begin(), cpus->end())) << text;
      EXPECT_TRUE(cpus->empty() || (cpus->front() >= 0 && cpus->back() <= kMaxCpuNumber));
    }
    ParseSysfsInteger(text);
    ParseMemTotalBytes(text);
    ParseCgroupV2CpuMax(text);
    ParseCgroupV1CpuQuota(text, text);
    ParseCgroupV2MemoryMax(text);
    ParseCgroupV1MemoryLimit(text);
    ParseProcSelfCgroup(text);
    ParseMountInfo(text);
  }
  SUCCEED();
}

}  // namespace
}  // namespace devpick
