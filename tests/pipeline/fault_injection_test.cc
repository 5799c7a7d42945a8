// Fault injection over whole machines (RELIABILITY.md "Injected faults").
//
// Each fixture machine of tests/fixtures/sysfs is loaded into a FakeEnv, discovered once cleanly
// (the baseline), and then once per fault for every file the baseline read, every directory it
// listed and every symlink on the way: the read fails with EACCES, EIO or ENOENT, or returns
// truncated, empty, binary-garbage or oversized content; a listed directory is unreadable or has
// become a file; a symlink loops onto itself. For each case discovery must still report every
// device that the fault does not concern, name the failed path in a diagnostic where the fault is
// an error (not an absence), keep every text valid UTF-8 for JSON, and ask for no read without a
// bound. The RecordingEnv seam sees every call, so "what was touched" comes from the probes
// themselves, not from a list kept here that could go stale.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "devpick/discover.h"
#include "devpick/inventory.h"
#include "emit/inventory_json.h"
#include "fake_env.h"

namespace devpick::testing {
namespace {

namespace fs = std::filesystem;

// One node of a machine tree: a file's contents, a symlink's target, or a directory.
struct Node {
  FileType type = FileType::kDirectory;
  std::string data;
};
using Tree = std::map<std::string, Node>;  // absolute path on the machine ("/sys/...") -> node

// The fixture machine as a tree, symlinks kept as symlinks (as NewRootedEnv sees it).
Tree LoadTree(const std::string& machine) {
  const fs::path root = SourcePath("tests/fixtures/sysfs/" + machine);
  Tree tree;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string path = "/" + it->path().lexically_relative(root).generic_string();
    // symlink_status: the fixtures hold symlink loops on purpose (broken/sys/class/drm/card9).
    const fs::file_status status = it->symlink_status();
    if (fs::is_symlink(status)) {
      tree[path] = {FileType::kSymlink, fs::read_symlink(it->path()).string()};
    } else if (fs::is_directory(status)) {
      tree[path] = {FileType::kDirectory, ""};
    } else if (it->path().filename() != ".keep") {
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream contents;
      contents << in.rdbuf();
      tree[path] = {FileType::kRegular, contents.str()};
    }
  }
  return tree;
}

std::unique_ptr<FakeEnv> ToFakeEnv(const Tree& tree) {
  auto env = std::make_unique<FakeEnv>();
  for (const auto& [path, node] : tree) {
    switch (node.type) {
      case FileType::kSymlink:
        env->AddSymlink(path, node.data);
        break;
      case FileType::kRegular:
        env->AddFile(path, node.data);
        break;
      default:
        env->AddDirectory(path);
        break;
    }
  }
  return env;
}

// `path` with every symlink resolved inside `tree` (as the kernel would), or "" on a loop.
std::string ResolveInTree(const Tree& tree, const std::string& path) {
  Result<std::string> resolved =
      ResolvePath(path, /*follow_last=*/true, [&](const std::string& candidate) {
        auto it = tree.find(candidate);
        if (it == tree.end() || it->second.type != FileType::kSymlink) return PathComponent{};
        return PathComponent{.type = FileType::kSymlink, .link_target = it->second.data};
      });
  return resolved.ok() ? *resolved : "";
}

// Forwards to a FakeEnv and records every file read (with its bound), listing and readlink.
class RecordingEnv : public EnvWrapper {
 public:
  explicit RecordingEnv(std::unique_ptr<FakeEnv> base)
      : EnvWrapper(*base), base_(std::move(base)) {}

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override {
    Record(&reads_, std::string(path));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      largest_limit_ = std::max(largest_limit_, limit);
    }
    return base_->ReadFile(path, limit);
  }
  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override {
    Record(&listings_, std::string(path));
    return base_->ListDirectory(path);
  }
  Result<std::string> ReadLink(std::string_view path) const override {
    Record(&links_, std::string(path));
    return base_->ReadLink(path);
  }

  std::set<std::string> reads() const { return Copy(reads_); }
  std::set<std::string> listings() const { return Copy(listings_); }
  std::size_t largest_limit() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return largest_limit_;
  }

 private:
  void Record(std::set<std::string>* paths, std::string path) const {
    std::lock_guard<std::mutex> lock(mutex_);
    paths->insert(std::move(path));
  }
  std::set<std::string> Copy(const std::set<std::string>& paths) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return paths;
  }

  std::unique_ptr<FakeEnv> base_;
  mutable std::mutex mutex_;
  mutable std::set<std::string> reads_, listings_, links_;
  mutable std::size_t largest_limit_ = 0;
};

// What discovery made of one machine.
struct Outcome {
  Inventory inventory;
  std::set<std::string> reads;
  std::set<std::string> listings;
  std::size_t largest_limit = 0;
};

Outcome Discover(std::unique_ptr<FakeEnv> env) {
  RecordingEnv recording(std::move(env));
  DiscoverOptions options;
  options.probes = {"sysfs", "cpu", "rocm"};
  Observations observations = Probe(recording, options);
  return {Correlate(observations, nullptr), recording.reads(), recording.listings(),
          recording.largest_limit()};
}

// The PCI address a path is about (the last one it names), or "" for a machine-wide file.
std::string OwningAddress(const std::string& path) {
  static const std::regex kAddress("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
  std::string owner;
  for (std::sregex_iterator it(path.begin(), path.end(), kAddress), end; it != end; ++it) {
    owner = it->str();
  }
  return owner;
}

// Devices by identity: the PCI address, or the kind for devices without one (the CPU).
std::set<std::string> DeviceKeys(const Inventory& inventory) {
  std::set<std::string> keys;
  for (const Device& device : inventory.devices) {
    keys.insert(device.pci_address.value_or(std::string(ToString(device.kind))));
  }
  return keys;
}

// Whether `path` is `ancestor` or lies below it.
bool IsUnder(const std::string& path, const std::string& ancestor) {
  return path == ancestor || (path.size() > ancestor.size() && path.starts_with(ancestor) &&
                              (ancestor == "/" || path[ancestor.size()] == '/'));
}

// Whether a diagnostic names `path`, or for a KFD node file the node ("node 1: Permission denied
// (GPU not assigned to this container?)", the rocm probe's wording for the container case).
bool SomeDiagnosticNames(const Inventory& inventory, const std::string& path) {
  static const std::regex kKfdNode("/sys/class/kfd/kfd/topology/nodes/([0-9]+)/.*");
  std::smatch node;
  const std::string alternative =
      std::regex_match(path, node, kKfdNode) ? "node " + node[1].str() + ": " : path;
  return std::any_of(inventory.diagnostics.begin(), inventory.diagnostics.end(),
                     [&](const Diagnostic& d) {
                       return d.detail.find(path) != std::string::npos ||
                              d.detail.find(alternative) != std::string::npos;
                     });
}

// Files whose failure devpick absorbs without a diagnostic, by design of the probe that reads them
// (RELIABILITY.md lists these as open gaps): the host probe keeps HostInfo fields unknown.
bool FailsSilently(const std::string& path) {
  static const std::set<std::string> kSilent = {"/proc/sys/kernel/osrelease", "/proc/1/cgroup"};
  return kSilent.count(path) != 0;
}

// PCI identity files: without them a function cannot be told to be a GPU, so losing the device
// they describe is the correct outcome (the diagnostic says why).
bool IsIdentityFile(const std::string& path) {
  const std::string name = BaseName(path);
  return !OwningAddress(path).empty() && (name == "vendor" || name == "device" || name == "class");
}

enum class FileFault { kEacces, kEio, kEnoent, kTruncated, kEmpty, kGarbage, kOversized };

struct FileFaultRow {
  FileFault fault;
  const char* name;
  // Whether the failed path must appear in a diagnostic. An absent file is a normal state for
  // optional attributes, and truncated, empty or garbage text can be a valid value of some files
  // (a free-text name, an empty cpulist), so those only have to leave the other devices alone.
  bool must_be_named;
  bool is_errno;  // the read fails; otherwise the file's contents are replaced
};

constexpr FileFaultRow kFileFaults[] = {
    {FileFault::kEacces, "EACCES", true, true},
    {FileFault::kEio, "EIO", true, true},
    {FileFault::kEnoent, "ENOENT", false, true},
    {FileFault::kTruncated, "truncated", false, false},
    {FileFault::kEmpty, "empty", false, false},
    {FileFault::kGarbage, "garbage", false, false},
    {FileFault::kOversized, "oversized", true, false},
};

// Binary junk with NULs, invalid UTF-8 and no newline.
const std::string kGarbage("\xff\xfe\x00\x80garbage\xc3\x28\x1b[2J\x01", 16);

std::unique_ptr<FakeEnv> WithFileFault(Tree tree, const std::string& read_path, FileFault fault) {
  const std::string real = ResolveInTree(tree, read_path);
  Node* node = tree.count(real) != 0 ? &tree[real] : nullptr;
  switch (fault) {
    case FileFault::kEacces:
    case FileFault::kEio:
    case FileFault::kEnoent:
      break;
    case FileFault::kTruncated:
      if (node) node->data.resize(node->data.size() / 2);
      break;
    case FileFault::kEmpty:
      if (node) node->data.clear();
      break;
    case FileFault::kGarbage:
      if (node) node->data = kGarbage;
      break;
    case FileFault::kOversized:
      if (node) node->data.append(Env::kDefaultReadLimit + 1, '7');
      break;
  }
  std::unique_ptr<FakeEnv> env = ToFakeEnv(tree);
  if (fault == FileFault::kEacces) env->FailPath(read_path, EACCES);
  if (fault == FileFault::kEio) env->FailPath(read_path, EIO);
  if (fault == FileFault::kEnoent) env->FailPath(read_path, ENOENT);
  return env;
}

class FaultInjectionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tree_ = LoadTree(GetParam());
    baseline_ = Discover(ToFakeEnv(tree_));
    ASSERT_FALSE(baseline_.reads.empty());
  }

  // The devices a fault at `path` may legitimately hide: those whose PCI function directory is
  // `path` or lies under it (as read through /sys/bus/pci/devices, or after resolving symlinks),
  // and, for an identity file, the function it describes.
  std::set<std::string> MayHide(const std::string& path) const {
    std::set<std::string> hidden;
    const std::string real = ResolveInTree(tree_, path);
    for (const Device& device : baseline_.inventory.devices) {
      if (!device.pci_address) continue;
      const std::string as_read = "/sys/bus/pci/devices/" + *device.pci_address;
      if (IsFragile(*device.pci_address) || IsUnder(as_read, path) ||
          (!real.empty() && IsUnder(ResolveInTree(tree_, as_read), real)) ||
          (IsIdentityFile(path) && OwningAddress(path) == *device.pci_address)) {
        hidden.insert(*device.pci_address);
      }
    }
    return hidden;
  }

  // A device whose class the baseline could not read, recorded only on other evidence (an NVIDIA
  // procfs entry, a DRM node): losing that evidence to a fault may lose the device too.
  bool IsFragile(const std::string& address) const {
    return SomeDiagnosticNames(baseline_.inventory, "/sys/bus/pci/devices/" + address + "/class");
  }

  // The checks every faulted run must pass: no device lost but those the fault concerns, text
  // that JSON can carry, and bounded reads.
  void ExpectSurvived(const Outcome& outcome, const std::string& faulted) const {
    std::set<std::string> after = DeviceKeys(outcome.inventory);
    std::set<std::string> may_hide = MayHide(faulted);
    for (const std::string& key : DeviceKeys(baseline_.inventory)) {
      if (may_hide.count(key) != 0) continue;
      EXPECT_EQ(after.count(key), 1u) << "lost device " << key;
    }
    EXPECT_NO_THROW((void)InventoryToJson(outcome.inventory, {}).dump());
    EXPECT_LE(outcome.largest_limit, Env::kDefaultReadLimit);
  }

  Tree tree_;
  Outcome baseline_;
};

TEST_P(FaultInjectionTest, FakeEnvCopyMatchesTheRootedFixture) {
  DiscoverOptions options;
  options.probes = {"sysfs", "cpu", "rocm"};
  const std::string root = SourcePath("tests/fixtures/sysfs/" + GetParam());
  Inventory rooted = Correlate(Probe(*NewRootedEnv(root), options), nullptr);
  // Devices must match exactly; diagnostics in number (their text differs where the two Envs word
  // a symlink loop differently: the rooted Env names the link, FakeEnv the path asked for).
  EXPECT_EQ(InventoryToJson(baseline_.inventory, {})["devices"].dump(2),
            InventoryToJson(rooted, {})["devices"].dump(2))
      << "read: " << ::testing::PrintToString(baseline_.reads);
  EXPECT_EQ(baseline_.inventory.diagnostics.size(), rooted.diagnostics.size());
}

TEST_P(FaultInjectionTest, EveryReadFaultKeepsTheOtherDevicesAndNamesThePath) {
  // Per fault: cases run, cases a diagnostic named, cases that lost a device (recorded as test
  // properties for RELIABILITY.md: --gtest_output=xml).
  std::map<std::string, std::array<int, 3>> tally;
  for (const std::string& path : baseline_.reads) {
    const bool exists = tree_.count(ResolveInTree(tree_, path)) != 0;
    for (const FileFaultRow& row : kFileFaults) {
      if (!exists && !row.is_errno) continue;  // no content to damage
      SCOPED_TRACE(std::string(row.name) + " on " + path);
      Outcome outcome = Discover(WithFileFault(tree_, path, row.fault));
      ExpectSurvived(outcome, path);
      std::array<int, 3>& counts = tally[row.name];
      ++counts[0];
      counts[1] += SomeDiagnosticNames(outcome.inventory, path) ? 1 : 0;
      counts[2] += outcome.inventory.devices.size() < baseline_.inventory.devices.size() ? 1 : 0;
      if (row.must_be_named && !FailsSilently(path)) {
        EXPECT_TRUE(SomeDiagnosticNames(outcome.inventory, path)) << "no diagnostic names it";
      }
    }
  }
  for (const auto& [fault, counts] : tally) {
    RecordProperty(fault, std::to_string(counts[0]) + " cases, " + std::to_string(counts[1]) +
                              " named, " + std::to_string(counts[2]) + " lost a device");
  }
}

TEST_P(FaultInjectionTest, UnreadableOrReplacedDirectoriesKeepTheOtherDevices) {
  int directories = 0;
  for (const std::string& path : baseline_.listings) {
    const std::string real = ResolveInTree(tree_, path);
    if (tree_.count(real) == 0) continue;  // listed but absent on this machine
    ++directories;
    {
      SCOPED_TRACE("EACCES listing " + path);
      std::unique_ptr<FakeEnv> env = ToFakeEnv(tree_);
      env->FailPath(path, EACCES);
      Outcome outcome = Discover(std::move(env));
      ExpectSurvived(outcome, path);
      EXPECT_TRUE(SomeDiagnosticNames(outcome.inventory, path)) << "no diagnostic names it";
    }
    {
      SCOPED_TRACE("directory replaced by a file: " + path);
      Tree changed = tree_;
      const std::string prefix = real + "/";
      for (auto it = changed.lower_bound(prefix);
           it != changed.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
        it = changed.erase(it);
      }
      changed[real] = {FileType::kRegular, "not a directory\n"};
      Outcome outcome = Discover(ToFakeEnv(changed));
      ExpectSurvived(outcome, path);
    }
  }
  RecordProperty("directories", directories);
}

TEST_P(FaultInjectionTest, SymlinkLoopsKeepTheOtherDevicesAndTerminate) {
  int loops = 0;
  for (const auto& [path, node] : tree_) {
    if (node.type != FileType::kSymlink) continue;
    SCOPED_TRACE("symlink loop at " + path);
    ++loops;
    Tree changed = tree_;
    changed[path].data = BaseName(path);  // points at itself
    Outcome outcome = Discover(ToFakeEnv(changed));
    // A loop on a device's own link (bus/pci/devices/<bdf>) may hide that device; a loop on its
    // driver or DRM link only facts about it; none may hide another device.
    ExpectSurvived(outcome, path);
  }
  EXPECT_GT(loops, 0);
  RecordProperty("symlinks", loops);
}

// Safe writes (RELIABILITY.md "Writes"): `snapshot -o` writes a temporary file beside the target
// and renames it into place, so a reader sees the old file or the new one, never a part.
class SafeWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/devpick-safe-write-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
};

TEST_F(SafeWriteTest, SnapshotReplacesTheFileByRenameAndLeavesNoTemporary) {
  const std::string target = dir_ + "/machine.json";
  { std::ofstream(target) << "old contents\n"; }
  // A second name for the old file: a truncate-and-write would change what it shows, a rename
  // leaves it alone.
  fs::create_hard_link(target, dir_ + "/old.json");
  const std::string root = SourcePath("tests/fixtures/sysfs/arc-a770-uhd770");
  CliResult r = RunDevpick({"--root", root, "snapshot", "-o", target});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "devpick: wrote " + target + "\n");
  EXPECT_EQ(Entries(), (std::vector<std::string>{"machine.json", "old.json"}));
  EXPECT_EQ(ReadTextFile(dir_ + "/old.json"), "old contents\n");
  const std::string written = ReadTextFile(target);
  EXPECT_EQ(written.rfind("{\n  \"devpick_snapshot\": 1", 0), 0u) << written.substr(0, 80);
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

TEST_F(SafeWriteTest, SnapshotIntoAMissingDirectoryFailsAndWritesNothing) {
  const std::string target = dir_ + "/missing/machine.json";
  const std::string root = SourcePath("tests/fixtures/sysfs/arc-a770-uhd770");
  CliResult r = RunDevpick({"--root", root, "snapshot", "-o", target});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "devpick: cannot write " + target + ": No such file or directory\n");
  EXPECT_TRUE(Entries().empty());
}

std::vector<std::string> Machines() {
  std::vector<std::string> machines;
  const fs::path dir = SourcePath("tests/fixtures/sysfs");
  if (!fs::exists(dir)) return machines;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory()) machines.push_back(entry.path().filename().string());
  }
  std::sort(machines.begin(), machines.end());
  return machines;
}

INSTANTIATE_TEST_SUITE_P(Machine, FaultInjectionTest, ::testing::ValuesIn(Machines()),
                         [](const auto& param_info) {
                           std::string name;
                           for (char c : param_info.param) name += std::isalnum(c) ? c : '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FaultInjectionTest);

}  // namespace
}  // namespace devpick::testing
