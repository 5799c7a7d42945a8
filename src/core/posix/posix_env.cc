// The POSIX Env: the live system through open/readdir/dlopen, optionally re-rooted at a captured
// tree. The path helpers and the resolver every Env shares are in src/core/env.cc.
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "core/atomic_file.h"
#include "core/posix_process.h"
#include "devpick/env.h"

namespace devpick {
namespace {

class DlLibrary final : public Library {
 public:
  DlLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}
  ~DlLibrary() override { dlclose(handle_); }
  void* Symbol(const char* name) const override { return dlsym(handle_, name); }
  std::string path() const override {
    // dladdr on any exported symbol would give the file; the soname is what the user needs to act.
    return soname_;
  }

 private:
  void* handle_;
  std::string soname_;
};

// Waits until `fd` (a pipe, socket or terminal) has bytes or end-of-file to read.
Status WaitReadable(int fd, std::string_view path, int timeout_ms) {
  pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
  while (true) {
    int n = poll(&ready, 1, timeout_ms);
    if (n > 0) return Status::Ok();
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(std::string(path), errno);
    return Status::Timeout(std::string(path) + ": nothing was written to it for " +
                           (timeout_ms % 1000 == 0 ? std::to_string(timeout_ms / 1000) + " s"
                                                   : std::to_string(timeout_ms) + " ms") +
                           " (is the program that writes it running?)");
  }
}

// The live system, optionally with every path re-rooted at `root_`. Symlinks are resolved by hand
// when rooted so that absolute targets stay inside the captured tree.
class PosixEnv final : public Env {
 public:
  PosixEnv(std::string root, int stream_idle_timeout_ms)
      : root_(std::move(root)), stream_idle_timeout_ms_(stream_idle_timeout_ms) {
    while (!root_.empty() && root_.back() == '/') root_.pop_back();
  }

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override {
    Result<std::string> host = HostPath(path);
    if (!host.ok()) return host.status();
    // O_NONBLOCK: opening a FIFO must not wait for a writer, nor a device for its driver.
    int fd = open(host->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return Status::FromErrno(std::string(path), errno);
    struct stat st {};
    if (fstat(fd, &st) != 0) {
      int saved = errno;
      close(fd);
      return Status::FromErrno(std::string(path), saved);
    }
    // A pipe (`--replay <(...)`, /dev/stdin from `cat |`) or a terminal delivers its bytes when its
    // writer gets to them: wait for each, up to kStreamIdleTimeoutMs. A FIFO reads as end-of-file
    // until a writer opens it, so wait before every read there. A captured tree holds only files.
    const bool stream = !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
    if (stream && !root_.empty()) {
      close(fd);
      return Status::InvalidArgument(std::string(path) +
                                     ": not a regular file (a captured tree holds files, "
                                     "directories and symlinks)");
    }
    std::string data;
    char buffer[4096];
    while (true) {
      if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
        if (Status ready = WaitReadable(fd, path, stream_idle_timeout_ms_); !ready.ok()) {
          close(fd);
          return ready;
        }
      }
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN && stream) {
          if (Status ready = WaitReadable(fd, path, stream_idle_timeout_ms_); !ready.ok()) {
            close(fd);
            return ready;
          }
          continue;
        }
        int saved = errno;
        close(fd);
        return Status::FromErrno(std::string(path), saved);
      }
      if (n == 0) break;
      if (data.size() + static_cast<std::size_t>(n) > limit) {
        close(fd);
        return Status::IoError(std::string(path) + ": larger than the " + std::to_string(limit) +
                               "-byte limit for this file");
      }
      data.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    return data;
  }

  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override {
    Result<std::string> host = HostPath(path);
    if (!host.ok()) return host.status();
    DIR* dir = opendir(host->c_str());
    if (dir == nullptr) return Status::FromErrno(std::string(path), errno);
    std::vector<std::string> names;
    while (dirent* entry = readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      names.emplace_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::string> ReadLink(std::string_view path) const override {
    Result<std::string> parent = HostPath(DirName(path));
    if (!parent.ok()) return parent.status();
    std::string host = *parent + "/" + BaseName(path);
    char buffer[4096];
    ssize_t n = readlink(host.c_str(), buffer, sizeof buffer - 1);
    if (n < 0) return Status::FromErrno(std::string(path), errno);
    return std::string(buffer, static_cast<std::size_t>(n));
  }

  FileType TypeOf(std::string_view path, bool follow) const override {
    std::string host;
    if (follow) {
      Result<std::string> resolved = HostPath(path);
      if (!resolved.ok()) return FileType::kMissing;
      host = *resolved;
    } else {
      Result<std::string> parent = HostPath(DirName(path));
      if (!parent.ok()) return FileType::kMissing;
      host = *parent + "/" + BaseName(path);
    }
    struct stat st {};
    if ((follow ? stat(host.c_str(), &st) : lstat(host.c_str(), &st)) != 0)
      return FileType::kMissing;
    if (S_ISREG(st.st_mode)) return FileType::kRegular;
    if (S_ISDIR(st.st_mode)) return FileType::kDirectory;
    if (S_ISLNK(st.st_mode)) return FileType::kSymlink;
    if (S_ISCHR(st.st_mode)) return FileType::kCharDevice;
    return FileType::kOther;
  }

  bool CanReadWrite(std::string_view path) const override {
    Result<std::string> host = HostPath(path);
    return host.ok() && access(host->c_str(), R_OK | W_OK) == 0;
  }

  std::optional<std::string> GetEnv(std::string_view name) const override {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }

  Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const override {
    if (soname.find('/') != std::string::npos) {
      return Status::InvalidArgument(soname +
                                     ": libraries are loaded by soname through the system loader "
                                     "only; use LD_LIBRARY_PATH or ldconfig for other locations");
    }
    dlerror();
    void* handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* error = dlerror();
      return Status::NotFound(error != nullptr ? std::string(error) : soname + ": cannot open");
    }
    return std::unique_ptr<Library>(new DlLibrary(handle, soname));
  }

  std::string root() const override { return root_; }

  bool IsThisMachine() const override { return root_.empty(); }

  std::optional<std::string> MachineArchitecture() const override {
    if (!root_.empty()) return std::nullopt;  // a captured tree's, not ours
    struct utsname name {};
    if (uname(&name) != 0) return std::nullopt;
    return std::string(name.machine);
  }

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point MonotonicNow() const override {
    return std::chrono::steady_clock::now();
  }
  std::vector<ProcessOutcome> RunProcesses(
      std::span<const ProcessRequest> requests) const override {
    return RunPosixProcesses(requests);
  }

  std::optional<std::string> ModulePath(const void* address) const override {
    Dl_info info{};
    if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return std::nullopt;
    return std::string(info.dli_fname);
  }

  Status WriteFile(const std::string& path, std::string_view contents, int permissions,
                   WriteMode how) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    return how == WriteMode::kReplace ? WriteFileAtomically(path, contents, permissions)
                                      : WriteOutputFile(path, contents, permissions);
  }

  Status MakeDirectories(const std::string& path, int permissions) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    return devpick::MakeDirectories(path, permissions);
  }

  Result<std::unique_ptr<FileLockHandle>> LockFile(const std::string& path,
                                                   int timeout_ms) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    Result<FileLock> lock = FileLock::Acquire(path, timeout_ms);
    if (!lock.ok()) return lock.status();
    return std::unique_ptr<FileLockHandle>(new HeldLock(std::move(lock).value()));
  }

 private:
  class HeldLock final : public FileLockHandle {
   public:
    explicit HeldLock(FileLock lock) : lock_(std::move(lock)) {}

   private:
    FileLock lock_;
  };

  // A captured tree is evidence: nothing is written into it.
  Status Writable(const std::string& path) const {
    if (root_.empty()) return Status::Ok();
    return Status::InvalidArgument("cannot write " + path + ": the captured tree " + root_ +
                                   " is read-only");
  }

  // The host path for `path` with every symlink resolved inside the root.
  Result<std::string> HostPath(std::string_view path) const {
    if (path.empty() || path.front() != '/') {
      return Status::InvalidArgument(std::string(path) + ": not an absolute path");
    }
    if (root_.empty()) return std::string(path);
    Result<std::string> resolved =
        ResolvePath(path, /*follow_last=*/true,
                    [&](const std::string& inside) { return LstatUnderRoot(path, inside); });
    if (!resolved.ok()) return resolved.status();
    return root_ + *resolved;
  }

  // lstat and readlink of `inside` (a path in the tree) on the host; errors name `asked`.
  Result<PathComponent> LstatUnderRoot(std::string_view asked, const std::string& inside) const {
    std::string host = root_ + inside;
    struct stat st {};
    if (lstat(host.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      // Only links matter to the resolver; a missing component is the caller's open's to report.
      return PathComponent{.type = FileType::kOther, .link_target = {}};
    }
    char buffer[4096];
    ssize_t n = readlink(host.c_str(), buffer, sizeof buffer - 1);
    if (n < 0) return Status::FromErrno(std::string(asked), errno);
    return PathComponent{.type = FileType::kSymlink,
                         .link_target = std::string(buffer, static_cast<std::size_t>(n))};
  }

  std::string root_;
  int stream_idle_timeout_ms_;
};

}  // namespace

std::unique_ptr<Env> NewRealEnv(int stream_idle_timeout_ms) {
  return std::make_unique<PosixEnv>("", stream_idle_timeout_ms);
}

std::unique_ptr<Env> NewRootedEnv(std::string root) {
  return std::make_unique<PosixEnv>(std::move(root), Env::kStreamIdleTimeoutMs);
}

}  // namespace devpick
