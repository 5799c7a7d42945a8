// A fake libcuda.so.1 presenting the GPUs of $FAKE_NVIDIA_GPUS (fields: name, uuid, bus, mem, cc,
// sm, clock_khz, integrated), in the order given. $FAKE_CUDA_MODE: hang, crash, init_error
// (cuInit fails with CUDA_ERROR_UNKNOWN), no_device, unterminated, lying_count.
// The context functions devpick must never call record themselves into $FAKE_CUDA_CALL_LOG.
// Built twice: the second build (FAKE_CUDA_WITHOUT_UUID) lacks cuDeviceGetUuid.
#include <string>

#include "fake_script.h"
#include "vendor/cuda_driver.h"

namespace {

std::vector<fake::Fields> Gpus() { return fake::Devices("FAKE_NVIDIA_GPUS"); }
bool initialized = false;

bool Lookup(CUdevice device, fake::Fields* fields) {
  std::vector<fake::Fields> gpus = Gpus();
  if (device < 0 || device >= static_cast<int>(gpus.size())) return false;
  *fields = gpus[device];
  return true;
}

}  // namespace

extern "C" {

CUresult cuInit(unsigned int flags) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  std::string mode = fake::Mode("FAKE_CUDA_MODE");
  fake::Misbehave(mode);
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (mode == "init_error") return CUDA_ERROR_UNKNOWN;
  if (mode == "no_device") return CUDA_ERROR_NO_DEVICE;
  initialized = true;
  return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* version) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  const char* cuda = std::getenv("FAKE_CUDA_VERSION");
  *version = cuda ? std::atoi(cuda) : 12040;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  *count = fake::Mode("FAKE_CUDA_MODE") == "lying_count" ? 1000 : static_cast<int>(Gpus().size());
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (ordinal < 0 || ordinal >= static_cast<int>(Gpus().size())) return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  fake::CopyString(fake::Get(gpu, "name"), name, length,
                   fake::Mode("FAKE_CUDA_MODE") == "unterminated");
  return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  *bytes = fake::Number(gpu, "mem");
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  unsigned domain = 0, bus = 0, slot = 0, function = 0;
  fake::ParseBus(fake::Get(gpu, "bus"), &domain, &bus, &slot, &function);
  int major = 0, minor = 0;
  std::sscanf(fake::Get(gpu, "cc").c_str(), "%d.%d", &major, &minor);
  switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_CLOCK_RATE:
      *value = fake::Number(gpu, "clock_khz");
      break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
      *value = fake::Number(gpu, "sm");
      break;
    case CU_DEVICE_ATTRIBUTE_INTEGRATED:
      *value = fake::Number(gpu, "integrated");
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID:
      *value = bus;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID:
      *value = slot;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID:
      *value = domain;
      break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
      *value = major;
      break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
      *value = minor;
      break;
    default:
      return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

#ifndef FAKE_CUDA_WITHOUT_UUID
CUresult cuDeviceGetUuid(CUuuid* uuid, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  fake::ParseUuid(fake::Get(gpu, "uuid"), reinterpret_cast<unsigned char*>(uuid->bytes));
  return CUDA_SUCCESS;
}
#endif

// Context creation and memory queries: exported like the real driver, recorded when called.
CUresult cuCtxCreate_v2(void** context, unsigned int, CUdevice) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuCtxCreate_v2");
  *context = nullptr;
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(void** context, CUdevice) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuDevicePrimaryCtxRetain");
  *context = nullptr;
  return CUDA_SUCCESS;
}
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuMemGetInfo_v2");
  *free = *total = 0;
  return CUDA_SUCCESS;
}

}  // extern "C"
