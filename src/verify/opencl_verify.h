// Verification through OpenCL (PoCL on a CPU, any vendor's ICD on a GPU): loads libOpenCL.so.1
// through Env::OpenLibrary, resolves every entry point it calls up front, creates a context and a
// queue on the chosen device, builds a tiled SGEMM kernel from source, runs it and a
// clEnqueueCopyBuffer, and checks both results on the host (see verify.h for what is measured).
//
// A failing OpenCL call is reported as failed_step = the call ("clBuildProgram") and detail =
// "<call>: <CL error name> (<code>)", plus the first lines of the build log for a compile failure.
//
// Thread-safety: reentrant; each call creates and releases its own context.
#ifndef DEVPICK_SRC_VERIFY_OPENCL_VERIFY_H_
#define DEVPICK_SRC_VERIFY_OPENCL_VERIFY_H_

#include <string_view>

#include "devpick/env.h"
#include "verify/verify.h"

namespace devpick {

// Runs the workload on `target` (target.api is ignored; platform/device/first_cpu are used).
VerifyResult VerifyOpenCl(const Env& env, const VerifyTarget& target, const VerifyOptions& options);

namespace verify_internal {

// VerifyOpenCl with another kernel source, so tests can drive the compile-failure path (and a
// wrong kernel) through the real runtime.
VerifyResult VerifyOpenClWithSource(const Env& env, const VerifyTarget& target,
                                    const VerifyOptions& options, std::string_view sgemm_source);

}  // namespace verify_internal
}  // namespace devpick

#endif  // DEVPICK_SRC_VERIFY_OPENCL_VERIFY_H_
