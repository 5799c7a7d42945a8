// The CUDA driver API (libcuda.so.1) beyond discovery: exactly what `devpick verify --api cuda`
// calls to create a context, load a PTX module, move memory and launch a kernel. Values and
// prototypes are those of NVIDIA's cuda.h (the _v2 names are what cuda.h maps cuCtxCreate,
// cuMemAlloc and friends to on 64-bit platforms since CUDA 4.0/3.2).
//
// Only src/verify (and the fake libcuda in tests/fakes) may include this header. Discovery must
// never create a context (see cuda_driver.h for why), so these declarations live apart from
// cuda_driver.h, which the probes use; verification is the one command allowed to create a context,
// and it does so only when the user runs `devpick verify`.
//
// Only typed declarations, resolved with dlsym (probes/dynlib.h); the fake libcuda in tests/fakes
// defines the same prototypes.
#ifndef DEVPICK_SRC_VENDOR_CUDA_LAUNCH_H_
#define DEVPICK_SRC_VENDOR_CUDA_LAUNCH_H_

#include <stddef.h>

#include "vendor/cuda_driver.h"

extern "C" {

typedef struct CUctx_st* CUcontext;
typedef struct CUmod_st* CUmodule;
typedef struct CUfunc_st* CUfunction;
typedef struct CUstream_st* CUstream;    // nullptr: the context's default stream
typedef unsigned long long CUdeviceptr;  // a device address, 64 bits on every 64-bit platform

// CUresult values the verify path and the fake name, beyond those in cuda_driver.h.
enum {
  CUDA_ERROR_INVALID_CONTEXT = 201,
  CUDA_ERROR_INVALID_PTX = 218,  // the PTX JIT compilation failed; the error log says why
  CUDA_ERROR_INVALID_HANDLE = 400,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_ILLEGAL_ADDRESS = 700,  // a kernel touched memory outside its allocations
};

// CUjit_option values: the JIT's error log, so that a module load failure can say which PTX line
// the compiler rejected.
typedef int CUjit_option;
enum {
  // Value: char*, the buffer the log is written into.
  CU_JIT_ERROR_LOG_BUFFER = 5,
  // Value: the buffer's size in bytes, as an unsigned int stored in the void* slot itself; on
  // return the slot holds the bytes written.
  CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6,
};

// Creates a context on `device` and makes it current to the calling thread (flags 0: automatic
// scheduling). cuCtxDestroy_v2 destroys it, and every allocation and module in it, and pops it.
CUresult cuCtxCreate_v2(CUcontext* context, unsigned int flags, CUdevice device);
CUresult cuCtxDestroy_v2(CUcontext context);
// Waits for all work in the current context; returns the error of a kernel that failed.
CUresult cuCtxSynchronize(void);

// `image` is NUL-terminated PTX text. `option_values[i]` belongs to `options[i]`.
CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int num_options,
                            CUjit_option* options, void** option_values);
CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name);
CUresult cuModuleUnload(CUmodule module);

CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes);
CUresult cuMemFree_v2(CUdeviceptr pointer);
// Host-to-device and device-to-host copies return when the copy is done; a device-to-device copy
// may still be running when it returns (cuCtxSynchronize waits for it).
CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void* source, size_t bytes);
CUresult cuMemcpyDtoH_v2(void* destination, CUdeviceptr source, size_t bytes);
CUresult cuMemcpyDtoD_v2(CUdeviceptr destination, CUdeviceptr source, size_t bytes);

// Queues `function` on `stream` over a grid of grid_x * grid_y * grid_z blocks of
// block_x * block_y * block_z threads. kernel_params[i] points at the value of parameter i;
// `extra` is the alternative packed form (nullptr here). Returns before the kernel has run.
CUresult cuLaunchKernel(CUfunction function, unsigned int grid_x, unsigned int grid_y,
                        unsigned int grid_z, unsigned int block_x, unsigned int block_y,
                        unsigned int block_z, unsigned int shared_memory_bytes, CUstream stream,
                        void** kernel_params, void** extra);

// "CUDA_ERROR_INVALID_PTX" for 218; CUDA_ERROR_INVALID_VALUE (and *name = nullptr) for a code the
// driver does not know. The string is the driver's, never freed.
CUresult cuGetErrorName(CUresult error, const char** name);

}  // extern "C"

#endif  // DEVPICK_SRC_VENDOR_CUDA_LAUNCH_H_
