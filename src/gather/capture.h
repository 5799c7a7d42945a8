// Capture: turns what a RecordingEnv saw into the archive `devpick gather` writes.
//
// The archive is a ustar tar (gzip it with GzipCompress) holding one top folder, the root to give
// `devpick --root`: each recorded regular file with its contents as read through the Env (with the
// same byte limit the probes used, because sysfs sizes lie), each symlink with its raw target, each
// directory that was listed or looked at (so an empty listing survives), and MANIFEST.json:
//
//   {"devpick_gather": 1, "created_by": "devpick 0.1.0", "kernel": "6.1.0-18-amd64",
//    "files": [{"path": "/proc/cpuinfo", "type": "file", "bytes": 5120}, ...],
//    "errors": [{"path": "/sys/.../rom", "error": "/sys/.../rom: Permission denied"}]}
//
// Types in the manifest: "file" (contents stored), "symlink" (with "target"), "directory",
// "chardev" (a character device such as /dev/dri/renderD128, stored as an empty file, since a tar
// unpacked by a user cannot make device nodes) and "exists" (a file whose existence alone was
// checked, stored empty rather than read). An empty file stands in read-write (0644) when the live
// CanReadWrite said yes and read-only (0444) when it said no. A file that cannot be read is listed
// under "errors", not silently dropped. Nothing that was not recorded is read or stored.
//
// Thread-safety: pure function of its inputs and the Env; safe to call concurrently.
#ifndef DEVPICK_SRC_GATHER_CAPTURE_H_
#define DEVPICK_SRC_GATHER_CAPTURE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "devpick/env.h"
#include "devpick/status.h"
#include "gather/recording_env.h"

namespace devpick {

inline constexpr int kGatherFormatVersion = 1;

struct CaptureOptions {
  std::string top_folder;  // the archive's single top-level folder, e.g. "devpick-gather-myhost"
  std::string created_by;  // "devpick 0.1.0"
  std::optional<std::string> kernel;              // the captured machine's kernel release
  std::int64_t mtime_seconds = 0;                 // stamped on every entry
  std::size_t max_entries = 4096;                 // files, symlinks and directories together
  std::size_t max_bytes = std::size_t{64} << 20;  // file contents together
};

struct CaptureError {
  std::string path;
  std::string error;
};

struct Capture {
  std::string tar;       // the uncompressed archive
  std::string manifest;  // MANIFEST.json's text, also inside `tar`
  int files = 0;         // stored with contents
  int stand_ins = 0;     // "chardev" and "exists" entries
  int symlinks = 0;
  int directories = 0;
  std::uint64_t bytes = 0;  // file contents stored
  std::vector<CaptureError> errors;
};

// The archive of `recorded` (RecordingEnv::Recorded()), reading file contents through `env`.
// Fails when a limit is exceeded or a path cannot be named in a ustar archive.
Result<Capture> BuildCapture(const Env& env, const std::vector<RecordedPath>& recorded,
                             const CaptureOptions& options);

// "devpick-gather-host.tar.gz" -> "devpick-gather-host": the basename without .tar.gz (or .tgz).
std::string CaptureFolderName(std::string_view archive_path);

}  // namespace devpick

#endif  // DEVPICK_SRC_GATHER_CAPTURE_H_
