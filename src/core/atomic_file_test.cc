#include "core/atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "real_files.h"
#include "temp_dir.h"

namespace devpick {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override { old_umask_ = umask(022); }
  void TearDown() override { umask(old_umask_); }

  testing::TempDir temp_{"atomic_file_test"};
  const std::string dir_ = temp_.path();
  mode_t old_umask_ = 0;
};

TEST_F(AtomicFileTest, WritesTheContentsWithTheMode) {
  const std::string path = dir_ + "/measured.json";
  Status status = WriteFileAtomically(path, "{}\n", 0600);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(testing::ReadFileText(path), "{}\n");
  EXPECT_EQ(testing::FileMode(path), 0600);
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("measured.json"));
}

TEST_F(AtomicFileTest, ModeIsNotNarrowedByTheUmask) {
  umask(077);
  const std::string path = dir_ + "/machine.json";
  ASSERT_TRUE(WriteFileAtomically(path, "x", 0644).ok());
  EXPECT_EQ(testing::FileMode(path), 0644);
}

TEST_F(AtomicFileTest, WritesAnEmptyFile) {
  const std::string path = dir_ + "/empty";
  ASSERT_TRUE(WriteFileAtomically(path, "", 0600).ok());
  EXPECT_EQ(testing::ReadFileText(path), "");
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("empty"));
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileByRename) {
  const std::string path = dir_ + "/measured.json";
  { std::ofstream(path) << "old contents\n"; }
  // A second name for the old file: a truncate-and-write would change it too, a rename does not.
  fs::create_hard_link(path, dir_ + "/old.json");
  ASSERT_TRUE(WriteFileAtomically(path, "new contents\n", 0600).ok());
  EXPECT_EQ(testing::ReadFileText(path), "new contents\n");
  EXPECT_EQ(testing::ReadFileText(dir_ + "/old.json"), "old contents\n");
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("measured.json", "old.json"));
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnErrorNamingThePath) {
  const std::string path = dir_ + "/missing/measured.json";
  Status status = WriteFileAtomically(path, "{}\n", 0600);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "cannot write " + path + ": No such file or directory");
  EXPECT_THAT(testing::DirectoryEntries(dir_), IsEmpty());
}

TEST_F(AtomicFileTest, FailedRenameRemovesTheTemporaryFile) {
  // The target is a directory: the temporary file is written, then rename(2) refuses.
  const std::string path = dir_ + "/measured.json";
  fs::create_directory(path);
  Status status = WriteFileAtomically(path, "{}\n", 0600);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "cannot write " + path + ": Is a directory");
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("measured.json"));
  EXPECT_THAT(testing::DirectoryEntries(path), IsEmpty());
}

TEST_F(AtomicFileTest, ReadOnlyDirectoryIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string path = dir_ + "/measured.json";
  Status status = WriteFileAtomically(path, "{}\n", 0600);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "cannot write " + path + ": Permission denied");
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_THAT(testing::DirectoryEntries(dir_), IsEmpty());
}

TEST_F(AtomicFileTest, MakeDirectoriesCreatesEveryMissingLevelWithTheMode) {
  const std::string path = dir_ + "/cache/devpick/deeper";
  Status status = MakeDirectories(path, 0700);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(testing::FileMode(dir_ + "/cache"), 0700);
  EXPECT_EQ(testing::FileMode(dir_ + "/cache/devpick"), 0700);
  EXPECT_EQ(testing::FileMode(path), 0700);
  EXPECT_TRUE(fs::is_directory(path));
}

TEST_F(AtomicFileTest, MakeDirectoriesAcceptsExistingDirectoriesAndKeepsTheirMode) {
  fs::create_directory(dir_ + "/cache");
  fs::permissions(dir_ + "/cache", fs::perms::owner_all | fs::perms::group_read |
                                       fs::perms::group_exec | fs::perms::others_read |
                                       fs::perms::others_exec);
  ASSERT_TRUE(MakeDirectories(dir_ + "/cache/devpick", 0700).ok());
  ASSERT_TRUE(MakeDirectories(dir_ + "/cache/devpick", 0700).ok());
  ASSERT_TRUE(MakeDirectories(dir_ + "/cache/devpick/", 0700).ok());
  EXPECT_EQ(testing::FileMode(dir_ + "/cache"), 0755);
  EXPECT_EQ(testing::FileMode(dir_ + "/cache/devpick"), 0700);
}

TEST_F(AtomicFileTest, MakeDirectoriesFollowsASymlinkToADirectory) {
  fs::create_directory(dir_ + "/real");
  fs::create_directory_symlink(dir_ + "/real", dir_ + "/cache");
  ASSERT_TRUE(MakeDirectories(dir_ + "/cache/devpick", 0700).ok());
  EXPECT_TRUE(fs::is_directory(dir_ + "/real/devpick"));
}

TEST_F(AtomicFileTest, MakeDirectoriesNamesAComponentThatIsAFile) {
  { std::ofstream(dir_ + "/cache") << "not a directory\n"; }
  const std::string path = dir_ + "/cache/devpick/deeper";
  Status status = MakeDirectories(path, 0700);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(),
            "cannot create directory " + path + ": " + dir_ + "/cache is not a directory");
  Status whole = MakeDirectories(dir_ + "/cache", 0700);
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.message(),
            "cannot create directory " + dir_ + "/cache: " + dir_ + "/cache is not a directory");
  EXPECT_THAT(testing::DirectoryEntries(dir_), ElementsAre("cache"));
}

TEST_F(AtomicFileTest, MakeDirectoriesInAReadOnlyDirectoryNamesTheComponent) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  Status status = MakeDirectories(dir_ + "/cache/devpick", 0700);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "cannot create directory " + dir_ + "/cache: Permission denied");
}

TEST_F(AtomicFileTest, MakeDirectoriesRejectsAnEmptyPath) {
  Status status = MakeDirectories("", 0700);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "cannot create directory: the path is empty");
}

}  // namespace
}  // namespace devpick
