// The OpenVINO C API (libopenvino_c.so, OpenVINO >= 2023.0): the declarations devpick calls,
// written from research/specs.md §1.5. Earlier preview builds exported a different
// ov_core_get_property, so the probe checks ov_get_openvino_version before calling anything else.
//
// Only typed declarations, resolved with dlsym (probes/dynlib.h); the fake library in tests/fakes
// defines the same prototypes.
#ifndef DEVPICK_SRC_VENDOR_OPENVINO_C_H_
#define DEVPICK_SRC_VENDOR_OPENVINO_C_H_

#include <stddef.h>

extern "C" {

typedef enum {
  OK = 0,
  GENERAL_ERROR = -1,
  NOT_IMPLEMENTED = -2,
  NETWORK_NOT_LOADED = -3,
  PARAMETER_MISMATCH = -4,
  NOT_FOUND = -5,
  OUT_OF_BOUNDS = -6,
  UNEXPECTED = -7,
  REQUEST_BUSY = -8,
  RESULT_NOT_READY = -9,
  NOT_ALLOCATED = -10,
  INFER_NOT_STARTED = -11,
  NETWORK_NOT_READ = -12,
  INFER_CANCELLED = -13,
  INVALID_C_PARAM = -14,
  UNKNOWN_C_ERROR = -15,
  NOT_IMPLEMENT_C_METHOD = -16,
  UNKNOW_EXCEPTION = -17,
} ov_status_e;

typedef struct ov_core ov_core_t;

typedef struct {
  char** devices;
  size_t size;
} ov_available_devices_t;

// buildNumber looks like "2025.3.0-19807-44526285f24-releases/2025/3".
typedef struct {
  const char* buildNumber;
  const char* description;
} ov_version_t;

ov_status_e ov_get_openvino_version(ov_version_t* version);
void ov_version_free(ov_version_t* version);
ov_status_e ov_core_create(ov_core_t** core);
void ov_core_free(ov_core_t* core);
ov_status_e ov_core_get_available_devices(const ov_core_t* core, ov_available_devices_t* devices);
void ov_available_devices_free(ov_available_devices_t* devices);
// `property_value` is allocated by OpenVINO; release it with ov_free.
ov_status_e ov_core_get_property(const ov_core_t* core, const char* device_name,
                                 const char* property_key, char** property_value);
void ov_free(const char* content);

}  // extern "C"

#endif  // DEVPICK_SRC_VENDOR_OPENVINO_C_H_
