#include "probes/dxgi_adapters.h"

#include <cstdio>

namespace devpick {

std::string FormatLuid(std::uint64_t luid) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%08llx", static_cast<unsigned long long>(luid));
  return text;
}

void ProbeDxgi(const DxgiAdapterSource& source, Observations* out) {
  DxgiObservation& dxgi = out->probes.dxgi.emplace();
  dxgi.library = source.library();
  Result<std::vector<DxgiAdapterDescription>> adapters = source.Adapters();
  if (!adapters.ok()) {
    dxgi.status = ProbeStatus::kError;
    dxgi.detail = adapters.status().message();
    return;
  }
  dxgi.status = ProbeStatus::kOk;
  int index = 0;
  for (const DxgiAdapterDescription& description : *adapters) {
    dxgi.adapters.push_back({
        .index = index++,
        .name = description.description,
        .vendor_id = description.vendor_id,
        .device_id = description.device_id,
        .luid = FormatLuid(description.luid),
        .dedicated_video_memory_bytes = description.dedicated_video_memory_bytes,
        .shared_system_memory_bytes = description.shared_system_memory_bytes,
        .software = description.software,
    });
  }
}

}  // namespace devpick
