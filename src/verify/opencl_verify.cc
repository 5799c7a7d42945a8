// OpenCL verification, through the tables of vendor/opencl_api.h: discovery's OpenClDeviceApi to
// find the device and OpenClComputeApi, which only verify binds, to run work on it.
#include "verify/opencl_verify.h"

#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "probes/dynlib.h"
#include "vendor/opencl_api.h"
#include "verify/kernels/sgemm_tiled_source.h"  // generated from kernels/sgemm_tiled.inc

namespace devpick {
namespace {

// The OpenCL C spelling of the words kernels/sgemm_tiled.inc leaves to each language; TILE comes
// from the build option -DTILE=<edge>.
constexpr char kOpenClSgemmPrologue[] = R"CL(
#define SGEMM_KERNEL __kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
#define SGEMM_GLOBAL __global
#define SGEMM_SHARED __local
#define SGEMM_LOCAL_X get_local_id(0)
#define SGEMM_LOCAL_Y get_local_id(1)
#define SGEMM_GROUP_X get_group_id(0)
#define SGEMM_GROUP_Y get_group_id(1)
#define SGEMM_BARRIER() barrier(CLK_LOCAL_MEM_FENCE)
)CL";

// The SGEMM kernel source VerifyOpenCl builds: kernels/sgemm_tiled.inc after the OpenCL C
// definitions it needs; kernel "sgemm"(uint n, a, b, c).
std::string OpenClSgemmSource() {
  return std::string(kOpenClSgemmPrologue) + embedded::kSgemmTiledSource;
}

std::string Describe(const char* call, cl_int code) {
  return DescribeResult(call, code, kOpenClResultNames);
}

// The build log lines shown with a compile failure: enough for the first error, not a wall.
constexpr std::size_t kBuildLogLines = 10;
// A build log or device name larger than this is a driver bug, not text to show.
constexpr std::size_t kMaxInfoBytes = 1 << 20;

// One verification: owns every OpenCL object it creates and releases them, newest first.
class OpenClRun : public ApiRun {
 public:
  OpenClRun(const Env& env, const VerifyTarget& target, const VerifyOptions& options,
            std::string_view sgemm_source, VerifyResult* result)
      : ApiRun(env, target, options, result), sgemm_source_(sgemm_source) {}

  ~OpenClRun() {
    for (auto it = buffers_.rbegin(); it != buffers_.rend(); ++it) compute_.release_mem_object(*it);
    if (kernel_) compute_.release_kernel(kernel_);
    if (program_) compute_.release_program(program_);
    if (queue_) compute_.release_command_queue(queue_);
    if (context_) compute_.release_context(context_);
  }

  void Run() {
    result_->correct =
        Load() && SelectDevice() && CreateContext() && BuildKernel() && RunSgemm() && RunCopy();
  }

 private:
  // Fails the run when `code` is not CL_SUCCESS, naming `call`.
  bool Check(const char* call, cl_int code) {
    return code == CL_SUCCESS || recorder_.Fail(call, Describe(call, code));
  }

  bool Load() {
    library_ = recorder_.Load(env_, kOpenClSoname, {devices_.Slots(), compute_.Slots()});
    return library_ != nullptr;
  }

  // The platforms, or none when the ICD loader found none (CL_PLATFORM_NOT_FOUND_KHR).
  Result<std::vector<cl_platform_id>> Platforms() {
    cl_uint count = 0;
    cl_int code = devices_.get_platform_ids(0, nullptr, &count);
    if (code == CL_PLATFORM_NOT_FOUND_KHR || (code == CL_SUCCESS && count == 0))
      return std::vector<cl_platform_id>{};
    if (code != CL_SUCCESS) return Status::Unavailable(Describe("clGetPlatformIDs", code));
    std::vector<cl_platform_id> platforms(count);
    code = devices_.get_platform_ids(count, platforms.data(), &count);
    if (code != CL_SUCCESS) return Status::Unavailable(Describe("clGetPlatformIDs", code));
    platforms.resize(std::min<std::size_t>(count, platforms.size()));
    return platforms;
  }

  // The platform's devices of every type; none for CL_DEVICE_NOT_FOUND.
  Result<std::vector<cl_device_id>> Devices(cl_platform_id platform) {
    cl_uint count = 0;
    cl_int code = devices_.get_device_ids(platform, CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
    if (code == CL_DEVICE_NOT_FOUND) return std::vector<cl_device_id>{};
    if (code != CL_SUCCESS) return Status::Unavailable(Describe("clGetDeviceIDs", code));
    std::vector<cl_device_id> devices(count);
    code = devices_.get_device_ids(platform, CL_DEVICE_TYPE_ALL, count, devices.data(), &count);
    if (code != CL_SUCCESS) return Status::Unavailable(Describe("clGetDeviceIDs", code));
    devices.resize(std::min<std::size_t>(count, devices.size()));
    return devices;
  }

  // Fails the run with the call the status names ("clGetDeviceIDs: ...").
  bool FailWith(const Status& status) {
    const std::string& message = status.message();
    return recorder_.Fail(message.substr(0, message.find(':')), message);
  }

  bool SelectDevice() {
    recorder_.Begin("select device");
    Result<std::vector<cl_platform_id>> platforms = Platforms();
    if (!platforms.ok()) return FailWith(platforms.status());
    if (platforms->empty()) return recorder_.FailMissing("no OpenCL platform is installed");
    if (target_.first_cpu) {
      for (std::uint32_t p = 0; p < platforms->size() && !device_; ++p) {
        Result<std::vector<cl_device_id>> devices = Devices((*platforms)[p]);
        if (!devices.ok()) return FailWith(devices.status());
        for (std::uint32_t d = 0; d < devices->size(); ++d) {
          cl_device_type type = 0;
          if (!Check("clGetDeviceInfo", devices_.get_device_info((*devices)[d], CL_DEVICE_TYPE,
                                                                 sizeof type, &type, nullptr))) {
            return false;
          }
          if (type & CL_DEVICE_TYPE_CPU) {
            device_ = (*devices)[d];
            platform_index_ = p;
            device_index_ = d;
            break;
          }
        }
      }
      if (!device_) return recorder_.FailMissing("no OpenCL platform has a CPU device");
    } else {
      if (target_.platform >= platforms->size()) {
        return recorder_.FailMissing("OpenCL platform " + std::to_string(target_.platform) +
                                     " does not exist (" + std::to_string(platforms->size()) +
                                     (platforms->size() == 1 ? " platform)" : " platforms)"));
      }
      Result<std::vector<cl_device_id>> devices = Devices((*platforms)[target_.platform]);
      if (!devices.ok()) return FailWith(devices.status());
      if (target_.device >= devices->size()) {
        return recorder_.FailMissing("OpenCL platform " + std::to_string(target_.platform) +
                                     " has " + std::to_string(devices->size()) +
                                     (devices->size() == 1 ? " device" : " devices") + "; device " +
                                     std::to_string(target_.device) + " does not exist");
      }
      device_ = (*devices)[target_.device];
      platform_index_ = target_.platform;
      device_index_ = target_.device;
    }
    platform_ = (*platforms)[platform_index_];
    std::string name = "?";
    std::size_t size = 0;
    if (devices_.get_device_info(device_, CL_DEVICE_NAME, 0, nullptr, &size) == CL_SUCCESS &&
        size > 0 && size <= kMaxInfoBytes) {
      std::vector<char> buffer(size + 1, '\0');
      if (devices_.get_device_info(device_, CL_DEVICE_NAME, size, buffer.data(), nullptr) ==
          CL_SUCCESS) {
        name = buffer.data();
      }
    }
    result_->device = "opencl " + std::to_string(platform_index_) + "/" +
                      std::to_string(device_index_) + " (" + name + ")";
    return Check("clGetDeviceInfo",
                 devices_.get_device_info(device_, CL_DEVICE_MAX_WORK_GROUP_SIZE,
                                          sizeof max_work_group_, &max_work_group_, nullptr));
  }

  bool CreateContext() {
    recorder_.Begin("create context");
    const cl_context_properties properties[] = {
        CL_CONTEXT_PLATFORM, reinterpret_cast<cl_context_properties>(platform_), 0};
    cl_int code = CL_SUCCESS;
    context_ = compute_.create_context(properties, 1, &device_, nullptr, nullptr, &code);
    if (!Check("clCreateContext", code)) return false;
    queue_ = compute_.create_command_queue(context_, device_, 0, &code);
    return Check("clCreateCommandQueue", code);
  }

  // The first kBuildLogLines lines of the device's build log, or "" when there is none.
  std::string BuildLog() {
    std::size_t size = 0;
    if (compute_.get_program_build_info(program_, device_, CL_PROGRAM_BUILD_LOG, 0, nullptr,
                                        &size) != CL_SUCCESS ||
        size == 0 || size > kMaxInfoBytes) {
      return "";
    }
    std::vector<char> log(size + 1, '\0');
    if (compute_.get_program_build_info(program_, device_, CL_PROGRAM_BUILD_LOG, size, log.data(),
                                        nullptr) != CL_SUCCESS) {
      return "";
    }
    std::string text(log.data());
    std::size_t end = 0;
    for (std::size_t line = 0; line < kBuildLogLines && end != std::string::npos; ++line) {
      end = text.find('\n', end == 0 ? 0 : end + 1);
    }
    if (end != std::string::npos) text.resize(end);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  bool BuildKernel() {
    recorder_.Begin("build SGEMM kernel");
    // The largest square tile the device runs as one work-group; matrix_size is a multiple of 16,
    // so of every edge tried.
    tile_ = 16;
    while (tile_ > 1 && tile_ * tile_ > max_work_group_) tile_ /= 2;
    const char* source = sgemm_source_.data();
    const std::size_t length = sgemm_source_.size();
    cl_int code = CL_SUCCESS;
    program_ = compute_.create_program_with_source(context_, 1, &source, &length, &code);
    if (!Check("clCreateProgramWithSource", code)) return false;
    const std::string build_options = "-DTILE=" + std::to_string(tile_);
    code = compute_.build_program(program_, 1, &device_, build_options.c_str(), nullptr, nullptr);
    if (code != CL_SUCCESS) {
      std::string detail = Describe("clBuildProgram", code);
      if (std::string log = BuildLog(); !log.empty()) detail += ": " + log;
      return recorder_.Fail("clBuildProgram", std::move(detail));
    }
    kernel_ = compute_.create_kernel(program_, "sgemm", &code);
    return Check("clCreateKernel", code);
  }

  // A buffer that is released with the run.
  // Fails the run when clCreateBuffer does.
  bool NewBuffer(cl_mem_flags flags, std::size_t bytes, cl_mem* out) {
    cl_int code = CL_SUCCESS;
    *out = compute_.create_buffer(context_, flags, bytes, nullptr, &code);
    if (code == CL_SUCCESS && *out) buffers_.push_back(*out);
    return Check("clCreateBuffer", code);
  }

  bool RunSgemm() {
    const cl_uint n = options_.matrix_size;
    result_->matrix_size = n;
    const std::size_t elements = std::size_t{n} * n;
    const std::size_t bytes = elements * sizeof(float);
    recorder_.Begin("upload SGEMM inputs");
    const std::vector<float> a = MakeTestMatrix(n, 1);
    const std::vector<float> b = MakeTestMatrix(n, 2);
    cl_mem a_buffer = nullptr, b_buffer = nullptr, c_buffer = nullptr;
    if (!NewBuffer(CL_MEM_READ_ONLY, bytes, &a_buffer) ||
        !NewBuffer(CL_MEM_READ_ONLY, bytes, &b_buffer) ||
        !NewBuffer(CL_MEM_WRITE_ONLY, bytes, &c_buffer)) {
      return false;
    }
    if (!Check("clEnqueueWriteBuffer",
               compute_.enqueue_write_buffer(queue_, a_buffer, CL_TRUE, 0, bytes, a.data(), 0,
                                             nullptr, nullptr)) ||
        !Check("clEnqueueWriteBuffer",
               compute_.enqueue_write_buffer(queue_, b_buffer, CL_TRUE, 0, bytes, b.data(), 0,
                                             nullptr, nullptr))) {
      return false;
    }
    if (!Check("clSetKernelArg", compute_.set_kernel_arg(kernel_, 0, sizeof n, &n)) ||
        !Check("clSetKernelArg", compute_.set_kernel_arg(kernel_, 1, sizeof a_buffer, &a_buffer)) ||
        !Check("clSetKernelArg", compute_.set_kernel_arg(kernel_, 2, sizeof b_buffer, &b_buffer)) ||
        !Check("clSetKernelArg", compute_.set_kernel_arg(kernel_, 3, sizeof c_buffer, &c_buffer))) {
      return false;
    }
    const std::size_t global[2] = {n, n};
    const std::size_t local[2] = {tile_, tile_};
    // Run 0 is the warm-up: first launches pay for lazy compilation and page faults.
    recorder_.BeginSgemmRuns(n, options_.runs);
    const std::optional<double> seconds = TimeRuns(env_, options_.runs, [&] {
      return Check("clEnqueueNDRangeKernel",
                   compute_.enqueue_nd_range_kernel(queue_, kernel_, 2, nullptr, global, local, 0,
                                                    nullptr, nullptr)) &&
             Check("clFinish", compute_.finish(queue_));
    });
    if (!seconds) return false;
    recorder_.Begin("check SGEMM result");
    std::vector<float> c(elements);
    if (!Check("clEnqueueReadBuffer",
               compute_.enqueue_read_buffer(queue_, c_buffer, CL_TRUE, 0, bytes, c.data(), 0,
                                            nullptr, nullptr))) {
      return false;
    }
    return recorder_.CheckSgemm(n, a, b, c, *seconds);
  }

  bool RunCopy() {
    const std::size_t bytes = options_.copy_bytes;
    result_->copy_bytes = bytes;
    recorder_.BeginCopyUpload(bytes);
    const std::vector<std::uint32_t> source = MakeCopyPattern(bytes);
    cl_mem from = nullptr, to = nullptr;
    if (!NewBuffer(CL_MEM_READ_ONLY, bytes, &from) || !NewBuffer(CL_MEM_READ_WRITE, bytes, &to)) {
      return false;
    }
    if (!Check("clEnqueueWriteBuffer",
               compute_.enqueue_write_buffer(queue_, from, CL_TRUE, 0, bytes, source.data(), 0,
                                             nullptr, nullptr))) {
      return false;
    }
    recorder_.BeginCopyRuns(bytes, options_.runs);
    const std::optional<double> seconds = TimeRuns(env_, options_.runs, [&] {
      return Check("clEnqueueCopyBuffer",
                   compute_.enqueue_copy_buffer(queue_, from, to, 0, 0, bytes, 0, nullptr,
                                                nullptr)) &&
             Check("clFinish", compute_.finish(queue_));
    });
    if (!seconds) return false;
    recorder_.Begin("check copy result");
    std::vector<std::uint32_t> copied(source.size());
    if (!Check("clEnqueueReadBuffer",
               compute_.enqueue_read_buffer(queue_, to, CL_TRUE, 0, bytes, copied.data(), 0,
                                            nullptr, nullptr))) {
      return false;
    }
    return recorder_.CheckCopy(source, copied, *seconds);
  }

  std::string_view sgemm_source_;

  std::unique_ptr<Library> library_;  // outlives every call through the tables
  OpenClDeviceApi devices_;
  OpenClComputeApi compute_;
  cl_platform_id platform_ = nullptr;
  cl_device_id device_ = nullptr;
  std::uint32_t platform_index_ = 0;
  std::uint32_t device_index_ = 0;
  std::size_t max_work_group_ = 1;
  std::size_t tile_ = 16;
  cl_context context_ = nullptr;
  cl_command_queue queue_ = nullptr;
  cl_program program_ = nullptr;
  cl_kernel kernel_ = nullptr;
  std::vector<cl_mem> buffers_;
};

}  // namespace

namespace verify_internal {

VerifyResult VerifyOpenClWithSource(const Env& env, const VerifyTarget& target,
                                    const VerifyOptions& options, std::string_view sgemm_source) {
  return VerifyWith<OpenClRun>(VerifyApi::kOpenCl, env, target, options, sgemm_source);
}

}  // namespace verify_internal

VerifyResult VerifyOpenCl(const Env& env, const VerifyTarget& target,
                          const VerifyOptions& options) {
  return verify_internal::VerifyOpenClWithSource(env, target, options, OpenClSgemmSource());
}

}  // namespace devpick
