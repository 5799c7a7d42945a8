#include "verify/measure_cache.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/atomic_file.h"
#include "core/bounded_json.h"

namespace devpick {
namespace {

using Json = nlohmann::json;

constexpr const char* kFormat = "devpick-measurements";

std::optional<double> Throughput(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value) || *value < 0) return std::nullopt;
  return value;
}

// A JSON value for a message: itself when short, else its type ("a 2000-character string" is not
// something a user needs to read back).
std::string Describe(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= 40) return text;
  return std::string("a long ") + value.type_name();
}

// Reads one entry, or says what is wrong with it ("entries[2].gflops is a string, expected a
// number or null").
class EntryReader {
 public:
  EntryReader(const Json& entry, std::size_t index)
      : entry_(entry), where_("entries[" + std::to_string(index) + "]") {}

  bool String(const char* name, std::string* out) {
    const Json* value = Field(name);
    if (value == nullptr) return false;
    if (!value->is_string()) return Mistyped(name, *value, "a string");
    *out = value->get<std::string>();
    return true;
  }
  bool Boolean(const char* name, bool* out) {
    const Json* value = Field(name);
    if (value == nullptr) return false;
    if (!value->is_boolean()) return Mistyped(name, *value, "true or false");
    *out = value->get<bool>();
    return true;
  }
  bool NumberOrNull(const char* name, std::optional<double>* out) {
    const Json* value = Field(name);
    if (value == nullptr) return false;
    if (value->is_null()) {
      *out = std::nullopt;
      return true;
    }
    if (!value->is_number()) return Mistyped(name, *value, "a number or null");
    *out = value->get<double>();
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  const Json* Field(const char* name) {
    auto it = entry_.find(name);
    if (it != entry_.end()) return &*it;
    error_ = where_ + " has no \"" + name + "\"";
    return nullptr;
  }
  bool Mistyped(const char* name, const Json& value, const char* expected) {
    error_ = where_ + "." + name + " is " + Describe(value) + ", expected " + expected;
    return false;
  }

  const Json& entry_;
  std::string where_;
  std::string error_;
};

// The entries of a parsed cache document, or why it is not one.
Result<std::vector<Measurement>> EntriesFromJson(const Json& document) {
  auto corrupt = [](std::string reason) { return Status::InvalidArgument(std::move(reason)); };
  if (!document.is_object()) return corrupt("not a JSON object");
  auto format = document.find("format");
  if (format == document.end()) return corrupt("\"format\" is missing");
  if (*format != kFormat) {
    return corrupt("\"format\" is " + Describe(*format) + ", expected \"" + kFormat + "\"");
  }
  auto version = document.find("version");
  if (version == document.end()) return corrupt("\"version\" is missing");
  if (!version->is_number_integer() || *version != MeasureCache::kVersion) {
    return corrupt("\"version\" is " + Describe(*version) + ", expected " +
                   std::to_string(MeasureCache::kVersion));
  }
  auto entries = document.find("entries");
  if (entries == document.end()) return corrupt("\"entries\" is missing");
  if (!entries->is_array()) return corrupt("\"entries\" is " + Describe(*entries) + ", not a list");
  std::vector<Measurement> out;
  out.reserve(entries->size());
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const Json& entry = (*entries)[i];
    if (!entry.is_object()) {
      return corrupt("entries[" + std::to_string(i) + "] is " + Describe(entry) +
                     ", not an object");
    }
    EntryReader r(entry, i);
    Measurement m;
    if (!r.String("key", &m.key) || !r.String("api", &m.api) || !r.String("device", &m.device) ||
        !r.Boolean("correct", &m.correct) || !r.NumberOrNull("gflops", &m.gflops) ||
        !r.NumberOrNull("copy_gbps", &m.copy_gbps) || !r.String("failed_step", &m.failed_step) ||
        !r.String("detail", &m.detail) || !r.String("measured_at", &m.measured_at)) {
      return corrupt(r.error());
    }
    out.push_back(std::move(m));
  }
  return out;
}

// `text` as a cache document's entries, or why it is not one ("line L, column C: <reason>").
Result<std::vector<Measurement>> ParseCache(std::string_view text) {
  ParsedJson document = ParseBoundedJson(text);
  if (document.error) return Status::InvalidArgument(document.error->Describe());
  try {
    return EntriesFromJson(document.value);
  } catch (const std::exception& e) {  // std::bad_alloc
    return Status::Internal(e.what());
  }
}

}  // namespace

std::string FormatRfc3339Utc(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  sys_days day = floor<days>(when);
  year_month_day date(day);
  hh_mm_ss<seconds> time(floor<seconds>(when - day));
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

Measurement MeasurementFromResult(std::string key, const VerifyResult& result,
                                  std::chrono::system_clock::time_point when) {
  return {
      .key = std::move(key),
      .api = result.api,
      .device = result.device,
      .correct = result.correct,
      .gflops = Throughput(result.gflops),
      .copy_gbps = Throughput(result.copy_gbps),
      .failed_step = result.failed_step,
      .detail = result.detail,
      .measured_at = FormatRfc3339Utc(when),
  };
}

Result<std::string> MeasureCache::DefaultPath(const Env& env) {
  // "/home/u/" + "/.cache" without the doubled slash; nullopt unless `dir` is absolute.
  auto under = [](std::optional<std::string> dir,
                  std::string_view rest) -> std::optional<std::string> {
    if (!dir || dir->empty() || dir->front() != '/') return std::nullopt;
    while (dir->size() > 1 && dir->back() == '/') dir->pop_back();
    return (*dir == "/" ? "" : *dir) + std::string(rest);
  };
  if (auto path = under(env.GetEnv("XDG_CACHE_HOME"), "/devpick/measured.json")) return *path;
  if (auto path = under(env.GetEnv("HOME"), "/.cache/devpick/measured.json")) return *path;
  return Status::NotFound(
      "no place for the measurement cache: neither XDG_CACHE_HOME nor HOME is an absolute path");
}

MeasureCache MeasureCache::Load(const Env& env, std::string path) {
  MeasureCache cache(std::move(path));
  Result<std::string> text = env.ReadFile(cache.path_, kMaxFileBytes);
  if (!text.ok()) {
    const Status& status = text.status();
    if (status.code() == StatusCode::kNotFound) return cache;
    // The Env's messages start with the path; the warning names it once.
    std::string reason = status.message();
    if (reason.rfind(cache.path_ + ": ", 0) == 0) reason.erase(0, cache.path_.size() + 2);
    if (status.code() == StatusCode::kIoError && status.errno_value() == 0) {
      // Not an errno: the read stopped at the size limit.
      cache.warnings_.push_back("measurement cache " + cache.path_ + " is corrupt (larger than " +
                                std::to_string(kMaxFileBytes) +
                                " bytes); ignoring it, it will be rewritten");
    } else {
      cache.warnings_.push_back("cannot read measurement cache " + cache.path_ + " (" + reason +
                                "); ignoring it");
    }
    return cache;
  }
  Result<std::vector<Measurement>> entries = ParseCache(*text);
  if (!entries.ok()) {
    cache.warnings_.push_back("measurement cache " + cache.path_ + " is corrupt (" +
                              entries.status().message() + "); ignoring it, it will be rewritten");
    return cache;
  }
  // Put, not assign: the file may be unsorted or repeat a key (the last one wins).
  for (Measurement& m : *entries) cache.Put(std::move(m));
  cache.put_keys_.clear();  // what the file holds is not new
  return cache;
}

const Measurement* MeasureCache::Find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Measurement& m, std::string_view k) { return m.key < k; });
  return it != entries_.end() && it->key == key ? &*it : nullptr;
}

void MeasureCache::Put(Measurement measurement) {
  put_keys_.push_back(measurement.key);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), measurement.key,
                             [](const Measurement& m, const std::string& k) { return m.key < k; });
  if (it != entries_.end() && it->key == measurement.key) {
    *it = std::move(measurement);
  } else {
    entries_.insert(it, std::move(measurement));
  }
}

std::string MeasureCache::Serialize() const {
  using Ordered = nlohmann::ordered_json;  // fields in the order a reader expects them
  // Not finite: JSON has no spelling for it, and it is no throughput.
  auto number = [](const std::optional<double>& value) {
    return value && std::isfinite(*value) ? Ordered(*value) : Ordered(nullptr);
  };
  Ordered entries = Ordered::array();
  for (const Measurement& m : entries_) {
    entries.push_back({
        {"key", m.key},
        {"api", m.api},
        {"device", m.device},
        {"correct", m.correct},
        {"gflops", number(m.gflops)},
        {"copy_gbps", number(m.copy_gbps)},
        {"failed_step", m.failed_step},
        {"detail", m.detail},
        {"measured_at", m.measured_at},
    });
  }
  Ordered document = {{"format", kFormat}, {"version", kVersion}, {"entries", std::move(entries)}};
  // Device names and driver errors are not always UTF-8: replace bad bytes rather than fail.
  return document.dump(2, ' ', false, Ordered::error_handler_t::replace) + "\n";
}

Status MeasureCache::Save(const Env& env) {
  if (Status made = env.MakeDirectories(DirName(path_), 0700); !made.ok()) return made;
  Result<std::unique_ptr<FileLockHandle>> lock = env.LockFile(path_ + ".lock", kLockTimeoutMs);
  if (!lock.ok()) return lock.status();
  // What other processes saved since this cache was loaded, with this cache's new entries on top.
  MeasureCache merged = Load(env, path_);
  for (const std::string& key : put_keys_) {
    if (const Measurement* mine = Find(key)) merged.Put(*mine);
  }
  if (Status written = env.WriteFile(path_, merged.Serialize(), 0600, WriteMode::kReplace);
      !written.ok()) {
    return written;
  }
  entries_ = std::move(merged.entries_);
  put_keys_.clear();
  return Status::Ok();
}

}  // namespace devpick
