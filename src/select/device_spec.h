// Device specs: the grammar of --device, DEVPICK_DEVICE, the config `device` key and --exclude
// items (DESIGN.md "Device spec grammar"). ParseDeviceSpec is declared in devpick/select.h; this
// header holds what the selection engine needs beside it.
//
// A parsed item is backend-independent: "cuda:1" parses everywhere, and select.cc decides whether
// the backend in use spells devices that way.
//
// Thread-safety: pure functions.
#ifndef DEVPICK_SELECT_DEVICE_SPEC_H_
#define DEVPICK_SELECT_DEVICE_SPEC_H_

#include <string>
#include <string_view>

#include "devpick/select.h"

namespace devpick {

// The accepted forms, for error messages: "auto, cpu, gpu, dgpu, igpu, npu, ...".
std::string_view AcceptedDeviceSpecForms();

// Native items keep their prefix in `value`: "cuda", "xpu", "privateuseone", "mps", "GPU", "NPU",
// "CPU"; `index` holds N of "cuda:N" / "GPU.N".
bool IsTorchNative(const DeviceSpecItem& item);     // cuda:N, xpu:N, privateuseone:N, mps
bool IsOpenVinoNative(const DeviceSpecItem& item);  // GPU, GPU.N, NPU, CPU

// Whether `item` names NPUs explicitly (kind npu, vendor:npu, an npu id, or an OpenVINO NPU name),
// as opposed to a generic item (auto, a vendor) that follows the policy's NPU rule.
bool NamesNpu(const DeviceSpecItem& item);

}  // namespace devpick

#endif  // DEVPICK_SELECT_DEVICE_SPEC_H_
