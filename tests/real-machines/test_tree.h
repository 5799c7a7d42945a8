// Helpers for tests that unpack captured trees: a fresh temporary directory and a shell command's
// output. Test-only code; it prints nothing and never throws.
#ifndef DEVPICK_TESTS_REAL_MACHINES_TEST_TREE_H_
#define DEVPICK_TESTS_REAL_MACHINES_TEST_TREE_H_

#include <string>

#include "devpick/discover.h"
#include "devpick/observations.h"

namespace devpick::testing {

// A new directory under the test's temporary directory, or "" when none could be made.
std::string MakeTempDir(const std::string& label);

struct CommandResult {
  int exit_status = -1;  // as from system(): 0 is success
  std::string output;    // standard output and standard error, merged
};
CommandResult RunCommand(const std::string& command);

// Quotes `text` for a POSIX shell.
std::string ShellQuote(const std::string& text);

// The folder that `tarball` (a file in this directory, e.g. "nvidia-dgx-gb10.tar.bz2") unpacks to,
// named `folder`. Each tarball is unpacked once per test process, into a temporary directory that
// is removed when the tests end, because unpacking thousands of files is the slow part of these
// tests. On failure the result is "" and `error` says why.
std::string UnpackedRealMachine(const std::string& tarball, const std::string& folder,
                                std::string* error);

// The driver-free probes (sysfs, cpu, rocm) run on the tree rooted at `root`.
Observations ProbeTree(const std::string& root);

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_REAL_MACHINES_TEST_TREE_H_
