// The symbol table devpick binds from libze_loader.so.1 (declarations in level_zero.h) and the
// names of the ze_result_t values (printed in hex, as Level Zero's documentation writes them).
#ifndef DEVPICK_SRC_VENDOR_LEVEL_ZERO_API_H_
#define DEVPICK_SRC_VENDOR_LEVEL_ZERO_API_H_

#include <array>

#include "probes/dynlib.h"
#include "vendor/level_zero.h"

namespace devpick {

inline constexpr const char kLevelZeroSoname[] = "libze_loader.so.1";

struct LevelZeroApi {
  decltype(zeInit)* init = nullptr;
  decltype(zeDriverGet)* driver_get = nullptr;
  decltype(zeInitDrivers)* init_drivers = nullptr;  // optional: loader >= 1.10
  decltype(zeDeviceGet)* device_get = nullptr;
  decltype(zeDeviceGetProperties)* device_get_properties = nullptr;
  decltype(zeDeviceGetMemoryProperties)* device_get_memory_properties = nullptr;
  decltype(zeDevicePciGetPropertiesExt)* device_pci_get_properties = nullptr;  // optional

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 7> Slots() {
    return {
        Required("zeInit", &init),
        Required("zeDriverGet", &driver_get),
        Optional("zeInitDrivers", &init_drivers),
        Required("zeDeviceGet", &device_get),
        Required("zeDeviceGetProperties", &device_get_properties),
        Required("zeDeviceGetMemoryProperties", &device_get_memory_properties),
        Optional("zeDevicePciGetPropertiesExt", &device_pci_get_properties),
    };
  }
};

inline constexpr ResultName kLevelZeroResultNames[] = {
    {ZE_RESULT_SUCCESS, "ZE_RESULT_SUCCESS"},
    {ZE_RESULT_ERROR_DEVICE_LOST, "ZE_RESULT_ERROR_DEVICE_LOST"},
    {ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY, "ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY"},
    {ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS, "ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS"},
    {ZE_RESULT_ERROR_NOT_AVAILABLE, "ZE_RESULT_ERROR_NOT_AVAILABLE"},
    {ZE_RESULT_ERROR_DEPENDENCY_UNAVAILABLE, "ZE_RESULT_ERROR_DEPENDENCY_UNAVAILABLE"},
    {ZE_RESULT_ERROR_UNINITIALIZED, "ZE_RESULT_ERROR_UNINITIALIZED"},
    {ZE_RESULT_ERROR_UNSUPPORTED_VERSION, "ZE_RESULT_ERROR_UNSUPPORTED_VERSION"},
    {ZE_RESULT_ERROR_UNSUPPORTED_FEATURE, "ZE_RESULT_ERROR_UNSUPPORTED_FEATURE"},
    {ZE_RESULT_ERROR_INVALID_ARGUMENT, "ZE_RESULT_ERROR_INVALID_ARGUMENT"},
    {ZE_RESULT_ERROR_INVALID_NULL_HANDLE, "ZE_RESULT_ERROR_INVALID_NULL_HANDLE"},
    {ZE_RESULT_ERROR_INVALID_NULL_POINTER, "ZE_RESULT_ERROR_INVALID_NULL_POINTER"},
    {ZE_RESULT_ERROR_UNKNOWN, "ZE_RESULT_ERROR_UNKNOWN"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_LEVEL_ZERO_API_H_
