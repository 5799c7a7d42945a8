// The Windows side of Env::RunProcesses (include/devpick/env.h).
//
// Each request is started with CreateProcessW, suspended, assigned to a job object of its own
// (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) and only then resumed, so everything it starts is in the
// job too: at its deadline, or when it writes more than it may, TerminateJobObject ends the whole
// tree at once, as killing the process group and its descendants does on Linux. Standard input
// is NUL; standard output and error are pipes read by one thread each. Only those three handles
// are inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), whatever else the caller holds.
//
// A child that ends with an NTSTATUS exception code (0xC0000005 access violation, ...) crashed:
// it is reported as kSignaled with the code as `signal` and its name as `signal_description`.
//
// Thread-safety: may be called from any thread.
#ifndef DEVPICK_SRC_CORE_WINDOWS_WINDOWS_PROCESS_H_
#define DEVPICK_SRC_CORE_WINDOWS_WINDOWS_PROCESS_H_

#include <span>
#include <string>
#include <vector>

#include "devpick/env.h"

namespace devpick {

// Env::RunProcesses on the live system.
std::vector<ProcessOutcome> RunWindowsProcesses(std::span<const ProcessRequest> requests);

// The command line CreateProcessW gets for `executable` and `arguments`, each quoted as the
// Microsoft C runtime parses them back (backslashes doubled before a quote).
std::wstring CommandLineOf(const std::string& executable,
                           const std::vector<std::string>& arguments);

// "STATUS_ACCESS_VIOLATION" for 0xC0000005 and the other crash codes; "" when not one of them.
std::string NtStatusName(unsigned long code);

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_WINDOWS_WINDOWS_PROCESS_H_
