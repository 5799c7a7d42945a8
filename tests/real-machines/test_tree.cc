#include "test_tree.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <map>
#include <mutex>

namespace devpick::testing {

std::string MakeTempDir(const std::string& label) {
  std::string pattern = ::testing::TempDir() + "/" + label + ".XXXXXX";
  return mkdtemp(pattern.data()) == nullptr ? std::string() : pattern;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    result.output.append(buffer, n);
  result.exit_status = pclose(pipe);
  return result;
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

namespace {

// Removes the unpacked real machines when the test program ends.
class UnpackedTrees : public ::testing::Environment {
 public:
  std::string dir;
  std::map<std::string, std::string> errors;  // tarball -> why it did not unpack; "" when it did
  void TearDown() override {
    if (!dir.empty()) RunCommand("rm -rf " + ShellQuote(dir));
  }
};

UnpackedTrees* Trees() {
  static UnpackedTrees* trees = [] {
    auto* made = new UnpackedTrees;
    ::testing::AddGlobalTestEnvironment(made);  // gtest owns and tears it down
    return made;
  }();
  return trees;
}

}  // namespace

std::string UnpackedRealMachine(const std::string& tarball, const std::string& folder,
                                std::string* error) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  UnpackedTrees* trees = Trees();
  if (trees->dir.empty()) trees->dir = MakeTempDir("real_machines");
  auto [it, inserted] = trees->errors.try_emplace(tarball);
  if (inserted) {
    std::string path = std::string(DEVPICK_REAL_MACHINES_DIR) + "/" + tarball;
    CommandResult untar =
        RunCommand("tar -xjf " + ShellQuote(path) + " -C " + ShellQuote(trees->dir));
    if (untar.exit_status != 0) it->second = path + ": " + untar.output;
  }
  *error = it->second;
  return error->empty() ? trees->dir + "/" + folder : std::string();
}

Observations ProbeTree(const std::string& root) {
  DiscoverOptions options;
  options.probes = {"sysfs", "cpu", "rocm"};
  return Probe(*NewRootedEnv(root), options);
}

}  // namespace devpick::testing
