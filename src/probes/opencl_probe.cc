// OpenCL probe (SNAPSHOT.md "opencl"; ABI in research/specs.md §5.4): every platform the ICD loader
// offers, and each platform's devices of CL_DEVICE_TYPE_ALL, in the loader's order.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "probes/probe_runs.h"
#include "vendor/opencl_api.h"

namespace devpick {
namespace {

std::string Describe(const char* call, cl_int result) {
  return DescribeResult(call, result, kOpenClResultNames);
}

// Device types by bit, most specific first: a device may also set CL_DEVICE_TYPE_DEFAULT.
constexpr NamedValue<cl_device_type> kDeviceTypes[] = {
    {CL_DEVICE_TYPE_GPU, "gpu"},
    {CL_DEVICE_TYPE_CPU, "cpu"},
    {CL_DEVICE_TYPE_ACCELERATOR, "accelerator"},
    {CL_DEVICE_TYPE_CUSTOM, "custom"},
};

// Strings larger than this are not names; a driver reporting more is lying about the size.
constexpr std::size_t kMaxInfoString = 64 * 1024;

// Queries a string parameter twice (size, then value) through `get`, bounded and NUL-forced.
template <typename Get>
Result<std::string> InfoString(Get get, const char* call) {
  std::size_t size = 0;
  if (cl_int result = get(0, nullptr, &size); result != CL_SUCCESS) {
    return Status::Unavailable(Describe(call, result));
  }
  size = std::min(size, kMaxInfoString);
  std::vector<char> buffer(size + 1, '\0');
  if (cl_int result = get(size, buffer.data(), nullptr); result != CL_SUCCESS) {
    return Status::Unavailable(Describe(call, result));
  }
  return BoundedString(buffer.data(), size).value_or("");
}

bool HasExtension(const std::string& extensions, std::string_view wanted) {
  std::istringstream words(extensions);
  std::string word;
  while (words >> word) {
    if (word == wanted) return true;
  }
  return false;
}

class DeviceReader {
 public:
  DeviceReader(const OpenClDeviceApi& api, cl_device_id id, std::string where,
               OpenClObservation* entry)
      : api_(api), id_(id), where_(std::move(where)), entry_(entry) {}

  void Read(OpenClDevice* device) {
    if (auto type = Scalar<cl_device_type>(CL_DEVICE_TYPE, "CL_DEVICE_TYPE")) {
      const char* name = FindName(kDeviceTypes, [&](auto bit) { return (*type & bit) != 0; });
      device->type = name ? name : "custom";
    }
    device->name = String(CL_DEVICE_NAME, "CL_DEVICE_NAME");
    if (auto vendor = Scalar<cl_uint>(CL_DEVICE_VENDOR_ID, "CL_DEVICE_VENDOR_ID")) {
      device->vendor_id = *vendor;
    }
    if (auto unified =
            Scalar<cl_bool>(CL_DEVICE_HOST_UNIFIED_MEMORY, "CL_DEVICE_HOST_UNIFIED_MEMORY")) {
      device->host_unified_memory = *unified != CL_FALSE;
    }
    if (auto bytes = Scalar<cl_ulong>(CL_DEVICE_GLOBAL_MEM_SIZE, "CL_DEVICE_GLOBAL_MEM_SIZE")) {
      device->global_mem_bytes = *bytes;
    }
    if (auto units = Scalar<cl_uint>(CL_DEVICE_MAX_COMPUTE_UNITS, "CL_DEVICE_MAX_COMPUTE_UNITS")) {
      device->compute_units = static_cast<int>(*units);
    }
    if (auto mhz =
            Scalar<cl_uint>(CL_DEVICE_MAX_CLOCK_FREQUENCY, "CL_DEVICE_MAX_CLOCK_FREQUENCY")) {
      device->clock_mhz = static_cast<int>(*mhz);
    }
    device->driver_version = String(CL_DRIVER_VERSION, "CL_DRIVER_VERSION");
    // Asking for the bus info of a device without the extension is undefined behaviour in some
    // ICDs.
    auto extensions = String(CL_DEVICE_EXTENSIONS, "CL_DEVICE_EXTENSIONS");
    if (extensions && HasExtension(*extensions, "cl_khr_pci_bus_info")) {
      if (auto pci = Scalar<cl_device_pci_bus_info_khr>(CL_DEVICE_PCI_BUS_INFO_KHR,
                                                        "CL_DEVICE_PCI_BUS_INFO_KHR")) {
        device->pci_address =
            FormatPciAddress(pci->pci_domain, pci->pci_bus, pci->pci_device, pci->pci_function);
      }
    }
  }

 private:
  template <typename T>
  std::optional<T> Scalar(cl_device_info param, const char* param_name) {
    T value{};
    cl_int result = api_.get_device_info(id_, param, sizeof value, &value, nullptr);
    if (result == CL_SUCCESS) return value;
    Warn(param_name, result);
    return std::nullopt;
  }

  std::optional<std::string> String(cl_device_info param, const char* param_name) {
    Result<std::string> value = InfoString(
        [&](std::size_t size, void* buffer, std::size_t* size_ret) {
          return api_.get_device_info(id_, param, size, buffer, size_ret);
        },
        "clGetDeviceInfo");
    if (!value.ok()) {
      entry_->warnings.push_back(where_ + param_name + ": " + value.status().message());
      return std::nullopt;
    }
    if (value->empty()) return std::nullopt;
    return *value;
  }

  void Warn(const char* param_name, cl_int result) {
    entry_->warnings.push_back(where_ + param_name + ": " + Describe("clGetDeviceInfo", result));
  }

  const OpenClDeviceApi& api_;
  cl_device_id id_;
  std::string where_;
  OpenClObservation* entry_;
};

std::optional<std::string> PlatformString(const OpenClDeviceApi& api, cl_platform_id platform,
                                          cl_platform_info param, const std::string& where,
                                          OpenClObservation* entry) {
  Result<std::string> value = InfoString(
      [&](std::size_t size, void* buffer, std::size_t* size_ret) {
        return api.get_platform_info(platform, param, size, buffer, size_ret);
      },
      "clGetPlatformInfo");
  if (!value.ok()) {
    entry->warnings.push_back(where + value.status().message());
    return std::nullopt;
  }
  if (value->empty()) return std::nullopt;
  return *value;  // trailing blanks ("OpenCL 3.0 ") already trimmed by BoundedString
}

void ReadPlatform(const OpenClDeviceApi& api, cl_platform_id id, std::size_t index,
                  OpenClObservation* entry) {
  OpenClPlatform platform;
  std::string where = "platform " + std::to_string(index) + ": ";
  platform.name = PlatformString(api, id, CL_PLATFORM_NAME, where, entry);
  platform.vendor = PlatformString(api, id, CL_PLATFORM_VENDOR, where, entry);
  platform.version = PlatformString(api, id, CL_PLATFORM_VERSION, where, entry);
  cl_uint count = 0;
  cl_int result = api.get_device_ids(id, CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
  if (result == CL_SUCCESS) {
    std::vector<cl_device_id> devices(CapCount(count, "clGetDeviceIDs", entry));
    result = api.get_device_ids(id, CL_DEVICE_TYPE_ALL, static_cast<cl_uint>(devices.size()),
                                devices.data(), &count);
    if (result == CL_SUCCESS) {
      devices.resize(std::min<std::size_t>(count, devices.size()));
      for (std::size_t d = 0; d < devices.size(); ++d) {
        OpenClDevice device;
        device.index = static_cast<int>(d);
        DeviceReader(api, devices[d], where + "device " + std::to_string(d) + ": ", entry)
            .Read(&device);
        platform.devices.push_back(std::move(device));
      }
    }
  }
  // A platform with no device answers CL_DEVICE_NOT_FOUND: that is an empty list, not a problem.
  if (result != CL_SUCCESS && result != CL_DEVICE_NOT_FOUND) {
    entry->warnings.push_back(where + Describe("clGetDeviceIDs", result));
  }
  entry->platforms.push_back(std::move(platform));
}

// What the OpenCL ICD loader reports, through the table RunWithRuntime bound.
void ReadOpenCl(const OpenClDeviceApi& api, OpenClObservation& entry) {
  cl_uint count = 0;
  if (cl_int result = api.get_platform_ids(0, nullptr, &count); result != CL_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("clGetPlatformIDs", result);
    if (result == CL_PLATFORM_NOT_FOUND_KHR)
      *entry.detail += ": no OpenCL driver (ICD) is installed";
    return;
  }
  std::vector<cl_platform_id> platforms(CapCount(count, "clGetPlatformIDs", &entry));
  if (cl_int result =
          api.get_platform_ids(static_cast<cl_uint>(platforms.size()), platforms.data(), &count);
      result != CL_SUCCESS) {
    entry.status = ProbeStatus::kError;
    entry.detail = Describe("clGetPlatformIDs", result);
    return;
  }
  entry.status = ProbeStatus::kOk;
  platforms.resize(std::min<std::size_t>(count, platforms.size()));
  for (std::size_t index = 0; index < platforms.size(); ++index) {
    ReadPlatform(api, platforms[index], index, &entry);
  }
}

}  // namespace

void RunOpenClProbe(const Env& env, Observations* out) {
  RunWithRuntime<OpenClDeviceApi>(env, {kOpenClSoname}, out->probes.opencl, ReadOpenCl);
}

}  // namespace devpick
