// devpick verify's SGEMM kernel (sgemm_tiled.inc) for the CUDA driver API.
//
// Compiled to PTX at build time by clang (CMakeLists.txt: --cuda-device-only -nocudainc
// -nocudalib --cuda-gpu-arch=sm_52), so it includes no CUDA header: the qualifiers and thread
// indices are clang's own attributes and NVVM builtins. sm_52 PTX is JIT-compiled by the driver
// for any newer GPU. Launch: block (16, 16, 1), grid (n / 16, n / 16, 1).

#define SGEMM_KERNEL extern "C" __attribute__((global))
#define SGEMM_GLOBAL
#define SGEMM_SHARED __attribute__((shared))
#define SGEMM_LOCAL_X __nvvm_read_ptx_sreg_tid_x()
#define SGEMM_LOCAL_Y __nvvm_read_ptx_sreg_tid_y()
#define SGEMM_GROUP_X __nvvm_read_ptx_sreg_ctaid_x()
#define SGEMM_GROUP_Y __nvvm_read_ptx_sreg_ctaid_y()
#define SGEMM_BARRIER() __syncthreads()
// cuda_verify.cc's kTile: the launch shape above.
#define TILE 16u

#include "sgemm_tiled.inc"
