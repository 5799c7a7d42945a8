// One table-driven check for the many tests that map inputs to exact outputs, so that a case is a
// row rather than another copy of the same assertion.
//
// Thread-safety: stateless.
#ifndef DEVPICK_TESTS_TESTING_EXPECT_TABLE_H_
#define DEVPICK_TESTS_TESTING_EXPECT_TABLE_H_

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

namespace devpick::testing {

// Expects fn(input) == want for every {input, want} row, each failure naming its row's input.
template <typename In, typename Want, typename Fn>
void ExpectEachMapsTo(const Fn& fn, std::initializer_list<std::pair<In, Want>> rows) {
  for (const auto& [input, want] : rows) {
    SCOPED_TRACE(::testing::PrintToString(input));
    EXPECT_EQ(fn(input), want);
  }
}

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_TESTING_EXPECT_TABLE_H_
