// Level Zero (libze_loader.so.1): Debian's official <level_zero/ze_api.h> plus the one newer entry
// point its 1.8 header lacks, zeInitDrivers (Level Zero 1.10), declared here from research/specs.md
// §5.3. The probe resolves zeInitDrivers only when the loader exports it.
#ifndef DEVPICK_SRC_VENDOR_LEVEL_ZERO_H_
#define DEVPICK_SRC_VENDOR_LEVEL_ZERO_H_

#include <level_zero/ze_api.h>
#include <stdint.h>

extern "C" {

// ZE_STRUCTURE_TYPE_INIT_DRIVER_TYPE_DESC, absent from the 1.8 header.
inline constexpr uint32_t kZeStructureTypeInitDriverTypeDesc = 0x00020021;
inline constexpr uint32_t kZeInitDriverTypeFlagGpu = 1u << 0;
inline constexpr uint32_t kZeInitDriverTypeFlagNpu = 1u << 1;

// 24 bytes: stype, pNext, flags.
typedef struct devpick_ze_init_driver_type_desc_t {
  uint32_t stype;
  const void* pNext;
  uint32_t flags;
} devpick_ze_init_driver_type_desc_t;

ze_result_t zeInitDrivers(uint32_t* pCount, ze_driver_handle_t* phDrivers,
                          devpick_ze_init_driver_type_desc_t* desc);

}  // extern "C"

static_assert(sizeof(devpick_ze_init_driver_type_desc_t) == 24, "research/specs.md 5.3");
static_assert(sizeof(ze_device_properties_t) == 368, "research/specs.md 5.3");
static_assert(sizeof(ze_pci_ext_properties_t) == 48, "research/specs.md 5.3");

#endif  // DEVPICK_SRC_VENDOR_LEVEL_ZERO_H_
