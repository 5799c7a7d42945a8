// Selection: which device an inference backend should use, what the backend calls it, and why.
//
// Select() is a pure function of an Inventory and a Request (DESIGN.md "Selection"): it checks
// every device against the backend (vendor, kind, kernel driver, runtime binding), the visibility
// variables recorded in `inventory.env` (never the process environment), the user's exclusions and
// minimum memory; pins the first device-spec item that matches an eligible device; ranks by policy;
// and returns the backend-native names plus the environment assignments that make them exact.
//
// Two kinds of failure are kept apart: an invalid request (unknown backend, malformed spec, a
// native name of another backend) is a Status kInvalidArgument naming the problem and what is
// accepted (CLI exit 2); a valid request that no device satisfies is a Decision with `device ==
// nullptr` and `error` set (CLI exit 3). There is no silent CPU fallback: `Fallback::kCpu` must be
// requested and then the decision says `fallback = true` and carries a warning.
//
// Thread-safety: pure functions over their arguments. A Decision points into the Inventory passed
// to Select, which must outlive it.
#ifndef DEVPICK_SELECT_H_
#define DEVPICK_SELECT_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/inventory.h"
#include "devpick/pci_address.h"
#include "devpick/status.h"

namespace devpick {

enum class Policy { kPerformance, kEfficiency, kMemory, kMeasured };
enum class Fallback { kNone, kCpu };

std::string_view ToString(Policy policy);      // performance | efficiency | memory | measured
std::string_view ToString(Fallback fallback);  // none | cpu
// "unknown policy 'fast'; accepted: performance, efficiency, memory, measured"
Result<Policy> ParsePolicy(std::string_view text);
// "unknown fallback 'gpu'; accepted: none, cpu"
Result<Fallback> ParseFallback(std::string_view text);

// A byte size: "1000000" (bytes), "6GiB", "512MiB", "1.5 GiB", "8G" (single letters are binary, as
// in docker and systemd), "8GB" (decimal). Units are case-insensitive.
Result<std::uint64_t> ParseByteSize(std::string_view text);
// 17079205888 -> "16 GiB", 6442450944 -> "6 GiB", 1610612736 -> "1.5 GiB", 536870912 -> "512 MiB".
std::string FormatByteSize(std::uint64_t bytes);

// One item of a device spec (DESIGN.md "Device spec grammar").
struct DeviceSpecItem {
  enum class Type { kAuto, kKind, kVendor, kId, kPci, kUuid, kName, kIndex, kNative };
  // Kind filters: `gpu` means dgpu or igpu.
  enum class KindFilter { kAny, kCpu, kGpu, kDgpu, kIgpu, kNpu };

  Type type = Type::kAuto;
  std::string text;                    // the item as written, trimmed
  KindFilter kind = KindFilter::kAny;  // kKind, kVendor
  std::optional<Vendor> vendor;        // kVendor
  std::string value;                   // kId id, kUuid prefix, kName text, kNative spelling
  std::optional<PciAddress> pci;       // kPci
  std::optional<int> index;            // kIndex, and the N of a native "cuda:N" / "GPU.N"
};

// Parses a comma-separated spec list. Errors name the spec and the bad item and list the accepted
// forms, e.g. "invalid device spec 'cuda:0,1x': item '1x' is not a device spec; accepted: ...".
Result<std::vector<DeviceSpecItem>> ParseDeviceSpec(std::string_view text);

// What `devpick verify` measured on one device (src/verify/measure.h runs and caches it), for the
// measured policy. Select() only reads it; it never runs work on a device.
struct DeviceMeasurement {
  // false: it could not be measured (`failure` says why); it stays eligible and ranks after the
  // measured devices. true: it ran, and `correct` says whether it passed.
  bool measured = true;
  bool correct = false;          // the workload ran and its results were checked correct
  std::optional<double> gflops;  // SGEMM throughput; absent when it did not run
  std::string source;            // "opencl 0/0 (pthread-...), measured 2026-11-25T16:40:00Z"
  std::string failure;           // why it failed: "clBuildProgram: CL_BUILD_PROGRAM_FAILURE (-11)"
};

struct Request {
  std::optional<std::string> backend;      // canonical name or alias; nullopt = recommend one
  std::optional<std::string> device_spec;  // DESIGN.md grammar, may be a comma list
  Policy policy = Policy::kPerformance;
  Fallback fallback = Fallback::kNone;
  std::optional<std::uint64_t> min_memory_bytes;
  std::vector<std::string> exclude;  // spec items (kinds, vendors, ids, pci:, ...)
  bool isolate = false;              // emit every env assignment, not only the needed ones
  // Policy::kMeasured: by device id. A device that failed is not eligible; one without an entry, or
  // not measured, ranks after every measured device (and the decision warns). Other policies
  // ignore it.
  std::map<std::string, DeviceMeasurement> measurements;
};

struct Candidate {
  std::string id;
  bool eligible = false;
  std::optional<int> rank;  // 1 = chosen; only for eligible devices
  std::string reason_code;  // eligible | backend_cannot_drive | cpu_needs_fallback | driver |
                            // not_seen_by_runtime | hidden_by_env | unusable | excluded |
                            // below_min_memory | memory_unknown | npu_not_requested | not_in_spec |
                            // failed_verification (measured policy)
  std::string reason;       // "discrete GPU, 16 GiB", "hidden by CUDA_VISIBLE_DEVICES=1"
  // Measured policy: the device's measurement, as the request gave it.
  std::optional<DeviceMeasurement> measurement;
};

struct Decision {
  std::string backend;  // canonical
  bool backend_recommended = false;
  Policy policy = Policy::kPerformance;
  const Device* device = nullptr;  // points into the Inventory passed to Select; null when none
  // {"torch": "cuda:0"}, {"openvino": "GPU.1", "torch": "cpu"}, {"vulkan": 1},
  // {"onnxruntime": {"provider": "CUDAExecutionProvider", "options": {"device_id": 0}}}
  nlohmann::ordered_json native = nlohmann::ordered_json::object();
  std::map<std::string, std::string> env;
  bool fallback = false;
  std::vector<Candidate> candidates;  // every inventory device, eligible ranked first
  std::vector<std::string> warnings;
  std::optional<std::string> error;  // set when no eligible device (CLI exit 3)
};

// The canonical backend names in table order, and the alias -> name pairs.
const std::vector<std::string>& BackendNames();
// The canonical name of a backend or alias, or InvalidArgument "unknown backend 'x'; accepted:
// ...".
Result<std::string> CanonicalBackend(std::string_view name);

Result<Decision> Select(const Inventory& inventory, const Request& request);

// The probes a decision for `backend` depends on (driver-free ones included) that this build can
// run, so a select runs only those (DESIGN.md "Probes"); empty for an unknown backend or none
// (recommend: probe all).
std::vector<std::string> ProbesForBackend(const std::optional<std::string>& backend);

// DESIGN.md "select --json output", plus "backend_recommended" and candidate "reason_code".
nlohmann::ordered_json DecisionToJson(const Decision& decision);
// Human text; `explain` adds every candidate with its rank or reason.
std::string FormatDecisionText(const Decision& decision, bool explain);
// The env assignments, one per line: KEY=VALUE, or `export KEY='VALUE'` for a POSIX shell's eval.
// An env file has no quoting, so a value holding a control character (a newline would start a
// second assignment) is InvalidArgument for it; the shell form quotes every value.
Result<std::string> FormatDecisionEnv(const Decision& decision, bool shell);

}  // namespace devpick

#endif  // DEVPICK_SELECT_H_
