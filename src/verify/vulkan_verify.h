// Verification through Vulkan compute (lavapipe on a CPU, any vendor's driver on a GPU): loads
// libvulkan.so.1 through Env::OpenLibrary, reaches every other entry point through
// vkGetInstanceProcAddr / vkGetDeviceProcAddr, creates an instance and a logical device on the
// chosen physical device, and runs two compute pipelines whose SPIR-V was compiled from
// shaders/sgemm.comp and shaders/copy.comp at build time (glslangValidator) and embedded in the
// binary. Results are checked on the host (see verify.h for what is measured).
//
// Creating a device is what discovery never does; verify does it because the user asked for real
// work. Buffers are host-visible (device-local as well where the driver offers such a type), so
// the copy figure on a discrete GPU without resizable BAR measures that memory, not VRAM.
//
// A failing Vulkan call is reported as failed_step = the call ("vkCreateDevice") and detail =
// "<call>: <VkResult name> (<code>)".
//
// Thread-safety: reentrant; each call creates and destroys its own instance.
#ifndef DEVPICK_SRC_VERIFY_VULKAN_VERIFY_H_
#define DEVPICK_SRC_VERIFY_VULKAN_VERIFY_H_

#include <cstdint>
#include <span>

#include "devpick/env.h"
#include "verify/verify.h"

namespace devpick {

// Runs the workload on `target` (target.device in vkEnumeratePhysicalDevices order, or the first
// physical device of type CPU when target.first_cpu; target.api and target.platform are ignored).
VerifyResult VerifyVulkan(const Env& env, const VerifyTarget& target, const VerifyOptions& options);

namespace verify_internal {

// The embedded SPIR-V of shaders/sgemm.comp and shaders/copy.comp.
std::span<const std::uint32_t> VulkanSgemmSpirv();
std::span<const std::uint32_t> VulkanCopySpirv();

// VerifyVulkan with another SGEMM shader (same bindings and push constant), so tests can check
// that a wrong result is caught on the real driver.
VerifyResult VerifyVulkanWithShader(const Env& env, const VerifyTarget& target,
                                    const VerifyOptions& options,
                                    std::span<const std::uint32_t> sgemm_spirv);

}  // namespace verify_internal
}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_VULKAN_VERIFY_H_
