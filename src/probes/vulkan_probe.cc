// Vulkan probe (SNAPSHOT.md "vulkan"): the physical devices of an instance created with no layers.
//
// Only vkGetInstanceProcAddr is taken from the library; every other entry point comes through it
// (vendor/vulkan_api.h). The probe binds only VulkanInstanceApi: it never creates a logical
// device. The device UUID is VkPhysicalDeviceIDProperties::deviceUUID (Vulkan 1.1), not
// pipelineCacheUUID, which changes with the driver build.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/vulkan_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, VkResult result) {
  std::string text = DescribeResult(call, result, kVulkanResultNames);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER) text += ": no Vulkan driver (ICD) is installed";
  return text;
}

constexpr NamedValue<VkPhysicalDeviceType> kDeviceTypes[] = {
    {VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU, "discrete"},
    {VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU, "integrated"},
    {VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU, "virtual"},
    {VK_PHYSICAL_DEVICE_TYPE_CPU, "cpu"},
    {VK_PHYSICAL_DEVICE_TYPE_OTHER, "other"},
};

// Resolves an entry point through vkGetInstanceProcAddr with its real type.
template <typename Function>
Function Lookup(PFN_vkGetInstanceProcAddr get_proc, VkInstance instance, const char* name) {
  return reinterpret_cast<Function>(get_proc(instance, name));
}

std::vector<std::string> ExtensionNames(const std::vector<VkExtensionProperties>& extensions) {
  std::vector<std::string> names;
  for (const auto& extension : extensions) {
    if (auto name = BoundedString(extension.extensionName, sizeof extension.extensionName)) {
      names.push_back(*name);
    }
  }
  return names;
}

bool Contains(const std::vector<std::string>& names, std::string_view wanted) {
  return std::find(names.begin(), names.end(), wanted) != names.end();
}

std::vector<std::string> DeviceExtensions(const VulkanInstanceApi& api, VkPhysicalDevice device,
                                          const std::string& where, VulkanObservation* entry) {
  std::uint32_t count = 0;
  VkResult result = api.enumerate_device_extensions(device, nullptr, &count, nullptr);
  if (result != VK_SUCCESS) {
    entry->warnings.push_back(where + Describe("vkEnumerateDeviceExtensionProperties", result));
    return {};
  }
  // Devices list a few hundred extensions: a larger cap than for devices.
  count = std::min<std::uint32_t>(count, 4096);
  std::vector<VkExtensionProperties> extensions(count);
  result = api.enumerate_device_extensions(device, nullptr, &count, extensions.data());
  if (result != VK_SUCCESS && result != VK_INCOMPLETE) {
    entry->warnings.push_back(where + Describe("vkEnumerateDeviceExtensionProperties", result));
    return {};
  }
  extensions.resize(std::min<std::size_t>(count, extensions.size()));
  return ExtensionNames(extensions);
}

// `get_properties2` is vkGetPhysicalDeviceProperties2 (1.1) or its KHR alias; nullptr when the
// instance has neither.
VulkanDevice ReadDevice(const VulkanInstanceApi& api,
                        PFN_vkGetPhysicalDeviceProperties2 get_properties2, VkPhysicalDevice handle,
                        int index, bool instance_1_1, VulkanObservation* entry) {
  VulkanDevice device;
  device.index = index;
  std::string where = "device " + std::to_string(index) + ": ";
  VkPhysicalDeviceProperties properties = {};
  api.get_physical_device_properties(handle, &properties);
  if (const char* type =
          FindName(kDeviceTypes, [&](auto t) { return t == properties.deviceType; })) {
    device.type = type;
  }
  device.vendor_id = properties.vendorID;
  device.device_id = properties.deviceID;
  device.name = BoundedString(properties.deviceName, sizeof properties.deviceName);

  std::vector<std::string> extensions = DeviceExtensions(api, handle, where, entry);
  // Core 1.1 physical-device queries need both the instance and the device at 1.1.
  bool device_1_1 = instance_1_1 && properties.apiVersion >= VK_API_VERSION_1_1;
  bool has_driver_properties = (device_1_1 && properties.apiVersion >= VK_API_VERSION_1_2) ||
                               Contains(extensions, VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME);
  bool has_pci = Contains(extensions, VK_EXT_PCI_BUS_INFO_EXTENSION_NAME);
  if (get_properties2 != nullptr) {
    VkPhysicalDeviceProperties2 properties2 = {};
    properties2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
    VkPhysicalDeviceIDProperties id = {};
    id.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES;
    VkPhysicalDeviceDriverProperties driver = {};
    driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
    VkPhysicalDevicePCIBusInfoPropertiesEXT pci = {};
    pci.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT;
    // Chain only what the device supports: an unknown structure in pNext is invalid usage.
    void** next = &properties2.pNext;
    auto append = [&next](auto* structure) {
      *next = structure;
      next = &structure->pNext;
    };
    if (device_1_1) append(&id);
    if (has_driver_properties) append(&driver);
    if (has_pci) append(&pci);
    get_properties2(handle, &properties2);
    if (device_1_1) device.uuid = HexBytes(id.deviceUUID, sizeof id.deviceUUID);
    if (has_driver_properties) {
      device.driver_name = BoundedString(driver.driverName, sizeof driver.driverName);
    }
    if (has_pci) {
      device.pci_address =
          FormatPciAddress(pci.pciDomain, pci.pciBus, pci.pciDevice, pci.pciFunction);
    }
  }

  VkPhysicalDeviceMemoryProperties memory = {};
  api.get_memory_properties(handle, &memory);
  std::uint64_t local = 0;
  std::uint32_t heaps = std::min<std::uint32_t>(memory.memoryHeapCount, VK_MAX_MEMORY_HEAPS);
  for (std::uint32_t heap = 0; heap < heaps; ++heap) {
    if (memory.memoryHeaps[heap].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) {
      local += memory.memoryHeaps[heap].size;
    }
  }
  device.device_local_bytes = local;
  return device;
}

// What the Vulkan loader reports, through the table RunWithRuntime bound.
void ReadVulkan(const VulkanLoaderApi& loader, VulkanObservation& entry) {
  const PFN_vkGetInstanceProcAddr get_proc = loader.get_instance_proc_addr;

  auto enumerate_version =
      Lookup<PFN_vkEnumerateInstanceVersion>(get_proc, nullptr, "vkEnumerateInstanceVersion");
  auto enumerate_extensions = Lookup<PFN_vkEnumerateInstanceExtensionProperties>(
      get_proc, nullptr, "vkEnumerateInstanceExtensionProperties");
  auto create_instance = Lookup<PFN_vkCreateInstance>(get_proc, nullptr, "vkCreateInstance");
  if (create_instance == nullptr || enumerate_extensions == nullptr) {
    entry.status = ProbeStatus::kError;
    entry.detail = entry.library.value_or(kVulkanSoname) +
                   ": vkGetInstanceProcAddr returned no vkCreateInstance";
    return;
  }
  std::uint32_t loader_version = VK_API_VERSION_1_0;  // a 1.0 loader lacks the query
  if (enumerate_version != nullptr) enumerate_version(&loader_version);
  bool instance_1_1 = loader_version >= VK_API_VERSION_1_1;
  entry.version = std::to_string(VK_API_VERSION_MAJOR(loader_version)) + "." +
                  std::to_string(VK_API_VERSION_MINOR(loader_version)) + "." +
                  std::to_string(VK_API_VERSION_PATCH(loader_version));

  std::vector<const char*> enabled;
  if (!instance_1_1) {
    std::uint32_t count = 0;
    std::vector<VkExtensionProperties> extensions;
    if (enumerate_extensions(nullptr, &count, nullptr) == VK_SUCCESS) {
      extensions.resize(std::min<std::uint32_t>(count, 4096));
      count = static_cast<std::uint32_t>(extensions.size());
      if (enumerate_extensions(nullptr, &count, extensions.data()) != VK_SUCCESS) count = 0;
      extensions.resize(std::min<std::size_t>(count, extensions.size()));
    }
    if (Contains(ExtensionNames(extensions),
                 VK_KHR_GET_PHYSICAL_DEVICE_PROPERTIES_2_EXTENSION_NAME)) {
      enabled.push_back(VK_KHR_GET_PHYSICAL_DEVICE_PROPERTIES_2_EXTENSION_NAME);
    }
  }
  VkApplicationInfo application = {};
  application.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  application.pApplicationName = "devpick";
  application.pEngineName = "devpick";
  application.apiVersion = instance_1_1 ? VK_API_VERSION_1_1 : VK_API_VERSION_1_0;
  VkInstanceCreateInfo create_info = {};
  create_info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  create_info.pApplicationInfo = &application;
  create_info.enabledExtensionCount = static_cast<std::uint32_t>(enabled.size());
  create_info.ppEnabledExtensionNames = enabled.data();
  VkInstance instance = VK_NULL_HANDLE;
  if (VkResult result = create_instance(&create_info, nullptr, &instance); result != VK_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("vkCreateInstance", result);
    return;
  }

  VulkanInstanceApi api;
  const char* missing =
      ResolveProcs({api.Slots()}, [&](const char* name) { return get_proc(instance, name); });
  if (missing) {
    entry.status = ProbeStatus::kError;
    entry.detail = entry.library.value_or(kVulkanSoname) +
                   ": vkGetInstanceProcAddr returned no physical-device entry points";
    if (api.destroy_instance != nullptr) api.destroy_instance(instance, nullptr);
    return;
  }
  auto get_properties2 = Lookup<PFN_vkGetPhysicalDeviceProperties2>(
      get_proc, instance,
      instance_1_1 ? "vkGetPhysicalDeviceProperties2" : "vkGetPhysicalDeviceProperties2KHR");
  if (!instance_1_1 && enabled.empty()) get_properties2 = nullptr;

  std::uint32_t count = 0;
  VkResult result = api.enumerate_physical_devices(instance, &count, nullptr);
  std::vector<VkPhysicalDevice> devices;
  if (result == VK_SUCCESS) {
    devices.resize(CapCount(count, "vkEnumeratePhysicalDevices", &entry));
    count = static_cast<std::uint32_t>(devices.size());
    result = api.enumerate_physical_devices(instance, &count, devices.data());
    if (result == VK_INCOMPLETE) result = VK_SUCCESS;  // we asked for fewer on purpose
  }
  if (result != VK_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("vkEnumeratePhysicalDevices", result);
  } else {
    entry.status = ProbeStatus::kOk;
    devices.resize(std::min<std::size_t>(count, devices.size()));
    for (std::size_t index = 0; index < devices.size(); ++index) {
      entry.devices.push_back(ReadDevice(api, get_properties2, devices[index],
                                         static_cast<int>(index), instance_1_1, &entry));
    }
  }
  api.destroy_instance(instance, nullptr);
}

}  // namespace

void RunVulkanProbe(const Env& env, Observations* out) {
  RunWithRuntime<VulkanLoaderApi>(env, {kVulkanSoname}, out->probes.vulkan, ReadVulkan);
}

}  // namespace devpick
