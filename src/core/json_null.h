// How the JSON documents devpick writes (snapshot, list --json, select --json) spell a value that
// was not observed: null under its key, so that the documents keep their keys.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SRC_CORE_JSON_NULL_H_
#define DEVPICK_SRC_CORE_JSON_NULL_H_

#include <nlohmann/json.hpp>
#include <optional>

namespace devpick {

// The value, or null when it is absent.
template <typename T>
nlohmann::ordered_json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_JSON_NULL_H_
