// Env: the single door between devpick and the operating system.
//
// Every file read and write, directory listing, symlink, environment variable, shared-library
// load, child process and clock reading that devpick performs goes through an Env, so tests can run
// the real code against a fixture tree (NewRootedEnv) or an in-memory fake that records reads and
// injects errors (tests/testing/fake_env.h). Paths are absolute, as on the live system
// ("/sys/bus/pci/devices"); a rooted Env maps them under its root and resolves symlinks inside it,
// like hwloc's HWLOC_FSROOT.
//
// Reads are bounded: ReadFile never returns more than `limit` bytes and fails when the file is
// larger, because sysfs and procfs report sizes that lie (4096 or 0) and a hostile tree can hold
// anything.
//
// Thread-safety: implementations are safe for concurrent const use.
#ifndef DEVPICK_ENV_H_
#define DEVPICK_ENV_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/status.h"

namespace devpick {

enum class FileType { kMissing, kRegular, kDirectory, kSymlink, kCharDevice, kOther };

// A shared library opened by soname. Closing happens in the destructor.
class Library {
 public:
  virtual ~Library() = default;
  // The address of `name`, or nullptr when the library does not export it.
  virtual void* Symbol(const char* name) const = 0;
  // Where the loader found it (for diagnostics), or the soname when unknown.
  virtual std::string path() const = 0;
};

// How Env::WriteFile treats what is at the path.
enum class WriteMode {
  // Replace it atomically with a new regular file: a temporary made beside it with mkstemp (a
  // symlink planted at its name is never followed), then renamed over `path`. For devpick's own
  // files (the measurement cache).
  kReplace,
  // As a user who gave the path to `-o` expects: a missing path or a regular file is replaced as
  // above; a symlink is written through, so the link stays; a character device or a FIFO with a
  // reader is written through; a directory, block device, socket or readerless FIFO is refused
  // with InvalidArgument naming its type.
  kOutput,
};

// An exclusive lock held until the handle is destroyed (Env::LockFile).
class FileLockHandle {
 public:
  virtual ~FileLockHandle() = default;
};

// One program for Env::RunProcesses to run, in terms every platform can honour: an executable run
// directly (no shell, no PATH search) with a null standard input, its standard output and error
// captured, and the process together with everything it started ended at its deadline. The POSIX
// Env (src/core/posix_process.cc) spawns it with posix_spawn in its own process group; a Windows
// Env would use CreateProcess with the child assigned to a job object that is terminated at the
// deadline.
struct ProcessRequest {
  std::string executable;              // absolute path; also the child's argv[0]
  std::vector<std::string> arguments;  // after the executable (argv[1], ...)
  int timeout_ms = 0;                  // from the RunProcesses call; then the whole tree is killed
  // Standard output beyond this is not read: the process is killed (kOutputTooLarge).
  std::size_t max_output_bytes = std::size_t{16} << 20;
  // The first this-many bytes of standard error are kept; the rest is read and dropped.
  std::size_t max_error_bytes = std::size_t{64} << 10;
};

// How a requested process ended, in the order a caller should judge them.
enum class ProcessEnd {
  kNotStarted,      // it could not be started: start_error says why
  kTimedOut,        // still running at its deadline: it and its descendants were killed
  kOutputTooLarge,  // it wrote more than max_output_bytes: it and its descendants were killed
  kNotReaped,       // killed, but its end was never seen (stuck in the kernel)
  kSignaled,        // ended by a signal (a crash): signal, signal_description. A Windows Env
                    // reports an unhandled exception here, with its NTSTATUS code as `signal`.
  kExited,          // it exited by itself with exit_code
};

struct ProcessOutcome {
  ProcessEnd end = ProcessEnd::kNotStarted;
  int exit_code = 0;               // kExited: 0-255 on POSIX
  int signal = 0;                  // kSignaled: the signal number (SIGSEGV = 11)
  std::string signal_description;  // kSignaled: "Segmentation fault"; "" when unknown
  // kNotStarted: the whole reason, naming what failed ("cannot start /opt/x: Permission denied").
  std::string start_error;
  std::string output;        // standard output, at most max_output_bytes (whatever came first)
  std::string error_output;  // the start of standard error, at most max_error_bytes
};

class Env {
 public:
  // 1 MiB: a sysfs attribute is at most a page; /proc/cpuinfo of 512 threads is ~700 KiB.
  static constexpr std::size_t kDefaultReadLimit = std::size_t{1} << 20;
  // How long ReadFile waits for the next bytes of a pipe, FIFO or terminal (`--replay <(...)`,
  // `cat machine.json | devpick --replay /dev/stdin`) before it gives up with a Timeout.
  static constexpr int kStreamIdleTimeoutMs = 30000;

  virtual ~Env() = default;

  // The whole file (to EOF, never trusting st_size), or an error naming the path. A pipe, FIFO or
  // terminal is read as its writer delivers (kStreamIdleTimeoutMs between bytes); under a root
  // (a captured tree) anything but a regular file is InvalidArgument.
  virtual Result<std::string> ReadFile(std::string_view path,
                                       std::size_t limit = kDefaultReadLimit) const = 0;
  // Entry names without "." and "..", sorted.
  virtual Result<std::vector<std::string>> ListDirectory(std::string_view path) const = 0;
  // The raw target of the symlink at `path`.
  virtual Result<std::string> ReadLink(std::string_view path) const = 0;
  // The type of `path`, following symlinks when `follow` (stat) or not (lstat).
  virtual FileType TypeOf(std::string_view path, bool follow = true) const = 0;
  // Whether the current user may open `path` for reading and writing (access(R_OK|W_OK)).
  virtual bool CanReadWrite(std::string_view path) const = 0;
  // The environment variable, or nullopt when unset (an empty value is returned as "").
  virtual std::optional<std::string> GetEnv(std::string_view name) const = 0;
  // Opens a shared library by soname through the system loader only (no paths).
  virtual Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const = 0;
  // The directory that "/" maps to: "" for the live system.
  virtual std::string root() const = 0;

  // Whether this Env is the machine this process runs on. Only then do system calls (uname,
  // CPUID) and loaded runtime libraries describe what the Env's files describe; a captured tree
  // or an in-memory fake answers false, and probes skip what would describe this machine instead.
  virtual bool IsThisMachine() const = 0;
  // The machine's architecture as the kernel names it (uname's machine: "x86_64", "aarch64"), or
  // nullopt when the Env cannot ask (a captured tree, a fake).
  virtual std::optional<std::string> MachineArchitecture() const = 0;
  // The wall clock, for times that are recorded (measurements, archive members).
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // A clock that never jumps, for measuring durations and deadlines (steady_clock).
  virtual std::chrono::steady_clock::time_point MonotonicNow() const = 0;
  // The file of the loaded executable or shared library that holds `address` (dladdr), so that
  // a library can find the helper installed beside it; nullopt when unknown.
  virtual std::optional<std::string> ModulePath(const void* address) const = 0;

  // Writes `contents` to `path` (a new file gets `permissions`). A captured tree is read-only:
  // under a root every write is InvalidArgument. Errors name the path ("cannot write
  // /dev/full: No space left on device").
  virtual Status WriteFile(const std::string& path, std::string_view contents, int permissions,
                           WriteMode how) const = 0;
  // Creates `path` and its missing parents with `permissions`, like mkdir -p.
  virtual Status MakeDirectories(const std::string& path, int permissions) const = 0;
  // An exclusive advisory lock on the file at `path` (created 0600 if missing), waiting up to
  // `timeout_ms`; Timeout names the path when another process keeps it.
  virtual Result<std::unique_ptr<FileLockHandle>> LockFile(const std::string& path,
                                                           int timeout_ms) const = 0;

  // Starts every request at once and waits until each has ended or met its deadline; the outcomes
  // are in the order of `requests`. Never throws and never fails as a whole: a process that
  // cannot be started is a kNotStarted outcome. Processes run on this machine even under a root.
  virtual std::vector<ProcessOutcome> RunProcesses(
      std::span<const ProcessRequest> requests) const = 0;
};

// An Env that forwards every call to another one, so that a test or a recorder overrides only the
// calls it is about (leveldb's EnvWrapper). The wrapped Env must outlive the wrapper.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(const Env& target) : target_(target) {}
  const Env& target() const { return target_; }

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override {
    return target_.ReadFile(path, limit);
  }
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override {
    return target_.ListDirectory(path);
  }
  Result<std::string> ReadLink(std::string_view path) const override {
    return target_.ReadLink(path);
  }
  FileType TypeOf(std::string_view path, bool follow) const override {
    return target_.TypeOf(path, follow);
  }
  bool CanReadWrite(std::string_view path) const override { return target_.CanReadWrite(path); }
  std::optional<std::string> GetEnv(std::string_view name) const override {
    return target_.GetEnv(name);
  }
  Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const override {
    return target_.OpenLibrary(soname);
  }
  std::string root() const override { return target_.root(); }
  bool IsThisMachine() const override { return target_.IsThisMachine(); }
  std::optional<std::string> MachineArchitecture() const override {
    return target_.MachineArchitecture();
  }
  std::chrono::system_clock::time_point Now() const override { return target_.Now(); }
  std::chrono::steady_clock::time_point MonotonicNow() const override {
    return target_.MonotonicNow();
  }
  std::optional<std::string> ModulePath(const void* address) const override {
    return target_.ModulePath(address);
  }
  Status WriteFile(const std::string& path, std::string_view contents, int permissions,
                   WriteMode how) const override {
    return target_.WriteFile(path, contents, permissions, how);
  }
  Status MakeDirectories(const std::string& path, int permissions) const override {
    return target_.MakeDirectories(path, permissions);
  }
  Result<std::unique_ptr<FileLockHandle>> LockFile(const std::string& path,
                                                   int timeout_ms) const override {
    return target_.LockFile(path, timeout_ms);
  }
  std::vector<ProcessOutcome> RunProcesses(
      std::span<const ProcessRequest> requests) const override {
    return target_.RunProcesses(requests);
  }

 private:
  const Env& target_;
};

// The live system. `stream_idle_timeout_ms`: how long ReadFile waits for a pipe's next bytes.
std::unique_ptr<Env> NewRealEnv(int stream_idle_timeout_ms = Env::kStreamIdleTimeoutMs);
// The live system's environment variables and libraries, with every file path read under `root`.
std::unique_ptr<Env> NewRootedEnv(std::string root);

// One path component as lstat(2) sees it: the path resolver's only question to a file system.
struct PathComponent {
  FileType type = FileType::kMissing;  // never followed: a symlink is kSymlink
  std::string link_target;             // kSymlink: the raw target, as readlink(2) returns it
};
// Answers for one absolute path ("/sys/bus"); an error stops the resolution with that error.
using LstatFunction = std::function<Result<PathComponent>(const std::string& path)>;

// The one path resolver every Env uses for a tree it maps itself (a rooted Env, the in-memory fake,
// the recorder of `devpick gather`): `path` (absolute, as on the live system) with every symlink
// resolved inside the tree, the last component's only when `follow_last`. An absolute link target
// starts again at the tree's "/", and ".." never climbs above it, so nothing resolves outside the
// tree. A missing component is kept as it is (the caller's own open then fails with ENOENT naming
// the path). More than 40 links on the way (Linux's limit) is ELOOP naming `path`.
Result<std::string> ResolvePath(std::string_view path, bool follow_last,
                                const LstatFunction& lstat);

// Path helpers shared by Env implementations and probes.
// "/a/b/../c/./d" -> "/a/c/d"; never climbs above "/".
std::string NormalizePath(std::string_view path);
// The final component: "/sys/bus/pci/drivers/i915" -> "i915".
std::string BaseName(std::string_view path);
// Everything before the final component: "/a/b/c" -> "/a/b".
std::string DirName(std::string_view path);

}  // namespace devpick

#endif  // DEVPICK_ENV_H_
