// CUDA verification. Every entry point comes from the library Env::OpenLibrary loaded, never from
// link-time symbols, so devpick runs (and reports the missing driver) where no NVIDIA driver is
// installed. It binds discovery's table (vendor/cuda_driver_api.h) and the context, module, memory
// and launch table only verify may use (vendor/cuda_launch_api.h).
#include "verify/cuda_verify.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "vendor/cuda_driver_api.h"
#include "vendor/cuda_launch_api.h"
#include "verify/kernels/sgemm_ptx.h"  // generated from kernels/sgemm.cu, see CMakeLists.txt

namespace devpick {
namespace {

// The kernel's tile edge: sgemm.cu stages kTile x kTile tiles and must run as blocks of that shape.
constexpr unsigned int kTile = 16;

// The JIT error log lines shown with a module load failure: enough for the first error.
constexpr std::size_t kJitLogLines = 10;
constexpr std::size_t kJitLogBytes = 8192;
// An error name longer than this is not a name.
constexpr std::size_t kMaxErrorNameBytes = 128;

// The first kJitLogLines lines of a log the driver wrote into `buffer` (possibly unterminated),
// trailing blanks removed; "" when it wrote nothing.
std::string FirstLogLines(const char* buffer, std::size_t capacity) {
  std::string text(buffer, strnlen(buffer, capacity));
  std::size_t end = 0;
  for (std::size_t line = 0; line < kJitLogLines && end != std::string::npos; ++line) {
    end = text.find('\n', end == 0 ? 0 : end + 1);
  }
  if (end != std::string::npos) text.resize(end);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// One verification: owns the context, module and allocations it creates and releases them,
// newest first, on every path.
class CudaRun : public ApiRun {
 public:
  CudaRun(const Env& env, const VerifyTarget& target, const VerifyOptions& options,
          const char* sgemm_ptx, VerifyResult* result)
      : ApiRun(env, target, options, result), sgemm_ptx_(sgemm_ptx) {}

  ~CudaRun() {
    for (auto it = buffers_.rbegin(); it != buffers_.rend(); ++it) launch_.mem_free(*it);
    if (module_) launch_.module_unload(module_);
    if (context_) launch_.ctx_destroy(context_);
  }

  void Run() {
    result_->correct =
        Load() && SelectDevice() && CreateContext() && LoadKernel() && RunSgemm() && RunCopy();
  }

 private:
  // "<call>: CUDA_ERROR_INVALID_PTX (218)" with the driver's own name for `code`, or
  // "<call>: error <code>" when it has none.
  std::string Describe(const char* call, CUresult code) const {
    const char* name = nullptr;
    if (launch_.get_error_name(code, &name) != CUDA_SUCCESS || name == nullptr || name[0] == '\0') {
      return std::string(call) + ": error " + std::to_string(code);
    }
    return std::string(call) + ": " + std::string(name, strnlen(name, kMaxErrorNameBytes)) + " (" +
           std::to_string(code) + ")";
  }

  // Fails the run when `code` is not CUDA_SUCCESS, naming `call`.
  bool Check(const char* call, CUresult code) {
    return code == CUDA_SUCCESS || recorder_.Fail(call, Describe(call, code));
  }

  bool Load() {
    library_ = recorder_.Load(env_, kCudaSoname, {devices_.Slots(), launch_.Slots()});
    return library_ != nullptr;
  }

  bool SelectDevice() {
    recorder_.Begin("select device");
    if (target_.first_cpu) return recorder_.FailMissing("CUDA has no CPU device");
    const CUresult init = devices_.init(0);
    if (init == CUDA_ERROR_NO_DEVICE) {
      // A working driver with nothing visible (CUDA_VISIBLE_DEVICES="" or every GPU hidden).
      return recorder_.FailMissing(Describe("cuInit", init) + ": no CUDA device is visible");
    }
    if (!Check("cuInit", init)) return false;
    int count = 0;
    if (!Check("cuDeviceGetCount", devices_.device_get_count(&count))) return false;
    const std::uint32_t devices = count < 0 ? 0 : static_cast<std::uint32_t>(count);
    if (target_.device >= devices) {
      return recorder_.FailMissing("CUDA device " + std::to_string(target_.device) +
                                   " does not exist (" + std::to_string(devices) +
                                   (devices == 1 ? " device)" : " devices)"));
    }
    if (!Check("cuDeviceGet", devices_.device_get(&device_, static_cast<int>(target_.device)))) {
      return false;
    }
    result_->device = "cuda " + std::to_string(target_.device);
    char name[256] = {};
    if (!Check("cuDeviceGetName", devices_.device_get_name(name, sizeof name, device_)))
      return false;
    result_->device += " (" + BoundedString(name, sizeof name).value_or("?") + ")";
    return true;
  }

  bool CreateContext() {
    recorder_.Begin("create context");
    CUcontext context = nullptr;
    if (!Check("cuCtxCreate_v2", launch_.ctx_create(&context, 0, device_))) return false;
    context_ = context;
    return true;
  }

  bool LoadKernel() {
    recorder_.Begin("load SGEMM module");
    std::vector<char> log(kJitLogBytes, '\0');
    CUjit_option jit_options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void* jit_values[] = {log.data(), reinterpret_cast<void*>(std::uintptr_t{log.size() - 1})};
    CUmodule module = nullptr;
    const CUresult code =
        launch_.module_load_data_ex(&module, sgemm_ptx_, 2, jit_options, jit_values);
    if (code != CUDA_SUCCESS) {
      std::string detail = Describe("cuModuleLoadDataEx", code);
      if (std::string text = FirstLogLines(log.data(), log.size()); !text.empty()) {
        detail += ": " + text;
      }
      return recorder_.Fail("cuModuleLoadDataEx", std::move(detail));
    }
    module_ = module;
    return Check("cuModuleGetFunction", launch_.module_get_function(&function_, module_, "sgemm"));
  }

  // Device memory that is freed with the run.
  bool Allocate(std::size_t bytes, CUdeviceptr* pointer) {
    CUdeviceptr allocated = 0;
    if (!Check("cuMemAlloc_v2", launch_.mem_alloc(&allocated, bytes))) return false;
    buffers_.push_back(allocated);
    *pointer = allocated;
    return true;
  }

  // Host timing around launch + cuCtxSynchronize rather than CUDA events: it is what the OpenCL
  // (clFinish) and Vulkan (fence) paths measure, so GFLOP/s and GB/s compare across --api values,
  // and it needs no event entry points. At the sizes verify runs, the launch and wake-up latency
  // it includes (microseconds) is small against the kernel (milliseconds).
  bool RunSgemm() {
    const std::uint32_t n = options_.matrix_size;
    result_->matrix_size = n;
    const std::size_t elements = std::size_t{n} * n;
    const std::size_t bytes = elements * sizeof(float);
    recorder_.Begin("upload SGEMM inputs");
    const std::vector<float> a = MakeTestMatrix(n, 1);
    const std::vector<float> b = MakeTestMatrix(n, 2);
    CUdeviceptr a_buffer = 0, b_buffer = 0, c_buffer = 0;
    if (!Allocate(bytes, &a_buffer) || !Allocate(bytes, &b_buffer) || !Allocate(bytes, &c_buffer)) {
      return false;
    }
    if (!Check("cuMemcpyHtoD_v2", launch_.memcpy_htod(a_buffer, a.data(), bytes)) ||
        !Check("cuMemcpyHtoD_v2", launch_.memcpy_htod(b_buffer, b.data(), bytes))) {
      return false;
    }
    unsigned int n_param = n;
    void* params[] = {&n_param, &a_buffer, &b_buffer, &c_buffer};
    const unsigned int blocks = n / kTile;
    // Run 0 is the warm-up: the first launch pays for loading the JIT-compiled code.
    recorder_.BeginSgemmRuns(n, options_.runs);
    const std::optional<double> seconds = TimeRuns(env_, options_.runs, [&] {
      return Check("cuLaunchKernel",
                   launch_.launch_kernel(function_, blocks, blocks, 1, kTile, kTile, 1, 0, nullptr,
                                         params, nullptr)) &&
             Check("cuCtxSynchronize", launch_.ctx_synchronize());
    });
    if (!seconds) return false;
    recorder_.Begin("check SGEMM result");
    std::vector<float> c(elements);
    if (!Check("cuMemcpyDtoH_v2", launch_.memcpy_dtoh(c.data(), c_buffer, bytes))) return false;
    return recorder_.CheckSgemm(n, a, b, c, *seconds);
  }

  bool RunCopy() {
    const std::size_t bytes = options_.copy_bytes;
    result_->copy_bytes = bytes;
    recorder_.BeginCopyUpload(bytes);
    const std::vector<std::uint32_t> source = MakeCopyPattern(bytes);
    CUdeviceptr from = 0, to = 0;
    if (!Allocate(bytes, &from) || !Allocate(bytes, &to)) return false;
    if (!Check("cuMemcpyHtoD_v2", launch_.memcpy_htod(from, source.data(), bytes))) return false;
    recorder_.BeginCopyRuns(bytes, options_.runs);
    const std::optional<double> seconds = TimeRuns(env_, options_.runs, [&] {
      return Check("cuMemcpyDtoD_v2", launch_.memcpy_dtod(to, from, bytes)) &&
             Check("cuCtxSynchronize", launch_.ctx_synchronize());
    });
    if (!seconds) return false;
    recorder_.Begin("check copy result");
    std::vector<std::uint32_t> copied(source.size());
    if (!Check("cuMemcpyDtoH_v2", launch_.memcpy_dtoh(copied.data(), to, bytes))) return false;
    return recorder_.CheckCopy(source, copied, *seconds);
  }

  const char* sgemm_ptx_;

  std::unique_ptr<Library> library_;  // outlives every call through the tables
  CudaDeviceApi devices_;
  CudaLaunchApi launch_;
  CUdevice device_ = 0;
  CUcontext context_ = nullptr;
  CUmodule module_ = nullptr;
  CUfunction function_ = nullptr;
  std::vector<CUdeviceptr> buffers_;
};

}  // namespace

namespace verify_internal {

std::string_view CudaSgemmPtx() { return embedded::kSgemmPtx; }

VerifyResult VerifyCudaWithPtx(const Env& env, const VerifyTarget& target,
                               const VerifyOptions& options, const char* sgemm_ptx) {
  return VerifyWith<CudaRun>(VerifyApi::kCuda, env, target, options, sgemm_ptx);
}

}  // namespace verify_internal

VerifyResult VerifyCuda(const Env& env, const VerifyTarget& target, const VerifyOptions& options) {
  return verify_internal::VerifyCudaWithPtx(env, target, options, embedded::kSgemmPtx);
}

}  // namespace devpick
