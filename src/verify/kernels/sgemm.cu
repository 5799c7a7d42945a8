// devpick verify: C = A * B for row-major n x n float matrices, n a multiple of 16, for the CUDA
// driver API. The same algorithm as the OpenCL kernel in opencl_verify.cc and shaders/sgemm.comp:
// one thread per element of C, 16 x 16 tiles of A and B staged in shared memory so each input
// element is read from global memory n / 16 times instead of n times.
//
// Compiled to PTX at build time by clang (CMakeLists.txt: --cuda-device-only -nocudainc
// -nocudalib --cuda-gpu-arch=sm_52), so it includes no CUDA header: the qualifiers and thread
// indices are clang's own attributes and NVVM builtins. sm_52 PTX is JIT-compiled by the driver
// for any newer GPU. Launch: block (16, 16, 1), grid (n / 16, n / 16, 1).

#define DEVPICK_GLOBAL __attribute__((global))
#define DEVPICK_SHARED __attribute__((shared))

namespace {
constexpr unsigned kTile = 16;
}  // namespace

extern "C" DEVPICK_GLOBAL void sgemm(unsigned n, const float* a, const float* b, float* c) {
  const unsigned lx = __nvvm_read_ptx_sreg_tid_x();
  const unsigned ly = __nvvm_read_ptx_sreg_tid_y();
  const unsigned col = __nvvm_read_ptx_sreg_ctaid_x() * kTile + lx;
  const unsigned row = __nvvm_read_ptx_sreg_ctaid_y() * kTile + ly;
  DEVPICK_SHARED float tile_a[kTile][kTile];
  DEVPICK_SHARED float tile_b[kTile][kTile];
  float sum = 0.0f;
  for (unsigned t = 0; t < n; t += kTile) {
    tile_a[ly][lx] = a[row * n + t + lx];
    tile_b[ly][lx] = b[(t + ly) * n + col];
    __syncthreads();
    for (unsigned k = 0; k < kTile; ++k) sum += tile_a[ly][k] * tile_b[k][lx];
    __syncthreads();
  }
  c[row * n + col] = sum;
}
