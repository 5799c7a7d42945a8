// A fresh directory under /tmp for one test, removed with everything in it when the test ends.
// Tests that touch the real file system (FIFOs, symlinks, device nodes as -o targets) work here,
// never in the source tree or a system directory.
//
// Thread-safety: one object per test.
#ifndef DEVPICK_TESTS_TESTING_TEMP_DIR_H_
#define DEVPICK_TESTS_TESTING_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace devpick::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "devpick-test") {
    std::string pattern = "/tmp/" + prefix + "-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    // A test may have made it read-only to see a write fail; its owner can still remove it.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_TEMP_DIR_H_
