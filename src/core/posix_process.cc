#include "core/posix_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <thread>

extern char** environ;

namespace devpick {
namespace {

// Parent PID of every process, from /proc/<pid>/stat: "pid (comm) state ppid ...". comm may hold
// spaces and parentheses, so the fields are read after the last ')'.
std::multimap<pid_t, pid_t> ChildrenByParent() {
  std::multimap<pid_t, pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE* file = std::fopen(path, "re");
    if (file == nullptr) continue;  // exited meanwhile
    char text[1024];
    std::size_t n = std::fread(text, 1, sizeof text - 1, file);
    std::fclose(file);
    text[n] = '\0';
    const char* close = std::strrchr(text, ')');
    char state = 0;
    long ppid = 0;
    if (close == nullptr || std::sscanf(close + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (state == 'Z' || state == 'X') continue;  // dead already; its parent reaps it
    children.emplace(static_cast<pid_t>(ppid), static_cast<pid_t>(pid));
  }
  closedir(proc);
  return children;
}

using Clock = std::chrono::steady_clock;

struct Child {
  const ProcessRequest* request = nullptr;
  Clock::time_point deadline;
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

// Starts the request in a new process group with stdout and stderr on pipes.
void Spawn(Child* child) {
  const std::string& executable = child->request->executable;
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
  std::vector<std::string> args = child->request->arguments;
  std::vector<char*> argv{const_cast<char*>(executable.c_str())};
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int error =
      posix_spawn(&child->pid, executable.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (error != 0) {
    child->spawn_error = "cannot start " + executable + ": " + std::strerror(error);
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
  // The child's whole tree first: what its vendor code detached with setsid() or a double fork
  // was re-parented to it (devpick-probe is a subreaper) but is no longer in its group. Only
  // while it has not been reaped: a reaped child's PID may already name another process.
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

// Whether `child` is still to be watched: started, and not yet given up on.
bool Watched(const Child& child) { return child.pid >= 0 && !child.timed_out; }

// Whether there is more to see of `child`: its exit or its output.
bool Open(const Child& child) { return !child.exited || child.out_fd >= 0 || child.err_fd >= 0; }

// Waits for every child to finish or run out of time.
void Supervise(std::vector<Child>& children) {
  while (true) {
    std::vector<pollfd> fds;
    std::vector<std::pair<Child*, bool>> owners;  // child, is stdout
    bool waiting = false;
    for (Child& child : children) {
      if (!Watched(child)) continue;
      if (!child.exited) {
        // Look without reaping: while the child is a zombie its PID, and so its process group's
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
          // The caller ignores SIGCHLD, so the kernel reaped it: its output is all we can judge.
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
      if (Open(child)) waiting = true;
    }
    if (!waiting) return;
    auto now = Clock::now();
    Clock::time_point next_deadline = Clock::time_point::max();
    bool judged = false;
    for (Child& child : children) {
      if (!Watched(child) || !Open(child)) continue;
      if (now < child.deadline) {
        next_deadline = std::min(next_deadline, child.deadline);
        continue;
      }
      if (!child.exited || child.out_fd >= 0) {
        // Still running, or exited while something it started holds the pipe open.
        child.timed_out = !child.exited;
        KillGroup(&child);
      }
      CloseFd(&child.err_fd);
      judged = true;
    }
    // Descriptors were closed: collect the rest again.
    if (judged) continue;
    auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_deadline - now).count() + 1;
    // With every pipe closed only the exit is left to see: look again shortly.
    int wait_ms = fds.empty() ? 5 : static_cast<int>(std::min<long long>(remaining, 50));
    int ready = poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) return;
    for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto [child, is_out] = owners[i];
      if (is_out) {
        if (!Drain(&child->out_fd, &child->out, child->request->max_output_bytes)) {
          child->oversized = true;
          child->timed_out = false;
          KillGroup(child);
        }
      } else if (child->err_fd >= 0) {
        Drain(&child->err_fd, &child->err, child->request->max_error_bytes);
      }
    }
  }
}

ProcessOutcome OutcomeOf(Child& child) {
  ProcessOutcome outcome;
  outcome.output = std::move(child.out);
  outcome.error_output = std::move(child.err);
  if (!child.spawn_error.empty()) {
    outcome.end = ProcessEnd::kNotStarted;
    outcome.start_error = std::move(child.spawn_error);
  } else if (child.timed_out) {
    outcome.end = ProcessEnd::kTimedOut;
  } else if (child.oversized) {
    outcome.end = ProcessEnd::kOutputTooLarge;
  } else if (!child.exited) {
    outcome.end = ProcessEnd::kNotReaped;
  } else if (WIFSIGNALED(child.wait_status)) {
    outcome.end = ProcessEnd::kSignaled;
    outcome.signal = WTERMSIG(child.wait_status);
    const char* description = sigdescr_np(outcome.signal);  // thread-safe, unlike strsignal
    if (description != nullptr) outcome.signal_description = description;
  } else {
    outcome.end = ProcessEnd::kExited;
    outcome.exit_code = WEXITSTATUS(child.wait_status);
  }
  return outcome;
}

}  // namespace

std::vector<ProcessOutcome> RunPosixProcesses(std::span<const ProcessRequest> requests) {
  std::vector<Child> children(requests.size());
  Clock::time_point start = Clock::now();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    children[i].request = &requests[i];
    children[i].deadline = start + std::chrono::milliseconds(requests[i].timeout_ms);
    Spawn(&children[i]);
  }
  Supervise(children);
  std::vector<ProcessOutcome> outcomes;
  outcomes.reserve(children.size());
  for (Child& child : children) outcomes.push_back(OutcomeOf(child));
  return outcomes;
}

bool BecomeSubreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

std::vector<pid_t> Descendants(pid_t root) {
  std::multimap<pid_t, pid_t> children = ChildrenByParent();
  std::vector<pid_t> found;
  std::vector<pid_t> queue{root};
  std::set<pid_t> seen{root};
  while (!queue.empty()) {
    pid_t parent = queue.back();
    queue.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (!seen.insert(it->second).second) continue;
      found.push_back(it->second);
      queue.push_back(it->second);
    }
  }
  return found;
}

int KillDescendants(pid_t root, bool include_root) {
  std::set<pid_t> stopped;
  if (include_root) {
    kill(root, SIGSTOP);
    stopped.insert(root);
  }
  // A process forked between a scan and its parent's SIGSTOP shows up in the next scan, as the
  // child of a stopped process; a scan that finds nothing new has found everything.
  for (int round = 0; round < 64; ++round) {
    bool found_new = false;
    for (pid_t pid : Descendants(root)) {
      if (!stopped.insert(pid).second) continue;
      kill(pid, SIGSTOP);
      found_new = true;
    }
    if (!found_new) break;
  }
  int killed = 0;
  for (pid_t pid : stopped) {
    if (kill(pid, SIGKILL) == 0) ++killed;
  }
  return killed;
}

int DuplicateNotInherited(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 3); }

}  // namespace devpick
