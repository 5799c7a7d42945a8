#include "inventory/driver_problems.h"

namespace devpick {
namespace {

constexpr DriverProblem kDriverProblems[] = {
    {.drivers = {"", ""},
     .blocks_use = true,
     .problem_code = "no_driver",
     .problem_message = "no kernel driver is bound to {address}",
     .problem_remedy = "",
     .finding_code = "no_driver",
     .finding_is_warning = false,
     .finding_message = " has no kernel driver bound",
     .finding_remedy = ""},
    {.drivers = {"vfio-pci", "pci-stub"},
     .blocks_use = true,
     .problem_code = "passthrough",
     .problem_message = "bound to {driver}, reserved for a virtual machine",
     .problem_remedy = "unbind it from {driver} to use it on this host",
     .finding_code = "driver_passthrough",
     .finding_is_warning = true,
     .finding_message = " is bound to {driver}, reserved for a virtual machine",
     .finding_remedy = "unbind it from {driver} (remove it from the vfio-pci.ids kernel parameter) "
                       "to use it on this host"},
    {.drivers = {"nouveau", ""},
     .blocks_use = false,
     .problem_code = "no_compute_driver",
     .problem_message = "bound to nouveau, which cannot run CUDA",
     .problem_remedy = "install the NVIDIA driver and blacklist nouveau",
     .finding_code = "nouveau_driver",
     .finding_is_warning = false,
     .finding_message = " is driven by nouveau, which cannot run CUDA",
     .finding_remedy = "install NVIDIA's driver (e.g. sudo ubuntu-drivers install, or your "
                       "distribution's nvidia-driver package), which blacklists nouveau, and "
                       "reboot"},
    {.drivers = {"radeon", ""},
     .blocks_use = false,
     .problem_code = "no_compute_driver",
     .problem_message = "bound to the legacy radeon driver (no ROCm/KFD)",
     .problem_remedy = "use amdgpu if the GPU supports it",
     .finding_code = "radeon_driver",
     .finding_is_warning = false,
     .finding_message = " is driven by the legacy radeon driver, which has no KFD, so ROCm "
                        "cannot use it",
     .finding_remedy = "GCN 1 and 2 GPUs can use amdgpu instead (kernel parameters "
                       "radeon.si_support=0 amdgpu.si_support=1, or the cik_ pair); older GPUs "
                       "cannot run ROCm: use the vulkan backend"},
};

struct VendorRemedy {
  Vendor vendor;
  bool npu;
  NoDriverRemedy remedy;
};
constexpr VendorRemedy kNoDriverRemedies[] = {
    {Vendor::kNvidia,
     false,
     {.problem_remedy = "install the NVIDIA driver (nvidia kernel module)",
      .finding_remedy = "install the NVIDIA driver (e.g. sudo ubuntu-drivers install, or your "
                        "distribution's nvidia-driver package) and reboot"}},
    {Vendor::kAmd,
     false,
     {.problem_remedy = "load the amdgpu kernel module",
      .finding_remedy = "load amdgpu (sudo modprobe amdgpu) and check 'sudo dmesg | grep amdgpu' "
                        "for missing firmware; a GPU newer than the kernel needs a newer kernel"}},
    {Vendor::kIntel,
     false,
     {.problem_remedy = "load the GPU kernel driver (i915 or xe)",
      .finding_remedy = "load i915 or xe (sudo modprobe i915) and check 'sudo dmesg | grep -e i915 "
                        "-e xe'; a GPU newer than the kernel needs a newer kernel"}},
    {Vendor::kIntel,
     true,
     {.problem_remedy = "load the NPU kernel driver (intel_vpu)",
      .finding_remedy = "load intel_vpu (sudo modprobe intel_vpu); it needs Linux 6.3 or newer"}},
    {Vendor::kAmd,
     true,
     {.problem_remedy = "load the NPU kernel driver (amdxdna)",
      .finding_remedy = "load amdxdna (sudo modprobe amdxdna); it needs Linux 6.14 or newer"}},
};
constexpr NoDriverRemedy kAnyVendorRemedy = {
    .problem_remedy = "load the kernel driver for this device",
    .finding_remedy = "load the kernel driver for this device"};

}  // namespace

const DriverProblem* FindDriverProblem(const std::optional<std::string>& driver) {
  for (const DriverProblem& row : kDriverProblems) {
    if (!driver) {
      if (row.drivers[0].empty()) return &row;
      continue;
    }
    for (std::string_view name : row.drivers) {
      if (!name.empty() && name == *driver) return &row;
    }
  }
  return nullptr;
}

const NoDriverRemedy& NoDriverRemedyFor(const Device& device) {
  bool npu = device.kind == DeviceKind::kNpu;
  for (const VendorRemedy& row : kNoDriverRemedies) {
    if (row.vendor == device.vendor && row.npu == npu) return row.remedy;
  }
  return kAnyVendorRemedy;
}

std::string DriverProblemText(std::string_view text, const std::optional<std::string>& driver,
                              std::string_view address) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.substr(i, 8) == "{driver}") {
      out += driver.value_or("");
      i += 8;
    } else if (text.substr(i, 9) == "{address}") {
      out += address;
      i += 9;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace devpick
