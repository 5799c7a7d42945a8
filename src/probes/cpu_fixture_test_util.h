// The captured /proc and sysfs texts of real CPUs under tests/fixtures/cpu, read by the CPU parser
// and probe tests alike.
//
// Thread-safety: reads files only.
#ifndef DEVPICK_PROBES_CPU_FIXTURE_TEST_UTIL_H_
#define DEVPICK_PROBES_CPU_FIXTURE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "devpick/env.h"

namespace devpick::testing {

// The text of tests/fixtures/cpu/`name`; "" with a test failure when it cannot be read.
inline std::string CpuFixture(const std::string& name) {
  std::string path = std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/cpu/" + name;
  Result<std::string> text = NewRealEnv()->ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.value_or("");
}

}  // namespace devpick::testing

#endif  // DEVPICK_PROBES_CPU_FIXTURE_TEST_UTIL_H_
