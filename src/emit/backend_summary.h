// What every backend would choose on a machine: the last section of `devpick list` and its
// `backends` JSON map, shared by the CLI and the C ABI.
#ifndef DEVPICK_SRC_EMIT_BACKEND_SUMMARY_H_
#define DEVPICK_SRC_EMIT_BACKEND_SUMMARY_H_

#include <optional>
#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "emit/inventory_json.h"

namespace devpick {

struct BackendLine {
  std::string backend;
  std::optional<std::string> device_id;  // null: nothing eligible
  std::string native;                    // what the backend calls it: "GPU.1", "cuda:0"
  std::string note;                      // why nothing, or the env that makes `native` exact
};

// One line per backend in table order, from a default request (performance policy, no pin).
std::vector<BackendLine> SummarizeBackends(const Inventory& inventory);
BackendChoices ToBackendChoices(const std::vector<BackendLine>& lines);

}  // namespace devpick

#endif  // DEVPICK_SRC_EMIT_BACKEND_SUMMARY_H_
