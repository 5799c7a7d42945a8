// The symbol tables devpick binds from the Vulkan loader (libvulkan.so.1), with types and constants
// from Debian's official <vulkan/vulkan.h> under VK_NO_PROTOTYPES, and the names of the VkResult
// values.
//
// Only vkGetInstanceProcAddr comes from the library (VulkanLoaderApi); every other entry point is
// looked up through it, as the loader intends, so devpick has no link-time dependency on libvulkan.
// VulkanInstanceApi only queries physical devices: the probe binds only it. VulkanDeviceCreateApi
// and VulkanDeviceApi create a logical device and run work on it: only `devpick verify` binds them.
#ifndef DEVPICK_SRC_VENDOR_VULKAN_API_H_
#define DEVPICK_SRC_VENDOR_VULKAN_API_H_

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <array>
#include <initializer_list>
#include <span>

#include "probes/dynlib.h"

namespace devpick {

inline constexpr const char kVulkanSoname[] = "libvulkan.so.1";

struct VulkanLoaderApi {
  PFN_vkGetInstanceProcAddr get_instance_proc_addr = nullptr;

  std::array<SymbolSlot, 1> Slots() {
    return {Required("vkGetInstanceProcAddr", &get_instance_proc_addr)};
  }
};

// Instance-level queries (vkGetInstanceProcAddr with the instance).
struct VulkanInstanceApi {
  PFN_vkDestroyInstance destroy_instance = nullptr;
  PFN_vkEnumeratePhysicalDevices enumerate_physical_devices = nullptr;
  PFN_vkGetPhysicalDeviceProperties get_physical_device_properties = nullptr;
  PFN_vkGetPhysicalDeviceQueueFamilyProperties get_queue_family_properties = nullptr;
  PFN_vkGetPhysicalDeviceMemoryProperties get_memory_properties = nullptr;
  PFN_vkEnumerateDeviceExtensionProperties enumerate_device_extensions = nullptr;

  // The bindings for ResolveProcs, in the order a missing entry point is found.
  std::array<SymbolSlot, 6> Slots() {
    return {
        Required("vkDestroyInstance", &destroy_instance),
        Required("vkEnumeratePhysicalDevices", &enumerate_physical_devices),
        Required("vkGetPhysicalDeviceProperties", &get_physical_device_properties),
        Required("vkGetPhysicalDeviceQueueFamilyProperties", &get_queue_family_properties),
        Required("vkGetPhysicalDeviceMemoryProperties", &get_memory_properties),
        Required("vkEnumerateDeviceExtensionProperties", &enumerate_device_extensions),
    };
  }
};

// Instance-level entry points that create a logical device: verify only.
struct VulkanDeviceCreateApi {
  PFN_vkCreateDevice create_device = nullptr;
  PFN_vkGetDeviceProcAddr get_device_proc_addr = nullptr;

  std::array<SymbolSlot, 2> Slots() {
    return {
        Required("vkCreateDevice", &create_device),
        Required("vkGetDeviceProcAddr", &get_device_proc_addr),
    };
  }
};

// Device-level entry points (vkGetDeviceProcAddr), which skip the loader's dispatch: verify only.
struct VulkanDeviceApi {
  PFN_vkDestroyDevice destroy_device = nullptr;
  PFN_vkDeviceWaitIdle device_wait_idle = nullptr;
  PFN_vkGetDeviceQueue get_device_queue = nullptr;
  PFN_vkCreateBuffer create_buffer = nullptr;
  PFN_vkDestroyBuffer destroy_buffer = nullptr;
  PFN_vkGetBufferMemoryRequirements get_buffer_memory_requirements = nullptr;
  PFN_vkAllocateMemory allocate_memory = nullptr;
  PFN_vkFreeMemory free_memory = nullptr;
  PFN_vkBindBufferMemory bind_buffer_memory = nullptr;
  PFN_vkMapMemory map_memory = nullptr;
  PFN_vkCreateShaderModule create_shader_module = nullptr;
  PFN_vkDestroyShaderModule destroy_shader_module = nullptr;
  PFN_vkCreateDescriptorSetLayout create_descriptor_set_layout = nullptr;
  PFN_vkDestroyDescriptorSetLayout destroy_descriptor_set_layout = nullptr;
  PFN_vkCreatePipelineLayout create_pipeline_layout = nullptr;
  PFN_vkDestroyPipelineLayout destroy_pipeline_layout = nullptr;
  PFN_vkCreateComputePipelines create_compute_pipelines = nullptr;
  PFN_vkDestroyPipeline destroy_pipeline = nullptr;
  PFN_vkCreateDescriptorPool create_descriptor_pool = nullptr;
  PFN_vkDestroyDescriptorPool destroy_descriptor_pool = nullptr;
  PFN_vkAllocateDescriptorSets allocate_descriptor_sets = nullptr;
  PFN_vkUpdateDescriptorSets update_descriptor_sets = nullptr;
  PFN_vkCreateCommandPool create_command_pool = nullptr;
  PFN_vkDestroyCommandPool destroy_command_pool = nullptr;
  PFN_vkAllocateCommandBuffers allocate_command_buffers = nullptr;
  PFN_vkBeginCommandBuffer begin_command_buffer = nullptr;
  PFN_vkEndCommandBuffer end_command_buffer = nullptr;
  PFN_vkCmdBindPipeline cmd_bind_pipeline = nullptr;
  PFN_vkCmdBindDescriptorSets cmd_bind_descriptor_sets = nullptr;
  PFN_vkCmdPushConstants cmd_push_constants = nullptr;
  PFN_vkCmdDispatch cmd_dispatch = nullptr;
  PFN_vkCmdPipelineBarrier cmd_pipeline_barrier = nullptr;
  PFN_vkCreateFence create_fence = nullptr;
  PFN_vkDestroyFence destroy_fence = nullptr;
  PFN_vkResetFences reset_fences = nullptr;
  PFN_vkWaitForFences wait_for_fences = nullptr;
  PFN_vkQueueSubmit queue_submit = nullptr;

  // The bindings for ResolveProcs, in the order a missing entry point is found.
  std::array<SymbolSlot, 37> Slots() {
    return {
        Required("vkDestroyDevice", &destroy_device),
        Required("vkDeviceWaitIdle", &device_wait_idle),
        Required("vkGetDeviceQueue", &get_device_queue),
        Required("vkCreateBuffer", &create_buffer),
        Required("vkDestroyBuffer", &destroy_buffer),
        Required("vkGetBufferMemoryRequirements", &get_buffer_memory_requirements),
        Required("vkAllocateMemory", &allocate_memory),
        Required("vkFreeMemory", &free_memory),
        Required("vkBindBufferMemory", &bind_buffer_memory),
        Required("vkMapMemory", &map_memory),
        Required("vkCreateShaderModule", &create_shader_module),
        Required("vkDestroyShaderModule", &destroy_shader_module),
        Required("vkCreateDescriptorSetLayout", &create_descriptor_set_layout),
        Required("vkDestroyDescriptorSetLayout", &destroy_descriptor_set_layout),
        Required("vkCreatePipelineLayout", &create_pipeline_layout),
        Required("vkDestroyPipelineLayout", &destroy_pipeline_layout),
        Required("vkCreateComputePipelines", &create_compute_pipelines),
        Required("vkDestroyPipeline", &destroy_pipeline),
        Required("vkCreateDescriptorPool", &create_descriptor_pool),
        Required("vkDestroyDescriptorPool", &destroy_descriptor_pool),
        Required("vkAllocateDescriptorSets", &allocate_descriptor_sets),
        Required("vkUpdateDescriptorSets", &update_descriptor_sets),
        Required("vkCreateCommandPool", &create_command_pool),
        Required("vkDestroyCommandPool", &destroy_command_pool),
        Required("vkAllocateCommandBuffers", &allocate_command_buffers),
        Required("vkBeginCommandBuffer", &begin_command_buffer),
        Required("vkEndCommandBuffer", &end_command_buffer),
        Required("vkCmdBindPipeline", &cmd_bind_pipeline),
        Required("vkCmdBindDescriptorSets", &cmd_bind_descriptor_sets),
        Required("vkCmdPushConstants", &cmd_push_constants),
        Required("vkCmdDispatch", &cmd_dispatch),
        Required("vkCmdPipelineBarrier", &cmd_pipeline_barrier),
        Required("vkCreateFence", &create_fence),
        Required("vkDestroyFence", &destroy_fence),
        Required("vkResetFences", &reset_fences),
        Required("vkWaitForFences", &wait_for_fences),
        Required("vkQueueSubmit", &queue_submit),
    };
  }
};

// Fills every slot of `tables` through `lookup` (a vkGet*ProcAddr bound to its handle); returns the
// name of the first required entry point it lacks, or nullptr when all were found. The slots found
// before a missing one stay filled, so the caller can still destroy what it created.
template <typename Lookup>
const char* ResolveProcs(std::initializer_list<std::span<const SymbolSlot>> tables, Lookup lookup) {
  for (std::span<const SymbolSlot> slots : tables) {
    for (const SymbolSlot& slot : slots) {
      void* address = reinterpret_cast<void*>(lookup(slot.name));
      if (!address && slot.required) return slot.name;
      slot.assign(slot.target, address);
    }
  }
  return nullptr;
}

inline constexpr ResultName kVulkanResultNames[] = {
    {VK_SUCCESS, "VK_SUCCESS"},
    {VK_NOT_READY, "VK_NOT_READY"},
    {VK_TIMEOUT, "VK_TIMEOUT"},
    {VK_INCOMPLETE, "VK_INCOMPLETE"},
    {VK_ERROR_OUT_OF_HOST_MEMORY, "VK_ERROR_OUT_OF_HOST_MEMORY"},
    {VK_ERROR_OUT_OF_DEVICE_MEMORY, "VK_ERROR_OUT_OF_DEVICE_MEMORY"},
    {VK_ERROR_INITIALIZATION_FAILED, "VK_ERROR_INITIALIZATION_FAILED"},
    {VK_ERROR_DEVICE_LOST, "VK_ERROR_DEVICE_LOST"},
    {VK_ERROR_MEMORY_MAP_FAILED, "VK_ERROR_MEMORY_MAP_FAILED"},
    {VK_ERROR_LAYER_NOT_PRESENT, "VK_ERROR_LAYER_NOT_PRESENT"},
    {VK_ERROR_EXTENSION_NOT_PRESENT, "VK_ERROR_EXTENSION_NOT_PRESENT"},
    {VK_ERROR_FEATURE_NOT_PRESENT, "VK_ERROR_FEATURE_NOT_PRESENT"},
    {VK_ERROR_INCOMPATIBLE_DRIVER, "VK_ERROR_INCOMPATIBLE_DRIVER"},
    {VK_ERROR_TOO_MANY_OBJECTS, "VK_ERROR_TOO_MANY_OBJECTS"},
    {VK_ERROR_FORMAT_NOT_SUPPORTED, "VK_ERROR_FORMAT_NOT_SUPPORTED"},
    {VK_ERROR_FRAGMENTED_POOL, "VK_ERROR_FRAGMENTED_POOL"},
    {VK_ERROR_UNKNOWN, "VK_ERROR_UNKNOWN"},
    {VK_ERROR_OUT_OF_POOL_MEMORY, "VK_ERROR_OUT_OF_POOL_MEMORY"},
    {VK_ERROR_INVALID_SHADER_NV, "VK_ERROR_INVALID_SHADER_NV"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_VULKAN_API_H_
