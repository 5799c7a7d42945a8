// Correlation's working state, shared by the correlation steps of the probe registry
// (src/probes/registry.h): the devices being assembled ("drafts"), how a runtime's device finds
// its draft, and the notes correlation adds to the inventory's diagnostics.
//
// Steps run in registry trust order (most trusted first), so "the first source to set a fact
// wins" below means "the most trusted source that reported it".
//
// Thread-safety: one Correlation is used by one thread.
#ifndef DEVPICK_SRC_INVENTORY_CORRELATION_H_
#define DEVPICK_SRC_INVENTORY_CORRELATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "devpick/pci_address.h"

namespace devpick {

// A device being assembled, with the facts each source offered, best first when chosen.
struct Draft {
  Device device;
  std::optional<PciAddress> address;
  const PciFunction* pci = nullptr;
  // Kind from a runtime's own flag (strongest signal), with its source.
  std::optional<DeviceKind> runtime_kind;
  std::string runtime_kind_source;
  // Candidate names in order of trust: (name, source).
  std::vector<std::pair<std::string, std::string>> names;
  std::optional<std::uint64_t> dedicated_bytes;
  std::string dedicated_source;
  // The trust number (registry) of the runtime that set dedicated_bytes; nullopt when PCI facts
  // (or nothing) set it.
  std::optional<int> dedicated_trust;
  std::optional<std::uint64_t> free_bytes;
  std::optional<std::uint64_t> shared_bytes;
  std::string shared_source;
  std::optional<std::string> compute_capability;
  // The trust number of the runtime that set device.compute.units.
  std::optional<int> compute_trust;
};

// One device a runtime reports: what Match() finds its draft by and, when none matches, what the
// Orphan() is called and which kind it has.
struct RuntimeDevice {
  std::optional<std::string> pci_address;
  std::optional<std::string> uuid;
  std::optional<std::uint32_t> vendor_id;
  std::optional<std::uint32_t> device_id;
  std::string what;  // "Vulkan device 1", in the orphan's warning
  DeviceKind kind;   // the orphan's kind
};

class Correlation {
 public:
  explicit Correlation(const Observations& observations) : obs_(observations) {}

  const Observations& observations() const { return obs_; }
  std::vector<Draft>& drafts() { return drafts_; }

  // Adds a draft and returns it.
  Draft* Add(Draft draft);

  // The draft for a runtime device: by PCI address, then UUID, then a unique (vendor, device
  // id). An address that does not parse, or that belongs to another vendor's function, is not
  // trusted and says so: a runtime (or a snapshot) that names the wrong device must not move a
  // binding.
  Draft* Match(std::string_view probe, const std::optional<std::string>& pci_address,
               const std::optional<std::string>& uuid, std::optional<std::uint32_t> vendor_id,
               std::optional<std::uint32_t> device_id);
  // The only draft that has `name` among its names with this vendor; nullptr if none or several.
  Draft* MatchByName(std::optional<std::uint32_t> vendor_id,
                     const std::optional<std::string>& name);
  // The only draft of `kind`; nullptr if none or several.
  Draft* OnlyOfKind(DeviceKind kind);
  // A runtime device with no PCI counterpart becomes its own device, with a warning.
  Draft* Orphan(std::string_view probe, const std::string& what, DeviceKind kind,
                std::optional<std::uint32_t> vendor_id, const std::optional<std::string>& pci);

  // The draft Match() finds for `device`, else its Orphan(); either way with `binding` added.
  Draft* Bind(std::string_view probe, const RuntimeDevice& device, Binding binding);

  // The first (most trusted) runtime to report a kind wins.
  static void SetRuntimeKind(Draft* draft, DeviceKind kind, std::string source);
  // A runtime's compute units (`trust` is its registry trust): kept unless a more trusted
  // runtime reported some; the same runtime may restate them.
  static void SetCompute(Draft* draft, int units, std::optional<int> clock_mhz,
                         std::string_view source, int trust);
  // A runtime's dedicated-memory figure (`trust` is the runtime's registry trust): it fills an
  // empty figure; with `replaces`, it also replaces one from PCI facts or from a runtime no more
  // trusted than itself (CUDA's total is exact where sysfs only sizes the BAR).
  static void OfferDedicatedBytes(Draft* draft, std::uint64_t bytes, std::string source, int trust,
                                  bool replaces = false);

  // A binding of the CPU device (a software rasterizer, OpenVINO's CPU plugin); `label` names a
  // software device in a note.
  void AddCpuBinding(std::string_view api, std::optional<int> index,
                     std::optional<std::string> name, const std::optional<std::string>& label,
                     bool software = true);
  const std::vector<Binding>& cpu_bindings() const { return cpu_bindings_; }
  const std::vector<std::string>& software_names() const { return software_names_; }

  void Warn(std::string_view probe, std::string text);
  void Note(std::string_view probe, std::string text);
  struct PendingNote {
    std::string probe, text, level;
  };
  std::vector<PendingNote>& notes() { return notes_; }

 private:
  const Observations& obs_;
  std::vector<Draft> drafts_;
  std::vector<Binding> cpu_bindings_;
  std::vector<std::string> software_names_;
  std::vector<PendingNote> notes_;
};

}  // namespace devpick

#endif  // DEVPICK_SRC_INVENTORY_CORRELATION_H_
