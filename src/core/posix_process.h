// The POSIX side of Env::RunProcesses, and ending every process a vendor library started.
//
// RunPosixProcesses is the real Env's RunProcesses (include/devpick/env.h): each request is
// started with posix_spawn, never fork, because forking a multi-threaded caller and then loading
// drivers in the child is unsafe. The child gets its own process group, /dev/null as standard
// input, pipes for standard output and error, default signal handling and an empty signal mask,
// whatever the caller had. All children are supervised at once with poll(2); at a deadline, or on
// oversized output, the child's whole tree and its process group are killed with SIGKILL.
//
// A probe library may fork a helper that closes its descriptors, leaves the process group with
// setsid(), or daemonizes with a double fork. Killing the probe's process group misses the last
// two, and once the probe process exits its orphans belong to init. So:
// - devpick-probe makes itself a child subreaper (BecomeSubreaper): whatever its vendor code
//   orphans is re-parented to it, not to init, however it detached;
// - before it exits it ends all of its descendants (KillDescendants), and RunPosixProcesses, at a
//   deadline, ends the helper's whole tree the same way before killing its process group.
// Descendants are found by parent PID in /proc/<pid>/stat (/proc/<pid>/task/<tid>/children is
// not built into every kernel). Each is stopped with SIGSTOP as it is found, so nothing forks
// while the tree is being walked, then all are killed with SIGKILL.
//
// Linux only. Thread-safety: may be called from any thread; it touches only processes and the
// descriptors it creates.
#ifndef DEVPICK_SRC_CORE_POSIX_PROCESS_H_
#define DEVPICK_SRC_CORE_POSIX_PROCESS_H_

#include <sys/types.h>

#include <span>
#include <vector>

#include "core/process_tree.h"
#include "devpick/env.h"

namespace devpick {

// Env::RunProcesses on the live system.
std::vector<ProcessOutcome> RunPosixProcesses(std::span<const ProcessRequest> requests);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_POSIX_PROCESS_H_
