// The symbol table `devpick verify --api cuda` binds from libcuda.so.1 beyond discovery's
// CudaDeviceApi: the context, module, memory and launch entry points of cuda_launch.h.
//
// Only src/verify may include this header: a probe must never create a context (cuda_driver.h
// says why), and keeping these bindings apart from cuda_driver_api.h keeps them out of its reach.
#ifndef DEVPICK_SRC_VENDOR_CUDA_LAUNCH_API_H_
#define DEVPICK_SRC_VENDOR_CUDA_LAUNCH_API_H_

#include <array>

#include "probes/dynlib.h"
#include "vendor/cuda_launch.h"

namespace devpick {

struct CudaLaunchApi {
  decltype(cuGetErrorName)* get_error_name = nullptr;
  decltype(cuCtxCreate_v2)* ctx_create = nullptr;
  decltype(cuCtxDestroy_v2)* ctx_destroy = nullptr;
  decltype(cuCtxSynchronize)* ctx_synchronize = nullptr;
  decltype(cuModuleLoadDataEx)* module_load_data_ex = nullptr;
  decltype(cuModuleGetFunction)* module_get_function = nullptr;
  decltype(cuModuleUnload)* module_unload = nullptr;
  decltype(cuMemAlloc_v2)* mem_alloc = nullptr;
  decltype(cuMemFree_v2)* mem_free = nullptr;
  decltype(cuMemcpyHtoD_v2)* memcpy_htod = nullptr;
  decltype(cuMemcpyDtoH_v2)* memcpy_dtoh = nullptr;
  decltype(cuMemcpyDtoD_v2)* memcpy_dtod = nullptr;
  decltype(cuLaunchKernel)* launch_kernel = nullptr;

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 13> Slots() {
    return {
        Required("cuGetErrorName", &get_error_name),
        Required("cuCtxCreate_v2", &ctx_create),
        Required("cuCtxDestroy_v2", &ctx_destroy),
        Required("cuCtxSynchronize", &ctx_synchronize),
        Required("cuModuleLoadDataEx", &module_load_data_ex),
        Required("cuModuleGetFunction", &module_get_function),
        Required("cuModuleUnload", &module_unload),
        Required("cuMemAlloc_v2", &mem_alloc),
        Required("cuMemFree_v2", &mem_free),
        Required("cuMemcpyHtoD_v2", &memcpy_htod),
        Required("cuMemcpyDtoH_v2", &memcpy_dtoh),
        Required("cuMemcpyDtoD_v2", &memcpy_dtod),
        Required("cuLaunchKernel", &launch_kernel),
    };
  }
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_CUDA_LAUNCH_API_H_
