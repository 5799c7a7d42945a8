// A fresh directory under /tmp (the system's temporary directory) for one test, removed with
// everything in it when the test ends. Tests that touch the real file system (FIFOs, symlinks,
// device nodes as -o targets) work here, never in the source tree or a system directory.
//
// Thread-safety: one object per test.
#ifndef DEVPICK_TESTS_TESTING_TEMP_DIR_H_
#define DEVPICK_TESTS_TESTING_TEMP_DIR_H_

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

namespace devpick::testing {

class TempDir {
 public:
  // Made as mkdtemp does (a new random name, created exclusively, owner-only), with the standard
  // library so that the Windows build's tests have one too.
  explicit TempDir(const std::string& prefix = "devpick-test") {
    std::error_code error;
    std::filesystem::path base = std::filesystem::temp_directory_path(error);
    if (error) base = "/tmp";
    std::random_device seed;
    std::mt19937_64 random(seed());
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string name = prefix + "-" + std::to_string(random() % 1000000000);
      std::filesystem::path candidate = base / name;
      if (std::filesystem::create_directory(candidate, error)) {
        std::filesystem::permissions(candidate, std::filesystem::perms::owner_all, error);
        path_ = candidate.generic_string();
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory in " + base.generic_string());
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
