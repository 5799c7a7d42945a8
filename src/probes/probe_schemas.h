// The snapshot fields of every probe entry (SNAPSHOT.md "probes"), declared once for the writer and
// the reader (src/core/snapshot_schema.h). The registry (src/probes/registry.cc) names each
// probe's list; the header fields come first in every entry and are not repeated here.
//
// Keep each list in the order SNAPSHOT.md documents: it is the order of the written keys.
#ifndef DEVPICK_SRC_PROBES_PROBE_SCHEMAS_H_
#define DEVPICK_SRC_PROBES_PROBE_SCHEMAS_H_

#include "core/snapshot_schema.h"
#include "devpick/observations.h"

namespace devpick::probe_schemas {

// status (required), then library, version, detail and warnings, each left out when empty.
extern const SnapshotField<ProbeHeader> kHeader[5];

// sysfs: module_versions (non-string versions are skipped) and dev_nodes, left out when empty.
extern const SnapshotField<SysfsObservation> kSysfs[2];

// cpu: its entry is the header alone; the facts live in the document's top-level "cpu".
inline constexpr std::span<const SnapshotField<ProbeHeader>> kCpu = {};

inline constexpr SnapshotField<RocmNode> kRocmNode[] = {
    field::Value<&RocmNode::node>("node"),
    field::Optional<&RocmNode::gfx_target_version>("gfx_target_version"),
    field::Optional<&RocmNode::pci_address>("pci_address"),
    field::Optional<&RocmNode::unique_id>("unique_id"),
    field::Optional<&RocmNode::simd_count>("simd_count"),
    field::Optional<&RocmNode::vram_bytes>("vram_bytes"),
    field::Optional<&RocmNode::drm_render_minor>("drm_render_minor"),
    field::Hex<&RocmNode::vendor_id>("vendor_id"),
    field::Hex<&RocmNode::device_id>("device_id"),
    field::Optional<&RocmNode::simd_per_cu>("simd_per_cu"),
    field::Optional<&RocmNode::max_engine_clk_fcompute>("max_engine_clk_fcompute"),
    field::Optional<&RocmNode::name>("name"),
};
inline constexpr SnapshotField<RocmObservation> kRocm[] = {
    field::Objects<&RocmObservation::nodes, kRocmNode>("nodes"),
};

inline constexpr SnapshotField<NvmlDevice> kNvmlDevice[] = {
    field::Value<&NvmlDevice::index>("index"),
    field::Optional<&NvmlDevice::name>("name"),
    field::Optional<&NvmlDevice::uuid>("uuid"),
    field::Optional<&NvmlDevice::pci_address>("pci_address"),
    field::Optional<&NvmlDevice::memory_total_bytes>("memory_total_bytes"),
    field::Optional<&NvmlDevice::memory_free_bytes>("memory_free_bytes"),
    field::Optional<&NvmlDevice::compute_capability>("compute_capability"),
};
inline constexpr SnapshotField<NvmlObservation> kNvml[] = {
    field::Optional<&NvmlObservation::cuda_driver_version>("cuda_driver_version"),
    field::Objects<&NvmlObservation::devices, kNvmlDevice>("devices"),
};

inline constexpr SnapshotField<CudaDevice> kCudaDevice[] = {
    field::Value<&CudaDevice::ordinal>("ordinal"),
    field::Optional<&CudaDevice::name>("name"),
    field::Optional<&CudaDevice::uuid>("uuid"),
    field::Optional<&CudaDevice::pci_address>("pci_address"),
    field::Optional<&CudaDevice::memory_total_bytes>("memory_total_bytes"),
    field::Optional<&CudaDevice::compute_capability>("compute_capability"),
    field::Optional<&CudaDevice::multiprocessors>("multiprocessors"),
    field::Optional<&CudaDevice::clock_mhz>("clock_mhz"),
    field::Optional<&CudaDevice::integrated>("integrated"),
};
inline constexpr SnapshotField<CudaObservation> kCuda[] = {
    field::Optional<&CudaObservation::driver_version>("driver_version"),
    field::Objects<&CudaObservation::devices, kCudaDevice>("devices"),
};

inline constexpr SnapshotField<LevelZeroDevice> kLevelZeroDevice[] = {
    field::Value<&LevelZeroDevice::driver>("driver"),
    field::Value<&LevelZeroDevice::index>("index"),
    field::Optional<&LevelZeroDevice::name>("name"),
    field::Value<&LevelZeroDevice::type>("type"),
    field::Hex<&LevelZeroDevice::vendor_id>("vendor_id"),
    field::Hex<&LevelZeroDevice::device_id>("device_id"),
    field::Optional<&LevelZeroDevice::integrated>("integrated"),
    field::Optional<&LevelZeroDevice::uuid>("uuid"),
    field::Optional<&LevelZeroDevice::pci_address>("pci_address"),
    field::Optional<&LevelZeroDevice::memory_bytes>("memory_bytes"),
    field::Optional<&LevelZeroDevice::eu_count>("eu_count"),
    field::Optional<&LevelZeroDevice::clock_mhz>("clock_mhz"),
};
inline constexpr SnapshotField<LevelZeroObservation> kLevelZero[] = {
    field::Objects<&LevelZeroObservation::devices, kLevelZeroDevice>("devices"),
};

inline constexpr SnapshotField<OpenClDevice> kOpenClDevice[] = {
    field::Value<&OpenClDevice::index>("index"),
    field::Optional<&OpenClDevice::name>("name"),
    field::Value<&OpenClDevice::type>("type"),
    field::Hex<&OpenClDevice::vendor_id>("vendor_id"),
    field::Optional<&OpenClDevice::host_unified_memory>("host_unified_memory"),
    field::Optional<&OpenClDevice::global_mem_bytes>("global_mem_bytes"),
    field::Optional<&OpenClDevice::compute_units>("compute_units"),
    field::Optional<&OpenClDevice::clock_mhz>("clock_mhz"),
    field::Optional<&OpenClDevice::pci_address>("pci_address"),
    field::Optional<&OpenClDevice::driver_version>("driver_version"),
};
inline constexpr SnapshotField<OpenClPlatform> kOpenClPlatform[] = {
    field::Optional<&OpenClPlatform::name>("name"),
    field::Optional<&OpenClPlatform::vendor>("vendor"),
    field::Optional<&OpenClPlatform::version>("version"),
    field::Objects<&OpenClPlatform::devices, kOpenClDevice>("devices"),
};
inline constexpr SnapshotField<OpenClObservation> kOpenCl[] = {
    field::Objects<&OpenClObservation::platforms, kOpenClPlatform>("platforms"),
};

inline constexpr SnapshotField<VulkanDevice> kVulkanDevice[] = {
    field::Value<&VulkanDevice::index>("index"),
    field::Optional<&VulkanDevice::name>("name"),
    field::Value<&VulkanDevice::type>("type"),
    field::Hex<&VulkanDevice::vendor_id>("vendor_id"),
    field::Hex<&VulkanDevice::device_id>("device_id"),
    field::Optional<&VulkanDevice::driver_name>("driver_name"),
    field::Optional<&VulkanDevice::uuid>("uuid"),
    field::Optional<&VulkanDevice::pci_address>("pci_address"),
    field::Optional<&VulkanDevice::device_local_bytes>("device_local_bytes"),
};
inline constexpr SnapshotField<VulkanObservation> kVulkan[] = {
    field::Objects<&VulkanObservation::devices, kVulkanDevice>("devices"),
};

inline constexpr SnapshotField<OpenVinoDevice> kOpenVinoDevice[] = {
    field::Required<&OpenVinoDevice::name>("name"),
    field::Optional<&OpenVinoDevice::full_name>("full_name"),
    field::Optional<&OpenVinoDevice::type>("type"),
    field::Hex<&OpenVinoDevice::device_id>("device_id"),
    field::Optional<&OpenVinoDevice::uuid>("uuid"),
    field::Optional<&OpenVinoDevice::pci_address>("pci_address"),
    field::Optional<&OpenVinoDevice::total_mem_bytes>("total_mem_bytes"),
    field::Strings<&OpenVinoDevice::capabilities>("capabilities"),
};
inline constexpr SnapshotField<OpenVinoObservation> kOpenVino[] = {
    field::Objects<&OpenVinoObservation::devices, kOpenVinoDevice>("devices"),
};

inline constexpr SnapshotField<DxgiAdapter> kDxgiAdapter[] = {
    field::Value<&DxgiAdapter::index>("index"),
    field::Optional<&DxgiAdapter::name>("name"),
    field::Hex<&DxgiAdapter::vendor_id>("vendor_id"),
    field::Hex<&DxgiAdapter::device_id>("device_id"),
    field::Optional<&DxgiAdapter::luid>("luid"),
    field::Optional<&DxgiAdapter::dedicated_video_memory_bytes>("dedicated_video_memory_bytes"),
    field::Optional<&DxgiAdapter::shared_system_memory_bytes>("shared_system_memory_bytes"),
    field::Value<&DxgiAdapter::software>("software"),
};
inline constexpr SnapshotField<DxgiObservation> kDxgi[] = {
    field::Objects<&DxgiObservation::adapters, kDxgiAdapter>("adapters"),
};

inline constexpr SnapshotField<MetalDevice> kMetalDevice[] = {
    field::Value<&MetalDevice::index>("index"),
    field::Optional<&MetalDevice::name>("name"),
    field::Optional<&MetalDevice::registry_id>("registry_id"),
    field::Optional<&MetalDevice::unified_memory>("unified_memory"),
    field::Optional<&MetalDevice::recommended_max_working_set_bytes>(
        "recommended_max_working_set_bytes"),
    field::Optional<&MetalDevice::low_power>("low_power"),
    field::Optional<&MetalDevice::removable>("removable"),
};
inline constexpr SnapshotField<MetalObservation> kMetal[] = {
    field::Objects<&MetalObservation::devices, kMetalDevice>("devices"),
};

}  // namespace devpick::probe_schemas

#endif  // DEVPICK_SRC_PROBES_PROBE_SCHEMAS_H_
