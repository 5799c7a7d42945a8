#include "devpick/pci_address.h"

#include <gtest/gtest.h>

#include "expect_table.h"
namespace devpick {
namespace {

TEST(PciAddress, ParsesSysfsNvmlAndShortForms) {
  testing::ExpectEachMapsTo<std::string_view, const char*>(CanonicalPciAddress,
                                                           {{"0000:03:00.0", "0000:03:00.0"},
                                                            {"00000000:0B:00.0", "0000:0b:00.0"},
                                                            {"03:00.0", "0000:03:00.0"},
                                                            {"0035:04:00.0", "0035:04:00.0"},
                                                            {"1A2B3:00:00.0", "1a2b3:00:00.0"}});
}

TEST(PciAddress, RejectsMalformed) {
  for (const char* bad : {"", "03:00", "0000:03:00.8", "0000:03:20.0", "zz:00.0", "0000:03:00.0x",
                          "1:2:3:4.0", "000000000:03:00.0"}) {
    EXPECT_FALSE(ParsePciAddress(bad).has_value()) << bad;
  }
}

TEST(PciAddress, ComparesNumerically) {
  EXPECT_LT(*ParsePciAddress("0000:03:00.0"), *ParsePciAddress("0000:0b:00.0"));
  EXPECT_EQ(*ParsePciAddress("00000000:01:00.0"), *ParsePciAddress("0000:01:00.0"));
  EXPECT_LT(*ParsePciAddress("0004:05:00.0"), *ParsePciAddress("0035:04:00.0"));
}

}  // namespace
}  // namespace devpick
