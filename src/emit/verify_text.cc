#include "emit/verify_text.h"

#include <fmt/format.h>

namespace devpick {

std::string FormatVerifySummary(const VerifyResult& result) {
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

}  // namespace devpick
