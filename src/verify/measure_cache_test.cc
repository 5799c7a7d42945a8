#include "verify/measure_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "expect_table.h"
#include "fake_env.h"
#include "real_files.h"
#include "temp_dir.h"
#include "verify/verify_test_util.h"

namespace devpick {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::FakeEnv;
using ::testing::IsEmpty;

constexpr const char* kPath = "/home/u/.cache/devpick/measured.json";

Measurement Vulkan() {
  return {
      .key = "vulkan|10de:2684|550.54.14|sgemm512",
      .api = "vulkan",
      .device = "vulkan 0 (NVIDIA GeForce RTX 4090)",
      .correct = true,
      .gflops = 41234.5,
      .copy_gbps = 812.25,
      .failed_step = "",
      .detail = "",
      .measured_at = "2026-11-25T16:40:00Z",
  };
}

Measurement FailedOpenCl() {
  return {
      .key = "opencl|8086:56a0|23.35|sgemm512",
      .api = "opencl",
      .device = "opencl 1/0 (Intel(R) Arc(TM) A770 Graphics)",
      .correct = false,
      .gflops = std::nullopt,
      .copy_gbps = std::nullopt,
      .failed_step = "clBuildProgram",
      .detail = "CL_BUILD_PROGRAM_FAILURE (-11): \"quoted\" log\nsecond line",
      .measured_at = "2026-11-24T09:05:07Z",
  };
}

// A cache file with `entries` (JSON text) in the right envelope.
std::string CacheText(const std::string& entries) {
  return "{\"format\": \"devpick-measurements\", \"version\": 1, \"entries\": [" + entries + "]}";
}

// The warning Load gives for a corrupt file at kPath.
std::string Corrupt(const std::string& reason) {
  return std::string("measurement cache ") + kPath + " is corrupt (" + reason +
         "); ignoring it, it will be rewritten";
}

// Load from a FakeEnv holding `text` at kPath.
MeasureCache LoadText(const std::string& text) {
  FakeEnv env;
  env.AddFile(kPath, text);
  return MeasureCache::Load(env, kPath);
}

// --- DefaultPath ---

// XDG_CACHE_HOME and HOME, each unset when nullopt.
using CacheVariables = std::pair<std::optional<std::string>, std::optional<std::string>>;

// DefaultPath under `variables`: the path, or "error: " and the message.
std::string DefaultPathUnder(const CacheVariables& variables) {
  FakeEnv env;
  if (variables.first) env.SetEnv("XDG_CACHE_HOME", *variables.first);
  if (variables.second) env.SetEnv("HOME", *variables.second);
  Result<std::string> path = MeasureCache::DefaultPath(env);
  return path.ok() ? *path : "error: " + std::string(path.status().message());
}

constexpr char kNoCachePlace[] =
    "error: no place for the measurement cache: neither XDG_CACHE_HOME nor HOME is an absolute "
    "path";

TEST(MeasureCacheDefaultPath, UsesAnAbsoluteXdgCacheHomeElseHome) {
  const std::string home_cache = "/home/u/.cache/devpick/measured.json";
  testing::ExpectEachMapsTo<CacheVariables, std::string>(
      DefaultPathUnder, {
                            {{"/var/cache/u/", "/home/u"}, "/var/cache/u/devpick/measured.json"},
                            // A relative or empty XDG_CACHE_HOME is ignored.
                            {{"cache", "/home/u"}, home_cache},
                            {{"./cache", "/home/u"}, home_cache},
                            {{"", "/home/u"}, home_cache},
                            {{std::nullopt, "/home/u"}, home_cache},
                            {{std::nullopt, "/"}, "/.cache/devpick/measured.json"},
                            {{std::nullopt, std::nullopt}, kNoCachePlace},
                            {{"cache", ""}, kNoCachePlace},
                        });
}

TEST(MeasureCacheDefaultPath, NeitherVariableIsNotFound) {
  FakeEnv unset;
  EXPECT_EQ(MeasureCache::DefaultPath(unset).status().code(), StatusCode::kNotFound);
}

// --- MeasurementFromResult ---

TEST(MeasurementFromResult, CopiesTheResultAndStampsUtcTime) {
  VerifyResult result = testing::CorrectLlvmpipeResult(41.5);
  result.copy_gbps = 12.0;
  result.max_rel_error = 1e-6;
  result.steps = {"create instance", "run SGEMM 512x512 x3"};
  // 2026-11-25T16:40:00Z plus 999 ms, which is truncated.
  auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1795624800)) +
              std::chrono::milliseconds(999);
  Measurement m = MeasurementFromResult("k", result, when);
  EXPECT_EQ(m, (Measurement{.key = "k",
                            .api = "vulkan",
                            .device = "vulkan 0 (llvmpipe)",
                            .correct = true,
                            .gflops = 41.5,
                            .copy_gbps = 12.0,
                            .failed_step = "",
                            .detail = "",
                            .measured_at = "2026-11-25T16:40:00Z"}));
}

TEST(MeasurementFromResult, KeepsTheFailureAndDropsNonFiniteThroughput) {
  VerifyResult result;
  result.api = "opencl";
  result.device = "opencl 0/0 (pthread)";
  result.gflops = std::numeric_limits<double>::infinity();
  result.copy_gbps = -1.0;
  result.failed_step = "check SGEMM result";
  result.detail = "max relative error 0.5";
  Measurement m = MeasurementFromResult("k", result, std::chrono::system_clock::time_point());
  EXPECT_FALSE(m.correct);
  EXPECT_EQ(m.gflops, std::nullopt);
  EXPECT_EQ(m.copy_gbps, std::nullopt);
  EXPECT_EQ(m.failed_step, "check SGEMM result");
  EXPECT_EQ(m.detail, "max relative error 0.5");
  EXPECT_EQ(m.measured_at, "1970-01-01T00:00:00Z");
}

// --- Find and Put ---

TEST(MeasureCache, PutReplacesTheEntryWithTheSameKey) {
  MeasureCache cache(kPath);
  cache.Put(Vulkan());
  cache.Put(FailedOpenCl());
  Measurement faster = Vulkan();
  faster.gflops = 50000.0;
  faster.measured_at = "2026-11-26T08:00:00Z";
  cache.Put(faster);
  ASSERT_EQ(cache.entries().size(), 2u);
  // Sorted by key: "opencl|..." before "vulkan|...".
  EXPECT_EQ(cache.entries()[0], FailedOpenCl());
  EXPECT_EQ(cache.entries()[1], faster);
  const Measurement* found = cache.Find(Vulkan().key);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, faster);
  EXPECT_EQ(cache.Find("vulkan|10de:2684|550.54.14"), nullptr);
  EXPECT_EQ(cache.Find(""), nullptr);
}

TEST(MeasureCache, SavesThroughTheEnvItIsGiven) {
  FakeEnv env;
  env.AddFile(kPath, CacheText(""));
  MeasureCache cache = MeasureCache::Load(env, kPath);
  cache.Put(Vulkan());
  ASSERT_TRUE(cache.Save(env).ok());
  MeasureCache reread = MeasureCache::Load(env, kPath);
  ASSERT_EQ(reread.entries().size(), 1u);
  EXPECT_EQ(reread.entries()[0], Vulkan());
  Result<std::string> written = env.ReadFile(kPath, Env::kDefaultReadLimit);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, cache.Serialize());
}

// --- Load: missing, unreadable and corrupt files ---

TEST(MeasureCacheLoad, MissingFileIsAnEmptyCacheWithoutWarning) {
  FakeEnv env;
  MeasureCache cache = MeasureCache::Load(env, kPath);
  EXPECT_THAT(cache.entries(), IsEmpty());
  EXPECT_THAT(cache.warnings(), IsEmpty());
  EXPECT_EQ(cache.path(), kPath);
}

TEST(MeasureCacheLoad, UnreadableFileIsAnEmptyCacheWithAWarning) {
  FakeEnv env;
  env.AddFile(kPath, CacheText(""));
  env.FailPath(kPath, EACCES);
  MeasureCache cache = MeasureCache::Load(env, kPath);
  EXPECT_THAT(cache.entries(), IsEmpty());
  EXPECT_THAT(cache.warnings(), ElementsAre(std::string("cannot read measurement cache ") + kPath +
                                            " (Permission denied); ignoring it"));
}

TEST(MeasureCacheLoad, ReadsEntriesInAnyOrderAndTheLastOfARepeatedKeyWins) {
  MeasureCache cache = LoadText(CacheText(R"(
    {"key": "b", "api": "vulkan", "device": "d", "correct": true, "gflops": 1, "copy_gbps": null,
     "failed_step": "", "detail": "", "measured_at": "t", "added_later": [1, 2]},
    {"key": "a", "api": "vulkan", "device": "d", "correct": true, "gflops": 2.5, "copy_gbps": 3,
     "failed_step": "", "detail": "", "measured_at": "t"},
    {"key": "b", "api": "vulkan", "device": "d", "correct": false, "gflops": null,
     "copy_gbps": null, "failed_step": "x", "detail": "", "measured_at": "t"})"));
  EXPECT_THAT(cache.warnings(), IsEmpty());
  ASSERT_EQ(cache.entries().size(), 2u);
  EXPECT_EQ(cache.entries()[0].key, "a");
  EXPECT_EQ(cache.entries()[0].gflops, 2.5);
  EXPECT_EQ(cache.entries()[0].copy_gbps, 3.0);
  EXPECT_EQ(cache.entries()[1].key, "b");
  EXPECT_FALSE(cache.entries()[1].correct);
  EXPECT_EQ(cache.entries()[1].failed_step, "x");
}

struct CorruptCase {
  const char* name;
  std::string text;
  std::string reason;
};

void PrintTo(const CorruptCase& c, std::ostream* os) { *os << c.name; }

class MeasureCacheCorrupt : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(MeasureCacheCorrupt, IsAnEmptyCacheWithOneWarning) {
  MeasureCache cache = LoadText(GetParam().text);
  EXPECT_THAT(cache.entries(), IsEmpty());
  EXPECT_THAT(cache.warnings(), ElementsAre(Corrupt(GetParam().reason)));
}

// A valid entry with `field` replaced by `value` (JSON text), or removed when `value` is empty.
std::string EntryWith(const std::string& field, const std::string& value) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"key", "\"k\""},        {"api", "\"vulkan\""}, {"device", "\"d\""},
      {"correct", "true"},     {"gflops", "1.5"},     {"copy_gbps", "null"},
      {"failed_step", "\"\""}, {"detail", "\"\""},    {"measured_at", "\"t\""},
  };
  std::string text;
  for (const auto& [name, json] : fields) {
    if (name == field && value.empty()) continue;
    if (!text.empty()) text += ", ";
    text += "\"" + name + "\": " + (name == field ? value : json);
  }
  return "{" + text + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, MeasureCacheCorrupt,
    ::testing::Values(
        CorruptCase{"Empty", "",
                    "line 1, column 1: syntax error while parsing value - unexpected end of "
                    "input; expected '[', '{', or a literal"},
        CorruptCase{"MalformedJson",
                    "{\n  \"format\": \"devpick-measurements\",\n  \"version\": 1,\n"
                    "  \"entries\": [\n    {\"key\": }\n  ]\n}\n",
                    "line 5, column 13: syntax error while parsing value - unexpected '}'; "
                    "expected '[', '{', or a literal"},
        CorruptCase{"NumberTooLargeForADouble", CacheText(EntryWith("gflops", "1e400")),
                    "number overflow parsing '1e400'"},
        // Issue 12: a nested cache file overflowed the stack of `--policy measured`.
        CorruptCase{"NestedTooDeep", std::string(100000, '[') + std::string(100000, ']'),
                    "line 1, column 65: nested deeper than 64 levels of arrays and objects "
                    "(devpick reads at most 64)"},
        CorruptCase{"NotAnObject", "[]", "not a JSON object"},
        CorruptCase{"NoFormat", "{\"version\": 1, \"entries\": []}", "\"format\" is missing"},
        CorruptCase{"WrongFormat",
                    "{\"format\": \"devpick-snapshot\", \"version\": 1, \"entries\": []}",
                    "\"format\" is \"devpick-snapshot\", expected \"devpick-measurements\""},
        CorruptCase{"NoVersion", "{\"format\": \"devpick-measurements\", \"entries\": []}",
                    "\"version\" is missing"},
        CorruptCase{"NewerVersion",
                    "{\"format\": \"devpick-measurements\", \"version\": 2, \"entries\": []}",
                    "\"version\" is 2, expected 1"},
        CorruptCase{"VersionAsString",
                    "{\"format\": \"devpick-measurements\", \"version\": \"1\", \"entries\": []}",
                    "\"version\" is \"1\", expected 1"},
        CorruptCase{"NoEntries", "{\"format\": \"devpick-measurements\", \"version\": 1}",
                    "\"entries\" is missing"},
        CorruptCase{"EntriesNotAList",
                    "{\"format\": \"devpick-measurements\", \"version\": 1, \"entries\": {}}",
                    "\"entries\" is {}, not a list"},
        CorruptCase{"EntryNotAnObject", CacheText(EntryWith("key", "\"a\"") + ", 7"),
                    "entries[1] is 7, not an object"},
        CorruptCase{"EntryWithoutKey", CacheText(EntryWith("key", "")),
                    "entries[0] has no \"key\""},
        CorruptCase{"EntryWithoutMeasuredAt", CacheText(EntryWith("measured_at", "")),
                    "entries[0] has no \"measured_at\""},
        CorruptCase{"KeyNotAString", CacheText(EntryWith("key", "12")),
                    "entries[0].key is 12, expected a string"},
        CorruptCase{"CorrectNotABoolean", CacheText(EntryWith("correct", "\"yes\"")),
                    "entries[0].correct is \"yes\", expected true or false"},
        CorruptCase{"GflopsAString", CacheText(EntryWith("gflops", "\"fast\"")),
                    "entries[0].gflops is \"fast\", expected a number or null"},
        CorruptCase{"CopyGbpsAList", CacheText(EntryWith("copy_gbps", "[1]")),
                    "entries[0].copy_gbps is [1], expected a number or null"},
        CorruptCase{"LongValueIsNamedByItsType",
                    CacheText(EntryWith("detail", "[\"" + std::string(100, 'x') + "\"]")),
                    "entries[0].detail is a long array, expected a string"}),
    [](const ::testing::TestParamInfo<CorruptCase>& param_info) { return param_info.param.name; });

TEST(MeasureCacheLoad, FileOverTheSizeLimitIsCorrupt) {
  MeasureCache cache = LoadText(CacheText("") + std::string(MeasureCache::kMaxFileBytes, ' '));
  EXPECT_THAT(cache.entries(), IsEmpty());
  EXPECT_THAT(cache.warnings(), ElementsAre(Corrupt("larger than 4194304 bytes")));
}

// --- Save and Load through the real file system ---

class MeasureCacheFiles : public ::testing::Test {
 protected:
  testing::TempDir temp_{"measure_cache_test"};
  const std::string dir_ = temp_.path();
  std::unique_ptr<Env> env_ = NewRealEnv();
};

TEST_F(MeasureCacheFiles, SaveThenLoadGivesTheSameEntries) {
  const std::string path = dir_ + "/cache/devpick/measured.json";
  MeasureCache cache(path);
  cache.Put(Vulkan());
  cache.Put(FailedOpenCl());
  Status saved = cache.Save(*NewRealEnv());
  ASSERT_TRUE(saved.ok()) << saved.message();
  MeasureCache loaded = MeasureCache::Load(*env_, path);
  EXPECT_THAT(loaded.warnings(), IsEmpty());
  EXPECT_EQ(loaded.path(), path);
  EXPECT_THAT(loaded.entries(), ElementsAre(FailedOpenCl(), Vulkan()));
  EXPECT_EQ(loaded.Serialize(), cache.Serialize());
}

// Issue 12: two `--policy measured` runs with different keys each loaded the cache, measured, and
// renamed their own file over the other's, so one measurement was lost.
TEST_F(MeasureCacheFiles, TwoCachesLoadedTogetherBothKeepTheirEntries) {
  const std::string path = dir_ + "/measured.json";
  MeasureCache first = MeasureCache::Load(*env_, path);
  MeasureCache second = MeasureCache::Load(*env_, path);
  first.Put(Vulkan());
  second.Put(FailedOpenCl());
  ASSERT_TRUE(first.Save(*NewRealEnv()).ok());
  ASSERT_TRUE(second.Save(*NewRealEnv()).ok());
  EXPECT_THAT(MeasureCache::Load(*env_, path).entries(), ElementsAre(FailedOpenCl(), Vulkan()));
  EXPECT_THAT(second.entries(), ElementsAre(FailedOpenCl(), Vulkan()));
}

TEST_F(MeasureCacheFiles, ConcurrentSaversOfDifferentKeysLoseNothing) {
  const std::string path = dir_ + "/measured.json";
  constexpr int kSavers = 8;
  std::vector<std::thread> savers;
  for (int i = 0; i < kSavers; ++i) {
    savers.emplace_back([&, i] {
      MeasureCache cache = MeasureCache::Load(*env_, path);
      Measurement m = Vulkan();
      m.key = "key" + std::to_string(i);
      cache.Put(m);
      EXPECT_TRUE(cache.Save(*NewRealEnv()).ok());
    });
  }
  for (std::thread& saver : savers) saver.join();
  std::vector<std::string> keys;
  MeasureCache saved = MeasureCache::Load(*env_, path);
  for (const Measurement& m : saved.entries()) keys.push_back(m.key);
  EXPECT_THAT(keys, ElementsAre("key0", "key1", "key2", "key3", "key4", "key5", "key6", "key7"));
}

TEST_F(MeasureCacheFiles, SaveWritesTheDocumentedFormat) {
  const std::string path = dir_ + "/measured.json";
  MeasureCache cache(path);
  cache.Put(Vulkan());
  cache.Put(FailedOpenCl());
  ASSERT_TRUE(cache.Save(*NewRealEnv()).ok());
  EXPECT_EQ(testing::ReadFileText(path), R"json({
  "format": "devpick-measurements",
  "version": 1,
  "entries": [
    {
      "key": "opencl|8086:56a0|23.35|sgemm512",
      "api": "opencl",
      "device": "opencl 1/0 (Intel(R) Arc(TM) A770 Graphics)",
      "correct": false,
      "gflops": null,
      "copy_gbps": null,
      "failed_step": "clBuildProgram",
      "detail": "CL_BUILD_PROGRAM_FAILURE (-11): \"quoted\" log\nsecond line",
      "measured_at": "2026-11-24T09:05:07Z"
    },
    {
      "key": "vulkan|10de:2684|550.54.14|sgemm512",
      "api": "vulkan",
      "device": "vulkan 0 (NVIDIA GeForce RTX 4090)",
      "correct": true,
      "gflops": 41234.5,
      "copy_gbps": 812.25,
      "failed_step": "",
      "detail": "",
      "measured_at": "2026-11-25T16:40:00Z"
    }
  ]
}
)json");
}

TEST_F(MeasureCacheFiles, SaveCreatesAPrivateDirectoryAndFile) {
  mode_t old_umask = umask(022);
  const std::string path = dir_ + "/cache/devpick/measured.json";
  MeasureCache cache(path);
  cache.Put(Vulkan());
  Status saved = cache.Save(*NewRealEnv());
  umask(old_umask);
  ASSERT_TRUE(saved.ok()) << saved.message();
  EXPECT_EQ(testing::FileMode(dir_ + "/cache"), 0700);
  EXPECT_EQ(testing::FileMode(dir_ + "/cache/devpick"), 0700);
  EXPECT_EQ(testing::FileMode(path), 0600);
  // No temporary; the lock file that serializes savers stays, as empty as it was created.
  EXPECT_THAT(testing::DirectoryEntries(dir_ + "/cache/devpick"),
              ElementsAre("measured.json", "measured.json.lock"));
  EXPECT_EQ(testing::FileMode(path + ".lock"), 0600);
}

TEST_F(MeasureCacheFiles, SaveReplacesACorruptFileThatLoadIgnored) {
  const std::string path = dir_ + "/measured.json";
  { std::ofstream(path) << "{\"format\": "; }
  MeasureCache cache = MeasureCache::Load(*env_, path);
  ASSERT_EQ(cache.warnings().size(), 1u);
  cache.Put(Vulkan());
  ASSERT_TRUE(cache.Save(*NewRealEnv()).ok());
  MeasureCache again = MeasureCache::Load(*env_, path);
  EXPECT_THAT(again.warnings(), IsEmpty());
  EXPECT_THAT(again.entries(), ElementsAre(Vulkan()));
}

TEST_F(MeasureCacheFiles, SaveUnderAFileIsAnErrorNamingIt) {
  { std::ofstream(dir_ + "/cache") << "not a directory\n"; }
  MeasureCache cache(dir_ + "/cache/devpick/measured.json");
  Status saved = cache.Save(*NewRealEnv());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.message(), "cannot create directory " + dir_ + "/cache/devpick: " + dir_ +
                                 "/cache is not a directory");
}

TEST_F(MeasureCacheFiles, SaveOverADirectoryIsAnErrorAndLeavesNoTemporary) {
  const std::string path = dir_ + "/measured.json";
  fs::create_directory(path);
  MeasureCache cache(path);
  Status saved = cache.Save(*NewRealEnv());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.message(), "cannot write " + path + ": Is a directory");
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("measured.json", "measured.json.lock"));
  EXPECT_THAT(testing::DirectoryEntries(path), IsEmpty());
}

TEST_F(MeasureCacheFiles, SaveIntoAReadOnlyDirectoryIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::create_directory(dir_ + "/devpick");
  fs::permissions(dir_ + "/devpick", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string path = dir_ + "/devpick/measured.json";
  MeasureCache cache(path);
  Status saved = cache.Save(*NewRealEnv());
  fs::permissions(dir_ + "/devpick", fs::perms::owner_all);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(saved.message(), "cannot lock " + path + ".lock: Permission denied");
}

}  // namespace
}  // namespace devpick
