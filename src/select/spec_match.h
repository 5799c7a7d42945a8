// Whether a device spec item (DESIGN.md "Device spec grammar") names a device, given what the
// backend calls it. Kinds, vendors, ids, pci:, uuid: and name: match the device itself; an index
// and a native spelling match the backend's ordinal and name.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_SPEC_MATCH_H_
#define DEVPICK_SELECT_SPEC_MATCH_H_

#include <optional>
#include <string>

#include "devpick/inventory.h"
#include "select/device_spec.h"

namespace devpick {

// `ordinal` and `native` are the backend's index and spelling of the device (nullopt / "" when it
// has none).
bool Matches(const DeviceSpecItem& item, const Device& device, std::optional<int> ordinal,
             const std::string& native);

}  // namespace devpick

#endif  // DEVPICK_SELECT_SPEC_MATCH_H_
