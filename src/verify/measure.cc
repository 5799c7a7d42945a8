#include "verify/measure.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "core/bounded_json.h"
#include "devpick/discover.h"
#include "probes/isolation.h"
#include "select/backend_table.h"
#include "verify/cuda_verify.h"
#include "verify/measure_cache.h"
#include "verify/measured_guard.h"
#include "verify/opencl_verify.h"
#include "verify/vulkan_verify.h"

namespace devpick {
namespace {

// Bumped when the workload or the way it is timed changes, so older cached figures are not
// compared with new ones.
constexpr int kMeasureKeyVersion = 1;

std::optional<VerifyTarget> TargetFromBinding(const Device& device, VerifyApi api) {
  const Binding* binding = device.FindBinding(VerifyApiName(api));
  if (binding == nullptr) return std::nullopt;
  VerifyTarget target;
  target.api = api;
  if (api == VerifyApi::kOpenCl) {
    // OpenCL bindings are named "platform/device", the form verify's --device reads.
    if (!binding->name || binding->name->find('/') == std::string::npos) return std::nullopt;
    Result<VerifyTarget> parsed = ParseVerifyTarget(api, *binding->name);
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
  }
  if (!binding->index || *binding->index < 0) return std::nullopt;
  target.device = static_cast<std::uint32_t>(*binding->index);
  return target;
}

std::string TargetSpec(const VerifyTarget& target) {
  if (target.api == VerifyApi::kOpenCl) {
    return "opencl:" + std::to_string(target.platform) + "/" + std::to_string(target.device);
  }
  return std::string(VerifyApiName(target.api)) + ":" + std::to_string(target.device);
}

// "opencl 0/1", "vulkan 0": the binding as `devpick list` shows it.
std::string TargetText(const VerifyTarget& target) {
  std::string spec = TargetSpec(target);
  spec[spec.find(':')] = ' ';
  return spec;
}

// What the runtime said about its version for `target`, from the probe that found the binding.
std::string RuntimeVersion(const VerifyTarget& target, const Observations& observations) {
  const ProbeObservations& probes = observations.probes;
  if (target.api == VerifyApi::kOpenCl && probes.opencl &&
      target.platform < probes.opencl->platforms.size()) {
    const OpenClPlatform& platform = probes.opencl->platforms[target.platform];
    std::string text = platform.version.value_or("?");
    for (const OpenClDevice& device : platform.devices) {
      if (device.index == static_cast<int>(target.device)) {
        text += "; " + device.name.value_or("?") + " " + device.driver_version.value_or("?");
      }
    }
    return text;
  }
  if (target.api == VerifyApi::kVulkan && probes.vulkan) {
    std::string text = "vulkan " + probes.vulkan->version.value_or("?");
    for (const VulkanDevice& device : probes.vulkan->devices) {
      if (device.index == static_cast<int>(target.device)) {
        // A driver's device UUID changes with its build (Mesa encodes its version there).
        text += "; " + device.name.value_or("?") + " " + device.driver_name.value_or("?") + " " +
                device.uuid.value_or("?");
      }
    }
    return text;
  }
  if (target.api == VerifyApi::kCuda && probes.cuda) {
    std::string text =
        "driver " + (probes.cuda->driver_version ? std::to_string(*probes.cuda->driver_version)
                                                 : std::string("?"));
    for (const CudaDevice& device : probes.cuda->devices) {
      if (device.ordinal == static_cast<int>(target.device)) {
        text += "; " + device.name.value_or("?");
      }
    }
    return text;
  }
  return "?";
}

std::string Hex(std::optional<std::uint32_t> value) {
  if (!value) return "?";
  char text[16];
  std::snprintf(text, sizeof text, "%04x", *value);
  return text;
}

// The failure of a result that is not correct: "<step>: <detail>", or the detail alone when it
// already starts with the step.
std::string FailureText(const VerifyResult& result) {
  if (result.failed_step.empty()) return result.detail;
  if (result.detail.rfind(result.failed_step, 0) == 0) return result.detail;
  return result.failed_step + ": " + result.detail;
}

template <typename T>
bool Read(const nlohmann::json& object, const char* key, T* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) {
    *error = std::string("\"") + key + "\" is missing";
    return false;
  }
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // get<unsigned>() would quietly wrap -1 or 2^40; only an exact fit is accepted.
    if (!it->is_number_unsigned() ||
        it->template get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      *error = std::string("\"") + key + "\" has the wrong type";
      return false;
    }
  }
  try {
    *out = it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    *error = std::string("\"") + key + "\" has the wrong type";
    return false;
  }
  return true;
}

bool ReadOptionalNumber(const nlohmann::json& object, const char* key, std::optional<double>* out,
                        std::string* error) {
  auto it = object.find(key);
  if (it == object.end()) {
    *error = std::string("\"") + key + "\" is missing";
    return false;
  }
  if (it->is_null()) return true;
  if (!it->is_number()) {
    *error = std::string("\"") + key + "\" is not a number or null";
    return false;
  }
  *out = it->get<double>();
  return true;
}

}  // namespace

VerifyResult MeasureOne(const Env& env, const VerifyTarget& target, const MeasureOptions& options) {
  if (!options.isolate) return RunVerification(env, target, options.workload);
  VerifyResult failed;
  failed.api = VerifyApiName(target.api);
  failed.device = TargetText(target);
  DiscoverOptions discover;
  discover.probe_helper = options.probe_helper;
  Result<std::string> helper = LocateProbeHelper(env, discover);
  if (!helper.ok()) {
    failed.failed_step = "start devpick-probe";
    failed.detail = helper.status().message();
    return failed;
  }
  Result<std::string> reply =
      RunHelper(env, *helper, VerifyHelperArgs(target, options.workload), options.timeout_ms);
  if (!reply.ok()) {
    failed.failed_step = "devpick-probe verify";
    failed.detail = reply.status().message();
    return failed;
  }
  Result<VerifyResult> result = VerifyResultFromJson(*reply);
  if (!result.ok()) {
    failed.failed_step = "devpick-probe verify";
    failed.detail = result.status().message();
    return failed;
  }
  return std::move(result).value();
}

std::vector<std::string> ProbesForMeasuring(const std::optional<std::string>& backend) {
  std::vector<std::string> probes = ProbesForBackend(backend);
  if (probes.empty()) return probes;
  // Each verify API is read through the probe of the same name (its bindings name the devices).
  for (VerifyApi api : FindBackend(*backend)->measure_apis) {
    std::string probe = VerifyApiName(api);
    if (std::find(probes.begin(), probes.end(), probe) == probes.end()) probes.push_back(probe);
  }
  return probes;
}

std::optional<VerifyTarget> MeasureTargetFor(const Device& device, std::string_view backend) {
  const BackendInfo* row = FindBackend(backend);
  if (row == nullptr) return std::nullopt;  // callers pass decisions' canonical names
  for (VerifyApi api : row->measure_apis) {
    if (std::optional<VerifyTarget> target = TargetFromBinding(device, api)) return target;
  }
  return std::nullopt;
}

std::string MeasureKey(const Device& device, const VerifyTarget& target,
                       const Observations& observations, const VerifyOptions& workload) {
  std::string identity = device.uuid          ? "uuid " + *device.uuid
                         : device.pci_address ? "pci " + *device.pci_address
                                              : "name " + device.name;
  return "v" + std::to_string(kMeasureKeyVersion) + " | " + identity + " | " +
         Hex(device.vendor_id) + ":" + Hex(device.device_id) + " " + device.name + " | driver " +
         device.driver.name.value_or("-") + " " + device.driver.version.value_or("-") + " | " +
         VerifyApiName(target.api) + " " + RuntimeVersion(target, observations) + " | sgemm " +
         std::to_string(workload.matrix_size) + " copy " + std::to_string(workload.copy_bytes) +
         " runs " + std::to_string(workload.runs);
}

MeasureReport MeasureDevices(const Env& env, const Observations& observations,
                             const Inventory& inventory, std::span<const std::string> ids,
                             std::string_view backend, const MeasureOptions& options,
                             const MeasureProgress& progress) {
  MeasureReport report;
  std::optional<MeasureCache> cache;
  std::string path = options.cache_path;
  if (path.empty()) {
    Result<std::string> default_path = MeasureCache::DefaultPath(env);
    if (default_path.ok()) {
      path = *default_path;
    } else {
      report.warnings.push_back("measurements are not cached: " + default_path.status().message());
    }
  }
  if (!path.empty()) {
    cache = MeasureCache::Load(env, path);
    for (const std::string& warning : cache->warnings()) report.warnings.push_back(warning);
  }
  bool changed = false;
  for (const std::string& id : ids) {
    const Device* device = inventory.FindDevice(id);
    if (device == nullptr) continue;
    const std::string label = device->id + " (" + device->name + ")";
    std::optional<VerifyTarget> target = MeasureTargetFor(*device, backend);
    if (!target) {
      report.measurements[id] = {.measured = false,
                                 .correct = false,
                                 .gflops = std::nullopt,
                                 .source = "",
                                 .failure = "no OpenCL, Vulkan or CUDA device drives it"};
      continue;
    }
    std::string key = MeasureKey(*device, *target, observations, options.workload);
    const Measurement* cached = options.use_cache && cache ? cache->Find(key) : nullptr;
    if (cached != nullptr && cached->correct && cached->gflops) {
      if (progress) progress(label + ": cached measurement from " + cached->measured_at);
      report.measurements[id] = {.measured = true,
                                 .correct = true,
                                 .gflops = cached->gflops,
                                 .source = cached->device + ", cached from " + cached->measured_at,
                                 .failure = ""};
      continue;
    }
    if (progress) progress("measuring " + label + " through " + TargetText(*target));
    auto when = env.Now();
    VerifyResult result = MeasureOne(env, *target, options);
    std::string device_text = result.device.empty() ? TargetText(*target) : result.device;
    DeviceMeasurement measured{.measured = true,
                               .correct = result.correct,
                               .gflops = result.correct ? result.gflops : std::nullopt,
                               .source = device_text + ", measured " + FormatRfc3339Utc(when),
                               .failure = result.correct ? "" : FailureText(result)};
    report.measurements[id] = measured;
    if (result.correct && result.gflops && cache) {
      cache->Put(MeasurementFromResult(key, result, when));
      changed = true;
    }
  }
  if (changed) {
    if (Status saved = cache->Save(env); !saved.ok()) {
      report.warnings.push_back("measurements were not saved: " + saved.message());
    }
  }
  return report;
}

Result<Decision> SelectMeasured(const Env& env, const Observations& observations,
                                const Inventory& inventory, Request request,
                                const MeasureOptions& options, const MeasureProgress& progress) {
  if (!env.IsThisMachine()) return MeasuredPolicyRefusedForTree(env.root());
  Request eligible_request = request;
  eligible_request.policy = Policy::kPerformance;
  Result<Decision> first = Select(inventory, eligible_request);
  if (!first.ok()) return first.status();
  std::vector<std::string> ids;
  for (const Candidate& candidate : first->candidates) {
    if (candidate.eligible) ids.push_back(candidate.id);
  }
  MeasureReport report =
      MeasureDevices(env, observations, inventory, ids, first->backend, options, progress);
  request.policy = Policy::kMeasured;
  request.measurements = std::move(report.measurements);
  Result<Decision> decision = Select(inventory, request);
  if (decision.ok()) {
    for (std::string& warning : report.warnings) decision->warnings.push_back(std::move(warning));
  }
  return decision;
}

VerifyResult RunVerification(const Env& env, const VerifyTarget& target,
                             const VerifyOptions& options) {
  switch (target.api) {
    case VerifyApi::kOpenCl:
      return VerifyOpenCl(env, target, options);
    case VerifyApi::kVulkan:
      return VerifyVulkan(env, target, options);
    case VerifyApi::kCuda:
      return VerifyCuda(env, target, options);
  }
  VerifyResult result;
  result.failed_step = "choose API";
  result.detail = "no verification for this API";
  return result;
}

Result<VerifyResult> VerifyResultFromJson(std::string_view text) {
  const std::string source = "the devpick-probe verify reply";
  ParsedJson parsed = ParseBoundedJson(text);
  const nlohmann::json& json = parsed.value;
  if (parsed.error || !json.is_object()) {
    return Status::InvalidArgument(source + " is not a JSON object");
  }
  VerifyResult result;
  std::string error;
  std::optional<double> max_rel_error;
  nlohmann::json failed_step;
  bool ok =
      Read(json, "api", &result.api, &error) && Read(json, "device", &result.device, &error) &&
      Read(json, "correct", &result.correct, &error) &&
      ReadOptionalNumber(json, "gflops", &result.gflops, &error) &&
      ReadOptionalNumber(json, "copy_gbps", &result.copy_gbps, &error) &&
      ReadOptionalNumber(json, "max_rel_error", &max_rel_error, &error) &&
      Read(json, "failed_step", &failed_step, &error) &&
      Read(json, "detail", &result.detail, &error) && Read(json, "steps", &result.steps, &error) &&
      Read(json, "matrix_size", &result.matrix_size, &error) &&
      Read(json, "copy_bytes", &result.copy_bytes, &error) &&
      Read(json, "device_missing", &result.device_missing, &error);
  if (ok && !failed_step.is_null() && !failed_step.is_string()) {
    ok = false;
    error = "\"failed_step\" is not a string or null";
  }
  if (!ok) return Status::InvalidArgument(source + ": " + error);
  result.failed_step = failed_step.is_string() ? failed_step.get<std::string>() : "";
  result.max_rel_error = max_rel_error.value_or(std::numeric_limits<double>::infinity());
  return result;
}

std::vector<std::string> VerifyHelperArgs(const VerifyTarget& target,
                                          const VerifyOptions& workload) {
  return {"verify",
          VerifyApiName(target.api),
          target.first_cpu ? "cpu" : TargetSpec(target),
          std::to_string(workload.matrix_size),
          std::to_string(workload.copy_bytes),
          std::to_string(workload.runs)};
}

Status ParseVerifyHelperArgs(std::span<const std::string> args, VerifyTarget* target,
                             VerifyOptions* workload) {
  constexpr const char* kUsage =
      "usage: devpick-probe verify API DEVICE MATRIX_SIZE COPY_BYTES RUNS";
  if (args.size() != 6 || args[0] != "verify") return Status::InvalidArgument(kUsage);
  std::optional<VerifyApi> api;
  for (VerifyApi candidate : {VerifyApi::kOpenCl, VerifyApi::kVulkan, VerifyApi::kCuda}) {
    if (args[1] == VerifyApiName(candidate)) api = candidate;
  }
  if (!api) return Status::InvalidArgument("unknown API '" + args[1] + "'; " + kUsage);
  Result<VerifyTarget> parsed = ParseVerifyTarget(*api, args[2]);
  if (!parsed.ok()) return parsed.status();
  std::optional<std::uint32_t> size = ParseVerifyIndex(args[3]);
  std::uint64_t copy = 0;
  auto [ptr, error] = std::from_chars(args[4].data(), args[4].data() + args[4].size(), copy);
  std::optional<std::uint32_t> runs = ParseVerifyIndex(args[5]);
  if (!size || !runs || args[4].empty() || error != std::errc() ||
      ptr != args[4].data() + args[4].size()) {
    return Status::InvalidArgument(kUsage);
  }
  *target = *parsed;
  workload->matrix_size = *size;
  workload->copy_bytes = copy;
  workload->runs = *runs;
  return ValidateVerifyOptions(*workload);
}

}  // namespace devpick
