// The dxgi probe's platform-free half: DXGI adapters as IDXGIAdapter1::GetDesc1 describes them,
// turned into the snapshot's DxgiObservation. Where the descriptions come from is an interface,
// so tests feed made-up machines (two and three adapters, a software adapter, a failing factory)
// and the Windows build feeds the real factory (src/probes/windows/dxgi_factory.cc).
//
// Thread-safety: ProbeDxgi is reentrant; a DxgiAdapterSource is used from one thread.
#ifndef DEVPICK_SRC_PROBES_DXGI_ADAPTERS_H_
#define DEVPICK_SRC_PROBES_DXGI_ADAPTERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

// One adapter's DXGI_ADAPTER_DESC1, in DXGI's units.
struct DxgiAdapterDescription {
  std::string description;  // UTF-8 (DXGI's is UTF-16)
  std::uint32_t vendor_id = 0;
  std::uint32_t device_id = 0;
  std::uint32_t subsys_id = 0;
  std::uint32_t revision = 0;
  std::uint64_t dedicated_video_memory_bytes = 0;
  std::uint64_t dedicated_system_memory_bytes = 0;
  std::uint64_t shared_system_memory_bytes = 0;
  std::uint64_t luid = 0;  // (HighPart << 32) | LowPart
  bool software = false;   // DXGI_ADAPTER_FLAG_SOFTWARE (Microsoft Basic Render Driver, WARP)
};

class DxgiAdapterSource {
 public:
  virtual ~DxgiAdapterSource() = default;
  // The adapters in IDXGIFactory1::EnumAdapters1 order, which is DirectML's device order; an
  // error names the call that failed ("CreateDXGIFactory1 failed: 0x887a0004").
  virtual Result<std::vector<DxgiAdapterDescription>> Adapters() const = 0;
  // The file the factory came from ("C:\Windows\System32\dxgi.dll"), for the probe's header.
  virtual std::string library() const = 0;
};

// Sets out->probes.dxgi: status ok with one adapter per description (index = enumeration order),
// or status error with the source's message as detail.
void ProbeDxgi(const DxgiAdapterSource& source, Observations* out);

// The live probe: dxgi.dll's adapters through the Env. Windows builds only
// (src/probes/windows/dxgi_factory.cc); not yet in the probe registry.
void RunDxgiProbe(const Env& env, Observations* out);

// A LUID as snapshots spell it: "0x" and at least 8 lower-case hex digits ("0x0000d2f1").
std::string FormatLuid(std::uint64_t luid);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_DXGI_ADAPTERS_H_
