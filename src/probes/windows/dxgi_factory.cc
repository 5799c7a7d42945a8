// The dxgi probe's Windows half: DXGI's adapters from dxgi.dll, loaded through the Env (so the
// safe DLL search path applies) and asked with CreateDXGIFactory1 / EnumAdapters1 / GetDesc1.
// No Direct3D device is created, so no driver is initialised beyond what DXGI itself loads.
//
// Not yet in the probe registry (its dxgi row still has run = nullptr): issue 14 wires
// RunDxgiProbe in together with EnumAdapterByGpuPreference (IDXGIFactory6) and the driver version.
#include <windows.h>
// dxgi.h needs windows.h first.
#include <dxgi.h>

#include <cstdio>
#include <memory>

#include "core/windows/windows_text.h"
#include "devpick/env.h"
#include "probes/dxgi_adapters.h"

namespace devpick {
namespace {

using CreateDxgiFactory1Function = HRESULT(WINAPI*)(REFIID, void**);

std::string HresultText(const char* call, HRESULT result) {
  char text[96];
  std::snprintf(text, sizeof text, "%s failed: 0x%08lx", call, static_cast<unsigned long>(result));
  return text;
}

// Releases a COM interface when it goes out of scope.
template <typename T>
struct ComReleaser {
  void operator()(T* object) const {
    if (object != nullptr) object->Release();
  }
};
template <typename T>
using ComPtr = std::unique_ptr<T, ComReleaser<T>>;

class DxgiFactoryAdapters final : public DxgiAdapterSource {
 public:
  explicit DxgiFactoryAdapters(const Library& dxgi) : dxgi_(dxgi) {}

  std::string library() const override { return dxgi_.path(); }

  Result<std::vector<DxgiAdapterDescription>> Adapters() const override {
    auto create = reinterpret_cast<CreateDxgiFactory1Function>(dxgi_.Symbol("CreateDXGIFactory1"));
    if (create == nullptr) {
      return Status::Unavailable(dxgi_.path() + " does not export CreateDXGIFactory1");
    }
    IDXGIFactory1* raw_factory = nullptr;
    HRESULT result = create(__uuidof(IDXGIFactory1), reinterpret_cast<void**>(&raw_factory));
    if (FAILED(result)) return Status::Unavailable(HresultText("CreateDXGIFactory1", result));
    ComPtr<IDXGIFactory1> factory(raw_factory);
    std::vector<DxgiAdapterDescription> adapters;
    for (UINT index = 0;; ++index) {
      IDXGIAdapter1* raw_adapter = nullptr;
      result = factory->EnumAdapters1(index, &raw_adapter);
      if (result == DXGI_ERROR_NOT_FOUND) break;  // the end of the list
      if (FAILED(result))
        return Status::IoError(HresultText("IDXGIFactory1::EnumAdapters1", result));
      ComPtr<IDXGIAdapter1> adapter(raw_adapter);
      DXGI_ADAPTER_DESC1 description{};
      result = adapter->GetDesc1(&description);
      if (FAILED(result)) return Status::IoError(HresultText("IDXGIAdapter1::GetDesc1", result));
      adapters.push_back({
          .description = WideToUtf8(description.Description),
          .vendor_id = description.VendorId,
          .device_id = description.DeviceId,
          .subsys_id = description.SubSysId,
          .revision = description.Revision,
          .dedicated_video_memory_bytes = description.DedicatedVideoMemory,
          .dedicated_system_memory_bytes = description.DedicatedSystemMemory,
          .shared_system_memory_bytes = description.SharedSystemMemory,
          .luid = (static_cast<std::uint64_t>(
                       static_cast<std::uint32_t>(description.AdapterLuid.HighPart))
                   << 32) |
                  description.AdapterLuid.LowPart,
          .software = (description.Flags & DXGI_ADAPTER_FLAG_SOFTWARE) != 0,
      });
    }
    return adapters;
  }

 private:
  const Library& dxgi_;
};

}  // namespace

void RunDxgiProbe(const Env& env, Observations* out) {
  Result<std::unique_ptr<Library>> dxgi = env.OpenLibrary("dxgi.dll");
  if (!dxgi.ok()) {
    DxgiObservation& entry = out->probes.dxgi.emplace();
    entry.status = ProbeStatus::kAbsent;
    entry.detail = dxgi.status().message();
    return;
  }
  ProbeDxgi(DxgiFactoryAdapters(**dxgi), out);
}

}  // namespace devpick
