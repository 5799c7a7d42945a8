// Inside select: the decision for one backend row, and the recommendation that tries backends in
// turn. Select() (devpick/select.h) dispatches between them.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_SELECTOR_H_
#define DEVPICK_SELECT_SELECTOR_H_

#include "devpick/select.h"
#include "select/backend_table.h"

namespace devpick {

// The decision of backend `row` for `request` (whose backend field is not read).
Result<Decision> SelectWith(const Inventory& inventory, const Request& request,
                            const BackendInfo& row);

// The decision when no backend was given: the backend users of the best device would install.
Result<Decision> Recommend(const Inventory& inventory, const Request& request);

}  // namespace devpick

#endif  // DEVPICK_SELECT_SELECTOR_H_
