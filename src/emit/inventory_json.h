// The `devpick list --json` document (DESIGN.md "list --json output", a fixed contract):
// {"devices": [...], "diagnostics": [...], "backends": {...}}. Field names never change; fields may
// be added.
#ifndef DEVPICK_SRC_EMIT_INVENTORY_JSON_H_
#define DEVPICK_SRC_EMIT_INVENTORY_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devpick/inventory.h"

namespace devpick {

// Which device each backend would use: (backend, device id or nullopt), in table order.
using BackendChoices = std::vector<std::pair<std::string, std::optional<std::string>>>;

nlohmann::ordered_json DeviceToJson(const Device& device);
nlohmann::ordered_json InventoryToJson(const Inventory& inventory, const BackendChoices& backends);

}  // namespace devpick

#endif  // DEVPICK_SRC_EMIT_INVENTORY_JSON_H_
