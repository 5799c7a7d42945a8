// A fake libnvidia-ml.so.1 presenting the GPUs of $FAKE_NVIDIA_GPUS (fields: name, uuid, bus as
// NVML prints it, mem, free, cc). $FAKE_NVML_MODE: hang, crash, init_error (DRIVER_NOT_LOADED),
// version_mismatch (LIB_RM_VERSION_MISMATCH, as after a driver upgrade without a reboot),
// unterminated (names fill the buffer with no NUL), lying_count (count says 1000).
// $FAKE_NVML_DRIVER is the driver version, $FAKE_CUDA_VERSION the CUDA driver version.
#include <string>

#include "fake_script.h"
#include "vendor/nvml.h"

struct nvmlDevice_st {
  int unused;
};

namespace {

nvmlDevice_st handles[64];

std::vector<fake::Fields> Gpus() { return fake::Devices("FAKE_NVIDIA_GPUS"); }
bool Unterminated() { return fake::Mode("FAKE_NVML_MODE") == "unterminated"; }

// The scripted fields of `device`, or nullptr for a handle we did not hand out.
bool Lookup(nvmlDevice_t device, fake::Fields* fields) {
  std::vector<fake::Fields> gpus = Gpus();
  std::ptrdiff_t index = device - handles;
  if (index < 0 || index >= static_cast<std::ptrdiff_t>(gpus.size())) return false;
  *fields = gpus[index];
  return true;
}

}  // namespace

extern "C" {

nvmlReturn_t nvmlInit_v2(void) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  std::string mode = fake::Mode("FAKE_NVML_MODE");
  fake::Misbehave(mode);
  if (mode == "init_error") return NVML_ERROR_DRIVER_NOT_LOADED;
  if (mode == "version_mismatch") return NVML_ERROR_LIB_RM_VERSION_MISMATCH;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) { return NVML_SUCCESS; }

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  *count = fake::Mode("FAKE_NVML_MODE") == "lying_count" ? 1000 : Gpus().size();
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  if (index >= Gpus().size() || index >= 64) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &handles[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  fake::CopyString(fake::Get(gpu, "name"), name, length, Unterminated());
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  if (!gpu.count("uuid")) return NVML_ERROR_NOT_SUPPORTED;
  fake::CopyString(fake::Get(gpu, "uuid"), uuid, length, Unterminated());
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t* pci) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  *pci = nvmlPciInfo_t{};
  fake::ParseBus(fake::Get(gpu, "bus"), &pci->domain, &pci->bus, &pci->device, &pci->pciDeviceId);
  fake::CopyString(fake::Get(gpu, "bus"), pci->busId, sizeof pci->busId, Unterminated());
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  // v1 counts reserved memory as used: a different free value shows which call was made.
  memory->total = fake::Number(gpu, "mem");
  memory->free = fake::Number(gpu, "free") / 2;
  memory->used = memory->total - memory->free;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t* memory) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  if (memory->version != nvmlMemory_v2) return 25;  // NVML_ERROR_ARGUMENT_VERSION_MISMATCH
  memory->total = fake::Number(gpu, "mem");
  memory->free = fake::Number(gpu, "free");
  memory->reserved = 0;
  memory->used = memory->total - memory->free;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t device, int* major, int* minor) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return NVML_ERROR_INVALID_ARGUMENT;
  if (std::sscanf(fake::Get(gpu, "cc").c_str(), "%d.%d", major, minor) != 2) {
    return NVML_ERROR_NOT_SUPPORTED;
  }
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  const char* driver = std::getenv("FAKE_NVML_DRIVER");
  fake::CopyString(driver ? driver : "550.54.14", version, length, Unterminated());
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int* version) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  *version = 11000;  // the "known supported version" guess: the probe must prefer _v2
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int* version) {
  if (long code = fake::ScriptedFailure("FAKE_NVML_FAIL", __func__)) {
    return static_cast<nvmlReturn_t>(code);
  }
  const char* cuda = std::getenv("FAKE_CUDA_VERSION");
  *version = cuda ? std::atoi(cuda) : 12040;
  return NVML_SUCCESS;
}

}  // extern "C"
