// The recommendation (DESIGN.md "Backends"): with no backend given, the backend users of the best
// device would install, tried device by device in the order the spec and policy rank them; a
// native spelling (cuda:1, GPU.1) names its backend outright.
#include "select/device_spec.h"
#include "select/eligibility.h"
#include "select/native_names.h"
#include "select/selector.h"

namespace devpick {

using Type = DeviceSpecItem::Type;

Result<Decision> Recommend(const Inventory& inventory, const Request& request) {
  std::vector<DeviceSpecItem> items;
  if (request.device_spec) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(*request.device_spec);
    if (!parsed.ok()) return parsed.status();
    items = std::move(parsed).value();
  }
  for (const DeviceSpecItem& item : items) {
    if (item.type == Type::kIndex) {
      return Status::InvalidArgument("device spec item '" + item.text +
                                     "' is a backend's index; give --backend as well, or use an "
                                     "id such as gpu0");
    }
    if (item.type == Type::kNative) {
      // The spelling names the backend, so recommend that one.
      const BackendInfo* owner = BackendOfNative(item);
      if (owner == nullptr) {
        return Status::InvalidArgument("device spec item '" + item.text +
                                       "' is no backend's spelling");
      }
      Request pinned = request;
      pinned.backend = std::string(owner->name);
      Result<Decision> decision = SelectWith(inventory, pinned, *owner);
      if (decision.ok()) decision->backend_recommended = true;
      return decision;
    }
  }
  // Try devices best first (as the spec and policy order them); the first one whose vendor backend
  // chooses it wins.
  // ONNX Runtime drives every kind, so its ranking covers every device.
  const BackendInfo& every_kind = Backend(BackendId::kOnnxRuntime);
  Request probe = request;
  probe.backend = std::string(every_kind.name);
  Result<Decision> overall = SelectWith(inventory, probe, every_kind);
  if (!overall.ok()) return overall.status();
  for (const Candidate& candidate : overall->candidates) {
    const Device* device = inventory.FindDevice(candidate.id);
    if (!candidate.eligible || device == nullptr) continue;
    const BackendInfo* backend = RecommendedBackend(*device, inventory.host);
    if (backend == nullptr) continue;
    Request pinned = request;
    pinned.backend = std::string(backend->name);
    Result<Decision> decision = SelectWith(inventory, pinned, *backend);
    if (!decision.ok()) return decision;
    if (decision->device == device && !decision->fallback) {
      decision->backend_recommended = true;
      return decision;
    }
  }
  // No device's own backend chose it: the CPU's backend on this host.
  Device cpu;
  cpu.kind = DeviceKind::kCpu;
  const BackendInfo* cpu_backend = RecommendedBackend(cpu, inventory.host);
  if (cpu_backend == nullptr) cpu_backend = &Backend(BackendId::kCpu);
  Request cpu_only = request;
  cpu_only.backend = std::string(cpu_backend->name);
  Result<Decision> decision = SelectWith(inventory, cpu_only, *cpu_backend);
  if (decision.ok()) decision->backend_recommended = true;
  return decision;
}

}  // namespace devpick
