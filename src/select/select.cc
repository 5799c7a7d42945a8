// Select(): eligibility, pinning, ranking and native names (DESIGN.md "Selection").
//
// Order of work for one backend: (1) every device is checked against the backend's table row
// (vendor, kind, platform, required binding, kernel driver), then against how the backend's runtime
// numbers devices under the recorded visibility variables (a RuntimeView), then against the request
// (usable, exclude, min_memory); (2) the spec items are tried in order and the best-ranked eligible
// match of the first item that has one wins; (3) the winner's native names and the env assignments
// that make them exact are emitted with warnings; every device becomes a candidate with its rank or
// the first reason it was rejected.
//
// How runtimes number devices is select/runtime_view.h; eligibility by table row is
// select/eligibility.h; native names select/native_names.h; the recommendation select/recommend.cc.
#include "devpick/select.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/text.h"
#include "inventory/id_tables.h"
#include "select/backend_table.h"
#include "select/device_spec.h"
#include "select/eligibility.h"
#include "select/native_names.h"
#include "select/policy.h"
#include "select/runtime_view.h"
#include "select/selector.h"
#include "select/spec_match.h"

namespace devpick {
namespace {

using Json = nlohmann::ordered_json;
using Type = DeviceSpecItem::Type;

std::string DescribeShort(const Device& device) {
  if (device.kind == DeviceKind::kCpu) return device.id + " (CPU)";
  return device.id + " (" + device.name + ", " + std::string(ToString(device.kind)) + ")";
}

std::string FoundList(const Inventory& inventory) {
  std::vector<std::string> parts;
  for (const Device& device : inventory.devices) parts.push_back(DescribeShort(device));
  return parts.empty() ? "no devices" : Join(parts, ", ");
}

// The candidate reason of an eligible device: "discrete GPU, 16 GiB".
// 2.61 -> "2.6 GFLOP/s".
std::string FormatGflops(double gflops) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GFLOP/s", gflops);
  return text;
}

std::string DescribeEligible(const Device& device) {
  switch (device.kind) {
    case DeviceKind::kDgpu:
      return device.memory.total_bytes
                 ? "discrete GPU, " + FormatByteSize(*device.memory.total_bytes)
                 : "discrete GPU";
    case DeviceKind::kIgpu:
      return "integrated GPU";
    case DeviceKind::kNpu:
      return "NPU";
    case DeviceKind::kCpu:
      return "CPU";
  }
  return "device";
}

struct Eval {
  const Device* device = nullptr;
  const BackendInfo* via = nullptr;  // the backend whose rules apply (onnxruntime: the EP's)
  const RuntimeView* view = nullptr;
  Verdict verdict;
  bool drivable = false;
  std::optional<int> ordinal;
  std::string native;  // the backend's spelling: cuda:1, xpu:0, GPU.1, NPU, CPU, mps
};

bool Names(const DeviceSpecItem& item, const Eval& eval) {
  return Matches(item, *eval.device, eval.ordinal, eval.native);
}

// ROCm per-device advice (research/specs.md §4.2): a gfx target outside ROCm's supported list that
// has a supported sibling runs with HSA_OVERRIDE_GFX_VERSION_<KFD node> (never the process-wide
// variable, which would also retarget the other GPUs); the supported list is id_tables'
// IsSupportedRocmTarget, the values its KnownGfxOverride, so doctor and select agree.

void AddGfxAdvice(const Inventory& inventory, const Device& device, Decision* decision) {
  const Binding* node = device.FindBinding(Backend(BackendId::kRocm).runtime_probe);
  if (!device.gfx_target_version || node == nullptr || !node->index) return;
  int version = *device.gfx_target_version;
  if (IsSupportedRocmTarget(version)) return;
  std::optional<std::string_view> known = KnownGfxOverride(version);
  if (!known) return;
  std::string variable = "HSA_OVERRIDE_GFX_VERSION_" + std::to_string(*node->index);
  // Already set as advised: like the PCI-order variables, not emitted again.
  if (EnvVar(inventory, variable) == *known) return;
  decision->env[variable] = std::string(*known);
  decision->warnings.push_back(GfxTargetName(version) + " is not a ROCm-supported target; " +
                               variable + "=" + std::string(*known) +
                               " runs this GPU as its supported sibling (only this GPU)");
}

class Selector {
 public:
  Selector(const Inventory& inventory, const Request& request, const BackendInfo& row,
           std::vector<DeviceSpecItem> items, std::vector<DeviceSpecItem> excludes)
      : inventory_(inventory),
        request_(request),
        row_(row),
        items_(std::move(items)),
        excludes_(std::move(excludes)) {}

  Result<Decision> Run() {
    for (const auto* list : {&items_, &excludes_}) {
      for (const DeviceSpecItem& item : *list) {
        Status status = CheckNativeItem(row_, item);
        if (!status.ok()) return status;
      }
    }
    Decision decision;
    decision.backend = std::string(row_.name);
    decision.policy = request_.policy;
    Evaluate();
    Result<std::vector<const Eval*>> ranked = Pin();
    if (!ranked.ok()) return ranked.status();
    std::vector<const Eval*> order = std::move(ranked).value();
    if (!order.empty()) {
      Choose(*order.front(), &decision);
    } else {
      decision.error = NoDeviceMessage();
      if (request_.fallback == Fallback::kCpu && !(row_.kinds & kCpuKind)) {
        if (const Eval* cpu = FallbackCpu()) {
          decision.device = cpu->device;
          decision.fallback = true;
          decision.native = Json{{"torch", "cpu"}};
          decision.warnings.push_back(*decision.error +
                                      "; falling back to the CPU as requested (fallback = cpu)");
          decision.error.reset();
          order.push_back(cpu);
        }
      }
    }
    FillCandidates(order, &decision);
    return decision;
  }

 private:
  const RuntimeView& ViewFor(const BackendInfo& via) {
    auto it = views_.find(via.id);
    if (it != views_.end()) return it->second;
    return views_.emplace(via.id, BuildRuntimeView(via, inventory_)).first->second;
  }

  void Evaluate() {
    for (const Device& device : inventory_.devices) {
      Eval eval;
      eval.device = &device;
      eval.via =
          row_.index_source == IndexSource::kPerDevice ? OrtBackendFor(device, inventory_) : &row_;
      if (eval.via == nullptr) {
        eval.verdict =
            Reject("backend_cannot_drive", "ONNX Runtime has no execution provider for " +
                                               std::string(VendorDisplayName(device.vendor)) + " " +
                                               KindNoun(device.kind) + " on " + inventory_.host.os);
        evals_.push_back(std::move(eval));
        continue;
      }
      eval.verdict = CheckDrive(*eval.via, device, inventory_);
      eval.drivable =
          eval.verdict.ok && (device.kind != DeviceKind::kCpu || (row_.kinds & kCpuKind));
      if (eval.verdict.ok) {
        const RuntimeView& view = ViewFor(*eval.via);
        eval.view = &view;
        auto ordinal = view.ordinal.find(&device);
        if (ordinal != view.ordinal.end()) eval.ordinal = ordinal->second;
        eval.native = NativeSpelling(*eval.via, device, view, eval.ordinal);
        auto hidden = view.hidden.find(&device);
        if (hidden != view.hidden.end()) eval.verdict = hidden->second;
      }
      if (eval.verdict.ok && !device.usable) {
        std::vector<std::string> problems;
        for (const Problem& problem : device.problems) {
          problems.push_back(problem.message +
                             (problem.remedy.empty() ? "" : " (" + problem.remedy + ")"));
        }
        eval.verdict =
            Reject("unusable", "unusable: " + (problems.empty() ? std::string("problems reported")
                                                                : Join(problems, "; ")));
      }
      if (eval.verdict.ok) {
        for (const DeviceSpecItem& item : excludes_) {
          if (Names(item, eval)) {
            eval.verdict = Reject("excluded", "excluded by request (" + item.text + ")");
            break;
          }
        }
      }
      if (eval.verdict.ok && request_.min_memory_bytes) {
        std::string minimum = FormatByteSize(*request_.min_memory_bytes);
        if (!device.memory.total_bytes) {
          eval.verdict = Reject("memory_unknown",
                                "memory size unknown, so min_memory " + minimum + " cannot be met");
        } else if (*device.memory.total_bytes < *request_.min_memory_bytes) {
          eval.verdict =
              Reject("below_min_memory", "below min_memory " + minimum + " (" +
                                             FormatByteSize(*device.memory.total_bytes) + ")");
        }
      }
      if (eval.verdict.ok && request_.policy == Policy::kMeasured) {
        const DeviceMeasurement* measured = MeasurementOf(device);
        if (measured != nullptr && measured->measured && !measured->correct) {
          eval.verdict = Reject("failed_verification", "failed verification (" + measured->source +
                                                           "): " + measured->failure);
        }
      }
      evals_.push_back(std::move(eval));
    }
  }

  const DeviceMeasurement* MeasurementOf(const Device& device) const {
    auto it = request_.measurements.find(device.id);
    return it == request_.measurements.end() ? nullptr : &it->second;
  }

  // The order within one spec item: under the measured policy, correct measurements first, the
  // higher throughput first; then (and under every other policy) the policy's order.
  bool Before(const Device& a, const Device& b) const {
    if (request_.policy == Policy::kMeasured) {
      const DeviceMeasurement* ma = MeasurementOf(a);
      const DeviceMeasurement* mb = MeasurementOf(b);
      auto gflops = [](const DeviceMeasurement* m) {
        return m != nullptr && m->measured && m->correct && m->gflops ? *m->gflops : -1.0;
      };
      double ga = gflops(ma);
      double gb = gflops(mb);
      if (ga != gb) return ga > gb;
    }
    return RanksBefore(request_.policy, a, b);
  }

  bool NpuAllowed(const DeviceSpecItem& item) const {
    return request_.policy == Policy::kEfficiency || NamesNpu(item);
  }

  // The eligible devices in the order the request prefers them: by spec item, then by policy.
  Result<std::vector<const Eval*>> Pin() {
    std::vector<DeviceSpecItem> items = items_;
    if (items.empty()) items.push_back(DeviceSpecItem{});
    std::vector<const Eval*> order;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const DeviceSpecItem& item = items[i];
      std::vector<const Eval*> matched;
      std::vector<std::string> uuid_matches;
      for (const Eval& eval : evals_) {
        if (!Names(item, eval)) continue;
        if (item.type == Type::kUuid) uuid_matches.push_back(eval.device->id);
        if (!eval.verdict.ok || !eval.drivable) continue;
        if (eval.device->kind == DeviceKind::kNpu && !NpuAllowed(item)) continue;
        matched.push_back(&eval);
      }
      if (uuid_matches.size() > 1) {
        return Status::InvalidArgument("device spec item '" + item.text + "' matches " +
                                       Join(uuid_matches, " and ") +
                                       "; give enough of the UUID to name one device");
      }
      std::stable_sort(matched.begin(), matched.end(), [&](const Eval* a, const Eval* b) {
        return Before(*a->device, *b->device);
      });
      for (const Eval* eval : matched) {
        if (std::find(order.begin(), order.end(), eval) == order.end()) {
          order.push_back(eval);
          if (order.size() == 1) chosen_item_ = i;
        }
      }
    }
    return order;
  }

  const Eval* FallbackCpu() const {
    for (const Eval& eval : evals_) {
      if (eval.device->kind != DeviceKind::kCpu) continue;
      for (const DeviceSpecItem& item : excludes_) {
        if (Names(item, eval)) return nullptr;
      }
      return &eval;
    }
    return nullptr;
  }

  void Choose(const Eval& eval, Decision* decision) {
    const Device& device = *eval.device;
    const BackendInfo& via = *eval.via;
    decision->device = &device;
    const RuntimeView& view = *eval.view;
    auto isolate_env = view.isolate_env.find(&device);
    bool isolated = request_.isolate && isolate_env != view.isolate_env.end();
    decision->native = row_.native_style == NativeStyle::kOnnxRuntime
                           ? OrtJson(via, eval.native, eval.ordinal, isolated)
                           : NativeJson(via, eval.native, eval.ordinal, isolated);
    bool on_cpu = device.kind == DeviceKind::kCpu;
    if (!on_cpu) {
      for (const auto& [key, value] : view.exact_env) decision->env[key] = value;
      if (isolated) {
        for (const auto& [key, value] : isolate_env->second) decision->env[key] = value;
      }
    }
    // A missing runtime is a warning with a remedy, never a rejection: the device is still right.
    if (!via.runtime_probe.empty()) {
      auto status = inventory_.probe_status.find(std::string(via.runtime_probe));
      if (status != inventory_.probe_status.end() && status->second != ProbeStatus::kOk) {
        decision->warnings.push_back(std::string(via.display) + " runtime not found (" +
                                     std::string(via.runtime_probe) + " probe " +
                                     ProbeState(inventory_, via.runtime_probe) + "); " +
                                     std::string(via.runtime_remedy));
      }
    }
    if (!on_cpu) {
      for (const std::string& warning : view.warnings) decision->warnings.push_back(warning);
      if (!view.mask.empty() && !isolated && !eval.native.empty()) {
        decision->warnings.push_back(view.mask + " renumbers devices: this device is " +
                                     eval.native + " only in processes that inherit that setting");
      }
      if (via.index_source == IndexSource::kRocm) {
        AddGfxAdvice(inventory_, device, decision);
        if (isolated && (EnvVar(inventory_, "HIP_VISIBLE_DEVICES") ||
                         EnvVar(inventory_, "CUDA_VISIBLE_DEVICES"))) {
          decision->warnings.push_back(
              "unset HIP_VISIBLE_DEVICES and CUDA_VISIBLE_DEVICES: ROCR_VISIBLE_DEVICES already "
              "isolates this GPU, and HIP would apply them on top");
        }
      }
    }
    WarnAboutPlainGpu(eval, decision);
  }

  // OpenVINO's "GPU" is GPU.0, the integrated GPU when there is one (DESIGN.md grammar).
  void WarnAboutPlainGpu(const Eval& chosen, Decision* decision) const {
    if (chosen_item_ >= items_.size()) return;
    const DeviceSpecItem& item = items_[chosen_item_];
    if (item.type != Type::kNative || item.value != "GPU" || item.index) return;
    for (const Eval& eval : evals_) {
      if (eval.device->kind == DeviceKind::kDgpu && eval.drivable && !eval.native.empty() &&
          eval.via == chosen.via && eval.device != chosen.device) {
        decision->warnings.push_back("'GPU' means GPU.0, the integrated GPU; the discrete " +
                                     eval.device->name + " is " + eval.native);
        return;
      }
    }
  }

  std::string NoDeviceMessage() const {
    std::string head = "no eligible device for backend " + std::string(row_.name);
    std::vector<std::string> rejected;
    bool any_matched = false;
    for (const Eval& eval : evals_) {
      bool matched = items_.empty();
      for (const DeviceSpecItem& item : items_) matched = matched || Names(item, eval);
      if (!matched) continue;
      any_matched = true;
      // Devices outside the backend's class (other vendors, the CPU of a GPU backend) are summed
      // up by the "found:" list; devices of its class are listed with their reason.
      bool other_class =
          eval.verdict.code == "backend_cannot_drive" || eval.verdict.code == "cpu_needs_fallback";
      if (other_class && (items_.empty() || eval.device->kind == DeviceKind::kCpu)) continue;
      std::string reason = eval.verdict.ok ? (eval.device->kind == DeviceKind::kNpu
                                                  ? "NPUs are used only when asked for"
                                                  : "not eligible")
                                           : eval.verdict.reason;
      rejected.push_back(eval.device->id + " (" + eval.device->name + "): " + reason);
    }
    if (!items_.empty()) {
      head += " matches device spec '" + request_.device_spec.value_or("") + "'";
      if (!any_matched || rejected.empty()) return head + " (found: " + FoundList(inventory_) + ")";
      return head + ": " + Join(rejected, "; ");
    }
    if (rejected.empty()) {
      return head + ": " + std::string(row_.missing) + " (found: " + FoundList(inventory_) + ")";
    }
    return head + ": " + Join(rejected, "; ");
  }

  void FillCandidates(const std::vector<const Eval*>& order, Decision* decision) const {
    int rank = 1;
    const bool measured_policy = request_.policy == Policy::kMeasured;
    for (const Eval* eval : order) {
      Candidate candidate{
          .id = eval->device->id,
          .eligible = true,
          .rank = rank++,
          .reason_code = "eligible",
          .reason = DescribeEligible(*eval->device) + (decision->fallback ? " (fallback)" : ""),
          .measurement = std::nullopt};
      if (measured_policy) {
        const DeviceMeasurement* measured = MeasurementOf(*eval->device);
        if (measured != nullptr && measured->measured && measured->correct && measured->gflops) {
          candidate.measurement = *measured;
          candidate.reason +=
              ", measured " + FormatGflops(*measured->gflops) + " (" + measured->source + ")";
        } else {
          candidate.reason += ", not measured";
          if (measured != nullptr) candidate.measurement = *measured;
          decision->warnings.push_back(
              eval->device->id + " (" + eval->device->name + ") was not measured" +
              (measured != nullptr && !measured->failure.empty() ? ": " + measured->failure : "") +
              "; it ranks after the measured devices");
        }
      }
      decision->candidates.push_back(std::move(candidate));
    }
    for (const Eval& eval : evals_) {
      if (std::find(order.begin(), order.end(), &eval) != order.end()) continue;
      Candidate candidate{.id = eval.device->id,
                          .eligible = false,
                          .rank = std::nullopt,
                          .reason_code = eval.verdict.code,
                          .reason = eval.verdict.reason,
                          .measurement = std::nullopt};
      if (measured_policy) {
        if (const DeviceMeasurement* measured = MeasurementOf(*eval.device)) {
          candidate.measurement = *measured;
        }
      }
      if (eval.verdict.ok) {
        if (eval.device->kind == DeviceKind::kNpu && request_.policy != Policy::kEfficiency) {
          candidate.reason_code = "npu_not_requested";
          candidate.reason =
              "NPUs are used only when asked for (--device npu or --policy efficiency)";
        } else {
          candidate.reason_code = "not_in_spec";
          candidate.reason =
              "not matched by device spec '" + request_.device_spec.value_or("") + "'";
        }
      }
      decision->candidates.push_back(std::move(candidate));
    }
  }

  const Inventory& inventory_;
  const Request& request_;
  const BackendInfo& row_;
  std::vector<DeviceSpecItem> items_;
  std::vector<DeviceSpecItem> excludes_;
  std::vector<Eval> evals_;
  std::map<BackendId, RuntimeView> views_;
  std::size_t chosen_item_ = static_cast<std::size_t>(-1);
};

Result<std::vector<DeviceSpecItem>> ParseExcludes(const std::vector<std::string>& exclude) {
  std::vector<DeviceSpecItem> items;
  for (const std::string& text : exclude) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(text);
    if (!parsed.ok()) return Status::InvalidArgument("exclude: " + parsed.status().message());
    items.insert(items.end(), parsed->begin(), parsed->end());
  }
  return items;
}

}  // namespace

Result<Decision> SelectWith(const Inventory& inventory, const Request& request,
                            const BackendInfo& row) {
  std::vector<DeviceSpecItem> items;
  if (request.device_spec) {
    Result<std::vector<DeviceSpecItem>> parsed = ParseDeviceSpec(*request.device_spec);
    if (!parsed.ok()) return parsed.status();
    items = std::move(parsed).value();
  }
  Result<std::vector<DeviceSpecItem>> excludes = ParseExcludes(request.exclude);
  if (!excludes.ok()) return excludes.status();
  return Selector(inventory, request, row, std::move(items), std::move(excludes).value()).Run();
}

Result<Decision> Select(const Inventory& inventory, const Request& request) {
  if (!request.backend) return Recommend(inventory, request);
  Result<const BackendInfo*> row = LookupBackend(*request.backend);
  if (!row.ok()) return row.status();
  return SelectWith(inventory, request, **row);
}

}  // namespace devpick
