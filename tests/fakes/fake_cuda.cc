// A fake libcuda.so.1 presenting the GPUs of $FAKE_NVIDIA_GPUS (fields: name, uuid, bus, mem, cc,
// sm, clock_khz, integrated), in the order given. $FAKE_CUDA_MODE: hang, crash, init_error
// (cuInit fails with CUDA_ERROR_UNKNOWN), no_device, unterminated, lying_count, and for
// `devpick verify --api cuda`: wrong_result (every launch adds 1 to one element of C), bad_copy
// (every device-to-device copy flips one bit).
//
// The context, module, memory and launch entry points that verify calls work for real on the
// host: device memory is host memory (a CUdeviceptr holds its address, not zeroed, every copy
// checked against the allocations), cuModuleLoadDataEx accepts PTX text with a .version line and
// an ".entry sgemm" (else CUDA_ERROR_INVALID_PTX with a JIT error log), and cuLaunchKernel runs
// src/verify/kernels/sgemm.cu's algorithm thread by thread from the grid and block it is given,
// so a wrong launch configuration gives a wrong answer, and an access outside an allocation fails
// the next cuCtxSynchronize with CUDA_ERROR_ILLEGAL_ADDRESS.
//
// Context creation and destruction (the calls discovery must never make) record themselves into
// $FAKE_CUDA_CALL_LOG, and cuCtxDestroy_v2 records what the caller left allocated in the context.
// $FAKE_CUDA_FAIL makes any entry point fail (fake::ScriptedFailure).
// Built twice: the second build (FAKE_CUDA_WITHOUT_UUID) lacks cuDeviceGetUuid.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fake_script.h"
#include "vendor/cuda_driver.h"
#include "vendor/cuda_launch.h"

struct CUfunc_st {
  int unused;
};

struct CUmod_st {
  CUfunc_st sgemm;  // the module's one kernel
};

struct CUctx_st {
  CUdevice device = 0;
  // Host memory standing in for device memory, by address.
  struct Allocation {
    std::unique_ptr<unsigned char[]> bytes;
    std::size_t size = 0;
  };
  std::map<CUdeviceptr, Allocation> allocations;
  std::size_t allocated_bytes = 0;
  std::map<CUmod_st*, std::unique_ptr<CUmod_st>> modules;
  // A kernel's fault: returned by cuCtxSynchronize and every later call, as the driver does.
  CUresult sticky_error = CUDA_SUCCESS;
};

namespace {

std::vector<fake::Fields> Gpus() { return fake::Devices("FAKE_NVIDIA_GPUS"); }
bool initialized = false;

// Every live context; the calling thread's context stack (the back is current). Destroyed with
// the library, so a caller that leaks a context leaks nothing past dlclose.
std::map<CUctx_st*, std::unique_ptr<CUctx_st>> contexts;
std::vector<CUctx_st*> context_stack;

bool Lookup(CUdevice device, fake::Fields* fields) {
  std::vector<fake::Fields> gpus = Gpus();
  if (device < 0 || device >= static_cast<int>(gpus.size())) return false;
  *fields = gpus[device];
  return true;
}

CUctx_st* Current() { return context_stack.empty() ? nullptr : context_stack.back(); }

// The host bytes of [pointer, pointer + bytes) when one allocation of the current context holds
// them all, else nullptr.
unsigned char* DeviceBytes(CUdeviceptr pointer, std::size_t bytes) {
  CUctx_st* context = Current();
  if (context == nullptr) return nullptr;
  auto it = context->allocations.upper_bound(pointer);
  if (it == context->allocations.begin()) return nullptr;
  --it;
  const std::size_t offset = pointer - it->first;
  if (offset > it->second.size || bytes > it->second.size - offset) return nullptr;
  return it->second.bytes.get() + offset;
}

// The error every call in the current context returns first: none, no context, or a fault.
CUresult ContextError() {
  CUctx_st* context = Current();
  if (context == nullptr) return CUDA_ERROR_INVALID_CONTEXT;
  return context->sticky_error;
}

CUmod_st* FindModule(CUmod_st* module) {
  CUctx_st* context = Current();
  if (context == nullptr || context->modules.count(module) == 0) return nullptr;
  return module;
}

// sgemm.cu's kernel over one grid: for every block, every thread loads its element of the A and B
// tiles into "shared memory" (NaN until written, as uninitialised memory would be unlikely to
// hold the right value), then every thread accumulates its dot product over the tile, exactly in
// the kernel's order. Indices are the kernel's: 16 x 16 tiles, col = ctaid.x * 16 + tid.x,
// row = ctaid.y * 16 + tid.y, 32-bit unsigned arithmetic.
CUresult RunSgemm(unsigned grid_x, unsigned grid_y, unsigned grid_z, unsigned block_x,
                  unsigned block_y, unsigned block_z, unsigned n, CUdeviceptr a_pointer,
                  CUdeviceptr b_pointer, CUdeviceptr c_pointer) {
  constexpr unsigned kTile = 16;
  // The kernel indexes its tiles with the thread index: a wider block writes past them.
  if (block_x > kTile || block_y > kTile) return CUDA_ERROR_ILLEGAL_ADDRESS;
  // Each pointer's allocation, from the pointer on, as the kernel may address it.
  auto span = [](CUdeviceptr pointer, std::size_t* elements) -> float* {
    CUctx_st* context = Current();
    auto it = context->allocations.upper_bound(pointer);
    if (it == context->allocations.begin()) return nullptr;
    --it;
    const std::size_t offset = pointer - it->first;
    if (offset >= it->second.size) return nullptr;
    *elements = (it->second.size - offset) / sizeof(float);
    return reinterpret_cast<float*>(it->second.bytes.get() + offset);
  };
  std::size_t a_size = 0, b_size = 0, c_size = 0;
  const float* a = span(a_pointer, &a_size);
  const float* b = span(b_pointer, &b_size);
  float* c = span(c_pointer, &c_size);
  if (a == nullptr || b == nullptr || c == nullptr) return CUDA_ERROR_ILLEGAL_ADDRESS;
  const float kUnset = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> sums(std::size_t{block_x} * block_y);
  for (unsigned bz = 0; bz < grid_z; ++bz) {
    for (unsigned by = 0; by < grid_y; ++by) {
      for (unsigned bx = 0; bx < grid_x; ++bx) {
        float tile_a[kTile][kTile];
        float tile_b[kTile][kTile];
        for (auto& row : tile_a) std::fill(std::begin(row), std::end(row), kUnset);
        for (auto& row : tile_b) std::fill(std::begin(row), std::end(row), kUnset);
        std::fill(sums.begin(), sums.end(), 0.0f);
        for (unsigned t = 0; t < n; t += kTile) {
          for (unsigned ly = 0; ly < block_y; ++ly) {
            for (unsigned lx = 0; lx < block_x; ++lx) {
              const unsigned col = bx * kTile + lx;
              const unsigned row = by * kTile + ly;
              const unsigned a_index = row * n + t + lx;
              const unsigned b_index = (t + ly) * n + col;
              if (a_index >= a_size || b_index >= b_size) return CUDA_ERROR_ILLEGAL_ADDRESS;
              tile_a[ly][lx] = a[a_index];
              tile_b[ly][lx] = b[b_index];
            }
          }
          // __syncthreads(): every load above happens before any use below.
          for (unsigned ly = 0; ly < block_y; ++ly) {
            for (unsigned lx = 0; lx < block_x; ++lx) {
              float& sum = sums[std::size_t{ly} * block_x + lx];
              for (unsigned k = 0; k < kTile; ++k) {
                sum = std::fma(tile_a[ly][k], tile_b[k][lx], sum);
              }
            }
          }
        }
        for (unsigned ly = 0; ly < block_y; ++ly) {
          for (unsigned lx = 0; lx < block_x; ++lx) {
            const unsigned index = (by * kTile + ly) * n + bx * kTile + lx;
            if (index >= c_size) return CUDA_ERROR_ILLEGAL_ADDRESS;
            c[index] = sums[std::size_t{ly} * block_x + lx];
          }
        }
      }
    }
  }
  // Threads along z compute the same elements again; nothing more to model for them.
  (void)block_z;
  if (fake::Mode("FAKE_CUDA_MODE") == "wrong_result" && c_size > 0) c[0] += 1.0f;
  return CUDA_SUCCESS;
}

}  // namespace

extern "C" {

CUresult cuInit(unsigned int flags) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  std::string mode = fake::Mode("FAKE_CUDA_MODE");
  fake::Misbehave(mode);
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (mode == "init_error") return CUDA_ERROR_UNKNOWN;
  if (mode == "no_device") return CUDA_ERROR_NO_DEVICE;
  initialized = true;
  return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* version) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  const char* cuda = std::getenv("FAKE_CUDA_VERSION");
  *version = cuda ? std::atoi(cuda) : 12040;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  *count = fake::Mode("FAKE_CUDA_MODE") == "lying_count" ? 1000 : static_cast<int>(Gpus().size());
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  if (ordinal < 0 || ordinal >= static_cast<int>(Gpus().size())) return CUDA_ERROR_INVALID_DEVICE;
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  fake::CopyString(fake::Get(gpu, "name"), name, length,
                   fake::Mode("FAKE_CUDA_MODE") == "unterminated");
  return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  *bytes = fake::Number(gpu, "mem");
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  unsigned domain = 0, bus = 0, slot = 0, function = 0;
  fake::ParseBus(fake::Get(gpu, "bus"), &domain, &bus, &slot, &function);
  int major = 0, minor = 0;
  std::sscanf(fake::Get(gpu, "cc").c_str(), "%d.%d", &major, &minor);
  switch (attribute) {
    case CU_DEVICE_ATTRIBUTE_CLOCK_RATE:
      *value = fake::Number(gpu, "clock_khz");
      break;
    case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT:
      *value = fake::Number(gpu, "sm");
      break;
    case CU_DEVICE_ATTRIBUTE_INTEGRATED:
      *value = fake::Number(gpu, "integrated");
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID:
      *value = bus;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID:
      *value = slot;
      break;
    case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID:
      *value = domain;
      break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
      *value = major;
      break;
    case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
      *value = minor;
      break;
    default:
      return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

#ifndef FAKE_CUDA_WITHOUT_UUID
CUresult cuDeviceGetUuid(CUuuid* uuid, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  fake::ParseUuid(fake::Get(gpu, "uuid"), reinterpret_cast<unsigned char*>(uuid->bytes));
  return CUDA_SUCCESS;
}
#endif

// Context creation and memory queries, which discovery must never call: exported like the real
// driver, recorded when called.
CUresult cuCtxCreate_v2(CUcontext* context, unsigned int flags, CUdevice device) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuCtxCreate_v2");
  if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
  fake::Fields gpu;
  if (!Lookup(device, &gpu)) return CUDA_ERROR_INVALID_DEVICE;
  if (context == nullptr || flags > 0xff) return CUDA_ERROR_INVALID_VALUE;
  auto created = std::make_unique<CUctx_st>();
  created->device = device;
  *context = created.get();
  context_stack.push_back(created.get());
  contexts.emplace(created.get(), std::move(created));
  return CUDA_SUCCESS;
}

CUresult cuCtxDestroy_v2(CUcontext context) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuCtxDestroy_v2");
  auto it = contexts.find(context);
  if (it == contexts.end()) return CUDA_ERROR_INVALID_CONTEXT;
  if (!context->allocations.empty() || !context->modules.empty()) {
    const std::string live =
        "live at cuCtxDestroy_v2: " + std::to_string(context->allocations.size()) +
        " allocations, " + std::to_string(context->modules.size()) + " modules";
    fake::RecordCall("FAKE_CUDA_CALL_LOG", live.c_str());
  }
  std::erase(context_stack, context);
  contexts.erase(it);
  return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize(void) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  return ContextError();
}

CUresult cuDevicePrimaryCtxRetain(void** context, CUdevice) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuDevicePrimaryCtxRetain");
  *context = nullptr;
  return CUDA_SUCCESS;
}
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  fake::RecordCall("FAKE_CUDA_CALL_LOG", "cuMemGetInfo_v2");
  *free = *total = 0;
  return CUDA_SUCCESS;
}

CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int num_options,
                            CUjit_option* options, void** option_values) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  if (module == nullptr || image == nullptr) return CUDA_ERROR_INVALID_VALUE;
  char* log = nullptr;
  std::size_t log_size = 0;
  int log_size_slot = -1;
  for (unsigned int i = 0; i < num_options; ++i) {
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER) log = static_cast<char*>(option_values[i]);
    if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES) {
      log_size = reinterpret_cast<std::uintptr_t>(option_values[i]);
      log_size_slot = static_cast<int>(i);
    }
  }
  const char* text = static_cast<const char*>(image);
  std::string error;
  if (std::strstr(text, ".version") == nullptr) {
    error = "ptxas application ptx input, line 1; error   : Missing .version directive\n";
  } else if (std::strstr(text, ".entry sgemm") == nullptr) {
    error = "ptxas application ptx input; error   : no .entry sgemm in this module\n";
  }
  if (!error.empty()) error += "ptxas fatal   : Ptx assembly aborted due to errors\n";
  std::size_t written = 0;
  if (log != nullptr && log_size > 0) {
    std::snprintf(log, log_size, "%s", error.c_str());
    written = std::min(error.size() + 1, log_size);
  }
  if (log_size_slot >= 0) {
    option_values[log_size_slot] = reinterpret_cast<void*>(std::uintptr_t{written});
  }
  if (!error.empty()) return CUDA_ERROR_INVALID_PTX;
  auto loaded = std::make_unique<CUmod_st>();
  *module = loaded.get();
  Current()->modules.emplace(loaded.get(), std::move(loaded));
  return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  if (function == nullptr || name == nullptr) return CUDA_ERROR_INVALID_VALUE;
  if (FindModule(module) == nullptr) return CUDA_ERROR_INVALID_HANDLE;
  if (std::strcmp(name, "sgemm") != 0) return CUDA_ERROR_NOT_FOUND;
  *function = &module->sgemm;
  return CUDA_SUCCESS;
}

CUresult cuModuleUnload(CUmodule module) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  if (FindModule(module) == nullptr) return CUDA_ERROR_INVALID_HANDLE;
  Current()->modules.erase(module);
  return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  if (pointer == nullptr || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
  CUctx_st* context = Current();
  fake::Fields gpu;
  Lookup(context->device, &gpu);
  const std::uint64_t memory = fake::Number(gpu, "mem");
  if (memory != 0 && context->allocated_bytes + bytes > memory) return CUDA_ERROR_OUT_OF_MEMORY;
  CUctx_st::Allocation allocation;
  allocation.bytes = std::make_unique<unsigned char[]>(bytes);
  allocation.size = bytes;
  // Device memory is not cleared: 0xff bytes read as NaN floats, which no right answer contains.
  std::memset(allocation.bytes.get(), 0xff, bytes);
  *pointer = reinterpret_cast<CUdeviceptr>(allocation.bytes.get());
  context->allocated_bytes += bytes;
  context->allocations.emplace(*pointer, std::move(allocation));
  return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr pointer) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  CUctx_st* context = Current();
  auto it = context->allocations.find(pointer);
  if (it == context->allocations.end()) return CUDA_ERROR_INVALID_VALUE;
  context->allocated_bytes -= it->second.size;
  context->allocations.erase(it);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr destination, const void* source, size_t bytes) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  unsigned char* to = DeviceBytes(destination, bytes);
  if (to == nullptr || source == nullptr) return CUDA_ERROR_INVALID_VALUE;
  std::memcpy(to, source, bytes);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* destination, CUdeviceptr source, size_t bytes) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  const unsigned char* from = DeviceBytes(source, bytes);
  if (from == nullptr || destination == nullptr) return CUDA_ERROR_INVALID_VALUE;
  std::memcpy(destination, from, bytes);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr destination, CUdeviceptr source, size_t bytes) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  unsigned char* to = DeviceBytes(destination, bytes);
  const unsigned char* from = DeviceBytes(source, bytes);
  if (to == nullptr || from == nullptr) return CUDA_ERROR_INVALID_VALUE;
  std::memmove(to, from, bytes);
  if (fake::Mode("FAKE_CUDA_MODE") == "bad_copy" && bytes > 0) to[bytes / 2] ^= 0x01;
  return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction function, unsigned int grid_x, unsigned int grid_y,
                        unsigned int grid_z, unsigned int block_x, unsigned int block_y,
                        unsigned int block_z, unsigned int shared_memory_bytes, CUstream stream,
                        void** kernel_params, void** extra) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  if (CUresult error = ContextError()) return error;
  bool known = false;
  for (const auto& [module, owned] : Current()->modules) {
    known = known || function == &module->sgemm;
  }
  if (!known) return CUDA_ERROR_INVALID_HANDLE;
  // Only the default stream exists here; the packed `extra` form is not modelled.
  if (stream != nullptr || extra != nullptr || kernel_params == nullptr) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  // The limits of every GPU since sm_20: 1024 threads and 48 KiB of shared memory per block.
  const std::uint64_t threads = std::uint64_t{block_x} * block_y * block_z;
  if (grid_x == 0 || grid_y == 0 || grid_z == 0 || threads == 0 || threads > 1024 || block_z > 64 ||
      grid_y > 65535 || grid_z > 65535 || shared_memory_bytes > 48 * 1024) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  // sgemm(u32 n, u64 a, u64 b, u64 c): kernel_params[i] points at parameter i's value.
  const unsigned n = *static_cast<const unsigned*>(kernel_params[0]);
  const CUdeviceptr a = *static_cast<const CUdeviceptr*>(kernel_params[1]);
  const CUdeviceptr b = *static_cast<const CUdeviceptr*>(kernel_params[2]);
  const CUdeviceptr c = *static_cast<const CUdeviceptr*>(kernel_params[3]);
  // The launch itself succeeds; a fault inside the kernel surfaces at the next synchronisation.
  Current()->sticky_error = RunSgemm(grid_x, grid_y, grid_z, block_x, block_y, block_z, n, a, b, c);
  return CUDA_SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char** name) {
  if (long code = fake::ScriptedFailure("FAKE_CUDA_FAIL", __func__)) {
    return static_cast<CUresult>(code);
  }
  static const std::map<CUresult, const char*> kNames = {
      {CUDA_SUCCESS, "CUDA_SUCCESS"},
      {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE"},
      {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY"},
      {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED"},
      {CUDA_ERROR_DEINITIALIZED, "CUDA_ERROR_DEINITIALIZED"},
      {CUDA_ERROR_STUB_LIBRARY, "CUDA_ERROR_STUB_LIBRARY"},
      {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE"},
      {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE"},
      {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT"},
      {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX"},
      {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE"},
      {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND"},
      {CUDA_ERROR_ILLEGAL_ADDRESS, "CUDA_ERROR_ILLEGAL_ADDRESS"},
      {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN"},
  };
  if (name == nullptr) return CUDA_ERROR_INVALID_VALUE;
  auto it = kNames.find(error);
  if (it == kNames.end()) {
    *name = nullptr;
    return CUDA_ERROR_INVALID_VALUE;
  }
  *name = it->second;
  return CUDA_SUCCESS;
}

}  // extern "C"
