// The human form of `devpick list`: a device table, problems with remedies, probe outcomes, and one
// line per backend with the device it would use. Plain text, no colour; stable enough to read in a
// bug report, not a contract (use --json for that).
#ifndef DEVPICK_SRC_EMIT_LIST_TEXT_H_
#define DEVPICK_SRC_EMIT_LIST_TEXT_H_

#include <optional>
#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "emit/backend_summary.h"

namespace devpick {

// "16.0 GiB", "512 MiB".
std::string FormatBytes(std::uint64_t bytes);

std::string FormatInventoryText(const Inventory& inventory,
                                const std::vector<BackendLine>& backends, bool verbose);

}  // namespace devpick

#endif  // DEVPICK_SRC_EMIT_LIST_TEXT_H_
