// Runs a shell command for tests that check a tool's view of what devpick wrote (tar, for one).
//
// Thread-safety: as popen; the child inherits the environment.
#ifndef DEVPICK_TESTS_TESTING_RUN_COMMAND_H_
#define DEVPICK_TESTS_TESTING_RUN_COMMAND_H_

#include <cstdio>
#include <string>

namespace devpick::testing {

// What `command` printed on standard output (and standard error, merged), with its exit status.
inline std::string RunCommand(const std::string& command, int* exit_status) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  *exit_status = pclose(pipe);
  return output;
}

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_RUN_COMMAND_H_
