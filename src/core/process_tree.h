// The descendants of a process, for the helpers that must end what vendor code left running
// (devpick-probe before it exits, the CLI for a crashed helper), and a standard output copy that
// children do not inherit. Declared once; src/core/posix_process.cc implements them for Linux
// (/proc, prctl), src/core/windows/windows_process_tree.cc for Windows (Toolhelp snapshots; there
// the job object of Env::RunProcesses already ends a helper's whole tree).
//
// Thread-safety: may be called from any thread.
#ifndef DEVPICK_SRC_CORE_PROCESS_TREE_H_
#define DEVPICK_SRC_CORE_PROCESS_TREE_H_

#include <sys/types.h>

#include <vector>

namespace devpick {

// Linux: prctl(PR_SET_CHILD_SUBREAPER), so orphaned descendants are re-parented to this process.
// Windows has no re-parenting (a job object holds a tree instead): false.
bool BecomeSubreaper();

// The live descendants of `root` (children, their children, ...), from one scan of the process
// table.
std::vector<pid_t> Descendants(pid_t root);

// Kills every descendant of `root`, and `root` itself when `include_root` (on Linux each is
// stopped first, so nothing forks meanwhile). Returns how many processes were killed. The caller
// reaps its own children.
int KillDescendants(pid_t root, bool include_root);

// A copy of descriptor `fd` that child processes do not inherit, or -1.
int DuplicateNotInherited(int fd);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_PROCESS_TREE_H_
