// FakeEnv: an in-memory Env for tests, after ninja's VirtualFileSystem.
//
// Holds files, directories and symlinks (parents are created implicitly), environment variables and
// nothing loadable. Writes land in the same tree (a written file reads back), and locks are always
// granted; a test that writes does not read from another thread at the same time. Records every
// path read and can fail any path with a given errno, so a test can show exactly what a probe
// touched and how it survives an unreadable file. Symlinks resolve inside the fake tree, with the
// kernel's 40-hop loop limit. Runs no process: RunProcesses records each request and answers it
// with the next scripted outcome (AddProcessOutcome), so a test states exactly how a child ended.
#ifndef DEVPICK_TESTS_TESTING_FAKE_ENV_H_
#define DEVPICK_TESTS_TESTING_FAKE_ENV_H_

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "devpick/env.h"

namespace devpick::testing {

class FakeEnv : public Env {
 public:
  void AddFile(const std::string& path, std::string contents);
  void AddDirectory(const std::string& path);
  void AddSymlink(const std::string& path, std::string target);
  void AddCharDevice(const std::string& path, bool read_write = true);
  void SetEnv(const std::string& name, std::string value);
  // Every access to `path` (read, list, readlink) fails with `errno_value`.
  void FailPath(const std::string& path, int errno_value);

  // Paths passed to ReadFile, in call order.
  std::vector<std::string> reads() const;

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override;
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override;
  Result<std::string> ReadLink(std::string_view path) const override;
  FileType TypeOf(std::string_view path, bool follow) const override;
  bool CanReadWrite(std::string_view path) const override;
  std::optional<std::string> GetEnv(std::string_view name) const override;
  Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const override;
  std::string root() const override { return "fake:"; }
  // A fake is never the machine the test runs on: nothing asks its system calls.
  bool IsThisMachine() const override { return false; }
  std::optional<std::string> MachineArchitecture() const override { return std::nullopt; }
  // The clock stands still at `now` (SetNow), the epoch until set.
  std::chrono::system_clock::time_point Now() const override { return now_; }
  std::optional<std::string> ModulePath(const void*) const override { return std::nullopt; }
  void SetNow(std::chrono::system_clock::time_point now) { now_ = now; }
  // Advances exactly 1 ms at each reading from its epoch, so measured durations are exact.
  std::chrono::steady_clock::time_point MonotonicNow() const override;
  // The next RunProcesses request ends with `outcome`; without one left a request is kNotStarted
  // ("cannot start <executable>: FakeEnv runs no processes").
  void AddProcessOutcome(ProcessOutcome outcome);
  // Every RunProcesses request, in call order.
  std::vector<ProcessRequest> process_requests() const;
  std::vector<ProcessOutcome> RunProcesses(std::span<const ProcessRequest> requests) const override;
  // Both write modes store a regular file; the parent directory must exist.
  Status WriteFile(const std::string& path, std::string_view contents, int permissions,
                   WriteMode how) const override;
  Status MakeDirectories(const std::string& path, int permissions) const override;
  Result<std::unique_ptr<FileLockHandle>> LockFile(const std::string& path,
                                                   int timeout_ms) const override;

 private:
  struct Node {
    FileType type = FileType::kDirectory;
    std::string data;  // file contents or symlink target
    bool read_write = true;
  };
  void AddNode(const std::string& path, Node node) const;
  // The resolved path of `path` (following symlinks in every component, the last one when
  // `follow`).
  Result<std::string> Resolve(std::string_view path, bool follow) const;
  Status FailureFor(const std::string& path) const;

  mutable std::map<std::string, Node> nodes_{{"/", Node{}}};
  std::chrono::system_clock::time_point now_{};
  std::map<std::string, std::string> env_;
  std::map<std::string, int> failures_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> reads_;
  mutable std::atomic<long long> monotonic_ms_{0};
  mutable std::deque<ProcessOutcome> process_outcomes_;
  mutable std::vector<ProcessRequest> process_requests_;
};

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_FAKE_ENV_H_
