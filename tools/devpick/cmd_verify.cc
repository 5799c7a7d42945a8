// verify: run a small real workload (SGEMM and a buffer copy) on one device through OpenCL, Vulkan
// compute or the CUDA driver API, and report whether the answer was right and how fast it came.
//
// Exit status: 0 correct; 3 (kExitNoDevice) when the requested device does not exist; 1 for any
// other failure, a missing runtime library included (as for OpenCL and Vulkan: the library is
// what failed, and the message names it).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "commands.h"
#include "verify/cuda_verify.h"
#include "verify/opencl_verify.h"
#include "verify/verify.h"
#include "verify/vulkan_verify.h"

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

struct ApiRow {
  const char* name;
  VerifyApi api;
  VerifyResult (*verify)(const Env&, const VerifyTarget&, const VerifyOptions&);
  bool is_backend;  // --backend <name> means the same as --api <name>
};
constexpr ApiRow kApis[] = {
    {"opencl", VerifyApi::kOpenCl, VerifyOpenCl, false},
    {"vulkan", VerifyApi::kVulkan, VerifyVulkan, true},
    {"cuda", VerifyApi::kCuda, VerifyCuda, true},
};

// The API chosen by --api, or by --backend where a backend's name is an API (Vulkan and CUDA are
// both); Vulkan when neither is given.
const ApiRow& ChooseApi(const CommandOptions& options) {
  std::string name = Flags().api;
  if (name.empty() && options.backend) {
    for (const ApiRow& row : kApis) {
      if (row.is_backend && *options.backend == row.name) name = row.name;
    }
    if (name.empty()) {
      Fail(kExitUsage, "backend '" + *options.backend +
                           "' cannot be verified; verify runs through --api opencl, vulkan or "
                           "cuda (--backend vulkan and --backend cuda are the same as --api "
                           "vulkan and --api cuda)");
    }
  }
  if (name.empty()) name = "vulkan";
  for (const ApiRow& row : kApis) {
    if (name == row.name) return row;
  }
  Fail(kExitUsage, "unknown API '" + name + "' (expected opencl, vulkan or cuda)");
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
      std::fprintf(stderr, "devpick: verify: %.*s\n", static_cast<int>(step.size()), step.data());
    } else if (terminal_) {
      std::fprintf(stderr, "\r\033[Kdevpick: verify: %.*s ...", static_cast<int>(step.size()),
                   step.data());
      drawn_ = true;
    }
  }

 private:
  bool verbose_;
  bool terminal_;
  bool drawn_ = false;
};

std::string Summary(const VerifyResult& result) {
  const std::string device = result.device.empty() ? result.api : result.device;
  if (!result.correct) {
    return fmt::format("{}: FAILED at {}: {}", device, result.failed_step, result.detail);
  }
  std::string text =
      fmt::format("{}: correct (max rel error {:.2g})", device, result.max_rel_error);
  if (result.gflops) {
    text += fmt::format("; SGEMM {}x{}: {:.1f} GFLOP/s", result.matrix_size, result.matrix_size,
                        *result.gflops);
  }
  if (result.copy_gbps) {
    text += fmt::format("; copy {}: {:.1f} GB/s", FormatVerifyBytes(result.copy_bytes),
                        *result.copy_gbps);
  }
  return text;
}

}  // namespace

void AddVerifyOptions(CLI::App* app, CommandOptions* options) {
  VerifyFlags& flags = Flags();
  app->footer(
      "Exit status: 0 when both results are correct, 3 when the device does not exist, 1 on any "
      "other failure (a missing runtime library such as libcuda.so.1 included).");
  app->add_option("--api", flags.api,
                  "the API to run the work through: vulkan (default), opencl or cuda (the CUDA "
                  "driver API, NVIDIA GPUs)")
      ->check(CLI::IsMember({"opencl", "vulkan", "cuda"}));
  app->add_option("--backend", options->backend,
                  "vulkan or cuda: the same as --api vulkan or --api cuda")
      ->option_text("B");
  app->add_option("--device", options->device,
                  "cpu (the first CPU device; not for cuda), vulkan:N, opencl:P/D or cuda:N "
                  "(default: device 0)")
      ->option_text("SPEC");
  app->add_option("--size", flags.matrix_size, "SGEMM matrix edge, a multiple of 16 (default 512)")
      ->option_text("N");
  app->add_option("--copy-mib", flags.copy_mib, "bytes per copy, in MiB (default 64)")
      ->option_text("MIB");
  app->add_option("--runs", flags.runs, "timed runs of each kernel; the median counts (default 3)")
      ->option_text("N");
}

int RunVerify(Context& context, const CommandOptions& options) {
  const ApiRow& api = ChooseApi(options);
  Result<VerifyTarget> target = ParseVerifyTarget(api.api, options.device.value_or(""));
  if (!target.ok()) Fail(kExitUsage, target.status().message());
  const VerifyFlags& flags = Flags();
  VerifyOptions verify_options;
  verify_options.matrix_size = flags.matrix_size;
  verify_options.copy_bytes = std::uint64_t{flags.copy_mib} << 20;
  verify_options.runs = flags.runs;
  if (Status valid = ValidateVerifyOptions(verify_options); !valid.ok()) {
    Fail(kExitUsage, valid.message());
  }
  VerifyResult result;
  {
    ProgressLine progress(context.options().verbose > 0);
    verify_options.progress = [&](std::string_view step) { progress.Show(step); };
    result = api.verify(context.env(), *target, verify_options);
  }
  if (context.options().json) {
    std::printf("%s\n", VerifyResultToJson(result)
                            .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                            .c_str());
  } else {
    std::printf("%s\n", Summary(result).c_str());
  }
  if (result.correct) return kExitOk;
  return result.device_missing ? kExitNoDevice : 1;
}

}  // namespace devpick::cli
