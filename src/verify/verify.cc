#include "verify/verify.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

namespace devpick {
namespace {

struct ApiName {
  VerifyApi api;
  const char* name;
  const char* accepted;  // the --device forms, as error messages list them
  const char* no_cpu;    // why "cpu" names no device of this API; nullptr when it does
};
constexpr ApiName kApiNames[] = {
    {VerifyApi::kOpenCl, "opencl", "opencl:P/D or cpu", nullptr},
    {VerifyApi::kVulkan, "vulkan", "vulkan:N or cpu", nullptr},
    {VerifyApi::kCuda, "cuda", "cuda:N",
     "CUDA drives NVIDIA GPUs only; verify a CPU through --api opencl or --api vulkan"},
};

const ApiName& Lookup(VerifyApi api) {
  for (const ApiName& entry : kApiNames) {
    if (entry.api == api) return entry;
  }
  return kApiNames[0];  // unreachable: every enumerator has a row
}

}  // namespace

const char* VerifyApiName(VerifyApi api) { return Lookup(api).name; }

std::optional<std::uint32_t> ParseVerifyIndex(std::string_view text) {
  std::uint32_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

Result<VerifyApi> ParseVerifyApi(std::string_view name) {
  for (const ApiName& entry : kApiNames) {
    if (name == entry.name) return entry.api;
  }
  std::string expected;
  for (std::size_t i = 0; i < std::size(kApiNames); ++i) {
    if (i > 0) expected += i + 1 == std::size(kApiNames) ? " or " : ", ";
    expected += kApiNames[i].name;
  }
  return Status::InvalidArgument("unknown API '" + std::string(name) + "' (expected " + expected +
                                 ")");
}

std::vector<std::string> VerifyApiNames() {
  std::vector<std::string> names;
  for (const ApiName& entry : kApiNames) names.emplace_back(entry.name);
  return names;
}

Result<VerifyTarget> ParseVerifyTarget(VerifyApi api, std::string_view spec) {
  VerifyTarget target;
  target.api = api;
  const ApiName& entry = Lookup(api);
  const std::string api_name = entry.name;
  const std::string expected = std::string(" (expected ") + entry.accepted + ")";
  if (spec.empty()) return target;
  if (spec == "cpu") {
    if (entry.no_cpu != nullptr) {
      return Status::InvalidArgument("device 'cpu' is not a " + api_name + " device" + expected +
                                     ": " + entry.no_cpu);
    }
    target.first_cpu = true;
    return target;
  }
  std::string_view indices = spec;
  if (std::size_t colon = spec.find(':'); colon != std::string_view::npos) {
    if (spec.substr(0, colon) != api_name) {
      return Status::InvalidArgument("device '" + std::string(spec) + "' is not a " + api_name +
                                     " device" + expected);
    }
    indices = spec.substr(colon + 1);
  }
  std::optional<std::uint32_t> platform, device;
  if (api == VerifyApi::kOpenCl) {
    std::size_t slash = indices.find('/');
    if (slash == std::string_view::npos) {
      platform = 0;
      device = ParseVerifyIndex(indices);
    } else {
      platform = ParseVerifyIndex(indices.substr(0, slash));
      device = ParseVerifyIndex(indices.substr(slash + 1));
    }
  } else {
    platform = 0;
    device = ParseVerifyIndex(indices);
  }
  if (!platform || !device) {
    return Status::InvalidArgument("malformed " + api_name + " device '" + std::string(spec) + "'" +
                                   expected);
  }
  target.platform = *platform;
  target.device = *device;
  return target;
}

Status ValidateVerifyOptions(const VerifyOptions& options) {
  if (options.matrix_size < 16 || options.matrix_size % 16 != 0) {
    return Status::InvalidArgument("matrix size " + std::to_string(options.matrix_size) +
                                   " is not a positive multiple of 16");
  }
  // 8192^2 floats is 256 MiB per matrix: beyond that verification stops being "small".
  if (options.matrix_size > 8192) {
    return Status::InvalidArgument("matrix size " + std::to_string(options.matrix_size) +
                                   " is larger than 8192");
  }
  if (options.copy_bytes < 16 || options.copy_bytes % 16 != 0) {
    return Status::InvalidArgument("copy size " + std::to_string(options.copy_bytes) +
                                   " bytes is not a positive multiple of 16");
  }
  if (options.copy_bytes > (std::uint64_t{1} << 30)) {
    return Status::InvalidArgument("copy size " + std::to_string(options.copy_bytes) +
                                   " bytes is larger than 1 GiB");
  }
  if (options.runs == 0 || options.runs > 1000) {
    return Status::InvalidArgument("runs " + std::to_string(options.runs) +
                                   " is not between 1 and 1000");
  }
  return Status::Ok();
}

nlohmann::json VerifyResultToJson(const VerifyResult& result) {
  auto optional = [](const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  return {
      {"api", result.api},
      {"device", result.device},
      {"correct", result.correct},
      {"gflops", optional(result.gflops)},
      {"copy_gbps", optional(result.copy_gbps)},
      {"max_rel_error", std::isfinite(result.max_rel_error) ? nlohmann::json(result.max_rel_error)
                                                            : nlohmann::json(nullptr)},
      {"failed_step",
       result.failed_step.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.failed_step)},
      {"detail", result.detail},
      {"steps", result.steps},
      {"matrix_size", result.matrix_size},
      {"copy_bytes", result.copy_bytes},
      {"device_missing", result.device_missing},
  };
}

std::vector<float> MakeTestMatrix(std::uint32_t n, std::uint32_t seed) {
  // A 32-bit LCG (Numerical Recipes constants): the same values on every platform and library,
  // which <random> distributions do not promise.
  std::uint32_t state = seed * 2654435761u + 1;
  std::vector<float> values(std::size_t{n} * n);
  for (float& value : values) {
    state = state * 1664525u + 1013904223u;
    // The top 24 bits as a fraction in [0, 1), exactly representable in float, then to [-1, 1).
    value = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  }
  return values;
}

std::vector<double> ReferenceSgemm(std::uint32_t n, std::span<const float> a,
                                   std::span<const float> b) {
  std::vector<double> c(std::size_t{n} * n, 0.0);
  // i-k-j order: the inner loop walks rows of B and C contiguously.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      const double a_ik = a[i * n + k];
      for (std::size_t j = 0; j < n; ++j) c[i * n + j] += a_ik * b[k * n + j];
    }
  }
  return c;
}

std::vector<double> ReferenceMagnitude(std::uint32_t n, std::span<const float> a,
                                       std::span<const float> b) {
  // |A|*|B|: the same product over the magnitudes, which fabs gives exactly.
  auto magnitudes = [](std::span<const float> values) {
    std::vector<float> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(),
                   [](float value) { return std::fabs(value); });
    return out;
  };
  return ReferenceSgemm(n, magnitudes(a), magnitudes(b));
}

double MaxRelativeError(std::span<const float> got, std::span<const double> want,
                        std::span<const double> magnitude) {
  if (got.size() != want.size() || got.size() != magnitude.size()) {
    return std::numeric_limits<double>::infinity();
  }
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double scale = magnitude[i] > 0 ? magnitude[i] : 1.0;
    const double error = std::fabs(static_cast<double>(got[i]) - want[i]) / scale;
    // NaN compares false with everything, so test for it rather than let max() drop it.
    if (std::isnan(error)) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, error);
  }
  return worst;
}

std::string FormatVerifyBytes(std::uint64_t bytes) {
  if (bytes != 0 && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes != 0 && bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

double Median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const std::size_t middle = samples.size() / 2;
  if (samples.size() % 2 == 1) return samples[middle];
  return (samples[middle - 1] + samples[middle]) / 2;
}

std::vector<std::uint32_t> MakeCopyPattern(std::uint64_t bytes) {
  std::vector<std::uint32_t> pattern(bytes / sizeof(std::uint32_t));
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    pattern[i] = static_cast<std::uint32_t>(i * 2654435761u);
  }
  return pattern;
}

std::optional<double> TimeRuns(const Env& env, std::uint32_t runs,
                               const std::function<bool()>& once,
                               const std::function<bool()>& after) {
  std::vector<double> seconds;
  for (std::uint32_t run = 0; run <= runs; ++run) {
    const std::chrono::steady_clock::time_point start = env.MonotonicNow();
    if (!once()) return std::nullopt;
    const double elapsed = std::chrono::duration<double>(env.MonotonicNow() - start).count();
    if (run > 0) seconds.push_back(elapsed);
    if (after && !after()) return std::nullopt;
  }
  return Median(std::move(seconds));
}

VerifyResult RunVerification(VerifyApi api, const VerifyOptions& options,
                             const std::function<void(VerifyResult*)>& run) {
  VerifyResult result;
  result.api = VerifyApiName(api);
  if (Status valid = ValidateVerifyOptions(options); !valid.ok()) {
    result.failed_step = "check options";
    result.detail = valid.message();
    return result;
  }
  run(&result);
  return result;
}

void VerifyRecorder::Begin(std::string step) {
  if (progress_) progress_(step);
  result_->steps.push_back(std::move(step));
}

bool VerifyRecorder::FailMissing(std::string detail) {
  result_->device_missing = true;
  return Fail("select device", std::move(detail));
}

std::unique_ptr<Library> VerifyRecorder::Load(
    const Env& env, const char* soname, std::initializer_list<std::span<const SymbolSlot>> tables) {
  Begin(std::string("load ") + soname);
  Result<std::unique_ptr<Library>> library = OpenFirstLibrary(env, {soname});
  if (!library.ok()) {
    Fail(result_->steps.back(), library.status().message());
    return nullptr;
  }
  if (Status resolved = ResolveSymbolTables(**library, tables); !resolved.ok()) {
    Fail(result_->steps.back(), resolved.message());
    return nullptr;
  }
  return std::move(*library);
}

bool VerifyRecorder::Fail(std::string step, std::string detail) {
  result_->correct = false;
  result_->failed_step = std::move(step);
  result_->detail = std::move(detail);
  return false;
}

void VerifyRecorder::BeginSgemmRuns(std::uint32_t n, std::uint32_t runs) {
  Begin("run SGEMM " + std::to_string(n) + "x" + std::to_string(n) + " x" + std::to_string(runs));
}

void VerifyRecorder::BeginCopyUpload(std::uint64_t bytes) {
  Begin("upload copy source " + FormatVerifyBytes(bytes));
}

void VerifyRecorder::BeginCopyRuns(std::uint64_t bytes, std::uint32_t runs) {
  Begin("copy " + FormatVerifyBytes(bytes) + " x" + std::to_string(runs));
}

bool VerifyRecorder::CheckSgemm(std::uint32_t n, std::span<const float> a, std::span<const float> b,
                                std::span<const float> c, double seconds) {
  result_->max_rel_error =
      MaxRelativeError(c, ReferenceSgemm(n, a, b), ReferenceMagnitude(n, a, b));
  if (!(result_->max_rel_error <= kMaxAcceptedRelError)) {
    char text[160];
    std::snprintf(text, sizeof text, "max relative error %.3g exceeds %.3g", result_->max_rel_error,
                  kMaxAcceptedRelError);
    return Fail("check SGEMM result", text);
  }
  if (seconds > 0) result_->gflops = 2.0 * n * n * static_cast<double>(n) / seconds / 1e9;
  return true;
}

bool VerifyRecorder::CheckCopy(std::span<const std::uint32_t> source,
                               std::span<const std::uint32_t> copied, double seconds) {
  const std::size_t bytes = source.size_bytes();
  if (copied.size() != source.size() || std::memcmp(copied.data(), source.data(), bytes) != 0) {
    return Fail("check copy result", "the copied buffer differs from its source");
  }
  if (seconds > 0) result_->copy_gbps = static_cast<double>(bytes) / seconds / 1e9;
  return true;
}

}  // namespace devpick
