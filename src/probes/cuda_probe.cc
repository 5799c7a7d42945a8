// CUDA driver API probe (SNAPSHOT.md "cuda"; ABI in research/specs.md §5.2).
//
// Never resolves, let alone calls, anything that creates a context (cuCtxCreate*,
// cuDevicePrimaryCtxRetain, cuMemGetInfo*): CudaDeviceApi (vendor/cuda_driver_api.h) is the whole
// of what this probe can reach, and tests/runtime checks that the fake libcuda never sees a context
// call.
#include <cstdio>
#include <string>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/cuda_driver_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, CUresult result) {
  return DescribeResult(call, result, kCudaResultNames);
}

// "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as nvidia-smi -L and CUDA_VISIBLE_DEVICES write it.
std::string FormatGpuUuid(const CUuuid& uuid) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(uuid.bytes);
  std::string hex = HexBytes(bytes, sizeof uuid.bytes);
  return "GPU-" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

class DeviceReader {
 public:
  DeviceReader(const CudaDeviceApi& api, int ordinal, CUdevice handle, CudaObservation* entry)
      : api_(api), ordinal_(ordinal), handle_(handle), entry_(entry) {}

  CudaDevice Read() {
    CudaDevice device;
    device.ordinal = ordinal_;
    char name[256] = {};
    if (Check(api_.device_get_name(name, sizeof name, handle_), "cuDeviceGetName")) {
      device.name = BoundedString(name, sizeof name);
    }
    std::size_t total = 0;
    if (Check(api_.device_total_mem(&total, handle_), "cuDeviceTotalMem_v2")) {
      device.memory_total_bytes = total;
    }
    CUuuid uuid = {};
    if (Check(api_.device_get_uuid(&uuid, handle_), "cuDeviceGetUuid")) {
      device.uuid = FormatGpuUuid(uuid);
    }
    auto domain = Attribute(CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID);
    auto bus = Attribute(CU_DEVICE_ATTRIBUTE_PCI_BUS_ID);
    auto slot = Attribute(CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID);
    if (domain && bus && slot) {
      device.pci_address = FormatPciAddress(*domain, *bus, *slot, 0);
    }
    auto major = Attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    auto minor = Attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    if (major && minor) {
      device.compute_capability = std::to_string(*major) + "." + std::to_string(*minor);
    }
    device.multiprocessors = Attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    if (auto khz = Attribute(CU_DEVICE_ATTRIBUTE_CLOCK_RATE)) device.clock_mhz = *khz / 1000;
    if (auto integrated = Attribute(CU_DEVICE_ATTRIBUTE_INTEGRATED)) {
      device.integrated = *integrated != 0;
    }
    return device;
  }

 private:
  bool Check(CUresult result, const char* call) {
    if (result == CUDA_SUCCESS) return true;
    entry_->warnings.push_back("device " + std::to_string(ordinal_) + ": " +
                               Describe(call, result));
    return false;
  }

  std::optional<int> Attribute(int attribute) {
    int value = 0;
    CUresult result = api_.device_get_attribute(&value, attribute, handle_);
    if (result == CUDA_SUCCESS) return value;
    entry_->warnings.push_back("device " + std::to_string(ordinal_) + ": " +
                               Describe("cuDeviceGetAttribute", result) + " for attribute " +
                               std::to_string(attribute));
    return std::nullopt;
  }

  const CudaDeviceApi& api_;
  int ordinal_;
  CUdevice handle_;
  CudaObservation* entry_;
};

// What libcuda reports, through the table RunWithRuntime bound.
void ReadCuda(const CudaDeviceApi& api, CudaObservation& entry) {
  // The version needs no initialisation and tells a user with a too-old driver what they have.
  int version = 0;
  if (api.driver_get_version(&version) == CUDA_SUCCESS) entry.driver_version = version;
  CUresult init = api.init(0);
  if (init == CUDA_ERROR_NO_DEVICE) {
    // A working driver with nothing visible (CUDA_VISIBLE_DEVICES="" or every GPU hidden).
    entry.status = ProbeStatus::kOk;
    entry.detail = Describe("cuInit", init) + ": no CUDA device is visible";
    return;
  }
  if (init != CUDA_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("cuInit", init);
    return;
  }
  int count = 0;
  if (CUresult result = api.device_get_count(&count); result != CUDA_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("cuDeviceGetCount", result);
    return;
  }
  entry.status = ProbeStatus::kOk;
  std::uint32_t capped = CapCount(count < 0 ? 0 : count, "cuDeviceGetCount", &entry);
  for (int ordinal = 0; ordinal < static_cast<int>(capped); ++ordinal) {
    CUdevice handle = 0;
    if (CUresult result = api.device_get(&handle, ordinal); result != CUDA_SUCCESS) {
      entry.warnings.push_back("device " + std::to_string(ordinal) + ": " +
                               Describe("cuDeviceGet", result));
      continue;
    }
    entry.devices.push_back(DeviceReader(api, ordinal, handle, &entry).Read());
  }
}

}  // namespace

void RunCudaProbe(const Env& env, Observations* out) {
  RunWithRuntime<CudaDeviceApi>(env, {kCudaSoname}, out->probes.cuda, ReadCuda);
}

}  // namespace devpick
