// The symbol table devpick binds from libnvidia-ml.so.1 (declarations in nvml.h), and the names of
// the nvmlReturn_t values.
#ifndef DEVPICK_SRC_VENDOR_NVML_API_H_
#define DEVPICK_SRC_VENDOR_NVML_API_H_

#include <array>

#include "probes/dynlib.h"
#include "vendor/nvml.h"

namespace devpick {

inline constexpr const char kNvmlSoname[] = "libnvidia-ml.so.1";

struct NvmlApi {
  decltype(nvmlInit_v2)* init = nullptr;
  decltype(nvmlShutdown)* shutdown = nullptr;
  decltype(nvmlDeviceGetCount_v2)* get_count = nullptr;
  decltype(nvmlDeviceGetHandleByIndex_v2)* get_handle = nullptr;
  decltype(nvmlDeviceGetName)* get_name = nullptr;
  decltype(nvmlDeviceGetUUID)* get_uuid = nullptr;
  decltype(nvmlDeviceGetPciInfo_v3)* get_pci_info = nullptr;
  decltype(nvmlDeviceGetMemoryInfo)* get_memory = nullptr;
  decltype(nvmlDeviceGetMemoryInfo_v2)* get_memory_v2 = nullptr;  // optional: drivers >= 510
  decltype(nvmlDeviceGetCudaComputeCapability)* get_compute_capability = nullptr;
  decltype(nvmlSystemGetDriverVersion)* get_driver_version = nullptr;
  decltype(nvmlSystemGetCudaDriverVersion)* get_cuda_version = nullptr;
  decltype(nvmlSystemGetCudaDriverVersion_v2)* get_cuda_version_v2 = nullptr;  // optional

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 13> Slots() {
    return {
        Required("nvmlInit_v2", &init),
        Required("nvmlShutdown", &shutdown),
        Required("nvmlDeviceGetCount_v2", &get_count),
        Required("nvmlDeviceGetHandleByIndex_v2", &get_handle),
        Required("nvmlDeviceGetName", &get_name),
        Required("nvmlDeviceGetUUID", &get_uuid),
        Required("nvmlDeviceGetPciInfo_v3", &get_pci_info),
        Required("nvmlDeviceGetMemoryInfo", &get_memory),
        Optional("nvmlDeviceGetMemoryInfo_v2", &get_memory_v2),
        Required("nvmlDeviceGetCudaComputeCapability", &get_compute_capability),
        Required("nvmlSystemGetDriverVersion", &get_driver_version),
        Required("nvmlSystemGetCudaDriverVersion", &get_cuda_version),
        Optional("nvmlSystemGetCudaDriverVersion_v2", &get_cuda_version_v2),
    };
  }
};

inline constexpr ResultName kNvmlResultNames[] = {
    {NVML_SUCCESS, "NVML_SUCCESS"},
    {NVML_ERROR_UNINITIALIZED, "NVML_ERROR_UNINITIALIZED"},
    {NVML_ERROR_INVALID_ARGUMENT, "NVML_ERROR_INVALID_ARGUMENT"},
    {NVML_ERROR_NOT_SUPPORTED, "NVML_ERROR_NOT_SUPPORTED"},
    {NVML_ERROR_NO_PERMISSION, "NVML_ERROR_NO_PERMISSION"},
    {NVML_ERROR_INSUFFICIENT_SIZE, "NVML_ERROR_INSUFFICIENT_SIZE"},
    {NVML_ERROR_DRIVER_NOT_LOADED, "NVML_ERROR_DRIVER_NOT_LOADED"},
    {NVML_ERROR_LIBRARY_NOT_FOUND, "NVML_ERROR_LIBRARY_NOT_FOUND"},
    {NVML_ERROR_FUNCTION_NOT_FOUND, "NVML_ERROR_FUNCTION_NOT_FOUND"},
    {NVML_ERROR_GPU_IS_LOST, "NVML_ERROR_GPU_IS_LOST"},
    {NVML_ERROR_LIB_RM_VERSION_MISMATCH, "NVML_ERROR_LIB_RM_VERSION_MISMATCH"},
    {NVML_ERROR_UNKNOWN, "NVML_ERROR_UNKNOWN"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_NVML_API_H_
