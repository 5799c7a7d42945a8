// Reads back what a test wrote to the real file system: a directory's names, a file's text and
// its permission bits. For tests of the code that writes files (atomic replace, the measure cache),
// which must see the files as another process would.
//
// Thread-safety: functions over their arguments.
#ifndef DEVPICK_TESTS_TESTING_REAL_FILES_H_
#define DEVPICK_TESTS_TESTING_REAL_FILES_H_

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace devpick::testing {

// The names in `dir`, sorted; temporary files start with '.', so they show up here.
inline std::vector<std::string> DirectoryEntries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The whole file; "" when it cannot be read.
inline std::string ReadFileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The permission bits (07777), or -1 when `path` does not exist.
inline int FileMode(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_REAL_FILES_H_
