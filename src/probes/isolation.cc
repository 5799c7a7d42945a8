#include "probes/isolation.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/bounded_json.h"
#include "core/snapshot_json.h"
#include "probes/process_tree.h"
#include "probes/registry.h"

extern char** environ;

namespace devpick {
namespace {

using Clock = std::chrono::steady_clock;

void SetEntry(ProbeObservations* probes, std::string_view name, ProbeStatus status,
              std::string detail) {
  if (ProbeHeader* header = EmplaceProbeEntry(probes, name)) {
    header->status = status;
    header->detail = std::move(detail);
  }
}

std::string TimeoutDetail(int timeout_ms, const char* what) {
  return "no answer within " + std::to_string(timeout_ms) + " ms; " + what;
}

std::string SignalDetail(int signal) {
  const char* description = sigdescr_np(signal);  // thread-safe, unlike strsignal
  return "the probe process died from signal " + std::to_string(signal) +
         (description != nullptr ? std::string(" (") + description + ")" : std::string());
}

// The last line the child wrote to its standard error, for diagnostics; "" when none.
std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  std::size_t start = trimmed.rfind('\n');
  std::string line = start == std::string::npos ? trimmed : trimmed.substr(start + 1);
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  return line;
}

// A child's standard output beyond this is not a probe entry.
constexpr std::size_t kMaxReply = 16 << 20;
// What is kept of its standard error, for the diagnostic of a failed child.
constexpr std::size_t kMaxErrorText = 64 << 10;

struct Child {
  const ProbeSpec* spec = nullptr;  // RunIsolated's children only
  std::vector<std::string> args;    // after the helper's path
  pid_t pid = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string out;
  std::string err;
  bool exited = false;
  int wait_status = 0;
  bool timed_out = false;
  bool oversized = false;
  std::string spawn_error;
};

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// Starts `helper <args...>` in a new process group with stdout and stderr on pipes.
void Spawn(const std::string& helper, Child* child) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    child->spawn_error = "cannot create a pipe: " + std::string(std::strerror(errno));
    return;
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    child->spawn_error = "cannot create a pipe: " + std::string(std::strerror(errno));
    close(out_pipe[0]);
    close(out_pipe[1]);
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so that a timeout kills whatever the driver started too; default
  // signal handling and an empty mask, whatever the caller had.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD, SIGALRM}) sigaddset(&defaults, signal);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> argv{const_cast<char*>(helper.c_str())};
  for (std::string& arg : child->args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int error = posix_spawn(&child->pid, helper.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (error != 0) {
    child->spawn_error = "cannot start " + helper + ": " + std::strerror(error);
    child->pid = -1;
    close(out_pipe[0]);
    close(err_pipe[0]);
    return;
  }
  child->out_fd = out_pipe[0];
  child->err_fd = err_pipe[0];
}

// Appends what is readable on `*fd` to `buffer` (up to `limit`); closes the fd at end of file.
// Returns false when the child wrote more than `limit`.
bool Drain(int* fd, std::string* buffer, std::size_t limit) {
  char chunk[65536];
  ssize_t n = read(*fd, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {
    CloseFd(fd);
    return true;
  }
  std::size_t room = limit - std::min(limit, buffer->size());
  buffer->append(chunk, std::min<std::size_t>(room, static_cast<std::size_t>(n)));
  return static_cast<std::size_t>(n) <= room;
}

void KillGroup(Child* child) {
  // The helper's whole tree first: what its vendor code detached with setsid() or a double fork
  // was re-parented to it (it is a subreaper) but is no longer in its group. Only while it has
  // not been reaped: a reaped helper's PID may already name another process.
  if (!child->exited) KillDescendants(child->pid, /*include_root=*/true);
  kill(-child->pid, SIGKILL);
  // SIGKILL is prompt unless the child is stuck in the kernel; never wait long for that.
  for (int i = 0; i < 100 && !child->exited; ++i) {
    if (waitpid(child->pid, &child->wait_status, WNOHANG) == child->pid) {
      child->exited = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  CloseFd(&child->out_fd);
  CloseFd(&child->err_fd);
}

// Waits for every child to finish or run out of time.
void Supervise(std::vector<Child>& children, Clock::time_point deadline) {
  while (true) {
    std::vector<pollfd> fds;
    std::vector<std::pair<Child*, bool>> owners;  // child, is stdout
    bool waiting = false;
    for (Child& child : children) {
      if (child.pid < 0 || child.timed_out) continue;
      if (!child.exited) {
        // Look without reaping: while the helper is a zombie its PID, and so its process group's
        // ID, cannot be reused, so killing the group reaches only what it left there (a forked
        // helper that closed its descriptors would otherwise outlive it).
        siginfo_t info{};
        int peeked =
            waitid(P_PID, static_cast<id_t>(child.pid), &info, WEXITED | WNOHANG | WNOWAIT);
        if (peeked == 0 && info.si_pid == child.pid) {
          kill(-child.pid, SIGKILL);
          waitpid(child.pid, &child.wait_status, 0);
          child.exited = true;
        } else if (peeked < 0 && errno == ECHILD) {
          // The caller ignores SIGCHLD, so the kernel reaped it: its reply is all we can judge.
          child.exited = true;
          child.wait_status = 0;
        }
      }
      if (child.out_fd >= 0) {
        fds.push_back({child.out_fd, POLLIN, 0});
        owners.push_back({&child, true});
      }
      if (child.err_fd >= 0) {
        fds.push_back({child.err_fd, POLLIN, 0});
        owners.push_back({&child, false});
      }
      if (!child.exited || child.out_fd >= 0 || child.err_fd >= 0) waiting = true;
    }
    if (!waiting) return;
    auto now = Clock::now();
    if (now >= deadline) {
      for (Child& child : children) {
        if (child.pid < 0 || child.timed_out) continue;
        if (!child.exited || child.out_fd >= 0) {
          // Still running, or exited while something it started holds the pipe open.
          child.timed_out = !child.exited;
          KillGroup(&child);
        }
        CloseFd(&child.err_fd);
      }
      return;
    }
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    // With every pipe closed only the exit is left to see: look again shortly.
    int wait_ms = fds.empty() ? 5 : static_cast<int>(std::min<long long>(remaining, 50));
    int ready = poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) return;
    for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto [child, is_out] = owners[i];
      if (is_out) {
        if (!Drain(&child->out_fd, &child->out, kMaxReply)) {
          child->oversized = true;
          child->timed_out = false;
          KillGroup(child);
        }
      } else if (child->err_fd >= 0) {
        Drain(&child->err_fd, &child->err, kMaxErrorText);
      }
    }
  }
}

void Report(const Child& child, int timeout_ms, ProbeObservations* probes) {
  std::string_view name = child.spec->name;
  if (!child.spawn_error.empty()) {
    SetEntry(probes, name, ProbeStatus::kError, child.spawn_error);
    return;
  }
  if (child.timed_out) {
    SetEntry(probes, name, ProbeStatus::kTimeout,
             TimeoutDetail(timeout_ms, "the process was killed"));
    return;
  }
  if (child.oversized) {
    SetEntry(probes, name, ProbeStatus::kError,
             "the probe process wrote more than " + std::to_string(kMaxReply >> 20) +
                 " MiB and was killed");
    return;
  }
  std::string stderr_line = LastLine(child.err);
  std::string suffix = stderr_line.empty() ? "" : ": " + stderr_line;
  if (!child.exited) {
    SetEntry(probes, name, ProbeStatus::kError, "the probe process could not be reaped");
  } else if (WIFSIGNALED(child.wait_status)) {
    SetEntry(probes, name, ProbeStatus::kError, SignalDetail(WTERMSIG(child.wait_status)));
  } else if (WEXITSTATUS(child.wait_status) != 0) {
    SetEntry(probes, name, ProbeStatus::kError,
             "the probe process exited with status " +
                 std::to_string(WEXITSTATUS(child.wait_status)) + suffix);
  } else if (Status read = ReadProbeReply(child.out, name, probes); !read.ok()) {
    SetEntry(probes, name, ProbeStatus::kError, read.message());
  }
}

}  // namespace

ProbeHeader* EmplaceProbeEntry(ProbeObservations* probes, std::string_view name) {
  const ProbeDescriptor* probe = FindProbeDescriptor(name);
  return probe == nullptr ? nullptr : probe->entry.emplace(probes);
}

void MoveProbeEntry(ProbeObservations* from, ProbeObservations* to, std::string_view name) {
  if (const ProbeDescriptor* probe = FindProbeDescriptor(name)) probe->entry.move(from, to);
}

Result<std::string> LocateProbeHelper(const Env& env, const DiscoverOptions& options) {
  auto explicit_path = [&](const std::string& path, const char* origin) -> Result<std::string> {
    FileType type = env.TypeOf(path);
    if (type == FileType::kRegular) return path;
    return Status::NotFound("probe helper " + path + " (from " + origin + ") " +
                            (type == FileType::kMissing     ? "does not exist"
                             : type == FileType::kDirectory ? "is a directory"
                                                            : "is not a file") +
                            "; point it at the devpick-probe executable");
  };
  if (!options.probe_helper.empty()) {
    return explicit_path(options.probe_helper, "DiscoverOptions.probe_helper");
  }
  if (auto variable = env.GetEnv("DEVPICK_PROBE_HELPER"); variable && !variable->empty()) {
    return explicit_path(*variable, "DEVPICK_PROBE_HELPER");
  }
  std::vector<std::string> looked;
  if (Result<std::string> self = env.ReadLink("/proc/self/exe"); self.ok()) {
    looked.push_back(DirName(*self));
  }
#ifdef DEVPICK_LIBEXECDIR
  looked.push_back(DEVPICK_LIBEXECDIR);
#endif
  std::string places;
  for (const std::string& directory : looked) {
    std::string candidate = directory + "/" + std::string(kProbeHelperName);
    if (env.TypeOf(candidate) == FileType::kRegular) return candidate;
    places += (places.empty() ? "" : ", ") + directory;
  }
  return Status::NotFound(
      "the probe helper devpick-probe was not found (looked in " +
      (places.empty() ? std::string("no directory") : places) +
      "); set DEVPICK_PROBE_HELPER to its path, or run the probes in this process with "
      "--in-process");
}

Status ReadProbeReply(std::string_view reply, std::string_view name, ProbeObservations* probes) {
  std::string source = "the devpick-probe process for " + std::string(name);
  ParsedJson document = ParseBoundedJson(reply);
  const nlohmann::json& entry = document.value;
  if (document.error) {
    std::string shown(reply.substr(0, 80));
    for (char& c : shown) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();
    return Status::InvalidArgument(
        source + " answered with something that is not JSON" +
        (reply.empty() ? std::string(": no output") : ": \"" + shown + "\""));
  }
  ProbeObservations parsed;
  if (Status status = ProbeEntryFromJson(entry, name, source, &parsed); !status.ok()) return status;
  MoveProbeEntry(&parsed, probes, name);
  return Status::Ok();
}

void RunIsolated(const std::string& helper, std::span<const ProbeSpec* const> specs, int timeout_ms,
                 ProbeObservations* probes) {
  std::vector<Child> children(specs.size());
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    children[i].spec = specs[i];
    children[i].args = {std::string(specs[i]->name)};
    Spawn(helper, &children[i]);
  }
  Supervise(children, deadline);
  for (const Child& child : children) Report(child, timeout_ms, probes);
}

Result<std::string> RunHelper(const std::string& helper, std::vector<std::string> args,
                              int timeout_ms) {
  std::vector<Child> children(1);
  Child& child = children.front();
  child.args = std::move(args);
  std::string what = std::string(kProbeHelperName);
  for (const std::string& arg : child.args) what += " " + arg;
  Spawn(helper, &child);
  if (!child.spawn_error.empty()) return Status::Unavailable(child.spawn_error);
  Supervise(children, Clock::now() + std::chrono::milliseconds(timeout_ms));
  if (child.timed_out) {
    return Status::Timeout(what + ": " + TimeoutDetail(timeout_ms, "the process was killed"));
  }
  if (child.oversized) {
    return Status::Unavailable(what + ": wrote more than " + std::to_string(kMaxReply >> 20) +
                               " MiB and was killed");
  }
  std::string stderr_line = LastLine(child.err);
  std::string suffix = stderr_line.empty() ? "" : ": " + stderr_line;
  if (!child.exited) return Status::Unavailable(what + ": the process could not be reaped");
  if (WIFSIGNALED(child.wait_status)) {
    return Status::Unavailable(what + ": " + SignalDetail(WTERMSIG(child.wait_status)));
  }
  if (WEXITSTATUS(child.wait_status) != 0) {
    return Status::Unavailable(what + ": exited with status " +
                               std::to_string(WEXITSTATUS(child.wait_status)) + suffix);
  }
  return std::move(child.out);
}

void RunInProcess(const Env& env, std::span<const ProbeSpec* const> specs, int timeout_ms,
                  ProbeObservations* probes) {
  // Shared with the threads, which may outlive this call when a probe hangs.
  struct State {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<Observations> results;
    std::vector<bool> finished;
  };
  auto state = std::make_shared<State>();
  state->results.resize(specs.size());
  state->finished.assign(specs.size(), false);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::thread([state, i, &env, run = specs[i]->run] {
      Observations result;
      run(env, &result);
      std::lock_guard<std::mutex> lock(state->mutex);
      state->results[i] = std::move(result);
      state->finished[i] = true;
      state->done.notify_all();
    }).detach();
  }
  std::unique_lock<std::mutex> lock(state->mutex);
  state->done.wait_until(lock, Clock::now() + std::chrono::milliseconds(timeout_ms), [&] {
    return std::all_of(state->finished.begin(), state->finished.end(), [](bool f) { return f; });
  });
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (state->finished[i]) {
      MoveProbeEntry(&state->results[i].probes, probes, specs[i]->name);
    } else {
      SetEntry(probes, specs[i]->name, ProbeStatus::kTimeout,
               TimeoutDetail(timeout_ms,
                             "the probe thread was abandoned, still running (in-process probes "
                             "cannot be stopped; isolated probes are killed)"));
    }
  }
}

void RunRuntimeProbes(const Env& env, const DiscoverOptions& options,
                      std::span<const ProbeSpec* const> specs, ProbeObservations* probes) {
  if (specs.empty()) return;
  if (!env.IsThisMachine()) {
    for (const ProbeSpec* spec : specs) {
      SetEntry(probes, spec->name, ProbeStatus::kSkipped,
               "describes a captured tree; runtime probes would describe this machine");
    }
    return;
  }
  if (!options.isolate) {
    RunInProcess(env, specs, options.timeout_ms, probes);
    return;
  }
  Result<std::string> helper = LocateProbeHelper(env, options);
  if (!helper.ok()) {
    for (const ProbeSpec* spec : specs) {
      SetEntry(probes, spec->name, ProbeStatus::kError, helper.status().message());
    }
    return;
  }
  RunIsolated(*helper, specs, options.timeout_ms, probes);
}

}  // namespace devpick
