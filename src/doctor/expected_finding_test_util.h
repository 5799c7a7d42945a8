// A test's expectation of one doctor finding, compared field by field, so that each check test
// states only the finding it expects instead of repeating one EXPECT per field.
//
// Thread-safety: functions over their arguments.
#ifndef DEVPICK_DOCTOR_EXPECTED_FINDING_TEST_UTIL_H_
#define DEVPICK_DOCTOR_EXPECTED_FINDING_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "devpick/doctor.h"

namespace devpick::testing {

// Evidence or backends, as a test spells them in an ExpectedFinding.
using Lines = std::vector<std::string>;

// A field left unset is not compared: a test names what its scenario is about.
struct ExpectedFinding {
  std::optional<std::string> code = std::nullopt;
  std::optional<Severity> severity = std::nullopt;
  std::optional<std::string> device_id = std::nullopt;
  std::optional<std::string> message = std::nullopt;
  std::optional<std::vector<std::string>> evidence = std::nullopt;
  std::optional<std::string> remedy = std::nullopt;
  std::optional<std::vector<std::string>> backends = std::nullopt;
};

// `actual` equals `*expected` where the test set it.
template <typename T>
void ExpectIfSet(const char* field, const T& actual, const std::optional<T>& expected) {
  if (expected) {
    EXPECT_EQ(actual, *expected) << field;
  }
}

inline void ExpectFinding(const Finding& actual, const ExpectedFinding& expected) {
  SCOPED_TRACE(actual.code);
  ExpectIfSet("code", actual.code, expected.code);
  ExpectIfSet("severity", actual.severity, expected.severity);
  ExpectIfSet("device_id", actual.device_id, expected.device_id);
  ExpectIfSet("message", actual.message, expected.message);
  ExpectIfSet("evidence", actual.evidence, expected.evidence);
  ExpectIfSet("remedy", actual.remedy, expected.remedy);
  ExpectIfSet("backends", actual.backends, expected.backends);
}

}  // namespace devpick::testing

#endif  // DEVPICK_DOCTOR_EXPECTED_FINDING_TEST_UTIL_H_
