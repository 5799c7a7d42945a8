// The symbol table devpick binds from the OpenVINO C API (declarations in openvino_c.h), the
// library names it is found under, and the names of the ov_status_e values.
#ifndef DEVPICK_SRC_VENDOR_OPENVINO_API_H_
#define DEVPICK_SRC_VENDOR_OPENVINO_API_H_

#include <array>
#include <initializer_list>

#include "probes/dynlib.h"
#include "vendor/openvino_c.h"

namespace devpick {

// The unversioned name comes with pip wheels and the archives; distribution packages may ship only
// the versioned soname (SOVERSION = YYR0, e.g. 2530 for 2025.3).
inline constexpr std::initializer_list<const char*> kOpenVinoSonames = {
    "libopenvino_c.so",      "libopenvino_c.so.2540", "libopenvino_c.so.2530",
    "libopenvino_c.so.2520", "libopenvino_c.so.2510", "libopenvino_c.so.2500",
    "libopenvino_c.so.2460", "libopenvino_c.so.2450", "libopenvino_c.so.2440"};

struct OpenVinoApi {
  decltype(ov_get_openvino_version)* get_version = nullptr;
  decltype(ov_version_free)* version_free = nullptr;
  decltype(ov_core_create)* core_create = nullptr;
  decltype(ov_core_free)* core_free = nullptr;
  decltype(ov_core_get_available_devices)* get_available_devices = nullptr;
  decltype(ov_available_devices_free)* available_devices_free = nullptr;
  decltype(ov_core_get_property)* get_property = nullptr;
  decltype(ov_free)* free = nullptr;

  // The bindings for ResolveSymbols, in the order a missing symbol is found.
  std::array<SymbolSlot, 8> Slots() {
    return {
        Required("ov_get_openvino_version", &get_version),
        Required("ov_version_free", &version_free),
        Required("ov_core_create", &core_create),
        Required("ov_core_free", &core_free),
        Required("ov_core_get_available_devices", &get_available_devices),
        Required("ov_available_devices_free", &available_devices_free),
        Required("ov_core_get_property", &get_property),
        Required("ov_free", &free),
    };
  }
};

inline constexpr ResultName kOpenVinoResultNames[] = {
    {OK, "OK"},
    {GENERAL_ERROR, "GENERAL_ERROR"},
    {NOT_IMPLEMENTED, "NOT_IMPLEMENTED"},
    {PARAMETER_MISMATCH, "PARAMETER_MISMATCH"},
    {NOT_FOUND, "NOT_FOUND"},
    {OUT_OF_BOUNDS, "OUT_OF_BOUNDS"},
    {UNEXPECTED, "UNEXPECTED"},
    {NOT_ALLOCATED, "NOT_ALLOCATED"},
    {INVALID_C_PARAM, "INVALID_C_PARAM"},
    {UNKNOWN_C_ERROR, "UNKNOWN_C_ERROR"},
    {NOT_IMPLEMENT_C_METHOD, "NOT_IMPLEMENT_C_METHOD"},
    {UNKNOW_EXCEPTION, "UNKNOW_EXCEPTION"},
};

}  // namespace devpick

#endif  // DEVPICK_SRC_VENDOR_OPENVINO_API_H_
