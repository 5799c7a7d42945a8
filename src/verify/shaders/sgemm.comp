#version 450
// devpick verify: C = A * B for row-major n x n float matrices, n a multiple of 16. One invocation
// per element of C; 16 x 16 tiles of A and B are staged in shared memory so each input element is
// read from the buffer n / 16 times instead of n times.
layout(local_size_x = 16, local_size_y = 16) in;

layout(std430, binding = 0) readonly buffer MatrixA { float a[]; };
layout(std430, binding = 1) readonly buffer MatrixB { float b[]; };
layout(std430, binding = 2) writeonly buffer MatrixC { float c[]; };
layout(push_constant) uniform Params { uint n; } params;

shared float tile_a[16][16];
shared float tile_b[16][16];

void main() {
  uint n = params.n;
  uint row = gl_GlobalInvocationID.y;
  uint col = gl_GlobalInvocationID.x;
  uint ly = gl_LocalInvocationID.y;
  uint lx = gl_LocalInvocationID.x;
  float sum = 0.0;
  for (uint t = 0; t < n; t += 16) {
    tile_a[ly][lx] = a[row * n + t + lx];
    tile_b[ly][lx] = b[(t + ly) * n + col];
    barrier();
    for (uint k = 0; k < 16; ++k) {
      sum += tile_a[ly][k] * tile_b[k][lx];
    }
    barrier();
  }
  c[row * n + col] = sum;
}
