// Process trees on Windows, from Toolhelp snapshots. A parent PID there may name a process that
// has exited and whose PID was reused, so a process counts as a child only when it was created
// after its parent (the usual guard against PID reuse).
#include <io.h>
#include <windows.h>
// tlhelp32.h needs windows.h first.
#include <tlhelp32.h>

#include <map>
#include <optional>
#include <set>

#include "core/process_tree.h"

namespace devpick {
namespace {

std::optional<ULONGLONG> CreationTime(DWORD pid) {
  HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
  if (process == nullptr) return std::nullopt;
  FILETIME created{}, exited{}, kernel{}, user{};
  bool ok = GetProcessTimes(process, &created, &exited, &kernel, &user) != 0;
  CloseHandle(process);
  if (!ok) return std::nullopt;
  return (static_cast<ULONGLONG>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}

std::multimap<DWORD, DWORD> ChildrenByParent() {
  std::multimap<DWORD, DWORD> children;
  HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return children;
  PROCESSENTRY32W entry{};
  entry.dwSize = sizeof entry;
  for (BOOL more = Process32FirstW(snapshot, &entry); more;
       more = Process32NextW(snapshot, &entry)) {
    if (entry.th32ProcessID != 0) children.emplace(entry.th32ParentProcessID, entry.th32ProcessID);
  }
  CloseHandle(snapshot);
  return children;
}

}  // namespace

bool BecomeSubreaper() { return false; }

std::vector<pid_t> Descendants(pid_t root) {
  std::multimap<DWORD, DWORD> children = ChildrenByParent();
  std::vector<pid_t> found;
  std::vector<DWORD> queue{static_cast<DWORD>(root)};
  std::set<DWORD> seen{static_cast<DWORD>(root)};
  while (!queue.empty()) {
    DWORD parent = queue.back();
    queue.pop_back();
    std::optional<ULONGLONG> parent_created = CreationTime(parent);
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (!seen.insert(it->second).second) continue;
      std::optional<ULONGLONG> created = CreationTime(it->second);
      if (!parent_created || !created || *created < *parent_created) continue;  // a reused PID
      found.push_back(static_cast<pid_t>(it->second));
      queue.push_back(it->second);
    }
  }
  return found;
}

int KillDescendants(pid_t root, bool include_root) {
  std::vector<pid_t> victims = Descendants(root);
  if (include_root) victims.push_back(root);
  int killed = 0;
  for (pid_t pid : victims) {
    HANDLE process = OpenProcess(PROCESS_TERMINATE, FALSE, static_cast<DWORD>(pid));
    if (process == nullptr) continue;
    if (TerminateProcess(process, 1)) ++killed;
    CloseHandle(process);
  }
  return killed;
}

int DuplicateNotInherited(int fd) {
  // The CRT's copies are not inherited by CreateProcess children that are given their own
  // standard handles, as Env::RunProcesses does.
  return _dup(fd);
}

}  // namespace devpick
