// Verification through the CUDA driver API (an NVIDIA GPU): loads libcuda.so.1 through
// Env::OpenLibrary, resolves every entry point it calls up front, creates a context on the chosen
// device, loads the SGEMM kernel as PTX (compiled from kernels/sgemm.cu by clang at build time and
// embedded in the binary; the driver JIT-compiles it for the GPU), runs it and a device-to-device
// copy, and checks both results on the host (see verify.h for what is measured).
//
// This is the only code in devpick that creates a CUDA context (vendor/cuda_launch.h), and it runs
// only when the user asks for `devpick verify --api cuda`.
//
// A failing CUDA call is reported as failed_step = the call ("cuModuleLoadDataEx") and detail =
// "<call>: <cuGetErrorName> (<code>)", or "<call>: error <code>" when the driver has no name for
// it, plus the JIT's error log for a module that does not load.
//
// Thread-safety: reentrant; each call creates and destroys its own context, which is current to
// the calling thread only while the call runs.
#ifndef DEVPICK_SRC_VERIFY_CUDA_VERIFY_H_
#define DEVPICK_SRC_VERIFY_CUDA_VERIFY_H_

#include <string_view>

#include "devpick/env.h"
#include "verify/verify.h"

namespace devpick {

// Runs the workload on CUDA device `target.device` (cuDeviceGet ordinal). target.first_cpu must be
// false (ParseVerifyTarget never sets it for CUDA); target.api and target.platform are ignored.
VerifyResult VerifyCuda(const Env& env, const VerifyTarget& target, const VerifyOptions& options);

namespace verify_internal {

// The PTX VerifyCuda loads: entry "sgemm"(u32 n, u64 a, u64 b, u64 c), launched as blocks of
// 16 x 16 threads over a grid of n/16 x n/16 blocks.
std::string_view CudaSgemmPtx();

// VerifyCuda with other PTX text (NUL-terminated), so tests can drive the JIT-failure path.
VerifyResult VerifyCudaWithPtx(const Env& env, const VerifyTarget& target,
                               const VerifyOptions& options, const char* sgemm_ptx);

}  // namespace verify_internal
}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_CUDA_VERIFY_H_
