// Writing files so that readers never see half of one.
//
// devpick writes few files (snapshots, captures, the measurement cache of `--policy measured`), and
// each regular file is replaced whole: the new contents go to a temporary file beside the target,
// which is flushed to disk and then renamed over it. A reader, another devpick included, sees the
// old file or the new one, never a mixture, and a crash leaves at worst a stray ".<name>.XXXXXX"
// next to it.
//
// These are the only writes devpick makes, and the Env (include/devpick/env.h) has no write calls:
// they act on the live file system, never on a rooted Env's tree.
//
// Thread-safety: reentrant; concurrent writers of one path each succeed and the last rename wins.
#ifndef DEVPICK_SRC_CORE_ATOMIC_FILE_H_
#define DEVPICK_SRC_CORE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "devpick/status.h"

namespace devpick {

// Replaces the file at `path` with `contents`, with permission bits `mode` (e.g. 0600, applied with
// fchmod before anything is written, so the umask does not change them and the contents are never
// readable under looser bits). The temporary file is created with mkstemp (O_EXCL), so a symlink
// planted at its name is never followed. On failure nothing is left behind and the error names the
// target: "cannot write /x/y: Permission denied".
Status WriteFileAtomically(const std::string& path, std::string_view contents, int mode);

// Writes `contents` to what `path` names, as a user who gave it to `-o` expects:
// - a missing path, or a regular file (not a symlink), is replaced atomically as above;
// - a symlink is followed and written through (truncated and rewritten), so the link stays;
// - a character device (/dev/null, /dev/stdout on a terminal) or a FIFO that a reader has open is
//   written through;
// - a directory, a block device, a socket or a FIFO with no reader is refused with
//   InvalidArgument: "cannot write /dev/sda: it is a block device (devpick writes regular files,
//   FIFOs and character devices)". Nothing is opened for writing before the type is known.
// Failures while writing are IoError naming the path ("cannot write /dev/full: No space left on
// device").
Status WriteOutputFile(const std::string& path, std::string_view contents, int mode);

// An exclusive advisory lock (flock) on the file at `path`, created 0600 if missing, held until the
// FileLock is destroyed. Devpick's per-user files are rewritten as "read, merge, replace" under the
// lock of a companion "<file>.lock", so two processes saving at once both keep their entries.
class FileLock {
 public:
  // Waits up to `timeout_ms` for the lock; Timeout names the path when another process keeps it.
  static Result<FileLock> Acquire(const std::string& path, int timeout_ms);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// Like `mkdir -p`: creates `path` and any missing parents, each with `mode` (given to mkdir(2), so
// the umask applies). Directories that exist, or symlinks to directories, are fine and keep their
// mode. Errors name the component that failed: "cannot create directory /a/b: Permission denied",
// or "cannot create directory /a/f/c: /a/f is not a directory" when a component is a file.
Status MakeDirectories(const std::string& path, int mode);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_ATOMIC_FILE_H_
