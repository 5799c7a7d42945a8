// Vulkan compute verification. No Vulkan symbol is linked: the loader comes from Env::OpenLibrary
// and every entry point from vkGetInstanceProcAddr / vkGetDeviceProcAddr, resolved up front into
// the tables of vendor/vulkan_api.h (the probe's VulkanInstanceApi, and the device tables only
// verify binds).
#include "verify/vulkan_verify.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "vendor/vulkan_api.h"
// Generated at build time from shaders/*.comp (CMakeLists.txt): const uint32_t k...Spirv[].
#include "verify/shaders/copy_spv.h"
#include "verify/shaders/sgemm_spv.h"

// Vulkan create-info structs are written with designated initializers naming only the fields that
// matter; the omitted ones (pNext, flags, counts) are meant to be zero, which is what C++ gives
// them.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace devpick {
namespace verify_internal {

std::span<const std::uint32_t> VulkanSgemmSpirv() { return kSgemmSpirv; }
std::span<const std::uint32_t> VulkanCopySpirv() { return kCopySpirv; }

}  // namespace verify_internal

namespace {

// The shaders' work-group shapes (shaders/*.comp): 16 x 16 for SGEMM, 256 for the copy.
constexpr std::uint32_t kSgemmTile = 16;
constexpr std::uint32_t kCopyGroup = 256;
// How long one submission may run before the device is declared hung.
constexpr std::uint64_t kFenceTimeoutNs = 60'000'000'000;

std::string Describe(const char* call, VkResult result) {
  return DescribeResult(call, result, kVulkanResultNames);
}

// A storage buffer with its own host-visible memory, mapped for the buffer's lifetime.
struct MappedBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void* data = nullptr;
  VkDeviceSize size = 0;
};

// Memory property sets tried in order: device-local and host-visible first (integrated GPUs,
// resizable BAR, CPU drivers), then any host-visible coherent memory.
constexpr VkMemoryPropertyFlags kMemoryPreferences[] = {
    VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
    VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
};

// One verification: owns every Vulkan object it creates and destroys them, newest first.
class VulkanRun : public ApiRun {
 public:
  VulkanRun(const Env& env, const VerifyTarget& target, const VerifyOptions& options,
            std::span<const std::uint32_t> sgemm_spirv, VerifyResult* result)
      : ApiRun(env, target, options, result), sgemm_spirv_(sgemm_spirv) {}

  ~VulkanRun() {
    if (device_) {
      // After a failure the device may still be running a submission.
      device_api_.device_wait_idle(device_);
      if (fence_) device_api_.destroy_fence(device_, fence_, nullptr);
      if (command_pool_) device_api_.destroy_command_pool(device_, command_pool_, nullptr);
      if (descriptor_pool_) device_api_.destroy_descriptor_pool(device_, descriptor_pool_, nullptr);
      for (VkPipeline pipeline : {copy_pipeline_, sgemm_pipeline_}) {
        if (pipeline) device_api_.destroy_pipeline(device_, pipeline, nullptr);
      }
      if (pipeline_layout_) device_api_.destroy_pipeline_layout(device_, pipeline_layout_, nullptr);
      if (set_layout_) device_api_.destroy_descriptor_set_layout(device_, set_layout_, nullptr);
      for (VkShaderModule module : {copy_module_, sgemm_module_}) {
        if (module) device_api_.destroy_shader_module(device_, module, nullptr);
      }
      for (auto it = buffers_.rbegin(); it != buffers_.rend(); ++it) {
        if ((*it)->buffer) device_api_.destroy_buffer(device_, (*it)->buffer, nullptr);
        if ((*it)->memory) device_api_.free_memory(device_, (*it)->memory, nullptr);
      }
      device_api_.destroy_device(device_, nullptr);
    }
    if (instance_) instance_api_.destroy_instance(instance_, nullptr);
  }

  void Run() {
    result_->correct = Load() && CreateInstance() && SelectDevice() && CreateDevice() &&
                       CreatePipelines() && RunSgemm() && RunCopy();
  }

 private:
  bool Check(const char* call, VkResult code) {
    return code == VK_SUCCESS || recorder_.Fail(call, Describe(call, code));
  }

  bool Load() {
    library_ = recorder_.Load(env_, kVulkanSoname, {loader_.Slots()});
    return library_ != nullptr;
  }

  bool CreateInstance() {
    recorder_.Begin("create instance");
    auto create_instance = reinterpret_cast<PFN_vkCreateInstance>(
        loader_.get_instance_proc_addr(VK_NULL_HANDLE, "vkCreateInstance"));
    if (!create_instance) {
      return recorder_.Fail("vkGetInstanceProcAddr",
                            std::string(kVulkanSoname) + ": missing entry point vkCreateInstance");
    }
    const VkApplicationInfo application = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "devpick verify",
        .apiVersion = VK_API_VERSION_1_0,
    };
    const VkInstanceCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &application,
    };
    if (!Check("vkCreateInstance", create_instance(&create_info, nullptr, &instance_))) {
      instance_ = VK_NULL_HANDLE;
      return false;
    }
    const char* missing = ResolveProcs(
        {instance_api_.Slots(), device_create_api_.Slots()},
        [&](const char* name) { return loader_.get_instance_proc_addr(instance_, name); });
    if (missing) {
      // Without vkDestroyInstance the instance cannot be destroyed; leaking it beats a crash.
      if (!instance_api_.destroy_instance) instance_ = VK_NULL_HANDLE;
      return recorder_.Fail("vkGetInstanceProcAddr",
                            std::string(kVulkanSoname) + ": missing entry point " + missing);
    }
    return true;
  }

  bool SelectDevice() {
    recorder_.Begin("select device");
    std::uint32_t count = 0;
    if (!Check("vkEnumeratePhysicalDevices",
               instance_api_.enumerate_physical_devices(instance_, &count, nullptr))) {
      return false;
    }
    std::vector<VkPhysicalDevice> devices(std::min(count, kMaxListedItems));
    count = static_cast<std::uint32_t>(devices.size());
    VkResult listed = instance_api_.enumerate_physical_devices(instance_, &count, devices.data());
    if (listed != VK_INCOMPLETE && !Check("vkEnumeratePhysicalDevices", listed)) return false;
    devices.resize(std::min<std::size_t>(count, devices.size()));
    if (devices.empty()) return recorder_.FailMissing("no Vulkan physical device");
    std::optional<std::uint32_t> index;
    if (target_.first_cpu) {
      for (std::uint32_t i = 0; i < devices.size() && !index; ++i) {
        instance_api_.get_physical_device_properties(devices[i], &properties_);
        if (properties_.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU) index = i;
      }
      if (!index) return recorder_.FailMissing("no Vulkan physical device is a CPU");
    } else {
      if (target_.device >= devices.size()) {
        return recorder_.FailMissing(
            "Vulkan reports " + std::to_string(devices.size()) +
            (devices.size() == 1 ? " physical device" : " physical devices") + "; device " +
            std::to_string(target_.device) + " does not exist");
      }
      index = target_.device;
    }
    physical_device_ = devices[*index];
    instance_api_.get_physical_device_properties(physical_device_, &properties_);
    std::optional<std::string> name =
        BoundedString(properties_.deviceName, sizeof properties_.deviceName);
    result_->device = "vulkan " + std::to_string(*index) + " (" + name.value_or("?") + ")";

    std::uint32_t families = 0;
    instance_api_.get_queue_family_properties(physical_device_, &families, nullptr);
    std::vector<VkQueueFamilyProperties> family_properties(std::min(families, kMaxListedItems));
    families = static_cast<std::uint32_t>(family_properties.size());
    instance_api_.get_queue_family_properties(physical_device_, &families,
                                              family_properties.data());
    for (std::uint32_t i = 0; i < families && i < family_properties.size(); ++i) {
      if (family_properties[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
        queue_family_ = i;
        break;
      }
    }
    if (!queue_family_) {
      return recorder_.Fail("select device", result_->device + " has no compute queue family");
    }
    instance_api_.get_memory_properties(physical_device_, &memory_properties_);
    return true;
  }

  bool CreateDevice() {
    recorder_.Begin("create device");
    const float priority = 1.0f;
    const VkDeviceQueueCreateInfo queue_info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = *queue_family_,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    const VkDeviceCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &queue_info,
    };
    VkDevice device = VK_NULL_HANDLE;
    if (!Check("vkCreateDevice", device_create_api_.create_device(physical_device_, &create_info,
                                                                  nullptr, &device))) {
      return false;
    }
    const char* missing = ResolveProcs({device_api_.Slots()}, [&](const char* name) {
      return device_create_api_.get_device_proc_addr(device, name);
    });
    if (missing) {
      // The device stays unowned (leaked) unless both calls the destructor makes were found.
      if (device_api_.destroy_device && device_api_.device_wait_idle) device_ = device;
      return recorder_.Fail("vkGetDeviceProcAddr",
                            std::string(kVulkanSoname) + ": missing entry point " + missing);
    }
    device_ = device;
    device_api_.get_device_queue(device_, *queue_family_, 0, &queue_);
    return true;
  }

  bool CreateShaderModule(std::span<const std::uint32_t> spirv, VkShaderModule* module) {
    const VkShaderModuleCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = spirv.size_bytes(),
        .pCode = spirv.data(),
    };
    return Check("vkCreateShaderModule",
                 device_api_.create_shader_module(device_, &create_info, nullptr, module));
  }

  bool CreatePipeline(VkShaderModule module, VkPipeline* pipeline) {
    const VkComputePipelineCreateInfo create_info = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage =
            {
                .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                .module = module,
                .pName = "main",
            },
        .layout = pipeline_layout_,
    };
    return Check("vkCreateComputePipelines",
                 device_api_.create_compute_pipelines(device_, VK_NULL_HANDLE, 1, &create_info,
                                                      nullptr, pipeline));
  }

  // Both shaders bind three storage buffers (the copy uses two) and one uint push constant, so
  // one set layout and one pipeline layout serve both pipelines.
  bool CreatePipelines() {
    recorder_.Begin("create compute pipelines");
    const ComputeLimits limits = Limits();
    if (limits.invocations < kSgemmTile * kSgemmTile) {
      return recorder_.Fail("check device limits",
                            result_->device + " runs at most " +
                                std::to_string(limits.invocations) +
                                " invocations per work-group; the SGEMM shader needs " +
                                std::to_string(kSgemmTile * kSgemmTile));
    }
    if (!CreateShaderModule(sgemm_spirv_, &sgemm_module_) ||
        !CreateShaderModule(verify_internal::VulkanCopySpirv(), &copy_module_)) {
      return false;
    }
    VkDescriptorSetLayoutBinding bindings[3];
    for (std::uint32_t i = 0; i < 3; ++i) {
      bindings[i] = {
          .binding = i,
          .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
          .descriptorCount = 1,
          .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
      };
    }
    const VkDescriptorSetLayoutCreateInfo set_layout_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .bindingCount = 3,
        .pBindings = bindings,
    };
    if (!Check("vkCreateDescriptorSetLayout",
               device_api_.create_descriptor_set_layout(device_, &set_layout_info, nullptr,
                                                        &set_layout_))) {
      return false;
    }
    const VkPushConstantRange push_range = {
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
        .offset = 0,
        .size = sizeof(std::uint32_t),
    };
    const VkPipelineLayoutCreateInfo layout_info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &set_layout_,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &push_range,
    };
    if (!Check("vkCreatePipelineLayout", device_api_.create_pipeline_layout(
                                             device_, &layout_info, nullptr, &pipeline_layout_)) ||
        !CreatePipeline(sgemm_module_, &sgemm_pipeline_) ||
        !CreatePipeline(copy_module_, &copy_pipeline_)) {
      return false;
    }
    const VkDescriptorPoolSize pool_size = {
        .type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .descriptorCount = 6,
    };
    const VkDescriptorPoolCreateInfo pool_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = 2,
        .poolSizeCount = 1,
        .pPoolSizes = &pool_size,
    };
    if (!Check("vkCreateDescriptorPool", device_api_.create_descriptor_pool(
                                             device_, &pool_info, nullptr, &descriptor_pool_))) {
      return false;
    }
    const VkDescriptorSetLayout layouts[2] = {set_layout_, set_layout_};
    const VkDescriptorSetAllocateInfo set_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = descriptor_pool_,
        .descriptorSetCount = 2,
        .pSetLayouts = layouts,
    };
    if (!Check("vkAllocateDescriptorSets",
               device_api_.allocate_descriptor_sets(device_, &set_info, sets_))) {
      return false;
    }
    const VkCommandPoolCreateInfo command_pool_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .queueFamilyIndex = *queue_family_,
    };
    if (!Check("vkCreateCommandPool", device_api_.create_command_pool(device_, &command_pool_info,
                                                                      nullptr, &command_pool_))) {
      return false;
    }
    const VkCommandBufferAllocateInfo command_info = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = command_pool_,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 2,
    };
    if (!Check("vkAllocateCommandBuffers",
               device_api_.allocate_command_buffers(device_, &command_info, commands_))) {
      return false;
    }
    const VkFenceCreateInfo fence_info = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    return Check("vkCreateFence", device_api_.create_fence(device_, &fence_info, nullptr, &fence_));
  }

  struct ComputeLimits {
    std::uint32_t invocations;
    std::uint32_t groups_x;
    std::uint32_t groups_y;
  };
  ComputeLimits Limits() const {
    const VkPhysicalDeviceLimits& limits = properties_.limits;
    return {limits.maxComputeWorkGroupInvocations, limits.maxComputeWorkGroupCount[0],
            limits.maxComputeWorkGroupCount[1]};
  }

  // A mapped storage buffer of `size` bytes, owned by the run.
  bool NewBuffer(VkDeviceSize size, MappedBuffer* out) {
    buffers_.push_back(out);
    out->size = size;
    const VkBufferCreateInfo buffer_info = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = size,
        .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    if (!Check("vkCreateBuffer",
               device_api_.create_buffer(device_, &buffer_info, nullptr, &out->buffer))) {
      return false;
    }
    VkMemoryRequirements requirements;
    device_api_.get_buffer_memory_requirements(device_, out->buffer, &requirements);
    VkResult last = VK_ERROR_OUT_OF_DEVICE_MEMORY;
    bool any_type = false;
    for (VkMemoryPropertyFlags wanted : kMemoryPreferences) {
      for (std::uint32_t type = 0; type < memory_properties_.memoryTypeCount && !out->memory;
           ++type) {
        const VkMemoryPropertyFlags flags = memory_properties_.memoryTypes[type].propertyFlags;
        if (!(requirements.memoryTypeBits & (1u << type)) || (flags & wanted) != wanted) continue;
        any_type = true;
        const VkMemoryAllocateInfo allocate_info = {
            .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
            .allocationSize = requirements.size,
            .memoryTypeIndex = type,
        };
        last = device_api_.allocate_memory(device_, &allocate_info, nullptr, &out->memory);
        if (last != VK_SUCCESS) out->memory = VK_NULL_HANDLE;  // a small heap: try the next type
      }
    }
    if (!any_type) {
      return recorder_.Fail("vkAllocateMemory", result_->device +
                                                    " offers no host-visible coherent memory for a "
                                                    "storage buffer");
    }
    if (!out->memory) return Check("vkAllocateMemory", last);
    return Check("vkBindBufferMemory",
                 device_api_.bind_buffer_memory(device_, out->buffer, out->memory, 0)) &&
           Check("vkMapMemory",
                 device_api_.map_memory(device_, out->memory, 0, size, 0, &out->data));
  }

  // Points binding i of `set` at buffers[i].
  void BindBuffers(VkDescriptorSet set, std::initializer_list<const MappedBuffer*> buffers) {
    std::vector<VkDescriptorBufferInfo> infos;
    for (const MappedBuffer* buffer : buffers) infos.push_back({buffer->buffer, 0, buffer->size});
    std::vector<VkWriteDescriptorSet> writes;
    for (std::uint32_t i = 0; i < infos.size(); ++i) {
      writes.push_back({
          .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
          .dstSet = set,
          .dstBinding = i,
          .descriptorCount = 1,
          .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
          .pBufferInfo = &infos[i],
      });
    }
    device_api_.update_descriptor_sets(device_, static_cast<std::uint32_t>(writes.size()),
                                       writes.data(), 0, nullptr);
  }

  // Records: bind `pipeline` and `set`, push `constant`, dispatch, make the writes host-visible.
  bool Record(VkCommandBuffer command, VkPipeline pipeline, VkDescriptorSet set,
              std::uint32_t constant, std::uint32_t groups_x, std::uint32_t groups_y) {
    const VkCommandBufferBeginInfo begin_info = {.sType =
                                                     VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    if (!Check("vkBeginCommandBuffer", device_api_.begin_command_buffer(command, &begin_info))) {
      return false;
    }
    device_api_.cmd_bind_pipeline(command, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    device_api_.cmd_bind_descriptor_sets(command, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_layout_,
                                         0, 1, &set, 0, nullptr);
    device_api_.cmd_push_constants(command, pipeline_layout_, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                                   sizeof constant, &constant);
    device_api_.cmd_dispatch(command, groups_x, groups_y, 1);
    // Coherent memory still needs the shader's writes made available to the host.
    const VkMemoryBarrier barrier = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    device_api_.cmd_pipeline_barrier(command, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                                     VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &barrier, 0, nullptr, 0,
                                     nullptr);
    return Check("vkEndCommandBuffer", device_api_.end_command_buffer(command));
  }

  // Submits `command` once untimed, then options_.runs times timed; the median in seconds.
  std::optional<double> TimeSubmissions(VkCommandBuffer command) {
    const VkSubmitInfo submit = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .commandBufferCount = 1,
        .pCommandBuffers = &command,
    };
    return TimeRuns(
        env_, options_.runs,
        [&] {
          return Check("vkQueueSubmit", device_api_.queue_submit(queue_, 1, &submit, fence_)) &&
                 Check("vkWaitForFences",
                       device_api_.wait_for_fences(device_, 1, &fence_, VK_TRUE, kFenceTimeoutNs));
        },
        [&] { return Check("vkResetFences", device_api_.reset_fences(device_, 1, &fence_)); });
  }

  bool RunSgemm() {
    const std::uint32_t n = options_.matrix_size;
    result_->matrix_size = n;
    const std::uint32_t groups = n / kSgemmTile;
    const ComputeLimits limits = Limits();
    if (groups > limits.groups_x || groups > limits.groups_y) {
      return recorder_.Fail("check device limits",
                            "SGEMM " + std::to_string(n) + "x" + std::to_string(n) + " needs " +
                                std::to_string(groups) + "x" + std::to_string(groups) +
                                " work-groups; " + result_->device + " allows " +
                                std::to_string(limits.groups_x) + "x" +
                                std::to_string(limits.groups_y));
    }
    recorder_.Begin("upload SGEMM inputs");
    const std::size_t elements = std::size_t{n} * n;
    const VkDeviceSize bytes = elements * sizeof(float);
    const std::vector<float> a = MakeTestMatrix(n, 1);
    const std::vector<float> b = MakeTestMatrix(n, 2);
    if (!NewBuffer(bytes, &a_) || !NewBuffer(bytes, &b_) || !NewBuffer(bytes, &c_)) return false;
    std::memcpy(a_.data, a.data(), bytes);
    std::memcpy(b_.data, b.data(), bytes);
    std::memset(c_.data, 0, bytes);
    BindBuffers(sets_[0], {&a_, &b_, &c_});
    if (!Record(commands_[0], sgemm_pipeline_, sets_[0], n, groups, groups)) return false;

    recorder_.BeginSgemmRuns(n, options_.runs);
    std::optional<double> seconds = TimeSubmissions(commands_[0]);
    if (!seconds) return false;

    recorder_.Begin("check SGEMM result");
    const std::span<const float> c(static_cast<const float*>(c_.data), elements);
    return recorder_.CheckSgemm(n, a, b, c, *seconds);
  }

  bool RunCopy() {
    const std::uint64_t bytes = options_.copy_bytes;
    result_->copy_bytes = bytes;
    const std::uint64_t vectors = bytes / 16;  // the shader moves one uvec4 per invocation
    const std::uint64_t groups = (vectors + kCopyGroup - 1) / kCopyGroup;
    const ComputeLimits limits = Limits();
    if (groups > limits.groups_x) {
      return recorder_.Fail("check device limits",
                            "a copy of " + FormatVerifyBytes(bytes) + " needs " +
                                std::to_string(groups) + " work-groups; " + result_->device +
                                " allows " + std::to_string(limits.groups_x));
    }
    recorder_.BeginCopyUpload(bytes);
    if (!NewBuffer(bytes, &source_) || !NewBuffer(bytes, &destination_)) return false;
    const std::vector<std::uint32_t> pattern = MakeCopyPattern(bytes);
    std::memcpy(source_.data, pattern.data(), bytes);
    std::memset(destination_.data, 0, bytes);
    // Binding 2 is unused by the copy shader but must hold a valid buffer for the shared layout.
    BindBuffers(sets_[1], {&source_, &destination_, &destination_});
    if (!Record(commands_[1], copy_pipeline_, sets_[1], static_cast<std::uint32_t>(vectors),
                static_cast<std::uint32_t>(groups), 1)) {
      return false;
    }

    recorder_.BeginCopyRuns(bytes, options_.runs);
    std::optional<double> seconds = TimeSubmissions(commands_[1]);
    if (!seconds) return false;

    recorder_.Begin("check copy result");
    return recorder_.CheckCopy(
        pattern, {static_cast<const std::uint32_t*>(destination_.data), pattern.size()}, *seconds);
  }

  std::span<const std::uint32_t> sgemm_spirv_;

  std::unique_ptr<Library> library_;  // outlives every call below
  VulkanLoaderApi loader_;
  VulkanInstanceApi instance_api_;
  VulkanDeviceCreateApi device_create_api_;
  VulkanDeviceApi device_api_;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device_ = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties properties_{};
  VkPhysicalDeviceMemoryProperties memory_properties_{};
  std::optional<std::uint32_t> queue_family_;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  VkShaderModule sgemm_module_ = VK_NULL_HANDLE;
  VkShaderModule copy_module_ = VK_NULL_HANDLE;
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  VkPipelineLayout pipeline_layout_ = VK_NULL_HANDLE;
  VkPipeline sgemm_pipeline_ = VK_NULL_HANDLE;
  VkPipeline copy_pipeline_ = VK_NULL_HANDLE;
  VkDescriptorPool descriptor_pool_ = VK_NULL_HANDLE;
  VkDescriptorSet sets_[2] = {VK_NULL_HANDLE, VK_NULL_HANDLE};  // SGEMM, copy
  VkCommandPool command_pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_[2] = {VK_NULL_HANDLE, VK_NULL_HANDLE};  // SGEMM, copy
  VkFence fence_ = VK_NULL_HANDLE;
  MappedBuffer a_, b_, c_, source_, destination_;
  std::vector<MappedBuffer*> buffers_;  // those created, in order
};

}  // namespace

namespace verify_internal {

VerifyResult VerifyVulkanWithShader(const Env& env, const VerifyTarget& target,
                                    const VerifyOptions& options,
                                    std::span<const std::uint32_t> sgemm_spirv) {
  return VerifyWith<VulkanRun>(VerifyApi::kVulkan, env, target, options, sgemm_spirv);
}

}  // namespace verify_internal

VerifyResult VerifyVulkan(const Env& env, const VerifyTarget& target,
                          const VerifyOptions& options) {
  return verify_internal::VerifyVulkanWithShader(env, target, options,
                                                 verify_internal::VulkanSgemmSpirv());
}

}  // namespace devpick
