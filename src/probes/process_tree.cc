#include "probes/process_tree.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

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

}  // namespace

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

}  // namespace devpick
