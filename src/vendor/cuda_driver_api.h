// The symbol table devpick binds from libcuda.so.1 for discovery: the typed entry points of
// cuda_driver.h, the SymbolSlots that bind them, and the names of the CUresult values. The CUDA
// probe binds only this table; verify binds it together with CudaLaunchApi (cuda_launch_api.h).
//
// Nothing here creates a context (see cuda_driver.h for why); tests/runtime
// (Cuda_NeverCallsContextFunctionsInProcessOrIsolated) checks that the probe never reaches one.
#ifndef DEVPICK_SRC_VENDOR_CUDA_DRIVER_API_H_
#define DEVPICK_SRC_VENDOR_CUDA_DRIVER_API_H_

#include <array>

#include "probes/dynlib.h"
#include "vendor/cuda_driver.h"

namespace devpick {

inline constexpr const char kCudaSoname[] = "libcuda.so.1";

// Enumerating devices and reading their properties.
struct CudaDeviceApi {
  decltype(cuInit)* init = nullptr;
  decltype(cuDriverGetVersion)* driver_get_version = nullptr;
  decltype(cuDeviceGetCount)* device_get_count = nullptr;
  decltype(cuDeviceGet)* device_get = nullptr;
  decltype(cuDeviceGetName)* device_get_name = nullptr;
  decltype(cuDeviceTotalMem_v2)* device_total_mem = nullptr;
  decltype(cuDeviceGetAttribute)* device_get_attribute = nullptr;
  decltype(cuDeviceGetUuid)* device_get_uuid = nullptr;

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 8> Slots() {
    return {
        Required("cuInit", &init),
        Required("cuDriverGetVersion", &driver_get_version),
        Required("cuDeviceGetCount", &device_get_count),
        Required("cuDeviceGet", &device_get),
        Required("cuDeviceGetName", &device_get_name),
        Required("cuDeviceTotalMem_v2", &device_total_mem),
        Required("cuDeviceGetAttribute", &device_get_attribute),
        Required("cuDeviceGetUuid", &device_get_uuid),
    };
  }
};

// The CUresult names DescribeResult prints for discovery's calls.
inline constexpr ResultName kCudaResultNames[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED"},
    {CUDA_ERROR_DEINITIALIZED, "CUDA_ERROR_DEINITIALIZED"},
    {CUDA_ERROR_STUB_LIBRARY, "CUDA_ERROR_STUB_LIBRARY"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_CUDA_DRIVER_API_H_
