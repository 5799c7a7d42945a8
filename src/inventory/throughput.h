// Throughput estimates: peak FP32/FP16 TFLOPS from what a runtime reports (units, clock, arch).
//
// Ranking needs a number that orders an RTX 3080 above a UHD 770 without running anything. The
// estimate is the vendor's own peak formula: compute units × FP32 lanes per unit × 2 (a fused
// multiply-add is two operations) × peak clock. The lanes per unit come from one documented table
// per architecture (throughput.cc cites the public vendor specification for each row). It is a
// ceiling, not a measurement: `devpick verify` measures.
//
// Units are what the runtimes report: NVIDIA streaming multiprocessors (CUDA
// MULTIPROCESSOR_COUNT), AMD compute units (KFD simd_count / simd_per_cu), Intel execution units or
// vector engines (Level Zero slices × subslices × EUs per subslice; OpenCL compute units), Apple
// GPU cores.
//
// Thread-safety: pure functions over constant tables.
#ifndef DEVPICK_INVENTORY_THROUGHPUT_H_
#define DEVPICK_INVENTORY_THROUGHPUT_H_

#include <optional>
#include <string>
#include <string_view>

#include "devpick/inventory.h"
#include "devpick/observations.h"

namespace devpick {

struct ThroughputEstimate {
  double fp32_tflops = 0;
  double fp16_tflops = 0;  // vector (non-matrix) FP16; tensor/matrix engines are not counted
  std::string source;  // the table row used, e.g. "est. 128 FP32 lanes/SM (NVIDIA Ampere GA102)"
};

// The estimate for a GPU, or nullopt when the architecture is not in the table or an input is not
// positive. `arch` spellings: "sm_86" (NVIDIA compute capability), "gfx1030" (AMD gfx target),
// "Xe-HPG", "Xe-LP", "Xe2-HPG", "Gen9" (Intel; case-insensitive), anything for Apple.
std::optional<ThroughputEstimate> EstimateThroughput(Vendor vendor, std::string_view arch,
                                                     int units, int clock_mhz);

// The estimate for the host CPU from its widest FMA instruction set (cpuinfo flags), its physical
// cores (capped by a cgroup CPU quota) and its maximum clock; nullopt without cores or clock.
std::optional<ThroughputEstimate> EstimateCpuThroughput(const CpuObservation& cpu);

}  // namespace devpick

#endif  // DEVPICK_INVENTORY_THROUGHPUT_H_
