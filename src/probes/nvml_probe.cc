// NVML probe (SNAPSHOT.md "nvml"; ABI in research/specs.md §5.1).
#include <string>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/nvml_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, nvmlReturn_t result) {
  return DescribeResult(call, result, kNvmlResultNames);
}

// Calls `call`; on failure records "device <i>: <call>: <NAME> (<code>)" as a warning.
bool Check(nvmlReturn_t result, const char* call, unsigned int index, NvmlObservation* entry) {
  if (result == NVML_SUCCESS) return true;
  entry->warnings.push_back("device " + std::to_string(index) + ": " + Describe(call, result));
  return false;
}

NvmlDevice ReadDevice(const NvmlApi& api, unsigned int index, nvmlDevice_t handle,
                      NvmlObservation* entry) {
  NvmlDevice device;
  device.index = static_cast<int>(index);
  char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE] = {};
  if (Check(api.get_name(handle, name, sizeof name), "nvmlDeviceGetName", index, entry)) {
    device.name = BoundedString(name, sizeof name);
  }
  char uuid[NVML_DEVICE_UUID_V2_BUFFER_SIZE] = {};
  if (Check(api.get_uuid(handle, uuid, sizeof uuid), "nvmlDeviceGetUUID", index, entry)) {
    device.uuid = BoundedString(uuid, sizeof uuid);
  }
  nvmlPciInfo_t pci = {};
  if (Check(api.get_pci_info(handle, &pci), "nvmlDeviceGetPciInfo_v3", index, entry)) {
    // Kept as NVML prints it ("00000000:01:00.0"); readers compare addresses numerically.
    device.pci_address = BoundedString(pci.busId, sizeof pci.busId);
  }
  // v2 separates reserved memory from used; v1 is the fallback for drivers before 510.
  nvmlMemory_v2_t memory_v2 = {};
  memory_v2.version = nvmlMemory_v2;
  if (api.get_memory_v2 != nullptr && api.get_memory_v2(handle, &memory_v2) == NVML_SUCCESS) {
    device.memory_total_bytes = memory_v2.total;
    device.memory_free_bytes = memory_v2.free;
  } else {
    nvmlMemory_t memory = {};
    if (Check(api.get_memory(handle, &memory), "nvmlDeviceGetMemoryInfo", index, entry)) {
      device.memory_total_bytes = memory.total;
      device.memory_free_bytes = memory.free;
    }
  }
  int major = 0;
  int minor = 0;
  if (Check(api.get_compute_capability(handle, &major, &minor),
            "nvmlDeviceGetCudaComputeCapability", index, entry)) {
    device.compute_capability = std::to_string(major) + "." + std::to_string(minor);
  }
  return device;
}

// What NVML reports, through the table RunWithRuntime bound.
void ReadNvml(const NvmlApi& api, NvmlObservation& entry) {
  if (nvmlReturn_t result = api.init(); result != NVML_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("nvmlInit_v2", result);
    return;
  }
  entry.status = ProbeStatus::kOk;
  char version[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = {};
  if (nvmlReturn_t result = api.get_driver_version(version, sizeof version);
      result == NVML_SUCCESS) {
    entry.version = BoundedString(version, sizeof version);
  } else {
    entry.warnings.push_back(Describe("nvmlSystemGetDriverVersion", result));
  }
  // _v2 asks libcuda itself; the old call guesses a supported version when libcuda is missing.
  int cuda_version = 0;
  auto* get_cuda_version = api.get_cuda_version_v2 ? api.get_cuda_version_v2 : api.get_cuda_version;
  if (nvmlReturn_t result = get_cuda_version(&cuda_version); result == NVML_SUCCESS) {
    entry.cuda_driver_version = cuda_version;
  } else {
    entry.warnings.push_back(Describe("nvmlSystemGetCudaDriverVersion", result));
  }
  unsigned int count = 0;
  if (nvmlReturn_t result = api.get_count(&count); result != NVML_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("nvmlDeviceGetCount_v2", result);
  } else {
    count = CapCount(count, "nvmlDeviceGetCount_v2", &entry);
    for (unsigned int index = 0; index < count; ++index) {
      nvmlDevice_t handle = nullptr;
      if (!Check(api.get_handle(index, &handle), "nvmlDeviceGetHandleByIndex_v2", index, &entry)) {
        continue;  // e.g. NO_PERMISSION on one GPU; the others are still worth reporting
      }
      entry.devices.push_back(ReadDevice(api, index, handle, &entry));
    }
  }
  api.shutdown();
}

}  // namespace

void RunNvmlProbe(const Env& env, Observations* out) {
  RunWithRuntime<NvmlApi>(env, {kNvmlSoname}, out->probes.nvml, ReadNvml);
}

}  // namespace devpick
