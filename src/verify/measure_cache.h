// MeasureCache: the verified throughput of each device, kept on disk between runs.
//
// `--policy measured` ranks eligible devices by what `devpick verify` measured on them, and a
// verification takes seconds, so each result is stored under a key that the caller builds from the
// device, its driver, the API and the workload: a new driver or a different workload is a new key,
// never a stale number. This file only stores; it never decides what a key means.
//
// The cache is one JSON file, by default $XDG_CACHE_HOME/devpick/measured.json:
//   {
//     "format": "devpick-measurements",
//     "version": 1,
//     "entries": [
//       {"key": "...", "api": "vulkan", "device": "vulkan 0 (llvmpipe ...)", "correct": true,
//        "gflops": 41.5, "copy_gbps": null, "failed_step": "", "detail": "",
//        "measured_at": "2026-11-25T16:40:00Z"}
//     ]
//   }
// Entries are written sorted by key, so the same cache always gives the same bytes. The file is a
// cache, not a record: one that cannot be read as a whole (bad JSON, another format or version, an
// entry with a missing or mistyped field, more than kMaxFileBytes) is ignored with one warning and
// replaced on the next Save, rather than failing the selection that wanted it.
//
// Reads go through an Env; Save writes the live file system (core/atomic_file.h), so load with the
// live Env (NewRealEnv()), never a rooted one, or Save would write a different file than Load read.
//
// Thread-safety: a MeasureCache is a value; const use from several threads is safe, Put is not.
// Concurrent processes (or threads with caches of their own) saving one file keep every entry:
// Save takes an flock on "<path>.lock", reads the file again, lays this cache's Put entries over
// what it holds now, and replaces it whole by rename.
#ifndef DEVPICK_SRC_VERIFY_MEASURE_CACHE_H_
#define DEVPICK_SRC_VERIFY_MEASURE_CACHE_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "devpick/status.h"
#include "verify/verify.h"

namespace devpick {

// One verified measurement of one device through one API.
struct Measurement {
  std::string key;     // identity of device + driver + API + workload; built by the caller
  std::string api;     // "opencl" | "vulkan" | "cuda"
  std::string device;  // VerifyResult::device, e.g. "vulkan 0 (llvmpipe (LLVM 15.0.6, 256 bits))"
  bool correct = false;
  // SGEMM GFLOP/s and copy GB/s, as in VerifyResult; nullopt when not measured. Saved as null
  // when not finite (JSON cannot spell it).
  std::optional<double> gflops;
  std::optional<double> copy_gbps;
  std::string failed_step;  // empty when nothing failed
  std::string detail;
  std::string measured_at;  // RFC 3339 UTC to the second, "2026-11-25T16:40:00Z"

  bool operator==(const Measurement&) const = default;
};

// The cacheable part of `result`, measured at `when`. A measurement that is not finite (NaN,
// infinity) or is negative is not a throughput: it becomes nullopt.
Measurement MeasurementFromResult(std::string key, const VerifyResult& result,
                                  std::chrono::system_clock::time_point when);

// `when` as RFC 3339 UTC, truncated to the second: "2026-11-25T16:40:00Z".
std::string FormatRfc3339Utc(std::chrono::system_clock::time_point when);

class MeasureCache {
 public:
  // A larger file is not one devpick wrote (an entry is ~300 bytes): it is ignored as corrupt.
  static constexpr std::size_t kMaxFileBytes = std::size_t{4} << 20;
  static constexpr int kVersion = 1;

  // $XDG_CACHE_HOME/devpick/measured.json when XDG_CACHE_HOME is set, non-empty and absolute (the
  // XDG Base Directory spec says relative values are to be ignored), else
  // $HOME/.cache/devpick/measured.json; an error when neither gives an absolute path. Reads the
  // variables through env.GetEnv.
  static Result<std::string> DefaultPath(const Env& env);

  // Reads the cache at `path` through env.ReadFile. A missing file is an empty cache with no
  // warning. A file that is not a valid cache is an empty cache plus one warning, e.g.
  //   "measurement cache /home/u/.cache/devpick/measured.json is corrupt (line 3, column 5: syntax
  //   error ...); ignoring it, it will be rewritten"
  // and one that cannot be read (permissions) is an empty cache plus
  //   "cannot read measurement cache /home/u/.cache/devpick/measured.json (Permission denied);
  //   ignoring it"
  // Never throws, never fails.
  static MeasureCache Load(const Env& env, std::string path);

  // An empty cache that will be saved at `path`.
  explicit MeasureCache(std::string path) : path_(std::move(path)) {}

  // The entry with this key, or nullptr. Valid until the next Put.
  const Measurement* Find(std::string_view key) const;
  // Adds `measurement`, replacing the entry with the same key.
  void Put(Measurement measurement);

  // The whole cache as the file holds it: pretty JSON, entries sorted by key, ending in a newline.
  std::string Serialize() const;
  // Writes the cache through `env`: creates the directory (0700, like mkdir -p), locks
  // "<path>.lock" (waiting up to kLockTimeoutMs), merges the entries Put since Load over the file's
  // entries as they are now (a corrupt file contributes none), then replaces the file atomically
  // with mode 0600 (WriteMode::kReplace: a symlink planted at its name is never followed). This
  // cache's entries become the merged ones.
  // Errors name the path, "cannot write /home/u/.cache/devpick/measured.json: Permission denied".
  static constexpr int kLockTimeoutMs = 10000;
  Status Save(const Env& env);

  const std::string& path() const { return path_; }
  // What Load had to say about the file (at most one line); empty when it was fine or missing.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Sorted by key, keys distinct.
  const std::vector<Measurement>& entries() const { return entries_; }

 private:
  std::string path_;
  std::vector<std::string> warnings_;
  std::vector<Measurement> entries_;
  std::vector<std::string> put_keys_;  // keys Put since Load: what Save lays over the file
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_MEASURE_CACHE_H_
