// The CUDA driver API (libcuda.so.1): the declarations devpick calls, written from
// research/specs.md §5.2. Deliberately incomplete: nothing here can create a context
// (cuCtxCreate, cuDevicePrimaryCtxRetain, cuMemGetInfo are not declared), because a context in the
// caller's process would break frameworks that initialise CUDA after us (PyTorch cannot
// re-initialise CUDA after a fork) and costs hundreds of megabytes of device memory.
//
// Only typed declarations, resolved with dlsym (probes/dynlib.h); the fake libcuda in tests/fakes
// defines the same prototypes.
#ifndef DEVPICK_SRC_VENDOR_CUDA_DRIVER_H_
#define DEVPICK_SRC_VENDOR_CUDA_DRIVER_H_

#include <stddef.h>

extern "C" {

typedef int CUresult;
typedef int CUdevice;
typedef struct CUuuid_st {
  char bytes[16];
} CUuuid;

enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NOT_INITIALIZED = 3,
  CUDA_ERROR_DEINITIALIZED = 4,
  CUDA_ERROR_STUB_LIBRARY = 34,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_DEVICE = 101,
  CUDA_ERROR_UNKNOWN = 999,
};

// CUdevice_attribute values devpick reads.
enum {
  CU_DEVICE_ATTRIBUTE_CLOCK_RATE = 13,  // kHz
  CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
  CU_DEVICE_ATTRIBUTE_INTEGRATED = 18,
  CU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33,
  CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID = 34,  // the slot number, not the PCI product ID
  CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID = 50,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
};

CUresult cuInit(unsigned int flags);        // flags must be 0
CUresult cuDriverGetVersion(int* version);  // 1000 * major + 10 * minor
CUresult cuDeviceGetCount(int* count);
CUresult cuDeviceGet(CUdevice* device, int ordinal);
CUresult cuDeviceGetName(char* name, int length, CUdevice device);
CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device);
CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device);
CUresult cuDeviceGetUuid(CUuuid* uuid, CUdevice device);

}  // extern "C"

#endif  // DEVPICK_SRC_VENDOR_CUDA_DRIVER_H_
