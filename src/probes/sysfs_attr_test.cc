#include "probes/sysfs_attr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(SysfsAttr, ParseHexAttribute_ReadsKernelFormat) {
  Result<std::uint32_t> vendor = ParseHexAttribute("0x10de\n", 0xffff, "0x10de");
  ASSERT_TRUE(vendor.ok()) << vendor.status().message();
  EXPECT_EQ(*vendor, 0x10deu);
  Result<std::uint32_t> class_code = ParseHexAttribute("0x030200\n", 0xffffff, "0x030000");
  ASSERT_TRUE(class_code.ok());
  EXPECT_EQ(*class_code, 0x030200u);
  EXPECT_EQ(*ParseHexAttribute("0X56A0", 0xffff, "0x10de"), 0x56a0u);
}

TEST(SysfsAttr, ParseHexAttribute_RejectsGarbageWithExactText) {
  Result<std::uint32_t> garbage = ParseHexAttribute("zz\n", 0xffffff, "0x030000");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().message(), "expected a hex number such as 0x030000, got \"zz\"");
  EXPECT_EQ(ParseHexAttribute("0xzz\n", 0xffff, "0x10de").status().message(),
            "expected a hex number such as 0x10de, got \"0xzz\"");
  EXPECT_EQ(ParseHexAttribute("", 0xffff, "0x10de").status().message(),
            "expected a hex number such as 0x10de, got \"\"");
  EXPECT_EQ(ParseHexAttribute("0x", 0xffff, "0x10de").status().message(),
            "expected a hex number such as 0x10de, got \"0x\"");
  EXPECT_EQ(ParseHexAttribute("0x030000 junk\n", 0xffffff, "0x030000").status().message(),
            "expected a hex number such as 0x030000, got \"0x030000 junk\"");
  EXPECT_FALSE(ParseHexAttribute("0x-1", 0xffff, "0x10de").ok());
  EXPECT_FALSE(ParseHexAttribute("10de", 0xffff, "0x10de").ok());
}

TEST(SysfsAttr, ParseHexAttribute_RejectsOutOfRange) {
  EXPECT_EQ(ParseHexAttribute("0x1ffff\n", 0xffff, "0x10de").status().message(),
            "\"0x1ffff\" is out of range (at most 0xffff)");
  // More digits than 32 bits can hold must not wrap around.
  EXPECT_EQ(ParseHexAttribute("0xffffffffffffffffff", 0xffff, "0x10de").status().message(),
            "expected a hex number such as 0x10de, got \"0xffffffffffffffffff\"");
}

TEST(SysfsAttr, QuoteForMessage_EscapesBinaryAndShortens) {
  EXPECT_EQ(QuoteForMessage(std::string("a\xff\"\\\n", 5)), "a\\xff\\x22\\x5c\\x0a");
  EXPECT_EQ(QuoteForMessage(std::string(50, 'x')), std::string(40, 'x') + "...");
  Result<std::uint32_t> binary = ParseHexAttribute(std::string("\x00\x01", 2), 0xffff, "0x10de");
  EXPECT_EQ(binary.status().message(), "expected a hex number such as 0x10de, got \"\\x00\\x01\"");
}

TEST(SysfsAttr, ValidUtf8_ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(ValidUtf8("Intel(R) Arc(TM) \xc2\xae \xe2\x84\xa2 \xf0\x9f\x98\x80"),
            "Intel(R) Arc(TM) \xc2\xae \xe2\x84\xa2 \xf0\x9f\x98\x80");
  EXPECT_EQ(ValidUtf8("a\xff"
                      "b"),
            "a\xef\xbf\xbd"
            "b");
  // Overlong encoding, a UTF-16 surrogate, and a sequence cut off by the end of the file.
  EXPECT_EQ(ValidUtf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(ValidUtf8("x\xe2\x84"), "x\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(SysfsAttr, ParseDecimalInt_ReadsNegativeAndRejectsOverflow) {
  EXPECT_EQ(*ParseDecimalInt("-1\n"), -1);
  EXPECT_EQ(*ParseDecimalInt("0\n"), 0);
  EXPECT_EQ(*ParseDecimalInt("2147483647"), 2147483647);
  EXPECT_EQ(*ParseDecimalInt("-2147483648"), -2147483647 - 1);
  EXPECT_EQ(ParseDecimalInt("2147483648").status().message(), "\"2147483648\" is out of range");
  EXPECT_EQ(ParseDecimalInt("NaN\n").status().message(),
            "expected a decimal number such as -1, got \"NaN\"");
  EXPECT_FALSE(ParseDecimalInt("-").ok());
  EXPECT_FALSE(ParseDecimalInt("1 2").ok());
}

TEST(SysfsAttr, ParseDecimalU64_ReadsBytesAndRejectsHuge) {
  EXPECT_EQ(*ParseDecimalU64("25753026560\n"), 25753026560u);
  EXPECT_EQ(*ParseDecimalU64("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(ParseDecimalU64("18446744073709551616").status().message(),
            "\"18446744073709551616\" is out of range");
  EXPECT_EQ(ParseDecimalU64("-5").status().message(),
            "expected an unsigned decimal number such as 25753026560, got \"-5\"");
  EXPECT_FALSE(ParseDecimalU64("").ok());
}

TEST(SysfsAttr, ParseCpuList_ExpandsRanges) {
  EXPECT_THAT(*ParseCpuList("0-3,8,10-11\n"), ElementsAre(0, 1, 2, 3, 8, 10, 11));
  EXPECT_THAT(*ParseCpuList("\n"), IsEmpty());
  EXPECT_THAT(*ParseCpuList("3,1,1"), ElementsAre(1, 3));
  EXPECT_EQ(ParseCpuList("3-1").status().message(),
            "expected a CPU list such as 0-3,8-11, got \"3-1\"");
  EXPECT_FALSE(ParseCpuList("0-").ok());
  EXPECT_FALSE(ParseCpuList("a").ok());
  EXPECT_FALSE(ParseCpuList("0,,1").ok());
  // Bounded so that a hostile file cannot make the parser allocate gigabytes.
  EXPECT_FALSE(ParseCpuList("0-2000000000").ok());
}

TEST(SysfsAttr, ParseKeyValueLines_ReadsKfdProperties) {
  Result<std::map<std::string, std::string>> values =
      ParseKeyValueLines("simd_count 192\ngfx_target_version 110000\n\nunique_id 42\n");
  ASSERT_TRUE(values.ok()) << values.status().message();
  EXPECT_THAT(*values, ElementsAre(Pair("gfx_target_version", "110000"), Pair("simd_count", "192"),
                                   Pair("unique_id", "42")));
}

TEST(SysfsAttr, ParseKeyValueLines_RejectsMalformedAndDuplicateLines) {
  EXPECT_EQ(ParseKeyValueLines("simd_count 192\nsimd_c\n").status().message(),
            "line 2: expected \"key value\", got \"simd_c\"");
  EXPECT_EQ(ParseKeyValueLines("a 1\na 2\n").status().message(), "line 2: duplicate key \"a\"");
}

TEST(SysfsAttr, ParseNvidiaInformation_ReadsDriverFormat) {
  Result<NvidiaProcfsGpu> gpu = ParseNvidiaInformation(
      "Model: \t\t NVIDIA GeForce RTX 4090\n"
      "IRQ:   \t\t 186\n"
      "GPU UUID: \t GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50\n"
      "Video BIOS: \t 95.02.18.80.87\n"
      "Bus Location: \t 0000:01:00.0\n"
      "Device Minor: \t 1\n"
      "GPU Excluded:\t No\n");
  ASSERT_TRUE(gpu.ok()) << gpu.status().message();
  EXPECT_EQ(gpu->model, "NVIDIA GeForce RTX 4090");
  EXPECT_EQ(gpu->uuid, "GPU-6a1f0c2e-1d3b-7c4e-9a2f-0b1c2d3e4f50");
  EXPECT_EQ(gpu->device_minor, 1);
}

TEST(SysfsAttr, ParseNvidiaInformation_OldDriverWithoutUuidOrMinor) {
  Result<NvidiaProcfsGpu> gpu = ParseNvidiaInformation("Model: \t\t GeForce GTX 650\nIRQ: 30\n");
  ASSERT_TRUE(gpu.ok());
  EXPECT_EQ(gpu->model, "GeForce GTX 650");
  EXPECT_EQ(gpu->uuid, std::nullopt);
  EXPECT_EQ(gpu->device_minor, std::nullopt);
  EXPECT_EQ(ParseNvidiaInformation("Device Minor: \t x\n").status().message(),
            "Device Minor: expected a number such as 0, got \"x\"");
}

TEST(SysfsAttr, ParseNvidiaVersion_ReadsProprietaryAndOpenModules) {
  EXPECT_EQ(*ParseNvidiaVersion("NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu "
                                "Feb 22 01:44:30 UTC 2024\nGCC version:  gcc version 12.3.0\n"),
            "550.54.14");
  EXPECT_EQ(*ParseNvidiaVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                                "575.57.08  Release Build  (dvs-builder@U16)  Tue May 20\n"),
            "575.57.08");
  EXPECT_EQ(*ParseNvidiaVersion("NVRM version: NVIDIA UNIX x86_64 Kernel Module  390.157  Wed\n"),
            "390.157");
}

TEST(SysfsAttr, ParseNvidiaVersion_RejectsTextWithoutVersion) {
  EXPECT_EQ(ParseNvidiaVersion("NVRM version: garbage\n").status().message(),
            "no version number such as 550.54.14 in \"NVRM version: garbage\"");
  EXPECT_EQ(ParseNvidiaVersion("GCC version:  gcc version 12.3.0\n").status().message(),
            "no \"NVRM version:\" line");
  EXPECT_FALSE(ParseNvidiaVersion("NVRM version: 1.2.3.4 .5 5. 5..5\n").ok());
}

}  // namespace
}  // namespace devpick
