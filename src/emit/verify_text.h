// verify's one-line text result (`devpick verify` without --json):
//
//   gpu1 (Intel Arc A770) for openvino, via Intel(R) Arc(TM) A770 Graphics: correct (max rel
//   error 3.1e-07); SGEMM 512x512: 10234.5 GFLOP/s; copy 64 MiB: 402.1 GB/s
//
// Thread-safety: pure functions.
#ifndef DEVPICK_EMIT_VERIFY_TEXT_H_
#define DEVPICK_EMIT_VERIFY_TEXT_H_

#include <string>

#include "verify/verify.h"

namespace devpick {

// "<device>: correct (max rel error 3.1e-07); SGEMM NxN: G GFLOP/s; copy B: R GB/s" (the figures
// that were measured), or "<device>: FAILED at <step>: <detail>". <device> is the API's device
// name, else the API's name.
std::string FormatVerifySummary(const VerifyResult& result);

}  // namespace devpick

#endif  // DEVPICK_EMIT_VERIFY_TEXT_H_
