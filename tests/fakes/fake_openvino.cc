// A fake libopenvino_c.so presenting the devices of $FAKE_OV_DEVICES: each device has `name` and
// any OpenVINO property keys (FULL_DEVICE_NAME=..., OPTIMIZATION_CAPABILITIES=FP32 FP16 ...); a key
// not given answers NOT_FOUND, as plugins do for properties they lack. $FAKE_OV_VERSION is the
// build number (default "2025.3.0-19807-44526285f24-releases/2025/3"). $FAKE_OV_MODE: hang, crash
// (in ov_core_create), core_error.
#include <string>

#include "fake_script.h"
#include "vendor/openvino_c.h"

struct ov_core {
  int unused;
};

namespace {

char* Copy(const std::string& text) { return strdup(text.c_str()); }

}  // namespace

extern "C" {

ov_status_e ov_get_openvino_version(ov_version_t* version) {
  const char* build = std::getenv("FAKE_OV_VERSION");
  version->buildNumber = Copy(build ? build : "2025.3.0-19807-44526285f24-releases/2025/3");
  version->description = Copy("OpenVINO Runtime");
  return OK;
}

void ov_version_free(ov_version_t* version) {
  std::free(const_cast<char*>(version->buildNumber));
  std::free(const_cast<char*>(version->description));
}

ov_status_e ov_core_create(ov_core_t** core) {
  std::string mode = fake::Mode("FAKE_OV_MODE");
  fake::Misbehave(mode);
  if (mode == "core_error") return GENERAL_ERROR;
  *core = new ov_core{0};
  return OK;
}

void ov_core_free(ov_core_t* core) { delete core; }

ov_status_e ov_core_get_available_devices(const ov_core_t*, ov_available_devices_t* devices) {
  std::vector<fake::Fields> all = fake::Devices("FAKE_OV_DEVICES");
  devices->size = all.size();
  devices->devices = static_cast<char**>(std::calloc(all.size() + 1, sizeof(char*)));
  for (std::size_t i = 0; i < all.size(); ++i)
    devices->devices[i] = Copy(fake::Get(all[i], "name"));
  return OK;
}

void ov_available_devices_free(ov_available_devices_t* devices) {
  for (std::size_t i = 0; i < devices->size; ++i) std::free(devices->devices[i]);
  std::free(devices->devices);
  devices->devices = nullptr;
  devices->size = 0;
}

ov_status_e ov_core_get_property(const ov_core_t*, const char* device_name,
                                 const char* property_key, char** property_value) {
  for (const fake::Fields& device : fake::Devices("FAKE_OV_DEVICES")) {
    if (fake::Get(device, "name") != device_name) continue;
    auto it = device.find(property_key);
    if (it == device.end()) return NOT_FOUND;
    *property_value = Copy(it->second);
    return OK;
  }
  return NOT_FOUND;
}

void ov_free(const char* content) { std::free(const_cast<char*>(content)); }

}  // extern "C"
