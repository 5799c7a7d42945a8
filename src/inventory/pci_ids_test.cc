#include "inventory/pci_ids.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <utility>

#include "expect_table.h"
#include "fake_env.h"

namespace devpick {
namespace {

// A trimmed pci.ids in the real layout: header comments, tabs, subsystems, a comment inside a
// vendor block, garbage lines, a duplicate vendor and the class section whose lines look like
// devices.
constexpr std::string_view kSample =
    "#\n"
    "#\tList of PCI ID's\n"
    "#\n"
    "#\tVersion: 2023.04.10\n"
    "\n"
    "# Syntax:\n"
    "# vendor  vendor_name\n"
    "#\tdevice  device_name\t\t\t\t<-- single tab\n"
    "\n"
    "1002  Advanced Micro Devices, Inc. [AMD/ATI]\n"
    "\t164e  Raphael\n"
    "\t744c  Navi 31 [Radeon RX 7900 XT/7900 XTX]\n"
    "\t\t1da2 e471  NITRO+ RX 7900 XTX Vapor-X 24GB\n"
    "\t\t1002 0e3b  RX 7900 XTX\n"
    "10de  NVIDIA Corporation\n"
    "# This is a comment inside the NVIDIA block\n"
    "\t2684  AD102 [GeForce RTX 4090]\n"
    "\t\t1043 889d  ROG Strix GeForce RTX 4090\r\n"
    "\t2206  GA102 [GeForce RTX 3080]\n"
    "\tzz12  not an id\n"
    "\t2204\n"
    "\t28a0  AD107M [GeForce RTX 4060 Max-Q / Mobile]   \n"
    "this line is garbage\n"
    "\t0001  Orphan device after garbage\n"
    "8086  Intel Corporation\n"
    "\t56a0  DG2 [Arc A770]\n"
    "\t\t8086 1020  Arc A770 Graphics\n"
    "\ta780  Raptor Lake-S GT1 [UHD Graphics 770]\n"
    "\t7d55  Meteor Lake-P [Intel Arc Graphics]\n"
    "\t4905  DG1 [Iris Xe MAX Graphics]\n"
    "\t1234  Empty brackets []\n"
    "8086  A duplicate Intel entry\n"
    "\t9999  Should never be found\n"
    "1a03  ASPEED Technology, Inc.\n"
    "\t2000  ASPEED Graphics Family\n"
    "ffff  Illegal Vendor ID\n"
    "\n"
    "# List of known device classes, subclasses and programming interfaces\n"
    "\n"
    "C 03  Display controller\n"
    "\t00  VGA compatible controller\n"
    "1234  Not a vendor: after the class section\n";

TEST(PciIdsTest, Parse_IndexesVendorsUntilTheClassSection) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.vendor_count(), 6u);  // 1002, 10de, 8086 twice, 1a03, ffff
  EXPECT_EQ(ids.VendorName(0x1002), "Advanced Micro Devices, Inc. [AMD/ATI]");
  EXPECT_EQ(ids.VendorName(0x10de), "NVIDIA Corporation");
  EXPECT_EQ(ids.VendorName(0xffff), "Illegal Vendor ID");
  EXPECT_EQ(ids.VendorName(0x1234), std::nullopt);
  EXPECT_EQ(ids.VendorName(0x0000), std::nullopt);
}

TEST(PciIdsTest, Parse_FirstOfDuplicateVendorsWins) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.VendorName(0x8086), "Intel Corporation");
  EXPECT_EQ(ids.DeviceName(0x8086, 0x9999), std::nullopt);
}

TEST(PciIdsTest, DeviceName_ReadsDeviceLinesOfItsVendorOnly) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.DeviceName(0x8086, 0x56a0), "DG2 [Arc A770]");
  EXPECT_EQ(ids.DeviceName(0x1002, 0x744c), "Navi 31 [Radeon RX 7900 XT/7900 XTX]");
  EXPECT_EQ(ids.DeviceName(0x10de, 0x2684), "AD102 [GeForce RTX 4090]");
  EXPECT_EQ(ids.DeviceName(0x1a03, 0x2000), "ASPEED Graphics Family");
  // Right ID, wrong vendor.
  EXPECT_EQ(ids.DeviceName(0x10de, 0x56a0), std::nullopt);
  EXPECT_EQ(ids.DeviceName(0x1002, 0x2684), std::nullopt);  // the next vendor's device
  EXPECT_EQ(ids.DeviceName(0x4444, 0x56a0), std::nullopt);
}

TEST(PciIdsTest, DeviceName_TrimsTrailingBlanks) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.DeviceName(0x10de, 0x28a0), "AD107M [GeForce RTX 4060 Max-Q / Mobile]");
}

TEST(PciIdsTest, DeviceName_SkipsGarbageLines) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.DeviceName(0x10de, 0x2204), std::nullopt);  // no name
  EXPECT_EQ(ids.DeviceName(0x10de, 0x2206), "GA102 [GeForce RTX 3080]");
  // A garbage top-level line ends the NVIDIA block: the device after it belongs to no vendor.
  EXPECT_EQ(ids.DeviceName(0x10de, 0x0001), std::nullopt);
}

TEST(PciIdsTest, DeviceName_IgnoresTheClassSection) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.DeviceName(0xffff, 0x0000), std::nullopt);
}

TEST(PciIdsTest, SubsystemName_ReadsTwoTabLinesUnderTheDevice) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.SubsystemName(0x1002, 0x744c, 0x1da2, 0xe471), "NITRO+ RX 7900 XTX Vapor-X 24GB");
  EXPECT_EQ(ids.SubsystemName(0x1002, 0x744c, 0x1002, 0x0e3b), "RX 7900 XTX");
  EXPECT_EQ(ids.SubsystemName(0x10de, 0x2684, 0x1043, 0x889d), "ROG Strix GeForce RTX 4090");
  EXPECT_EQ(ids.SubsystemName(0x8086, 0x56a0, 0x8086, 0x1020), "Arc A770 Graphics");
}

TEST(PciIdsTest, SubsystemName_DoesNotLeakIntoTheNextDevice) {
  PciIds ids = PciIds::Parse(kSample);
  // 1043:889d is a subsystem of 2684, not of 2206 or of 164e.
  EXPECT_EQ(ids.SubsystemName(0x10de, 0x2206, 0x1043, 0x889d), std::nullopt);
  EXPECT_EQ(ids.SubsystemName(0x1002, 0x164e, 0x1da2, 0xe471), std::nullopt);
  EXPECT_EQ(ids.SubsystemName(0x1002, 0x744c, 0x1da2, 0x0e3b), std::nullopt);
  EXPECT_EQ(ids.SubsystemName(0x1002, 0x9999, 0x1da2, 0xe471), std::nullopt);
}

TEST(PciIdsTest, MarketingName_UsesTheBracketedNameWithTheBrand) {
  PciIds ids = PciIds::Parse(kSample);
  using Id = std::pair<std::uint32_t, std::uint32_t>;  // vendor, device
  testing::ExpectEachMapsTo<Id, const char*>(
      [&](const Id& id) { return ids.MarketingName(id.first, id.second); },
      {{{0x8086, 0x56a0}, "Intel Arc A770"},
       {{0x10de, 0x2684}, "NVIDIA GeForce RTX 4090"},
       {{0x1002, 0x744c}, "AMD Radeon RX 7900 XT/7900 XTX"},
       {{0x8086, 0xa780}, "Intel UHD Graphics 770"}});
}

TEST(PciIdsTest, MarketingName_KeepsAWholeNameWithoutBrackets) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.MarketingName(0x1002, 0x164e), "AMD Raphael");
  EXPECT_EQ(ids.MarketingName(0x8086, 0x1234), "Intel Empty brackets []");
}

TEST(PciIdsTest, MarketingName_DoesNotRepeatTheBrand) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.MarketingName(0x8086, 0x7d55), "Intel Arc Graphics");
}

TEST(PciIdsTest, MarketingName_NoBrandForOtherVendorsAndNulloptWhenUnknown) {
  PciIds ids = PciIds::Parse(kSample);
  EXPECT_EQ(ids.MarketingName(0x1a03, 0x2000), "ASPEED Graphics Family");
  EXPECT_EQ(ids.MarketingName(0x8086, 0xdead), std::nullopt);
}

TEST(PciIdsTest, Parse_SurvivesHostileInput) {
  struct Case {
    std::string_view input;
    std::optional<std::string> device_name;  // of 10de:2684
  };
  const Case cases[] = {
      {"", std::nullopt},
      {"\n\n\n", std::nullopt},
      {"10de", std::nullopt},
      {"10de ", std::nullopt},
      {"10de  ", std::nullopt},
      {"\t2684  device before any vendor\n", std::nullopt},
      {"10de  NVIDIA\n\t", std::nullopt},
      {"10de  NVIDIA\n\t2684", std::nullopt},
      {"10de  NVIDIA\n\t2684  AD102\n\t\t", "AD102"},
      {"10de  NVIDIA\n\t2684  AD102\n\t\t1043", "AD102"},
      {"10de  NVIDIA\n\t2684  AD102\n\t\t1043 88", "AD102"},
      {"C", std::nullopt},
      {"8086  Intel\n\t2684  Intel's\n10de  NVIDIA", std::nullopt},
      {std::string_view("10de  NV\0IDIA\n\t2684\0  x", 23), std::nullopt},
  };
  for (const Case& c : cases) {
    PciIds ids = PciIds::Parse(c.input);
    EXPECT_EQ(ids.DeviceName(0x10de, 0x2684), c.device_name) << "input: " << c.input;
    EXPECT_EQ(ids.SubsystemName(0x10de, 0x2684, 0x1043, 0x0088), std::nullopt);
  }
  EXPECT_EQ(PciIds::Parse("10de  NVIDIA\n").VendorName(0x10de), "NVIDIA");
  EXPECT_EQ(PciIds::Parse("10DE  Upper case\n").VendorName(0x10de), "Upper case");
  EXPECT_EQ(PciIds().DeviceName(0x10de, 0x2684), std::nullopt);
}

TEST(PciIdsTest, Parse_IsIndependentOfTheCallersBuffer) {
  std::string text(kSample);
  PciIds ids = PciIds::Parse(text);
  PciIds copy = ids;
  text.assign(text.size(), 'x');
  EXPECT_EQ(copy.DeviceName(0x8086, 0x56a0), "DG2 [Arc A770]");
}

// PciIds::Load(env), expecting success; an empty database (naming nothing) when it fails.
PciIds LoadOrFail(const Env& env) {
  Result<PciIds> ids = PciIds::Load(env);
  EXPECT_TRUE(ids.ok()) << ids.status().message();
  return ids.ok() ? *std::move(ids) : PciIds();
}

// PciIds::Load(env) fails with exactly `code` and `message`.
void ExpectLoadFails(const Env& env, StatusCode code, const std::string& message) {
  Result<PciIds> ids = PciIds::Load(env);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.status().code(), code);
  EXPECT_EQ(ids.status().message(), message);
}

TEST(PciIdsTest, Load_ReadsTheFirstPathThatExists) {
  testing::FakeEnv env;
  env.AddFile("/usr/share/misc/pci.ids", "8086  Intel\n\t56a0  DG2 [Arc A770]\n");
  env.AddFile("/usr/share/pci.ids", "8086  Other\n");
  PciIds ids = LoadOrFail(env);
  EXPECT_EQ(ids.VendorName(0x8086), "Intel");
  EXPECT_EQ(ids.DeviceName(0x8086, 0x56a0), "DG2 [Arc A770]");
  EXPECT_EQ(env.reads(),
            (std::vector<std::string>{"/usr/share/hwdata/pci.ids", "/usr/share/misc/pci.ids"}));
}

TEST(PciIdsTest, Load_FollowsTheHwdataSymlink) {
  testing::FakeEnv env;
  env.AddFile("/usr/share/misc/pci.ids", "8086  Intel\n");
  env.AddSymlink("/usr/share/hwdata/pci.ids", "../misc/pci.ids");
  EXPECT_EQ(LoadOrFail(env).VendorName(0x8086), "Intel");
  EXPECT_EQ(env.reads(), std::vector<std::string>{"/usr/share/hwdata/pci.ids"});
}

TEST(PciIdsTest, Load_MissingEverywhereIsNotFoundListingThePaths) {
  testing::FakeEnv env;
  ExpectLoadFails(env, StatusCode::kNotFound,
                  "pci.ids not found (tried /usr/share/hwdata/pci.ids, /usr/share/misc/pci.ids, "
                  "/usr/share/pci.ids)");
}

TEST(PciIdsTest, Load_OversizedFileIsAnErrorNamingIt) {
  testing::FakeEnv env;
  env.AddFile("/usr/share/hwdata/pci.ids", std::string(PciIds::kMaxFileBytes + 1, '#'));
  ExpectLoadFails(env, StatusCode::kIoError,
                  "/usr/share/hwdata/pci.ids: larger than the 8388608-byte limit for this file");
}

TEST(PciIdsTest, Load_UnreadableFileFallsBackToTheNextPath) {
  testing::FakeEnv env;
  env.AddFile("/usr/share/hwdata/pci.ids", "10de  Hidden\n");
  env.FailPath("/usr/share/hwdata/pci.ids", EACCES);
  env.AddFile("/usr/share/pci.ids", "10de  NVIDIA Corporation\n");
  PciIds ids = LoadOrFail(env);
  EXPECT_EQ(ids.VendorName(0x10de), "NVIDIA Corporation");
}

TEST(PciIdsTest, Load_UnreadableAndNoFallbackReportsTheFailure) {
  testing::FakeEnv env;
  env.AddFile("/usr/share/misc/pci.ids", "10de  Hidden\n");
  env.FailPath("/usr/share/misc/pci.ids", EACCES);
  ExpectLoadFails(env, StatusCode::kPermissionDenied, "/usr/share/misc/pci.ids: Permission denied");
}

// The installed database, when there is one: the names the rest of devpick relies on, and the cost.
class InstalledPciIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<PciIds> ids = PciIds::Load(*NewRealEnv());
    if (!ids.ok()) GTEST_SKIP() << "no pci.ids installed: " << ids.status().message();
    ids_ = std::make_unique<PciIds>(std::move(ids).value());
  }
  std::unique_ptr<PciIds> ids_;
};

TEST_F(InstalledPciIdsTest, NamesTheArcA770) {
  EXPECT_EQ(ids_->DeviceName(0x8086, 0x56a0), "DG2 [Arc A770]");
  EXPECT_EQ(ids_->MarketingName(0x8086, 0x56a0), "Intel Arc A770");
  EXPECT_EQ(ids_->VendorName(0x10de), "NVIDIA Corporation");
  EXPECT_EQ(ids_->MarketingName(0x10de, 0x2684), "NVIDIA GeForce RTX 4090");
  // The class section's "\t00  VGA compatible controller" must not become a device of ffff.
  EXPECT_EQ(ids_->DeviceName(0xffff, 0x0000), std::nullopt);
  EXPECT_GT(ids_->vendor_count(), 1000u);
}

}  // namespace
}  // namespace devpick
