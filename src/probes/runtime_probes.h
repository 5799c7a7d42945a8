// The runtime probes: each loads one vendor library by soname, asks it what devices it sees, and
// fills its probes.<name> entry (SNAPSHOT.md). A missing library is `absent` (with the loader's
// message), a library that fails is `error` with a detail naming the call and its result code, and
// anything odd that did not stop the probe (an unreadable property, a capped count) is a warning.
//
// These functions run vendor code in the calling process and may crash or hang with it; Probe()
// (devpick/discover.h) therefore runs them in a child process (tools/devpick-probe) by default.
// Only env.OpenLibrary is used from the Env: vendor libraries read the real environment themselves.
//
// Thread-safety: each may run concurrently with the others; none is re-entrant for the same vendor
// library (NVML and Level Zero keep process-wide state).
#ifndef DEVPICK_SRC_PROBES_RUNTIME_PROBES_H_
#define DEVPICK_SRC_PROBES_RUNTIME_PROBES_H_

#include <optional>
#include <string>
#include <string_view>

#include "devpick/env.h"
#include "devpick/observations.h"

namespace devpick {

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

#endif  // DEVPICK_SRC_PROBES_RUNTIME_PROBES_H_
