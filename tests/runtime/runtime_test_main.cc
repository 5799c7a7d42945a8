// The runtime tests' main: makes LD_LIBRARY_PATH what the executable needs (the fake libraries'
// directory, or nothing for the real runtimes) and re-executes itself when it is not, because the
// dynamic loader reads it only when a process starts.
#include <gmock/gmock.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* current = std::getenv("LD_LIBRARY_PATH");
  std::string wanted = DEVPICK_LIBRARY_PATH;
  if ((current == nullptr ? std::string() : std::string(current)) != wanted) {
    if (wanted.empty()) {
      unsetenv("LD_LIBRARY_PATH");
    } else {
      setenv("LD_LIBRARY_PATH", wanted.c_str(), 1);
    }
    execv("/proc/self/exe", argv);
    return 127;  // exec failed: nothing sensible to run
  }
  testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
