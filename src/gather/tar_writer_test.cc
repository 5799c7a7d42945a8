#include "gather/tar_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"

namespace devpick {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the test's temporary directory.
std::string MakeTempDir() {
  std::string pattern = ::testing::TempDir() + "/tar_writer_test.XXXXXX";
  char* made = mkdtemp(pattern.data());
  return made == nullptr ? std::string() : std::string(made);
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Writes `writer`'s archive gzipped to a temporary file and returns GNU tar's verbose listing.
std::string ListArchive(const TarWriter& writer, std::string* archive_path = nullptr) {
  Result<std::string> gz = GzipCompress(writer.Finish());
  if (!gz.ok()) return "gzip failed: " + gz.status().message();
  std::string path = MakeTempDir() + "/archive.tar.gz";
  WriteBytes(path, *gz);
  if (archive_path != nullptr) *archive_path = path;
  int status = 0;
  std::string listing = testing::RunCommand("TZ=UTC tar --numeric-owner -tzvf " + path, &status);
  return status == 0 ? listing : "tar failed: " + listing;
}

TEST(TarWriter, ListsFilesSymlinksAndDirectoriesExactly) {
  TarWriter writer;
  ASSERT_TRUE(writer.AddDirectory("top").ok());
  ASSERT_TRUE(writer.AddDirectory("top/sys/class/empty").ok());
  ASSERT_TRUE(writer.AddFile("top/proc/cpuinfo", "processor\t: 0\n").ok());
  ASSERT_TRUE(writer.AddFile("top/dev/dri/renderD128", "", 0444).ok());
  ASSERT_TRUE(writer
                  .AddSymlink("top/sys/bus/pci/devices/0000:03:00.0",
                              "../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0")
                  .ok());
  EXPECT_EQ(ListArchive(writer),
            "drwxr-xr-x 0/0               0 1970-01-01 00:00 top/\n"
            "drwxr-xr-x 0/0               0 1970-01-01 00:00 top/sys/class/empty/\n"
            "-rw-r--r-- 0/0              14 1970-01-01 00:00 top/proc/cpuinfo\n"
            "-r--r--r-- 0/0               0 1970-01-01 00:00 top/dev/dri/renderD128\n"
            "lrwxrwxrwx 0/0               0 1970-01-01 00:00 top/sys/bus/pci/devices/0000:03:00.0 "
            "-> ../../../devices/pci0000:00/0000:00:01.0/0000:03:00.0\n");
}

TEST(TarWriter, StampsTheGivenModificationTime) {
  TarWriter writer(1700000000);  // 2023-11-14 22:13:20 UTC
  ASSERT_TRUE(writer.AddFile("a", "x").ok());
  EXPECT_EQ(ListArchive(writer), "-rw-r--r-- 0/0               1 2023-11-14 22:13 a\n");
}

TEST(TarWriter, UnpacksContentsAndRawSymlinkTargets) {
  TarWriter writer;
  std::string contents(1500, 'z');  // spans three blocks, so padding is exercised
  contents += "\nend\n";
  ASSERT_TRUE(writer.AddFile("top/sys/devices/pci0000:00/0000:03:00.0/class", "0x030000\n").ok());
  ASSERT_TRUE(writer.AddFile("top/big", contents).ok());
  ASSERT_TRUE(writer.AddSymlink("top/sys/class/drm/card9", "card9").ok());  // a loop stays a loop
  ASSERT_TRUE(writer.AddSymlink("top/abs", "/sys/devices").ok());
  ASSERT_TRUE(writer.AddDirectory("top/sys/class/kfd").ok());
  std::string archive;
  ASSERT_NE(ListArchive(writer, &archive).rfind("tar failed", 0), 0u);
  std::string dir = MakeTempDir();
  int status = 0;
  std::string output = testing::RunCommand("tar -xzf " + archive + " -C " + dir, &status);
  ASSERT_EQ(status, 0) << output;
  std::ifstream in(dir + "/top/sys/devices/pci0000:00/0000:03:00.0/class");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "0x030000");
  std::ifstream big_in(dir + "/top/big", std::ios::binary);
  std::string big((std::istreambuf_iterator<char>(big_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(big, contents);
  EXPECT_EQ(fs::read_symlink(dir + "/top/sys/class/drm/card9").string(), "card9");
  EXPECT_EQ(fs::read_symlink(dir + "/top/abs").string(), "/sys/devices");
  EXPECT_TRUE(fs::is_directory(dir + "/top/sys/class/kfd"));
  EXPECT_TRUE(fs::is_empty(dir + "/top/sys/class/kfd"));
}

TEST(TarWriter, UsesThePrefixFieldForPathsLongerThan100Bytes) {
  std::string path =
      "capture/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:01.0/"
      "0000:03:00.0/drm/card1/device/some_attribute_with_a_long_name";
  ASSERT_GT(path.size(), 100u);
  TarWriter writer;
  ASSERT_TRUE(writer.AddFile(path, "1\n").ok());
  EXPECT_EQ(ListArchive(writer), "-rw-r--r-- 0/0               2 1970-01-01 00:00 " + path + "\n");
}

TEST(TarWriter, RejectsAPathOver255BytesNamingIt) {
  std::string path = "top/" + std::string(150, 'a') + "/" + std::string(102, 'b');
  ASSERT_EQ(path.size(), 257u);
  TarWriter writer;
  Status status = writer.AddFile(path, "x");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), path + ": longer than the 255 bytes a ustar archive can name");
}

TEST(TarWriter, RejectsAPathNoSlashCanSplit) {
  std::string path = "top/" + std::string(120, 'n');  // the name part alone is over 100 bytes
  TarWriter writer;
  Status status = writer.AddFile(path, "x");
  EXPECT_EQ(status.message(), path +
                                  ": no '/' splits it into the 155-byte prefix and 100-byte name "
                                  "of a ustar header");
  EXPECT_EQ(writer.Finish(), std::string(2 * TarWriter::kBlockSize, '\0'));  // nothing was added
}

TEST(TarWriter, RejectsASymlinkTargetOver100Bytes) {
  TarWriter writer;
  std::string target(101, 't');
  Status status = writer.AddSymlink("top/link", target);
  EXPECT_EQ(status.message(), "top/link: symlink target '" + target +
                                  "' must be 1 to 100 bytes to fit a ustar header");
}

TEST(TarWriter, RejectsAbsolutePaths) {
  TarWriter writer;
  EXPECT_EQ(writer.AddFile("/etc/passwd", "x").message(),
            "/etc/passwd: archive paths must be relative");
}

TEST(TarWriter, WritesAValidChecksum) {
  TarWriter writer;
  ASSERT_TRUE(writer.AddFile("f", "data").ok());
  std::string archive = writer.Finish();
  ASSERT_EQ(archive.size(), 4 * TarWriter::kBlockSize);  // header, data block, two end blocks
  unsigned sum = 0;
  for (std::size_t i = 0; i < TarWriter::kBlockSize; ++i) {
    bool in_checksum = i >= 148 && i < 156;
    sum += in_checksum ? ' ' : static_cast<unsigned char>(archive[i]);
  }
  char expected[8];
  std::snprintf(expected, sizeof expected, "%06o", sum);
  EXPECT_EQ(archive.substr(148, 8), std::string(expected, 6) + std::string("\0 ", 2));
  EXPECT_EQ(archive.substr(257, 8), std::string("ustar\0"
                                                "00",
                                                8));
}

}  // namespace
}  // namespace devpick
