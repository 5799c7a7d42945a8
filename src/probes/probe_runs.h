// The probes' run functions, one per probe, each filling its part of Observations and its
// probes.<name> entry (SNAPSHOT.md); registry.cc lists them in one table.
//
// Driver-free probes read kernel interfaces only, with no vendor library, always in process: a file
// one cannot read becomes a warning in its entry (with the path and the reason) and the probe
// carries on with what it has.
//
// Runtime probes each load one vendor library by soname and ask it what devices it sees. A missing
// library is `absent` (with the loader's message), a library that fails is `error` with a detail
// naming the call and its result code, and anything odd that did not stop the probe (an unreadable
// property, a capped count) is a warning. They run vendor code in the calling process and may crash
// or hang with it; Probe() (devpick/discover.h) therefore runs them in a child process
// (tools/devpick-probe) by default. Only env.OpenLibrary is used from the Env: vendor libraries
// read the real environment themselves.
//
// Thread-safety: each may run concurrently with the others; no runtime probe is re-entrant for the
// same vendor library (NVML and Level Zero keep process-wide state).
#ifndef DEVPICK_SRC_PROBES_PROBE_RUNS_H_
#define DEVPICK_SRC_PROBES_PROBE_RUNS_H_

#include <optional>
#include <string>
#include <string_view>

#include "devpick/env.h"
#include "devpick/observations.h"

namespace devpick {

// ---- Driver-free probes ----

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

// ---- Runtime probes ----

// libnvidia-ml.so.1: NVIDIA GPUs in NVML order, never creating a CUDA context.
void RunNvmlProbe(const Env& env, Observations* out);
// libcuda.so.1: cuInit and device attributes only; no context, no memory query.
void RunCudaProbe(const Env& env, Observations* out);
// libze_loader.so.1: Level Zero drivers and their devices (GPUs, NPUs).
void RunLevelZeroProbe(const Env& env, Observations* out);
// libOpenCL.so.1: every platform of the ICD loader and its devices.
void RunOpenClProbe(const Env& env, Observations* out);
// libvulkan.so.1: physical devices of an instance created without layers.
void RunVulkanProbe(const Env& env, Observations* out);
// libopenvino_c.so: OpenVINO's available devices and their properties.
void RunOpenVinoProbe(const Env& env, Observations* out);

// OpenVINO's DEVICE_PCI_INFO text, "{domain: 0 bus: 0 device: 0xb function: 0}", as "0000:00:0b.0";
// nullopt when a part is missing or malformed. Values may be decimal or 0x-prefixed hex.
std::optional<std::string> ParseOpenVinoPciInfo(std::string_view text);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_PROBE_RUNS_H_
