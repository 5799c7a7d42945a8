// verify: run a small real workload (SGEMM and a buffer copy) on one device through OpenCL, Vulkan
// compute or the CUDA driver API, and report whether the answer was right and how fast it came.
// The device is the one `select` chooses for a backend (--backend openvino) or recommends (no
// --backend), reached through the API the measured policy would use, or an API's own device
// (--api opencl --device 0/1).
//
// Exit status: 0 correct; 3 (kExitNoDevice) when the requested device does not exist or no device
// is eligible for the backend; 2 for a replayed snapshot or captured tree; 1 for any
// other failure, a missing runtime library included (as for OpenCL and Vulkan: the library is
// what failed, and the message names it).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "commands.h"
#include "emit/verify_text.h"
#include "output.h"
#include "verify/measure.h"
#include "verify/measured_guard.h"
#include "verify/verify.h"

namespace devpick::cli {
namespace {

// verify's own flags; --backend, --device and --json are shared with other commands.
struct VerifyFlags {
  std::string api;
  std::uint32_t matrix_size = 512;
  std::uint32_t copy_mib = 64;
  std::uint32_t runs = 3;
};
VerifyFlags& Flags() {
  static VerifyFlags flags;
  return flags;
}

// Without --api: the device `select` chooses for --backend, or recommends without one (its --device
// spec, its configuration), reached through the API the measured policy uses for it (the backend's
// own, else OpenCL, Vulkan, CUDA). Naming the CPU with --device cpu is asking for it, so for a GPU
// backend it means --fallback cpu. The decision's warnings go to stderr. Sets `*selected` to the
// device and backend, {"id": "cpu", "name": "AMD EPYC", "backend": "openvino"}, and `*label` to
// "cpu (AMD EPYC) for openvino" ("for openvino (recommended)" when devpick chose the backend).
VerifyTarget TargetForBackend(Context& context, const CommandOptions& options,
                              nlohmann::json* selected, std::string* label) {
  CommandOptions request = options;
  if (options.device == "cpu" && !options.fallback) request.fallback = "cpu";
  Decision decision = DecideOrFail(context, request, /*for_verify=*/true);
  if (decision.device == nullptr) Fail(kExitNoDevice, decision.error.value_or("no device"));
  for (const std::string& warning : decision.warnings) {
    PrintText(stderr, "devpick: warning: " + warning + "\n");
  }
  const Device& device = *decision.device;
  *selected = {{"id", device.id}, {"name", device.name}, {"backend", decision.backend}};
  *label = device.id + " (" + device.name + ") for " + decision.backend +
           (decision.backend_recommended ? " (recommended)" : "");
  std::optional<VerifyTarget> target = MeasureTargetFor(device, decision.backend);
  if (!target) {
    Fail(1, *label +
                " cannot be verified: no OpenCL, Vulkan or CUDA device drives it (its "
                "bindings are in devpick list)");
  }
  return *target;
}

// Progress on stderr: on a terminal one line, rewritten per step, so a long step shows what is
// running; with -v one line per step; otherwise nothing, so logs and pipes stay clean.
class ProgressLine {
 public:
  explicit ProgressLine(bool verbose) : verbose_(verbose), terminal_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressLine() {
    if (drawn_) std::fputs("\r\033[K", stderr);
  }
  void Show(std::string_view step) {
    if (verbose_) {
      PrintText(stderr, "devpick: verify: " + std::string(step) + "\n");
    } else if (terminal_) {
      std::fputs("\r\033[K", stderr);  // the one control sequence devpick means to send
      PrintText(stderr, "devpick: verify: " + std::string(step) + " ...");
      drawn_ = true;
    }
  }

 private:
  bool verbose_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace

void AddVerifyOptions(CLI::App* app, CommandOptions* options) {
  VerifyFlags& flags = Flags();
  app->footer(
      "Without --api, verify runs on the device select chooses (for --backend, or for the backend "
      "it recommends), through the backend's own API (cuda, vulkan) or else OpenCL, Vulkan or "
      "CUDA. The work runs in a devpick-probe child process killed after 120 s, so a hung or "
      "crashing driver is a reported failure (--in-process: in this process, with each step "
      "shown under -v).\n"
      "Exit status: 0 when both results are correct, 3 when the device does not exist or no "
      "device is eligible for --backend, 2 for a usage error, --replay or --root, 1 on any other "
      "failure (a missing runtime library such as libcuda.so.1 included).");
  app->add_option("--api", flags.api,
                  "run on this API's own device instead of the selected one: vulkan, opencl or "
                  "cuda (the CUDA driver API, NVIDIA GPUs)")
      ->check(CLI::IsMember(VerifyApiNames()));
  app->add_option("--backend", options->backend,
                  "verify the device select chooses for this backend (default: the backend select "
                  "recommends)")
      ->option_text("B");
  app->add_option("--device", options->device,
                  "a device spec as for select, where cpu also allows the CPU for a GPU backend; "
                  "with --api: cpu (the first CPU device; not for cuda), vulkan:N, opencl:P/D or "
                  "cuda:N (default: device 0)")
      ->option_text("SPEC");
  app->add_option("--fallback", options->fallback, "without --api: none (default) or cpu");
  app->add_option("--config", options->config, "without --api: configuration file, as select")
      ->option_text("FILE");
  app->add_option("--size", flags.matrix_size, "SGEMM matrix edge, a multiple of 16 (default 512)")
      ->option_text("N");
  app->add_option("--copy-mib", flags.copy_mib, "bytes per copy, in MiB (default 64)")
      ->option_text("MIB");
  app->add_option("--runs", flags.runs, "timed runs of each kernel; the median counts (default 3)")
      ->option_text("N");
}

int RunVerify(Context& context, const CommandOptions& options) {
  DiscoverRequest machine = context.Request();
  if (Status here = CheckRunsOnThisMachine(machine.source, machine.path, LocalWork::kVerify);
      !here.ok()) {
    Fail(kExitUsage, here.message());
  }
  const VerifyFlags& flags = Flags();
  VerifyOptions verify_options;
  verify_options.matrix_size = flags.matrix_size;
  verify_options.copy_bytes = std::uint64_t{flags.copy_mib} << 20;
  verify_options.runs = flags.runs;
  if (Status valid = ValidateVerifyOptions(verify_options); !valid.ok()) {
    Fail(kExitUsage, valid.message());
  }
  std::string label;  // the selected device, when --backend chose it
  nlohmann::json selected = nullptr;
  VerifyTarget target;
  if (flags.api.empty()) {
    target = TargetForBackend(context, options, &selected, &label);
  } else {
    Result<VerifyApi> api = ParseVerifyApi(flags.api);
    if (!api.ok()) Fail(kExitUsage, api.status().message());
    Result<VerifyTarget> parsed = ParseVerifyTarget(*api, options.device.value_or(""));
    if (!parsed.ok()) Fail(kExitUsage, parsed.status().message());
    target = *parsed;
  }
  VerifyResult result;
  {
    ProgressLine progress(context.options().verbose > 0);
    MeasureOptions run;
    run.isolate = !context.options().in_process;
    if (run.isolate) {
      // The child cannot report its steps as they happen; say what runs and for how long at most.
      progress.Show("running in devpick-probe (killed after " +
                    std::to_string(run.timeout_ms / 1000) + " s)");
    } else {
      verify_options.progress = [&](std::string_view step) { progress.Show(step); };
    }
    run.workload = verify_options;
    VendorCodeInThisProcess guard(!run.isolate);
    result = MeasureOne(context.env(), target, run);
  }
  if (context.options().json) {
    nlohmann::json json = VerifyResultToJson(result);
    json["selected"] = selected;
    PrintData(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    PrintText(stdout, (label.empty() ? "" : label + ", via ") + FormatVerifySummary(result) + "\n");
  }
  if (result.correct) return kExitOk;
  return result.device_missing ? kExitNoDevice : 1;
}

}  // namespace devpick::cli
