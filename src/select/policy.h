// Policies: the order in which eligible devices are preferred (DESIGN.md "Selection", step 3).
//
// performance: dgpu, igpu, cpu, npu (NPUs only when asked for; select.cc enforces that);
// efficiency: npu, igpu, dgpu, cpu; memory: most dedicated memory first, then as performance.
// Within a kind: higher estimated FP32 throughput, then more memory, then lower PCI address, so the
// order is total and the same inventory always gives the same choice.
//
// Thread-safety: pure functions over a constant table.
#ifndef DEVPICK_SELECT_POLICY_H_
#define DEVPICK_SELECT_POLICY_H_

#include "devpick/inventory.h"
#include "devpick/select.h"

namespace devpick {

// Position of `kind` in the policy's kind order (0 first).
int KindOrder(Policy policy, DeviceKind kind);
// Memory the device does not share with the host (0 for iGPUs, NPUs and the CPU).
std::uint64_t DedicatedMemoryBytes(const Device& device);
// Whether `a` is preferred over `b` under `policy` (a strict weak order; ids break exact ties).
bool RanksBefore(Policy policy, const Device& a, const Device& b);

}  // namespace devpick

#endif  // DEVPICK_SELECT_POLICY_H_
