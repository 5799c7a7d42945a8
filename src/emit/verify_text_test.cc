#include "emit/verify_text.h"

#include <gtest/gtest.h>

namespace devpick {
namespace {

TEST(VerifySummary, CorrectNamesTheFiguresMeasured) {
  VerifyResult result;
  result.api = "opencl";
  result.device = "Intel(R) Arc(TM) A770 Graphics";
  result.correct = true;
  result.max_rel_error = 3.1e-07;
  result.matrix_size = 512;
  result.gflops = 10234.54;
  result.copy_bytes = std::uint64_t{64} << 20;
  result.copy_gbps = 402.12;
  EXPECT_EQ(FormatVerifySummary(result),
            "Intel(R) Arc(TM) A770 Graphics: correct (max rel error 3.1e-07); SGEMM 512x512: "
            "10234.5 GFLOP/s; copy 64 MiB: 402.1 GB/s");
  result.gflops.reset();
  result.copy_gbps.reset();
  result.device.clear();
  EXPECT_EQ(FormatVerifySummary(result), "opencl: correct (max rel error 3.1e-07)");
}

TEST(VerifySummary, AFailureNamesTheStep) {
  VerifyResult result;
  result.api = "cuda";
  result.correct = false;
  result.failed_step = "load libcuda.so.1";
  result.detail = "libcuda.so.1: cannot open shared object file";
  EXPECT_EQ(FormatVerifySummary(result),
            "cuda: FAILED at load libcuda.so.1: libcuda.so.1: cannot open shared object file");
}

}  // namespace
}  // namespace devpick
