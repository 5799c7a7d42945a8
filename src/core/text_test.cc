#include "core/text.h"

#include <gtest/gtest.h>

#include <string>

namespace devpick {
namespace {

TEST(ForTerminal, EscapesControlCharactersButKeepsNewlineTabAndUtf8) {
  EXPECT_EQ(ForTerminal("Arc\x1b]0;owned\x07 A770\r\n\tGPU\x7f"),
            "Arc\\x1b]0;owned\\x07 A770\\x0d\n\tGPU\\x7f");
  EXPECT_EQ(ForTerminal("Radeon\xc2\x9b"
                        "31m \xc2\xb5s \xe2\x80\x94 ok"),
            "Radeon\\u009b31m \xc2\xb5s \xe2\x80\x94 ok");
  EXPECT_EQ(ForTerminal(std::string("a\0b", 3)), "a\\x00b");
}

TEST(ForMessage, EscapesNewlinesTooAndShortens) {
  EXPECT_EQ(ForMessage("GPU-1\nLD_PRELOAD=evil.so\t"), "GPU-1\\x0aLD_PRELOAD=evil.so\\x09");
  EXPECT_EQ(ForMessage(std::string(100, 'a') + "\x1b"),
            std::string(80, 'a') + "... (101 bytes in all)");
}

TEST(FindControlCharacter, FindsTheFirstIncludingNewline) {
  EXPECT_EQ(FindControlCharacter("GPU-1234\nLD_PRELOAD=evil.so"), 8u);
  EXPECT_EQ(FindControlCharacter("x\xc2\x85"), 1u);
  EXPECT_EQ(FindControlCharacter("GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"), std::nullopt);
}

TEST(ShortenForMessage, KeepsShortTextAndNamesTheLengthOfLongText) {
  EXPECT_EQ(ShortenForMessage("memory"), "memory");
  EXPECT_EQ(ShortenForMessage(std::string(1 << 20, 'x'), 4), "xxxx... (1048576 bytes in all)");
  EXPECT_EQ(ShortenForMessage("ab\xe2\x80\x94", 3), "ab... (5 bytes in all)");
}

}  // namespace
}  // namespace devpick
