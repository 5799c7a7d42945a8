#include "core/bounded_toml.h"

#include <gtest/gtest.h>

#include <string>

namespace devpick {
namespace {

std::string Repeat(const std::string& part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST(BoundedToml, DevpicksOwnConfigurationIsWithinTheBound) {
  EXPECT_FALSE(
      FindTomlTooDeep("device = \"dgpu,igpu,cpu\"\nexclude = [\"igpu\"]\n"
                      "[backends.openvino]\ndevice = \"GPU.1\"\n"
                      "x = { a = { b = [1, [2, 3]] } }\n"));
}

TEST(BoundedToml, DottedKeysAtTheBoundPassAndOneMoreIsRefused) {
  EXPECT_FALSE(FindTomlTooDeep("a" + Repeat(".a", 31) + " = 1\n"));
  std::optional<TomlDepthError> deep = FindTomlTooDeep("\n\na" + Repeat(".a", 32) + " = 1\n");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 3u);
  EXPECT_EQ(deep->reason,
            "keys, tables and values nested deeper than 32 levels (devpick reads at most 32)");
}

TEST(BoundedToml, KeysCountUnderTheirTableHeader) {
  EXPECT_FALSE(FindTomlTooDeep("[" + Repeat("t.", 15) + "t]\n" + "k" + Repeat(".k", 15) + "=1"));
  EXPECT_TRUE(FindTomlTooDeep("[" + Repeat("t.", 15) + "t]\n" + "k" + Repeat(".k", 16) + "=1"));
  EXPECT_TRUE(FindTomlTooDeep("[[" + Repeat("t.", 31) + "t]]\n"));
}

TEST(BoundedToml, NestedArraysAndInlineTablesCount) {
  EXPECT_FALSE(FindTomlTooDeep("a = " + Repeat("[", 31) + Repeat("]", 31)));
  EXPECT_TRUE(FindTomlTooDeep("a = " + Repeat("[", 32) + Repeat("]", 32)));
  EXPECT_TRUE(FindTomlTooDeep("a = " + Repeat("{b = ", 32) + "1" + Repeat("}", 32)));
  // Siblings do not add up: a long flat array of small tables is shallow.
  EXPECT_FALSE(FindTomlTooDeep("a = [" + Repeat("{b = [1]}, ", 5000) + "{}]"));
}

// Found in review: an empty inline table closed while a key was expected left the scanner out of
// step with the text, so the dotted keys after it were not counted (the overflow came back), and
// a float after "{}" in an array counted as a dotted key.
TEST(BoundedToml, AnEmptyInlineTableDoesNotDesynchronizeTheScan) {
  std::optional<TomlDepthError> deep =
      FindTomlTooDeep("a = [{}]\nx = 1\nb" + Repeat(".b", 49999) + " = 1\n");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 3u);
  EXPECT_TRUE(FindTomlTooDeep("a = [{}]\n[b" + Repeat(".b", 49999) + "]\n"));
  EXPECT_TRUE(FindTomlTooDeep("a = {x = 1, }\nb" + Repeat(".b", 100) + " = 1\n"));
  EXPECT_FALSE(FindTomlTooDeep("v = [\n {},\n" + Repeat(" 1.5,\n", 40) + "]\n"));
  EXPECT_FALSE(FindTomlTooDeep("v = [{}, {a = 1}, {}]\nw = 2.5\n"));
}

TEST(BoundedToml, DotsAndBracketsInStringsValuesAndCommentsDoNotCount) {
  std::string dots = Repeat(".", 100);
  EXPECT_FALSE(FindTomlTooDeep("\"" + dots + "\" = '" + dots + "'\n"));
  EXPECT_FALSE(FindTomlTooDeep("a = \"\"\"\n" + Repeat("[", 100) + "\n\"\"\"\n"));
  EXPECT_FALSE(FindTomlTooDeep("a = '''" + Repeat("{", 100) + "'''\n# " + Repeat("[", 100)));
  EXPECT_FALSE(FindTomlTooDeep("floats = [" + Repeat("1.5, ", 100) + "2.5]\n"));
  EXPECT_FALSE(FindTomlTooDeep("a = \"\\\"" + Repeat("[", 100) + "\"\n"));
}

}  // namespace
}  // namespace devpick
