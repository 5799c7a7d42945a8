#include "core/bounded_json.h"

#include <gtest/gtest.h>

#include <string>

namespace devpick {
namespace {

std::string Nested(std::size_t levels) {
  return "{\"devpick_snapshot\":1,\"pci\":" + std::string(levels, '[') + std::string(levels, ']') +
         "}";
}

TEST(BoundedJson, AcceptsNestingUpToTheLimit) {
  ParsedJson parsed = ParseBoundedJson(std::string(64, '[') + std::string(64, ']'));
  ASSERT_FALSE(parsed.error) << parsed.error->Describe();
  EXPECT_TRUE(parsed.value.is_array());
}

TEST(BoundedJson, RefusesOneLevelPastTheLimitNamingWhere) {
  ParsedJson parsed = ParseBoundedJson("[\n" + std::string(64, '[') + std::string(65, ']'));
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->Describe(),
            "line 2, column 64: nested deeper than 64 levels of arrays and objects (devpick reads "
            "at most 64)");
  EXPECT_TRUE(parsed.value.is_null());
}

// Issue 12's reproducer: 100,000 nested arrays (200 KB) crashed the snapshot reader's error path.
TEST(BoundedJson, HundredThousandNestedArraysAreRefusedNotACrash) {
  ParsedJson parsed = ParseBoundedJson(Nested(100000));
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->Describe(),
            "line 1, column 92: nested deeper than 64 levels of arrays and objects (devpick reads "
            "at most 64)");
}

TEST(BoundedJson, BracketsInsideStringsDoNotCount) {
  ParsedJson parsed = ParseBoundedJson("[\"" + std::string(100, '[') + "\\\"\"]");
  ASSERT_FALSE(parsed.error) << parsed.error->Describe();
  EXPECT_EQ(parsed.value[0], std::string(100, '[') + "\"");
}

TEST(BoundedJson, SyntaxErrorsHaveLineAndColumn) {
  ParsedJson parsed = ParseBoundedJson("{\n  \"a\": x\n}");
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->Describe(),
            "line 2, column 8: syntax error while parsing value - invalid literal; last read: "
            "'\"a\": x'");
}

TEST(BoundedJson, NumberTooLargeForADoubleIsAnErrorWithoutPosition) {
  ParsedJson parsed = ParseBoundedJson("[1E400]");
  ASSERT_TRUE(parsed.error);
  EXPECT_FALSE(parsed.error->positioned);
  EXPECT_EQ(parsed.error->Describe(), "number overflow parsing '1E400'");
}

}  // namespace
}  // namespace devpick
