#version 450
// devpick verify: dst = src, 16 bytes per invocation; `count` is the number of 16-byte elements.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Source { uvec4 src[]; };
layout(std430, binding = 1) writeonly buffer Destination { uvec4 dst[]; };
layout(push_constant) uniform Params { uint count; } params;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < params.count) {
    dst[i] = src[i];
  }
}
