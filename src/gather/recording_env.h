// RecordingEnv: an Env that forwards every call to another Env and remembers what was touched.
//
// `devpick gather` runs the driver-free probes through one, so that the capture holds exactly the
// files, directories and symlinks those probes used, and nothing else. Every path passed to
// ReadFile, ListDirectory, ReadLink, TypeOf or CanReadWrite is resolved component by component with
// the wrapped Env's TypeOf(follow=false) and ReadLink, the way the kernel resolves it, so each
// symlink met on the way is recorded with its raw target (/sys/bus/pci/devices/0000:03:00.0 ->
// ../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0) and the object at the end is recorded
// under its physical path. A listed directory also records each of its entries by name and type,
// because the names are what the probe read. A tree unpacked from those records therefore resolves
// every recorded path and lists every recorded directory the same way under NewRootedEnv. Paths
// that do not exist are not recorded: absence replays as absence.
//
// Thread-safety: safe for concurrent use, like the Env it wraps; the wrapped Env must outlive it.
#ifndef DEVPICK_SRC_GATHER_RECORDING_ENV_H_
#define DEVPICK_SRC_GATHER_RECORDING_ENV_H_

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "devpick/env.h"

namespace devpick {

// One physical path the wrapped Env was asked about, and how it was used.
struct RecordedPath {
  std::string path;                    // absolute, with no symlink among its parents
  FileType type = FileType::kMissing;  // as lstat sees it: never kMissing in Recorded()
  std::string target;                  // kSymlink: the raw target, as readlink returned it
  bool read = false;                   // its contents were read (ReadFile)
  std::size_t read_limit = 0;          // the largest limit a ReadFile asked for, in bytes
  bool listed = false;                 // it was listed (ListDirectory)
  std::optional<bool> read_write;      // CanReadWrite's answer, when it was asked
};

class RecordingEnv final : public EnvWrapper {
 public:
  explicit RecordingEnv(const Env& base) : EnvWrapper(base), base_(base) {}

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override;
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override;
  Result<std::string> ReadLink(std::string_view path) const override;
  FileType TypeOf(std::string_view path, bool follow) const override;
  bool CanReadWrite(std::string_view path) const override;

  // Everything recorded so far, sorted by path (so parents come before their children).
  std::vector<RecordedPath> Recorded() const;

 private:
  // Resolves `path`, recording each symlink met (the last component's only when `follow`, or when
  // it is itself asked about without following), and returns the record of the object at the end,
  // or nullptr when there is none (missing, a dangling link, a loop). Requires mutex_.
  RecordedPath* ResolveLocked(std::string_view path, bool follow) const;
  // lstat through the wrapped Env, asked once per path.
  FileType LstatLocked(const std::string& path) const;
  RecordedPath* NoteLocked(const std::string& path, FileType type) const;

  const Env& base_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, RecordedPath> recorded_;
  mutable std::map<std::string, FileType> lstat_cache_;
};

}  // namespace devpick

#endif  // DEVPICK_SRC_GATHER_RECORDING_ENV_H_
