#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "devpick/env.h"

namespace devpick {
namespace {

// The error for `path` from errno, after removing the temporary file (which may change errno).
Status WriteFailed(const std::string& path, const std::string& temp) {
  int saved = errno;
  if (!temp.empty()) unlink(temp.c_str());
  return Status::FromErrno("cannot write " + path, saved);
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view contents, int mode) {
  // Beside the target, so that rename(2) stays within one file system and is atomic.
  std::string temp = path.substr(0, path.rfind('/') + 1) + "." + BaseName(path) + ".XXXXXX";
  int fd = mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return WriteFailed(path, "");
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    close(fd);
    return WriteFailed(path, temp);
  }
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // write(2) made no progress and said nothing
      int saved = errno;
      close(fd);
      errno = saved;
      return WriteFailed(path, temp);
    }
    written += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return WriteFailed(path, temp);
  }
  if (close(fd) != 0 || rename(temp.c_str(), path.c_str()) != 0) return WriteFailed(path, temp);
  return Status::Ok();
}

namespace {

// What a non-regular file is, for a refusal.
const char* TypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  return "neither a file nor a device";
}

// Every byte of `contents` to `fd`, retrying EINTR; the error names `path`.
Status WriteAll(int fd, std::string_view contents, const std::string& path) {
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::FromErrno("cannot write " + path, n == 0 ? EIO : errno);
    written += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

bool WritableThrough(mode_t mode) { return S_ISREG(mode) || S_ISCHR(mode) || S_ISFIFO(mode); }

Status Refuse(const std::string& path, const std::string& why) {
  return Status::InvalidArgument("cannot write " + path + ": " + why +
                                 " (devpick writes regular files, FIFOs and character devices)");
}

}  // namespace

Status WriteOutputFile(const std::string& path, std::string_view contents, int mode) {
  struct stat link {};
  if (lstat(path.c_str(), &link) != 0) {
    if (errno == ENOENT) return WriteFileAtomically(path, contents, mode);
    return Status::FromErrno("cannot write " + path, errno);
  }
  if (S_ISREG(link.st_mode)) return WriteFileAtomically(path, contents, mode);
  struct stat target {};
  bool exists = stat(path.c_str(), &target) == 0;
  if (!exists && errno != ENOENT) return Status::FromErrno("cannot write " + path, errno);
  if (exists && !WritableThrough(target.st_mode)) {
    return Refuse(path, std::string("it is ") + TypeName(target.st_mode));
  }
  // /dev/stdout or /dev/stderr (or any name of them): write to the descriptor itself, at its
  // offset and in its mode, so `-o /dev/stdout >> log` appends instead of truncating the log.
  for (int standard : {STDOUT_FILENO, STDERR_FILENO}) {
    struct stat st {};
    if (exists && fstat(standard, &st) == 0 && st.st_dev == target.st_dev &&
        st.st_ino == target.st_ino) {
      return WriteAll(standard, contents, path);
    }
  }
  // O_NONBLOCK: opening a FIFO nobody reads fails with ENXIO instead of waiting forever.
  int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  if (!exists || S_ISREG(target.st_mode)) flags |= O_CREAT | O_TRUNC;  // through a symlink
  int fd = open(path.c_str(), flags, static_cast<mode_t>(mode));
  if (fd < 0) {
    if (errno == ENXIO) return Refuse(path, "it is a FIFO that nothing is reading");
    return Status::FromErrno("cannot write " + path, errno);
  }
  struct stat opened {};
  if (fstat(fd, &opened) != 0) {
    int saved = errno;
    close(fd);
    return Status::FromErrno("cannot write " + path, saved);
  }
  if (!WritableThrough(opened.st_mode)) {  // replaced between the stat and the open
    close(fd);
    return Refuse(path, std::string("it is ") + TypeName(opened.st_mode));
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  Status written = WriteAll(fd, contents, path);
  if (written.ok() && S_ISREG(opened.st_mode) && fsync(fd) != 0) {
    written = Status::FromErrno("cannot write " + path, errno);
  }
  if (close(fd) != 0 && written.ok()) written = Status::FromErrno("cannot write " + path, errno);
  return written;
}

Result<FileLock> FileLock::Acquire(const std::string& path, int timeout_ms) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::FromErrno("cannot lock " + path, errno);
  for (int waited = 0;; waited += 10) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return FileLock(fd);
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK || waited >= timeout_ms) {
      int saved = errno;
      close(fd);
      if (saved == EWOULDBLOCK) {
        return Status::Timeout("cannot lock " + path + ": another process held it for " +
                               std::to_string(timeout_ms) + " ms");
      }
      return Status::FromErrno("cannot lock " + path, saved);
    }
    usleep(10 * 1000);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);  // closing the last descriptor releases the flock
}

Status MakeDirectories(const std::string& path, int mode) {
  if (path.empty()) return Status::InvalidArgument("cannot create directory: the path is empty");
  // Each prefix ending before a '/', then the whole path: "/a/b" -> "/a", "/a/b".
  std::size_t end = 0;
  while (end != std::string::npos) {
    end = path.find('/', end + 1);
    std::string prefix = path.substr(0, end);
    if (prefix.empty() || prefix.back() == '/') continue;  // "/" itself, or "a//b"
    struct stat st {};
    if (stat(prefix.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      return Status::IoError("cannot create directory " + path + ": " + prefix +
                             " is not a directory");
    }
    if (errno != ENOENT) return Status::FromErrno("cannot create directory " + prefix, errno);
    if (mkdir(prefix.c_str(), static_cast<mode_t>(mode)) == 0) continue;
    int saved = errno;
    // Another process may have made it between the stat and the mkdir.
    if (saved == EEXIST && stat(prefix.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
    return Status::FromErrno("cannot create directory " + prefix, saved);
  }
  return Status::Ok();
}

}  // namespace devpick
