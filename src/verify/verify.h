// devpick verify: prove that a device works by running real work on it through the API a backend
// uses (OpenCL, Vulkan compute, the CUDA driver API), and measure what it delivers.
//
// This is the one place devpick creates contexts, queues and buffers on a device. Discovery never
// does (it only asks runtimes what exists); verification does, only when the user asks for it,
// because a device that enumerates can still fail to compile or run a kernel. Each run does a
// single-precision matrix multiply (checked against a CPU reference and timed in GFLOP/s) and a
// buffer copy (checked byte for byte and timed in GB/s). A device that fails is reported with the
// step that failed and the runtime's own error; nothing is silently skipped.
//
// This header holds what the APIs share: the request (which device, how big), the result, the CPU
// reference and the JSON form. opencl_verify.h, vulkan_verify.h and cuda_verify.h run the work.
//
// Thread-safety: the functions are reentrant; one verification uses the device from the calling
// thread only, and the progress callback is called from that thread.
#ifndef DEVPICK_SRC_VERIFY_VERIFY_H_
#define DEVPICK_SRC_VERIFY_VERIFY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "devpick/env.h"
#include "devpick/status.h"
#include "probes/dynlib.h"

namespace devpick {

// Told the name of each step as it starts ("build SGEMM kernel", "run SGEMM 512x512 x5"), so a CLI
// can show progress on work that takes more than a second. The library itself never prints.
using VerifyProgress = std::function<void(std::string_view step)>;

enum class VerifyApi { kOpenCl, kVulkan, kCuda };

// "opencl", "vulkan", "cuda".
const char* VerifyApiName(VerifyApi api);
// The API `name` spells (as VerifyApiName), or "unknown API 'x' (expected opencl, vulkan or cuda)".
Result<VerifyApi> ParseVerifyApi(std::string_view name);
// Every API's name, in the order error messages and --help list them.
std::vector<std::string> VerifyApiNames();

// Which device to verify, in the API's own enumeration order.
struct VerifyTarget {
  VerifyApi api = VerifyApi::kVulkan;
  // OpenCL only: the platform index in clGetPlatformIDs order.
  std::uint32_t platform = 0;
  // The device index: OpenCL within `platform`, Vulkan in vkEnumeratePhysicalDevices order, CUDA
  // the cuDeviceGet ordinal (which CUDA_VISIBLE_DEVICES has already filtered and renumbered).
  std::uint32_t device = 0;
  // Instead of the indices: the first device whose type is CPU (OpenCL: on any platform). Never
  // set for CUDA, which has no CPU device.
  bool first_cpu = false;
};

// Parses the user's --device for `api`: "cpu" (the first CPU device; not for CUDA), "opencl:P/D"
// (platform P, device D), "vulkan:N" (physical device N), "cuda:N" (CUDA ordinal N), or a bare
// "N" / "P/D" meaning the same. Empty means device 0 (OpenCL platform 0 device 0). The prefix,
// when given, must name `api`.
Result<VerifyTarget> ParseVerifyTarget(VerifyApi api, std::string_view spec);

// How much work to do. The defaults take a few seconds on a CPU driver (lavapipe, PoCL) and far
// less on a GPU; tests use less.
struct VerifyOptions {
  // n of the n x n SGEMM; a multiple of 16 (the kernels' tile edge), at least 16.
  std::uint32_t matrix_size = 512;
  // Bytes per copy; a multiple of 16, at least 16.
  std::uint64_t copy_bytes = std::uint64_t{64} << 20;
  // Timed repetitions of each kernel after one untimed warm-up run; the median is reported.
  std::uint32_t runs = 3;
  VerifyProgress progress;  // may be empty
};

// Checks the sizes above, e.g. "matrix size 100 is not a multiple of 16".
Status ValidateVerifyOptions(const VerifyOptions& options);

// The outcome of one verification. `correct` is true only when every step ran and both results
// matched the reference; otherwise `failed_step` names the call or check that failed
// ("clBuildProgram", "vkCreateDevice", "cuModuleLoadDataEx", "check SGEMM result") and `detail`
// says why, with the runtime's error name and code.
struct VerifyResult {
  std::string api;     // "opencl" | "vulkan" | "cuda"
  std::string device;  // "opencl 0/0 (pthread-...)", "vulkan 0 (llvmpipe)", "cuda 0 (NVIDIA ...)"
  bool correct = false;
  std::optional<double> gflops;     // SGEMM, 2*n^3 / median kernel seconds / 1e9
  std::optional<double> copy_gbps;  // copy, bytes / median seconds / 1e9 (bytes read, not r+w)
  double max_rel_error = 0;         // of the SGEMM result, see MaxRelativeError
  std::string failed_step;          // empty when nothing failed
  std::string detail;
  std::vector<std::string> steps;  // the steps started, in order (the last one failed, if any)
  std::uint32_t matrix_size = 0;   // n of the SGEMM that ran
  std::uint64_t copy_bytes = 0;    // bytes per copy
  bool device_missing = false;     // the requested device does not exist (CLI exit status 3)
};

// The result as JSON: every field above, absent measurements as null.
nlohmann::json VerifyResultToJson(const VerifyResult& result);

// The largest SGEMM error accepted as correct (see MaxRelativeError): float accumulation over n
// terms stays near sqrt(n) * 6e-8; a wrong kernel lands near 1.
inline constexpr double kMaxAcceptedRelError = 1e-4;

// Deterministic inputs in [-1, 1): the same `seed` always gives the same values, so a failure can
// be reproduced.
std::vector<float> MakeTestMatrix(std::uint32_t n, std::uint32_t seed);

// C = A * B, row-major n x n, accumulated in double: the reference the devices are checked against.
std::vector<double> ReferenceSgemm(std::uint32_t n, std::span<const float> a,
                                   std::span<const float> b);
// For each element sum_k |a_ik * b_kj|: the scale of the rounding error a float dot product can
// make, so that an element whose terms cancel to near zero is not reported as a huge relative
// error.
std::vector<double> ReferenceMagnitude(std::uint32_t n, std::span<const float> a,
                                       std::span<const float> b);
// max over elements of |got - want| / magnitude (magnitude 0 counts as 1); +inf for a NaN or a
// size mismatch.
double MaxRelativeError(std::span<const float> got, std::span<const double> want,
                        std::span<const double> magnitude);

// "64 MiB", "48 KiB", "100 bytes": sizes as progress and summaries show them.
// A whole decimal number that fits uint32, or nullopt ("", "-1", "1x", "99999999999").
std::optional<std::uint32_t> ParseVerifyIndex(std::string_view text);

std::string FormatVerifyBytes(std::uint64_t bytes);

// The median of `samples` (the mean of the middle two for an even count); 0 when empty.
double Median(std::vector<double> samples);

// The copy workload's source: `bytes` / 4 words of a fixed pattern no driver would produce by
// accident.
std::vector<std::uint32_t> MakeCopyPattern(std::uint64_t bytes);

// Calls `once` runs + 1 times, the first an untimed warm-up, and `after` (when set) after each call
// outside the timing; the median seconds of the timed calls (env.MonotonicNow), or nullopt as soon
// as either returns false.
std::optional<double> TimeRuns(const Env& env, std::uint32_t runs,
                               const std::function<bool()>& once,
                               const std::function<bool()>& after = nullptr);

// Records steps and the outcome while a verification runs: Begin() for each step (also reported
// to progress), Fail() once with the failing step's name and why.
class VerifyRecorder {
 public:
  VerifyRecorder(VerifyResult* result, const VerifyProgress& progress)
      : result_(result), progress_(progress) {}

  void Begin(std::string step);
  // The step "load <soname>" every API starts with: opens `soname` through `env` and binds every
  // table (vendor/<library>_api.h). On failure the step fails with the loader's message or the
  // missing symbol, every table is left empty, and nullptr is returned.
  std::unique_ptr<Library> Load(const Env& env, const char* soname,
                                std::initializer_list<std::span<const SymbolSlot>> tables);
  // Sets failed_step and detail and returns false, so a step can end with `return Fail(...)`.
  bool Fail(std::string step, std::string detail);
  // Fail() in "select device" because the target does not exist, marking the device missing.
  bool FailMissing(std::string detail);

  // The steps every API's SGEMM and copy workloads share, named alike so that results compare.
  void BeginSgemmRuns(std::uint32_t n, std::uint32_t runs);
  void BeginCopyUpload(std::uint64_t bytes);
  void BeginCopyRuns(std::uint64_t bytes, std::uint32_t runs);

  // Records the max relative error of `c` against A*B for the n x n inputs, fails "check SGEMM
  // result" beyond kMaxAcceptedRelError, otherwise records GFLOP/s from the median `seconds`.
  bool CheckSgemm(std::uint32_t n, std::span<const float> a, std::span<const float> b,
                  std::span<const float> c, double seconds);
  // Fails "check copy result" unless `copied` equals `source`, otherwise records GB/s from the
  // median `seconds`.
  bool CheckCopy(std::span<const std::uint32_t> source, std::span<const std::uint32_t> copied,
                 double seconds);

 private:
  VerifyResult* result_;
  const VerifyProgress& progress_;
};

// The frame every Verify<Api> shares: names the API and rejects invalid options as the failed
// step "check options"; otherwise `run` carries out the verification into the result.
VerifyResult RunVerification(VerifyApi api, const VerifyOptions& options,
                             const std::function<void(VerifyResult*)>& run);

// What every API's run (CudaRun, OpenClRun, VulkanRun) works with: the request, the result it fills
// and the recorder of its steps. A run adds the objects it creates on the device and releases them,
// newest first, in its destructor; it is neither copied nor moved, so each is released once.
class ApiRun {
 protected:
  ApiRun(const Env& env, const VerifyTarget& target, const VerifyOptions& options,
         VerifyResult* result)
      : env_(env),
        target_(target),
        options_(options),
        result_(result),
        recorder_(result, options.progress) {}
  ~ApiRun() = default;
  ApiRun(const ApiRun&) = delete;
  ApiRun& operator=(const ApiRun&) = delete;

  const Env& env_;
  const VerifyTarget& target_;
  const VerifyOptions& options_;
  VerifyResult* result_;
  VerifyRecorder recorder_;
};

// RunVerification with an API's run: `Run` (an ApiRun) is made from the request and the API's
// kernel (PTX, OpenCL C source or SPIR-V) and carries the verification out in Run().
template <typename Run, typename Kernel>
VerifyResult VerifyWith(VerifyApi api, const Env& env, const VerifyTarget& target,
                        const VerifyOptions& options, const Kernel& kernel) {
  return RunVerification(
      api, options, [&](VerifyResult* result) { Run(env, target, options, kernel, result).Run(); });
}

}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_VERIFY_H_
