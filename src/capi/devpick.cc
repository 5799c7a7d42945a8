// The C ABI (include/devpick/devpick.h) over the C++ library: JSON arguments in, JSON documents
// out, every C++ exception caught here so none crosses into a C, Python or Rust caller.
#include "devpick/devpick.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "capi/request_json.h"
#include "core/snapshot_json.h"
#include "devpick/discover.h"
#include "devpick/doctor.h"
#include "devpick/env.h"
#include "devpick/inventory.h"
#include "devpick/select.h"
#include "emit/backend_summary.h"
#include "emit/inventory_json.h"
#include "probes/isolation.h"
#include "verify/measure.h"
#include "verify/measured_guard.h"

struct devpick_inventory {
  devpick::Discovery machine;
};

namespace devpick::capi {
namespace {

using Json = nlohmann::ordered_json;

// The live system, created once and never destroyed: an in-process probe abandoned after its
// timeout keeps running on its thread and keeps using the Env (src/probes/isolation.h).
const Env& RealEnv() {
  static const Env* const env = NewRealEnv().release();
  return *env;
}

// An object inside this library, whose address dladdr maps back to libdevpick.so's file name.
const char kLibraryAnchor = 0;

// devpick-probe beside the library that holds this code (the build tree keeps them together) or
// in ../libexec/devpick beside it (an installed prefix); "" when neither exists. The isolation
// code looks beside the running executable, which for a Python or Java host is the interpreter's
// directory, so the library adds the places that follow from where it was loaded.
std::string HelperBesideLibrary(const Env& env) {
  std::optional<std::string> module = env.ModulePath(&kLibraryAnchor);
  if (!module) return "";
  std::error_code error;
  std::filesystem::path library = std::filesystem::absolute(*module, error);
  if (error) return "";
  const std::string directory = DirName(library.lexically_normal().string());
  for (std::string_view relative : {"", "../libexec/devpick/"}) {
    std::string candidate =
        NormalizePath(directory + "/" + std::string(relative) + std::string(kProbeHelperName));
    if (env.TypeOf(candidate) == FileType::kRegular) return candidate;
  }
  return "";
}

// The request Discover() takes for devpick_discover's arguments.
DiscoverRequest RequestFor(DiscoverArguments arguments) {
  DiscoverRequest request;
  if (arguments.source.replay) {
    request.source = DiscoverSource::kReplayFile;
    request.path = *arguments.source.replay;
  } else if (arguments.source.snapshot_json) {
    request.source = DiscoverSource::kReplayText;
    request.snapshot_text = *arguments.source.snapshot_json;
    request.snapshot_name = "snapshot_json";
  } else if (arguments.source.root) {
    request.source = DiscoverSource::kRoot;
    std::error_code error;
    request.path =
        std::filesystem::absolute(*arguments.source.root, error).lexically_normal().string();
    if (error) request.path = *arguments.source.root;
  }
  DiscoverOptions& options = arguments.options;
  if (options.probe_helper.empty()) {
    std::optional<std::string> variable = RealEnv().GetEnv("DEVPICK_PROBE_HELPER");
    if (!variable || variable->empty()) options.probe_helper = HelperBesideLibrary(RealEnv());
  }
  request.options = std::move(options);
  return request;
}

// Select(), or under the measured policy SelectMeasured(), measuring in devpick-probe children.
Result<Decision> SelectFor(const devpick_inventory& inventory, const Request& request) {
  const Discovery& machine = inventory.machine;
  if (request.policy != Policy::kMeasured) return Select(machine.inventory, request);
  if (Status applies = CheckMeasuredPolicyApplies(machine); !applies.ok()) return applies;
  MeasureOptions options;
  std::optional<std::string> variable = RealEnv().GetEnv("DEVPICK_PROBE_HELPER");
  if (!variable || variable->empty()) options.probe_helper = HelperBesideLibrary(RealEnv());
  return SelectMeasured(RealEnv(), machine.observations, machine.inventory, request, options,
                        nullptr);
}

// The devpick_* status for a failed Status: the caller's input unless devpick itself failed.
int CodeFor(const Status& status) {
  return status.code() == StatusCode::kInternal ? DEVPICK_INTERNAL : DEVPICK_INVALID;
}

// A malloc'd copy for the caller, who frees it with devpick_string_free.
char* CopyOut(std::string_view text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy == nullptr) throw std::bad_alloc();
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

// Like CopyOut, for error messages, replacing any earlier one: nothing is thrown, because this runs
// in the exception handlers.
void SetError(char** error, std::string_view message) {
  if (error == nullptr) return;
  std::free(*error);
  *error = static_cast<char*>(std::malloc(message.size() + 1));
  if (*error == nullptr) return;
  std::memcpy(*error, message.data(), message.size());
  (*error)[message.size()] = '\0';
}

// Runs `body` with the out parameters cleared, turning any exception into DEVPICK_INTERNAL.
template <typename Body>
int Guarded(char** error, char** out, Body&& body) {
  if (error != nullptr) *error = nullptr;
  if (out != nullptr) *out = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    SetError(error, "internal error: out of memory");
  } catch (const std::exception& e) {
    SetError(error, std::string("internal error: ") + e.what());
  } catch (...) {
    SetError(error, "internal error: unknown exception");
  }
  if (out != nullptr) {
    std::free(*out);
    *out = nullptr;
  }
  return DEVPICK_INTERNAL;
}

// As the CLI prints JSON: two-space indent, invalid UTF-8 from a driver replaced, not thrown.
std::string Dump(const Json& document) {
  return document.dump(2, ' ', false, Json::error_handler_t::replace);
}

int Fail(const Status& status, char** error) {
  SetError(error, status.message());
  return CodeFor(status);
}

int NullArgument(const char* function, const char* argument, char** error) {
  SetError(error, std::string(function) + ": " + argument + " is NULL");
  return DEVPICK_INVALID;
}

}  // namespace
}  // namespace devpick::capi

extern "C" {

const char* devpick_version(void) { return DEVPICK_VERSION; }

int devpick_abi_version(void) { return DEVPICK_ABI_VERSION; }

int devpick_discover(const char* options_json, devpick_inventory** out, char** error) {
  using namespace devpick;
  using namespace devpick::capi;
  if (out != nullptr) *out = nullptr;
  return Guarded(error, nullptr, [&]() -> int {
    if (out == nullptr) return NullArgument("devpick_discover", "out", error);
    Result<DiscoverArguments> arguments =
        ParseDiscoverArguments(options_json == nullptr ? "" : options_json);
    if (!arguments.ok()) return Fail(arguments.status(), error);
    Result<Discovery> machine = Discover(RealEnv(), RequestFor(std::move(arguments).value()));
    if (!machine.ok()) return Fail(machine.status(), error);
    auto handle = std::make_unique<devpick_inventory>();
    handle->machine = std::move(machine).value();
    *out = handle.release();
    return DEVPICK_OK;
  });
}

int devpick_inventory_list_json(const devpick_inventory* inventory, char** json_out, char** error) {
  using namespace devpick::capi;
  return Guarded(error, json_out, [&]() -> int {
    if (inventory == nullptr)
      return NullArgument("devpick_inventory_list_json", "inventory", error);
    if (json_out == nullptr) return NullArgument("devpick_inventory_list_json", "json_out", error);
    const devpick::Inventory& model = inventory->machine.inventory;
    *json_out =
        CopyOut(Dump(devpick::InventoryToJson(model, ToBackendChoices(SummarizeBackends(model)))));
    return DEVPICK_OK;
  });
}

int devpick_inventory_snapshot_json(const devpick_inventory* inventory, char** json_out,
                                    char** error) {
  using namespace devpick::capi;
  return Guarded(error, json_out, [&]() -> int {
    if (inventory == nullptr) {
      return NullArgument("devpick_inventory_snapshot_json", "inventory", error);
    }
    if (json_out == nullptr) {
      return NullArgument("devpick_inventory_snapshot_json", "json_out", error);
    }
    *json_out = CopyOut(devpick::SerializeSnapshot(inventory->machine.observations));
    return DEVPICK_OK;
  });
}

int devpick_select(const devpick_inventory* inventory, const char* request_json,
                   char** decision_json, char** error) {
  using namespace devpick;
  using namespace devpick::capi;
  return Guarded(error, decision_json, [&]() -> int {
    if (inventory == nullptr) return NullArgument("devpick_select", "inventory", error);
    if (decision_json == nullptr) return NullArgument("devpick_select", "decision_json", error);
    Result<Request> request = ParseSelectRequest(request_json == nullptr ? "" : request_json);
    if (!request.ok()) return Fail(request.status(), error);
    Result<Decision> decision = SelectFor(*inventory, *request);
    if (!decision.ok()) return Fail(decision.status(), error);
    *decision_json = CopyOut(Dump(DecisionToJson(*decision)));
    if (decision->device == nullptr) {
      SetError(error, decision->error.value_or("no eligible device"));
      return DEVPICK_NO_DEVICE;
    }
    return DEVPICK_OK;
  });
}

int devpick_inventory_doctor_json(const devpick_inventory* inventory, const char* request_json,
                                  char** report_json, char** error) {
  using namespace devpick;
  using namespace devpick::capi;
  return Guarded(error, report_json, [&]() -> int {
    if (inventory == nullptr) {
      return NullArgument("devpick_inventory_doctor_json", "inventory", error);
    }
    if (report_json == nullptr) {
      return NullArgument("devpick_inventory_doctor_json", "report_json", error);
    }
    Result<capi::DoctorRequest> request =
        ParseDoctorRequest(request_json == nullptr ? "" : request_json);
    if (!request.ok()) return Fail(request.status(), error);
    Result<std::vector<Finding>> findings = devpick::Doctor(
        RealEnv(), inventory->machine,
        devpick::DoctorRequest{.backend = request->backend, .python = request->python});
    // Doctor's only errors are about the Python environment.
    if (!findings.ok()) {
      return Fail(Status::InvalidArgument("request.python: " + findings.status().message()), error);
    }
    *report_json = CopyOut(Dump(FindingsToJson(*findings, request->backend)));
    return HasBlockingFinding(*findings, request->backend) ? DEVPICK_PROBLEMS : DEVPICK_OK;
  });
}

void devpick_inventory_free(devpick_inventory* inventory) { delete inventory; }

void devpick_string_free(char* text) { std::free(text); }

}  // extern "C"
