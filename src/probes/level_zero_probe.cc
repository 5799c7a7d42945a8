// Level Zero probe (SNAPSHOT.md "level_zero"; ABI in research/specs.md §5.3).
//
// zeInitDrivers (loader >= 1.10) is preferred because it initialises GPU and NPU drivers in one
// call and returns driver handles directly; older loaders get zeInit(0) + zeDriverGet.
#include <algorithm>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/level_zero_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, ze_result_t result) {
  std::string text = DescribeResult(call, result, kLevelZeroResultNames, /*hex=*/true);
  // What the loader answers when it found no driver: say so in words a user can act on.
  if (result == ZE_RESULT_ERROR_UNINITIALIZED) text += ": no Level Zero driver is installed";
  return text;
}

constexpr NamedValue<ze_device_type_t> kDeviceTypes[] = {
    {ZE_DEVICE_TYPE_GPU, "gpu"}, {ZE_DEVICE_TYPE_CPU, "cpu"}, {ZE_DEVICE_TYPE_FPGA, "fpga"},
    {ZE_DEVICE_TYPE_MCA, "mca"}, {ZE_DEVICE_TYPE_VPU, "vpu"},  // an NPU reports VPU
};

// The driver handles, or the error that says why there are none.
Result<std::vector<ze_driver_handle_t>> InitDrivers(const LevelZeroApi& api, ProbeHeader* entry) {
  std::uint32_t count = 0;
  std::vector<ze_driver_handle_t> drivers;
  if (api.init_drivers != nullptr) {
    devpick_ze_init_driver_type_desc_t desc = {
        .stype = kZeStructureTypeInitDriverTypeDesc,
        .pNext = nullptr,
        .flags = kZeInitDriverTypeFlagGpu | kZeInitDriverTypeFlagNpu,
    };
    if (ze_result_t result = api.init_drivers(&count, nullptr, &desc);
        result != ZE_RESULT_SUCCESS) {
      return Status::Unavailable(Describe("zeInitDrivers", result));
    }
    drivers.resize(CapCount(count, "zeInitDrivers", entry));
    count = static_cast<std::uint32_t>(drivers.size());
    if (ze_result_t result = api.init_drivers(&count, drivers.data(), &desc);
        result != ZE_RESULT_SUCCESS) {
      return Status::Unavailable(Describe("zeInitDrivers", result));
    }
  } else {
    if (ze_result_t result = api.init(0); result != ZE_RESULT_SUCCESS) {
      return Status::Unavailable(Describe("zeInit", result));
    }
    if (ze_result_t result = api.driver_get(&count, nullptr); result != ZE_RESULT_SUCCESS) {
      return Status::Unavailable(Describe("zeDriverGet", result));
    }
    drivers.resize(CapCount(count, "zeDriverGet", entry));
    count = static_cast<std::uint32_t>(drivers.size());
    if (ze_result_t result = api.driver_get(&count, drivers.data()); result != ZE_RESULT_SUCCESS) {
      return Status::Unavailable(Describe("zeDriverGet", result));
    }
  }
  // A second call may return fewer than the first announced; never more than we allocated.
  drivers.resize(std::min<std::size_t>(count, drivers.size()));
  return drivers;
}

void ReadDevice(const LevelZeroApi& api, ze_device_handle_t handle, LevelZeroDevice* device,
                LevelZeroObservation* entry) {
  std::string where = "driver " + std::to_string(device->driver) + " device " +
                      std::to_string(device->index) + ": ";
  ze_device_properties_t properties = {};
  properties.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES;
  if (ze_result_t result = api.device_get_properties(handle, &properties);
      result != ZE_RESULT_SUCCESS) {
    entry->warnings.push_back(where + Describe("zeDeviceGetProperties", result));
  } else {
    if (const char* type = FindName(kDeviceTypes, [&](auto t) { return t == properties.type; })) {
      device->type = type;
    } else {
      entry->warnings.push_back(where + "unknown device type " +
                                std::to_string(static_cast<int>(properties.type)) +
                                ", listed as gpu");
    }
    device->vendor_id = properties.vendorId;
    device->device_id = properties.deviceId;
    device->integrated = (properties.flags & ZE_DEVICE_PROPERTY_FLAG_INTEGRATED) != 0;
    device->uuid = HexBytes(properties.uuid.id, sizeof properties.uuid.id);
    device->name = BoundedString(properties.name, sizeof properties.name);
    device->clock_mhz = static_cast<int>(properties.coreClockRate);
    device->eu_count = static_cast<int>(properties.numSlices * properties.numSubslicesPerSlice *
                                        properties.numEUsPerSubslice);
  }

  std::uint32_t regions = 0;
  if (ze_result_t result = api.device_get_memory_properties(handle, &regions, nullptr);
      result != ZE_RESULT_SUCCESS) {
    entry->warnings.push_back(where + Describe("zeDeviceGetMemoryProperties", result));
  } else {
    std::vector<ze_device_memory_properties_t> memory(
        CapCount(regions, "zeDeviceGetMemoryProperties", entry));
    for (auto& region : memory) region.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES;
    regions = static_cast<std::uint32_t>(memory.size());
    if (ze_result_t second = api.device_get_memory_properties(handle, &regions, memory.data());
        second != ZE_RESULT_SUCCESS) {
      entry->warnings.push_back(where + Describe("zeDeviceGetMemoryProperties", second));
    } else {
      std::uint64_t total = 0;
      for (std::size_t i = 0; i < std::min<std::size_t>(regions, memory.size()); ++i) {
        total += memory[i].totalSize;
      }
      device->memory_bytes = total;
    }
  }

  if (api.device_pci_get_properties != nullptr) {
    ze_pci_ext_properties_t pci = {};
    pci.stype = ZE_STRUCTURE_TYPE_PCI_EXT_PROPERTIES;
    // NPUs and some integrated GPUs do not implement it; that is not worth a warning.
    if (api.device_pci_get_properties(handle, &pci) == ZE_RESULT_SUCCESS) {
      device->pci_address = FormatPciAddress(pci.address.domain, pci.address.bus,
                                             pci.address.device, pci.address.function);
    }
  }
}

// What the Level Zero loader reports, through the table RunWithRuntime bound.
void ReadLevelZero(const LevelZeroApi& api, LevelZeroObservation& entry) {
  Result<std::vector<ze_driver_handle_t>> drivers = InitDrivers(api, &entry);
  if (!drivers.ok()) {
    entry.status = ProbeStatus::kError;
    entry.detail = drivers.status().message();
    return;
  }
  entry.status = ProbeStatus::kOk;
  for (std::size_t driver = 0; driver < drivers->size(); ++driver) {
    std::uint32_t count = 0;
    std::string where = "driver " + std::to_string(driver) + ": ";
    if (ze_result_t result = api.device_get((*drivers)[driver], &count, nullptr);
        result != ZE_RESULT_SUCCESS) {
      entry.warnings.push_back(where + Describe("zeDeviceGet", result));
      continue;
    }
    std::vector<ze_device_handle_t> handles(CapCount(count, "zeDeviceGet", &entry));
    count = static_cast<std::uint32_t>(handles.size());
    if (ze_result_t result = api.device_get((*drivers)[driver], &count, handles.data());
        result != ZE_RESULT_SUCCESS) {
      entry.warnings.push_back(where + Describe("zeDeviceGet", result));
      continue;
    }
    handles.resize(std::min<std::size_t>(count, handles.size()));
    for (std::size_t index = 0; index < handles.size(); ++index) {
      LevelZeroDevice device;
      device.driver = static_cast<int>(driver);
      device.index = static_cast<int>(index);
      ReadDevice(api, handles[index], &device, &entry);
      entry.devices.push_back(std::move(device));
    }
  }
}

}  // namespace

void RunLevelZeroProbe(const Env& env, Observations* out) {
  RunWithRuntime<LevelZeroApi>(env, {kLevelZeroSoname}, out->probes.level_zero, ReadLevelZero);
}

}  // namespace devpick
