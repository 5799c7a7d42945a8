// Whether a process a test made a vendor library start is gone: no such PID, or a zombie waiting
// for whoever adopted it (it ran its last instruction; only its exit status is left). Tests of
// isolation check that nothing a probe started outlives devpick.
#ifndef DEVPICK_TESTS_TESTING_PROCESS_STATE_H_
#define DEVPICK_TESTS_TESTING_PROCESS_STATE_H_

#include <fstream>
#include <iterator>
#include <string>

namespace devpick::testing {

inline bool ProcessEnded(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (text.empty()) return true;
  std::size_t close = text.rfind(')');  // the state follows the command name, which may hold ')'
  return close != std::string::npos && close + 2 < text.size() &&
         (text[close + 2] == 'Z' || text[close + 2] == 'X');
}

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_PROCESS_STATE_H_
