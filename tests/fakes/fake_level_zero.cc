// A fake libze_loader.so.1 presenting the devices of $FAKE_ZE_DEVICES (fields: driver, type
// gpu|cpu|fpga|mca|vpu, vendor, device, name, integrated, uuid as 32 hex digits, bus (absent: no
// PCI properties), mem as region sizes joined by '+', slices, subslices, eus, clock). Exports
// zeInitDrivers, which insists on the GPU|NPU flags. $FAKE_ZE_MODE: hang, crash, no_driver (init
// answers ZE_RESULT_ERROR_UNINITIALIZED), lying_count.
#include <string>

#include "fake_script.h"
#include "vendor/level_zero.h"

struct _ze_driver_handle_t {
  int index;
};
struct _ze_device_handle_t {
  int index;  // into $FAKE_ZE_DEVICES
};

namespace {

_ze_driver_handle_t drivers[8] = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}};
_ze_device_handle_t devices[64];

std::vector<fake::Fields> Devices() { return fake::Devices("FAKE_ZE_DEVICES"); }

int DriverCount() {
  int count = 0;
  for (const auto& device : Devices()) {
    count = std::max<int>(count, static_cast<int>(fake::Number(device, "driver")) + 1);
  }
  return std::min(count, 8);
}

ze_result_t Init() {
  std::string mode = fake::Mode("FAKE_ZE_MODE");
  fake::Misbehave(mode);
  return mode == "no_driver" ? ZE_RESULT_ERROR_UNINITIALIZED : ZE_RESULT_SUCCESS;
}

ze_result_t ListDrivers(uint32_t* count, ze_driver_handle_t* handles) {
  uint32_t available = static_cast<uint32_t>(DriverCount());
  if (handles == nullptr) {
    *count = available;
    return ZE_RESULT_SUCCESS;
  }
  *count = std::min(*count, available);
  for (uint32_t i = 0; i < *count; ++i) handles[i] = &drivers[i];
  return ZE_RESULT_SUCCESS;
}

bool Lookup(ze_device_handle_t device, fake::Fields* fields) {
  std::vector<fake::Fields> all = Devices();
  if (device < devices || device >= devices + 64 || device->index >= static_cast<int>(all.size())) {
    return false;
  }
  *fields = all[device->index];
  return true;
}

}  // namespace

extern "C" {

ze_result_t zeInit(ze_init_flags_t) { return Init(); }

ze_result_t zeDriverGet(uint32_t* count, ze_driver_handle_t* handles) {
  return ListDrivers(count, handles);
}

ze_result_t zeInitDrivers(uint32_t* count, ze_driver_handle_t* handles,
                          devpick_ze_init_driver_type_desc_t* desc) {
  if (desc == nullptr || desc->stype != kZeStructureTypeInitDriverTypeDesc ||
      desc->flags != (kZeInitDriverTypeFlagGpu | kZeInitDriverTypeFlagNpu)) {
    return ZE_RESULT_ERROR_INVALID_ARGUMENT;
  }
  if (ze_result_t result = Init(); result != ZE_RESULT_SUCCESS) return result;
  return ListDrivers(count, handles);
}

ze_result_t zeDeviceGet(ze_driver_handle_t driver, uint32_t* count, ze_device_handle_t* handles) {
  std::vector<fake::Fields> all = Devices();
  std::vector<int> mine;
  for (int i = 0; i < static_cast<int>(all.size()) && i < 64; ++i) {
    if (static_cast<int>(fake::Number(all[i], "driver")) == driver->index) mine.push_back(i);
  }
  if (handles == nullptr) {
    *count = fake::Mode("FAKE_ZE_MODE") == "lying_count" ? 100000 : mine.size();
    return ZE_RESULT_SUCCESS;
  }
  *count = std::min<uint32_t>(*count, mine.size());
  for (uint32_t i = 0; i < *count; ++i) {
    devices[mine[i]].index = mine[i];
    handles[i] = &devices[mine[i]];
  }
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDeviceGetProperties(ze_device_handle_t device, ze_device_properties_t* properties) {
  fake::Fields fields;
  if (!Lookup(device, &fields)) return ZE_RESULT_ERROR_INVALID_NULL_HANDLE;
  if (properties->stype != ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES) {
    return ZE_RESULT_ERROR_INVALID_ARGUMENT;
  }
  static const std::map<std::string, ze_device_type_t> kTypes = {{"gpu", ZE_DEVICE_TYPE_GPU},
                                                                 {"cpu", ZE_DEVICE_TYPE_CPU},
                                                                 {"fpga", ZE_DEVICE_TYPE_FPGA},
                                                                 {"mca", ZE_DEVICE_TYPE_MCA},
                                                                 {"vpu", ZE_DEVICE_TYPE_VPU}};
  auto type = kTypes.find(fake::Get(fields, "type", "gpu"));
  properties->type = type == kTypes.end() ? static_cast<ze_device_type_t>(77) : type->second;
  properties->vendorId = fake::Number(fields, "vendor");
  properties->deviceId = fake::Number(fields, "device");
  properties->flags = fake::Number(fields, "integrated") ? ZE_DEVICE_PROPERTY_FLAG_INTEGRATED : 0;
  properties->coreClockRate = fake::Number(fields, "clock");
  properties->numSlices = fake::Number(fields, "slices");
  properties->numSubslicesPerSlice = fake::Number(fields, "subslices");
  properties->numEUsPerSubslice = fake::Number(fields, "eus");
  fake::ParseUuid(fake::Get(fields, "uuid"), properties->uuid.id);
  fake::CopyString(fake::Get(fields, "name"), properties->name, sizeof properties->name,
                   fake::Mode("FAKE_ZE_MODE") == "unterminated");
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDeviceGetMemoryProperties(ze_device_handle_t device, uint32_t* count,
                                        ze_device_memory_properties_t* properties) {
  fake::Fields fields;
  if (!Lookup(device, &fields)) return ZE_RESULT_ERROR_INVALID_NULL_HANDLE;
  std::vector<uint64_t> regions;
  std::string text = fake::Get(fields, "mem");
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('+', start);
    if (end == std::string::npos) end = text.size();
    regions.push_back(std::strtoull(text.substr(start, end - start).c_str(), nullptr, 0));
    start = end + 1;
  }
  if (properties == nullptr) {
    *count = regions.size();
    return ZE_RESULT_SUCCESS;
  }
  *count = std::min<uint32_t>(*count, regions.size());
  for (uint32_t i = 0; i < *count; ++i) {
    if (properties[i].stype != ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES) {
      return ZE_RESULT_ERROR_INVALID_ARGUMENT;
    }
    properties[i].totalSize = regions[i];
  }
  return ZE_RESULT_SUCCESS;
}

ze_result_t zeDevicePciGetPropertiesExt(ze_device_handle_t device,
                                        ze_pci_ext_properties_t* properties) {
  fake::Fields fields;
  if (!Lookup(device, &fields)) return ZE_RESULT_ERROR_INVALID_NULL_HANDLE;
  if (!fields.count("bus")) return ZE_RESULT_ERROR_UNSUPPORTED_FEATURE;
  unsigned domain = 0, bus = 0, slot = 0, function = 0;
  fake::ParseBus(fake::Get(fields, "bus"), &domain, &bus, &slot, &function);
  properties->address = {domain, bus, slot, function};
  return ZE_RESULT_SUCCESS;
}

}  // extern "C"
