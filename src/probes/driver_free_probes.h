// The driver-free probes: kernel interfaces only, no vendor library, always in process.
//
// Each fills its part of Observations and its probes.<name> entry; a file it cannot read becomes a
// warning in that entry (with the path and the reason) and the probe carries on with what it has.
#ifndef DEVPICK_SRC_PROBES_DRIVER_FREE_PROBES_H_
#define DEVPICK_SRC_PROBES_DRIVER_FREE_PROBES_H_

#include "devpick/env.h"
#include "devpick/observations.h"

namespace devpick {

// Host facts: kernel release, architecture, container and WSL detection (into out->host).
void RunHostProbe(const Env& env, Observations* out);
// PCI display/accelerator functions, DRM and accel nodes, amdgpu memory, /proc/driver/nvidia,
// module versions (out->pci, out->probes.sysfs). See research/sysfs.md.
void RunSysfsProbe(const Env& env, Observations* out);
// KFD topology GPU nodes (out->probes.rocm).
void RunRocmProbe(const Env& env, Observations* out);
// CPUID (live system only) plus /proc/cpuinfo, topology, memory, cgroup limits (out->cpu,
// out->probes.cpu).
void RunCpuProbe(const Env& env, Observations* out);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_DRIVER_FREE_PROBES_H_
