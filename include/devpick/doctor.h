// Doctor: why a GPU is not used, as a list of findings with evidence and a remedy.
//
// Diagnose() is a pure function of the observations and the inventory correlated from them, so it
// runs the same on this machine and on a replayed snapshot (`devpick --replay FILE doctor`). It
// checks, for every compute device: the compute runtime of present hardware (Level Zero/OpenCL for
// Intel, libnvidia-ml/libcuda for NVIDIA, /dev/kfd for AMD), the kernel driver (nouveau, none
// bound, Intel DG2 on a kernel that needs force_probe), device-node permissions with the group to
// join, NVML's driver/library version mismatch, AMD gfx targets ROCm does not support (with the
// per-node HSA_OVERRIDE_GFX_VERSION_<n> only where an override is known to work), per-node
// overrides already set (malformed, naming a KFD node that is no GPU, unneeded, or not the value
// known to work), containers that were given no device nodes, and malformed or conflicting
// visibility variables. The Python environment check needs the live file system and lives in
// src/doctor/python_env.h.
//
// Each finding names the backends it concerns; HasBlockingFinding() answers the CLI's exit-status
// question (exit 4) for a requested backend.
//
// Thread-safety: pure functions over their arguments.
#ifndef DEVPICK_DOCTOR_H_
#define DEVPICK_DOCTOR_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/discover.h"
#include "devpick/env.h"
#include "devpick/inventory.h"
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

// In the order findings are listed.
enum class Severity { kError, kWarning, kInfo };
// "error" | "warning" | "info": the JSON spelling.
std::string_view ToString(Severity severity);

struct Finding {
  std::string code;  // machine-readable: nouveau_driver, render_node_denied, ...
  Severity severity = Severity::kError;
  std::string device_id;              // inventory id (gpu0, npu0) or "" for machine-wide findings
  std::string message;                // what is wrong, one sentence
  std::vector<std::string> evidence;  // "<file or probe>: <value>" facts the finding rests on
  std::string remedy;                 // what the user can do
  // Canonical names of the backends this finding blocks or affects; empty means every backend.
  std::vector<std::string> backends;
};

// Every finding about the machine, errors first. Findings about other backends are kept so the user
// sees the whole picture, but with a `backend` (canonical name) an error that cannot affect it is
// reported as a warning.
std::vector<Finding> Diagnose(const Observations& observations, const Inventory& inventory,
                              const std::optional<std::string>& backend);

// Errors first, then warnings, then info; the order within a severity is kept.
void SortBySeverity(std::vector<Finding>* findings);

// Whether an error-severity finding concerns `backend` (any error when `backend` is nullopt).
bool HasBlockingFinding(const std::vector<Finding>& findings,
                        const std::optional<std::string>& backend);

// {"backend": "cuda" | null, "findings": [{code, severity, device_id, message, evidence, remedy,
// backends}], "errors": N, "warnings": N}.
nlohmann::ordered_json FindingsToJson(const std::vector<Finding>& findings,
                                      const std::optional<std::string>& backend);
// One block per finding: "error   gpu1  nouveau_driver: <message>", then indented evidence and
// remedy lines; "no problems found" when there are none.
std::string FormatFindingsText(const std::vector<Finding>& findings);

// ----- Doctor: the entry point the CLI and the C ABI call (src/doctor/entry.cc) -----------------

struct DoctorRequest {
  // Canonical backend name (CanonicalBackend); nullopt judges the machine for every backend.
  std::optional<std::string> backend;
  // A Python environment on this machine (a venv directory or an interpreter; relative to the
  // working directory), inspected without running it; its findings join the machine's.
  std::optional<std::string> python;
};

// Diagnose() over `machine`, plus the findings about request.python read through `env`, errors
// first. Errors (InvalidArgument, to be prefixed with the caller's name for the Python option):
// "a Python environment on this machine cannot be combined with a replayed snapshot (<file>)",
// or what InspectPythonEnvironment says about the path ("<path>: No such file or directory").
Result<std::vector<Finding>> Doctor(const Env& env, const Discovery& machine,
                                    const DoctorRequest& request);

}  // namespace devpick

#endif  // DEVPICK_DOCTOR_H_
