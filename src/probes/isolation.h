// Running the runtime probes: concurrently, each bounded by a timeout, and by default each in its
// own child process (the devpick-probe helper, tools/devpick-probe) so that a vendor library that
// crashes, hangs or creates a GPU context does it to a process we can kill, not to the caller.
//
// Protocol: `devpick-probe <name>` prints one JSON object, the probe's entry as
// ProbeEntryToJson writes it (src/core/snapshot_json.h), on its standard output and exits 0. The
// parent reads it with ProbeEntryFromJson; a hang becomes a `timeout` entry (the child and all it
// started are killed), a crash or bad output an `error` entry whose detail says what happened.
// This file holds only that protocol: the children are started, supervised and killed by
// Env::RunProcesses (include/devpick/env.h; on Linux src/core/posix_process.h), so the mapping from
// outcomes to entries is tested with scripted outcomes from a fake Env.
//
// In-process mode (DiscoverOptions.isolate = false) runs each probe on its own thread and waits at
// most the timeout; a probe still running then is reported as `timeout` and its thread is
// abandoned, still running: a thread cannot be killed. Such a thread keeps using the Env, so
// in-process mode requires an Env that outlives it (the real Env, which lives for the process,
// does).
//
// Thread-safety: all functions may be called concurrently.
#ifndef DEVPICK_SRC_PROBES_ISOLATION_H_
#define DEVPICK_SRC_PROBES_ISOLATION_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/discover.h"
#include "devpick/env.h"
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

// The helper's file name, in every directory it is looked for.
inline constexpr std::string_view kProbeHelperName = "devpick-probe";

// Creates (replacing) the entry for probe `name` and returns its header; nullptr for a name that
// has no entry in ProbeObservations.
ProbeHeader* EmplaceProbeEntry(ProbeObservations* probes, std::string_view name);
// Moves the entry for `name` (present or not) from `from` to `to`.
void MoveProbeEntry(ProbeObservations* from, ProbeObservations* to, std::string_view name);

// The helper to run: options.probe_helper, then $DEVPICK_PROBE_HELPER (both must exist when set),
// then devpick-probe next to the running executable, then in the installed libexec directory. The
// error says where it looked and how to fix it.
Result<std::string> LocateProbeHelper(const Env& env, const DiscoverOptions& options);

// Reads a child's reply for probe `name` into `probes`; the error names what was wrong with it.
Status ReadProbeReply(std::string_view reply, std::string_view name, ProbeObservations* probes);

// Runs `helper <name>` through env.RunProcesses for each of `specs`, all at once, each killed
// after `timeout_ms`; fills their entries in `probes`.
void RunIsolated(const Env& env, const std::string& helper, std::span<const ProbeSpec* const> specs,
                 int timeout_ms, ProbeObservations* probes);

// Runs `helper args...` as RunIsolated runs a probe (stdin /dev/null, killed with all it started
// after `timeout_ms`) and returns its standard output when it exits 0; otherwise an error naming
// the command and what happened (kTimeout for a timeout, kUnavailable for a crash, a non-zero
// exit with the last line of its stderr, or output beyond 16 MiB). verify's measurements run
// through it (src/verify/measure.h).
Result<std::string> RunHelper(const Env& env, const std::string& helper,
                              std::vector<std::string> args, int timeout_ms);

// Runs each of `specs` on its own thread in this process, waiting at most `timeout_ms` in all.
void RunInProcess(const Env& env, std::span<const ProbeSpec* const> specs, int timeout_ms,
                  ProbeObservations* probes);

// What Probe() does with the runtime tier: skipped for a captured tree (a rooted Env), isolated or
// in-process as `options` say.
void RunRuntimeProbes(const Env& env, const DiscoverOptions& options,
                      std::span<const ProbeSpec* const> specs, ProbeObservations* probes);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_ISOLATION_H_
