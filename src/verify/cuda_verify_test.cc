// Runs VerifyCuda against the fake libcuda of tests/fakes (there is no NVIDIA GPU on the build
// machine): the fake keeps device memory on the host and runs the SGEMM kernel's algorithm from
// the grid and block it is launched with, so these tests check the real call sequence, launch
// configuration, result checks and clean-up. FAKE_CUDA_FAIL makes any entry point fail;
// FAKE_CUDA_CALL_LOG records context creation and destruction (and anything left allocated).
// The loading failures use the in-memory FakeEnv, whose OpenLibrary finds nothing.
#include "verify/cuda_verify.h"

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "fake_env.h"
#include "vendor/cuda_launch.h"
#include "verify/verify_test_util.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char kFakesDir[] = DEVPICK_BINARY_DIR "/tests/fakes/good";

// A library opened by path; `hidden` is a symbol it then pretends not to export.
class PathLibrary : public Library {
 public:
  PathLibrary(void* handle, std::string path, std::string hidden)
      : handle_(handle), path_(std::move(path)), hidden_(std::move(hidden)) {}
  ~PathLibrary() override { dlclose(handle_); }
  void* Symbol(const char* name) const override {
    return hidden_ == name ? nullptr : dlsym(handle_, name);
  }
  std::string path() const override { return path_; }

 private:
  void* handle_;
  std::string path_;
  std::string hidden_;
};

// The real Env, except that libraries are opened by path from the fakes' directory: the loader
// reads LD_LIBRARY_PATH only at start-up, and this binary also runs the OpenCL and Vulkan tests
// against the real runtimes.
class FakeLibraryEnv : public EnvWrapper {
 public:
  explicit FakeLibraryEnv(std::string hidden_symbol = "")
      : EnvWrapper(Real()), hidden_(std::move(hidden_symbol)) {}

  Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const override {
    const std::string path = std::string(kFakesDir) + "/" + soname;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return Status::NotFound(dlerror());
    return std::unique_ptr<Library>(new PathLibrary(handle, path, hidden_));
  }

 private:
  // The live system, shared by every FakeLibraryEnv and never destroyed.
  static const Env& Real() {
    static const Env* const real = NewRealEnv().release();
    return *real;
  }

  std::string hidden_;
};

constexpr const char* kFakeVariables[] = {"FAKE_NVIDIA_GPUS", "FAKE_CUDA_MODE", "FAKE_CUDA_FAIL",
                                          "FAKE_CUDA_CALL_LOG"};

// A GeForce and an A100: device 1 is the A100.
constexpr const char kTwoGpus[] =
    "name=NVIDIA GeForce RTX 4090,uuid=GPU-5e1f0a2b-3c4d-5e6f-7081-92a3b4c5d6e7,"
    "bus=00000000:01:00.0,mem=25757220864,cc=8.9,sm=128,clock_khz=2520000,integrated=0;"
    "name=NVIDIA A100-SXM4-80GB,uuid=GPU-00112233-4455-6677-8899-aabbccddeeff,"
    "bus=00000000:41:00.0,mem=85899345920,cc=8.0,sm=108,clock_khz=1410000,integrated=0";

// What a run that created a context must leave in the call log: the context destroyed, nothing
// still allocated in it.
constexpr const char kCleanContextLog[] = "cuCtxCreate_v2\ncuCtxDestroy_v2\n";

VerifyOptions SmallOptions() { return testing::SmallVerifyOptions(); }

VerifyTarget Device(std::uint32_t index) {
  VerifyTarget target;
  target.api = VerifyApi::kCuda;
  target.device = index;
  return target;
}

class VerifyCudaFake : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kFakeVariables) unsetenv(name);
    setenv("FAKE_NVIDIA_GPUS", kTwoGpus, 1);
    log_path_ = ::testing::TempDir() + "cuda_verify_calls_" + std::to_string(getpid());
    std::remove(log_path_.c_str());
    setenv("FAKE_CUDA_CALL_LOG", log_path_.c_str(), 1);
  }
  void TearDown() override {
    for (const char* name : kFakeVariables) unsetenv(name);
    std::remove(log_path_.c_str());
  }

  // The context calls the fake recorded since SetUp ("" when none).
  std::string CallLog() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  VerifyResult Run(std::uint32_t device = 1) {
    return VerifyCuda(env_, Device(device), SmallOptions());
  }

  FakeLibraryEnv env_;
  std::string log_path_;
};

TEST_F(VerifyCudaFake, SecondGpuComputesCorrectSgemmAndMeasuresThroughput) {
  VerifyResult result = testing::VerifySmallWithProgress(VerifyCuda, env_, Device(1));
  testing::ExpectMeasuredSuccess(
      result, "cuda",
      {"load libcuda.so.1", "select device", "create context", "load SGEMM module",
       "upload SGEMM inputs", "run SGEMM 64x64 x2", "check SGEMM result",
       "upload copy source 1 MiB", "copy 1 MiB x2", "check copy result"});
  EXPECT_EQ(result.device, "cuda 1 (NVIDIA A100-SXM4-80GB)");
  EXPECT_EQ(result.detail, "");
  EXPECT_FALSE(result.device_missing);
  EXPECT_EQ(result.matrix_size, 64u);
  EXPECT_EQ(result.copy_bytes, 1u << 20);
  EXPECT_EQ(CallLog(), kCleanContextLog);
}

TEST_F(VerifyCudaFake, FirstGpuIsDeviceZero) {
  VerifyResult result = Run(0);
  ASSERT_TRUE(result.correct) << result.failed_step << ": " << result.detail;
  EXPECT_EQ(result.device, "cuda 0 (NVIDIA GeForce RTX 4090)");
}

TEST_F(VerifyCudaFake, MissingDeviceNamesHowManyExistAndCreatesNoContext) {
  VerifyResult result = Run(5);
  testing::ExpectMissingDevice(result, "CUDA device 5 does not exist (2 devices)");
  EXPECT_EQ(result.device, "");
  EXPECT_EQ(CallLog(), "");
}

TEST_F(VerifyCudaFake, MissingDeviceOnAOneGpuMachineSaysOneDevice) {
  setenv("FAKE_NVIDIA_GPUS", "name=NVIDIA T4,mem=16000000000", 1);
  VerifyResult result = Run(1);
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.detail, "CUDA device 1 does not exist (1 device)");
}

TEST_F(VerifyCudaFake, NoVisibleDeviceIsAMissingDevice) {
  setenv("FAKE_CUDA_MODE", "no_device", 1);
  VerifyResult result = Run(0);
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, "cuInit: CUDA_ERROR_NO_DEVICE (100): no CUDA device is visible");
}

TEST_F(VerifyCudaFake, CpuTargetIsAMissingDevice) {
  VerifyTarget target = Device(0);
  target.first_cpu = true;
  VerifyResult result = VerifyCuda(env_, target, SmallOptions());
  EXPECT_TRUE(result.device_missing);
  EXPECT_EQ(result.failed_step, "select device");
  EXPECT_EQ(result.detail, "CUDA has no CPU device");
  EXPECT_EQ(CallLog(), "");
}

// A CUDA call the fake fails (FAKE_CUDA_FAIL=<call>=<code>): verify names it, with the error, in
// the step that was running, and leaves no context behind.
struct ScriptedFailure {
  const char* script;  // FAKE_CUDA_FAIL
  const char* detail;
  const char* step;    // the step that was running
  bool after_context;  // the device was named and a context created (and released) before it
};

class VerifyCudaScriptedFailure : public VerifyCudaFake,
                                  public ::testing::WithParamInterface<ScriptedFailure> {};

TEST_P(VerifyCudaScriptedFailure, NamesTheCallAndReleasesEverything) {
  const ScriptedFailure& failure = GetParam();
  setenv("FAKE_CUDA_FAIL", failure.script, 1);
  VerifyResult result = Run();
  const std::string call(failure.script, std::strchr(failure.script, '=') - failure.script);
  EXPECT_FALSE(result.correct);
  EXPECT_FALSE(result.device_missing);
  EXPECT_EQ(result.failed_step, call);
  EXPECT_EQ(result.detail, failure.detail);
  ASSERT_FALSE(result.steps.empty());
  EXPECT_EQ(result.steps.back(), failure.step);
  if (failure.after_context) {
    EXPECT_EQ(result.device, "cuda 1 (NVIDIA A100-SXM4-80GB)");
    EXPECT_EQ(CallLog(), kCleanContextLog);
  } else {
    EXPECT_EQ(CallLog(), "");  // no context was created
  }
}

INSTANTIATE_TEST_SUITE_P(
    Calls, VerifyCudaScriptedFailure,
    ::testing::Values(ScriptedFailure{.script = "cuInit=999",
                                      .detail = "cuInit: CUDA_ERROR_UNKNOWN (999)",
                                      .step = "select device",
                                      .after_context = false},
                      ScriptedFailure{.script = "cuDeviceGetCount=3",
                                      .detail = "cuDeviceGetCount: CUDA_ERROR_NOT_INITIALIZED (3)",
                                      .step = "select device",
                                      .after_context = false},
                      ScriptedFailure{.script = "cuDeviceGet=101",
                                      .detail = "cuDeviceGet: CUDA_ERROR_INVALID_DEVICE (101)",
                                      .step = "select device",
                                      .after_context = false},
                      ScriptedFailure{.script = "cuDeviceGetName=4",
                                      .detail = "cuDeviceGetName: CUDA_ERROR_DEINITIALIZED (4)",
                                      .step = "select device",
                                      .after_context = false},
                      ScriptedFailure{.script = "cuCtxCreate_v2=2",
                                      .detail = "cuCtxCreate_v2: CUDA_ERROR_OUT_OF_MEMORY (2)",
                                      .step = "create context",
                                      .after_context = false},
                      ScriptedFailure{.script = "cuModuleLoadDataEx=218",
                                      .detail = "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (218)",
                                      .step = "load SGEMM module",
                                      .after_context = true},
                      ScriptedFailure{.script = "cuModuleGetFunction=500",
                                      .detail = "cuModuleGetFunction: CUDA_ERROR_NOT_FOUND (500)",
                                      .step = "load SGEMM module",
                                      .after_context = true},
                      ScriptedFailure{.script = "cuMemAlloc_v2=2",
                                      .detail = "cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2)",
                                      .step = "upload SGEMM inputs",
                                      .after_context = true},
                      ScriptedFailure{.script = "cuMemcpyHtoD_v2=1",
                                      .detail = "cuMemcpyHtoD_v2: CUDA_ERROR_INVALID_VALUE (1)",
                                      .step = "upload SGEMM inputs",
                                      .after_context = true},
                      ScriptedFailure{.script = "cuLaunchKernel=400",
                                      .detail = "cuLaunchKernel: CUDA_ERROR_INVALID_HANDLE (400)",
                                      .step = "run SGEMM 64x64 x2",
                                      .after_context = true},
                      ScriptedFailure{
                          .script = "cuCtxSynchronize=700",
                          .detail = "cuCtxSynchronize: CUDA_ERROR_ILLEGAL_ADDRESS (700)",
                          .step = "run SGEMM 64x64 x2",
                          .after_context = true},
                      ScriptedFailure{.script = "cuMemcpyDtoH_v2=1",
                                      .detail = "cuMemcpyDtoH_v2: CUDA_ERROR_INVALID_VALUE (1)",
                                      .step = "check SGEMM result",
                                      .after_context = true},
                      ScriptedFailure{.script = "cuMemcpyDtoD_v2=201",
                                      .detail = "cuMemcpyDtoD_v2: CUDA_ERROR_INVALID_CONTEXT (201)",
                                      .step = "copy 1 MiB x2",
                                      .after_context = true}),
    [](const ::testing::TestParamInfo<ScriptedFailure>& param_info) {
      const char* script = param_info.param.script;
      return std::string(script, std::strchr(script, '=') - script);
    });

TEST_F(VerifyCudaFake, DeviceNameFailureLeavesTheOrdinalAsTheDevice) {
  setenv("FAKE_CUDA_FAIL", "cuDeviceGetName=4", 1);
  EXPECT_EQ(Run().device, "cuda 1");
}

TEST_F(VerifyCudaFake, ErrorWithoutANameIsReportedByNumber) {
  setenv("FAKE_CUDA_FAIL", "cuLaunchKernel=12345", 1);
  EXPECT_EQ(Run().detail, "cuLaunchKernel: error 12345");
  setenv("FAKE_CUDA_FAIL", "cuGetErrorName=1,cuInit=999", 1);
  EXPECT_EQ(Run().detail, "cuInit: error 999");
}

TEST_F(VerifyCudaFake, WrongKernelResultFailsTheSgemmCheck) {
  setenv("FAKE_CUDA_MODE", "wrong_result", 1);
  VerifyResult result = Run();
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "check SGEMM result");
  EXPECT_THAT(result.detail, StartsWith("max relative error "));
  EXPECT_THAT(result.detail, HasSubstr(" exceeds 0.0001"));
  EXPECT_GT(result.max_rel_error, kMaxAcceptedRelError);
  EXPECT_FALSE(result.gflops.has_value());
  EXPECT_EQ(CallLog(), kCleanContextLog);
}

TEST_F(VerifyCudaFake, CorruptedCopyFailsTheCopyCheck) {
  setenv("FAKE_CUDA_MODE", "bad_copy", 1);
  VerifyResult result = Run();
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "check copy result");
  EXPECT_EQ(result.detail, "the copied buffer differs from its source");
  EXPECT_TRUE(result.gflops.has_value());  // the SGEMM before it was right
  EXPECT_FALSE(result.copy_gbps.has_value());
  EXPECT_EQ(CallLog(), kCleanContextLog);
}

TEST_F(VerifyCudaFake, PtxTheJitRejectsShowsTheJitLog) {
  VerifyResult result =
      verify_internal::VerifyCudaWithPtx(env_, Device(1), SmallOptions(), "this is not PTX");
  EXPECT_FALSE(result.correct);
  EXPECT_EQ(result.failed_step, "cuModuleLoadDataEx");
  EXPECT_EQ(result.detail,
            "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (218): ptxas application ptx input, line "
            "1; error   : Missing .version directive\n"
            "ptxas fatal   : Ptx assembly aborted due to errors");
  EXPECT_EQ(result.steps.back(), "load SGEMM module");
  EXPECT_EQ(CallLog(), kCleanContextLog);
}

TEST_F(VerifyCudaFake, MissingSymbolFailsTheLoadNamingIt) {
  FakeLibraryEnv env("cuLaunchKernel");
  VerifyResult result = VerifyCuda(env, Device(1), SmallOptions());
  EXPECT_FALSE(result.correct);
  EXPECT_FALSE(result.device_missing);
  EXPECT_EQ(result.failed_step, "load libcuda.so.1");
  EXPECT_EQ(result.detail, std::string(kFakesDir) + "/libcuda.so.1: missing symbol cuLaunchKernel");
  EXPECT_THAT(result.steps, ElementsAre("load libcuda.so.1"));
  EXPECT_EQ(CallLog(), "");
}

TEST(VerifyCuda, MissingLibraryFailsTheLoadStepWithoutAMissingDevice) {
  testing::FakeEnv env;  // opens no library
  VerifyResult result = VerifyCuda(env, Device(0), SmallOptions());
  testing::ExpectMissingLibrary(result, "libcuda.so.1");
  // Not a missing device: the CLI exits 1, as for a missing libOpenCL.so.1.
  EXPECT_FALSE(result.device_missing);
  EXPECT_EQ(result.api, "cuda");
  EXPECT_EQ(result.device, "");
  EXPECT_THAT(result.steps, ElementsAre("load libcuda.so.1"));
}

TEST(VerifyCuda, InvalidOptionsFailBeforeLoading) {
  testing::FakeEnv env;
  VerifyOptions options = SmallOptions();
  options.copy_bytes = 10;
  VerifyResult result = VerifyCuda(env, Device(0), options);
  EXPECT_EQ(result.failed_step, "check options");
  EXPECT_EQ(result.detail, "copy size 10 bytes is not a positive multiple of 16");
  EXPECT_TRUE(result.steps.empty());
}

TEST(VerifyCuda, EmbeddedPtxIsTheSgemmEntryForSm52) {
  const std::string_view ptx = verify_internal::CudaSgemmPtx();
  EXPECT_THAT(std::string(ptx), HasSubstr(".version "));
  EXPECT_THAT(std::string(ptx), HasSubstr(".target sm_52"));
  EXPECT_THAT(std::string(ptx), HasSubstr(".entry sgemm("));
  EXPECT_THAT(std::string(ptx), HasSubstr(".shared"));   // the tiles
  EXPECT_THAT(std::string(ptx), HasSubstr("bar.sync"));  // __syncthreads()
  EXPECT_EQ(ptx.size(), std::strlen(ptx.data()));
}

// The entry points of the fake libcuda that the tests of the fake itself call directly, each
// resolved once here (the fake exports them all).
template <typename Fn>
Fn* Resolve(const Library& library, const char* name) {
  return reinterpret_cast<Fn*>(library.Symbol(name));
}

struct FakeCudaApi {
  explicit FakeCudaApi(const Library& library)
      : init(Resolve<decltype(cuInit)>(library, "cuInit")),
        create(Resolve<decltype(cuCtxCreate_v2)>(library, "cuCtxCreate_v2")),
        destroy(Resolve<decltype(cuCtxDestroy_v2)>(library, "cuCtxDestroy_v2")),
        load(Resolve<decltype(cuModuleLoadDataEx)>(library, "cuModuleLoadDataEx")),
        get(Resolve<decltype(cuModuleGetFunction)>(library, "cuModuleGetFunction")),
        unload(Resolve<decltype(cuModuleUnload)>(library, "cuModuleUnload")),
        alloc(Resolve<decltype(cuMemAlloc_v2)>(library, "cuMemAlloc_v2")),
        mem_free(Resolve<decltype(cuMemFree_v2)>(library, "cuMemFree_v2")),
        upload(Resolve<decltype(cuMemcpyHtoD_v2)>(library, "cuMemcpyHtoD_v2")),
        download(Resolve<decltype(cuMemcpyDtoH_v2)>(library, "cuMemcpyDtoH_v2")),
        copy_dtod(Resolve<decltype(cuMemcpyDtoD_v2)>(library, "cuMemcpyDtoD_v2")),
        launch(Resolve<decltype(cuLaunchKernel)>(library, "cuLaunchKernel")),
        synchronize(Resolve<decltype(cuCtxSynchronize)>(library, "cuCtxSynchronize")) {}

  decltype(cuInit)* init;
  decltype(cuCtxCreate_v2)* create;
  decltype(cuCtxDestroy_v2)* destroy;
  decltype(cuModuleLoadDataEx)* load;
  decltype(cuModuleGetFunction)* get;
  decltype(cuModuleUnload)* unload;
  decltype(cuMemAlloc_v2)* alloc;
  decltype(cuMemFree_v2)* mem_free;
  decltype(cuMemcpyHtoD_v2)* upload;
  decltype(cuMemcpyDtoH_v2)* download;
  decltype(cuMemcpyDtoD_v2)* copy_dtod;
  decltype(cuLaunchKernel)* launch;
  decltype(cuCtxSynchronize)* synchronize;
};

// The fake itself: its launch honours the grid and block it is given, so a launch configuration
// other than the kernel's 16 x 16 blocks gives a wrong answer rather than the right one.
TEST_F(VerifyCudaFake, FakeLaunchWithTheWrongBlockShapeComputesAWrongAnswer) {
  FakeLibraryEnv env;
  Result<std::unique_ptr<Library>> library = env.OpenLibrary("libcuda.so.1");
  ASSERT_TRUE(library.ok()) << library.status().message();
  const FakeCudaApi cu(**library);

  constexpr unsigned kN = 32;
  const std::vector<float> a = MakeTestMatrix(kN, 1);
  const std::vector<float> b = MakeTestMatrix(kN, 2);
  const std::size_t bytes = a.size() * sizeof(float);
  ASSERT_EQ(cu.init(0), CUDA_SUCCESS);
  CUcontext context = nullptr;
  ASSERT_EQ(cu.create(&context, 0, 0), CUDA_SUCCESS);
  // Destroys the context when an assertion ends the test early, so no later test inherits it.
  std::unique_ptr<CUctx_st, decltype(cu.destroy)> context_guard(context, cu.destroy);
  const std::string ptx(verify_internal::CudaSgemmPtx());
  CUmodule module = nullptr;
  ASSERT_EQ(cu.load(&module, ptx.c_str(), 0, nullptr, nullptr), CUDA_SUCCESS);
  CUfunction function = nullptr;
  ASSERT_EQ(cu.get(&function, module, "sgemm"), CUDA_SUCCESS);
  CUdeviceptr buffers[3] = {};
  for (CUdeviceptr& buffer : buffers) ASSERT_EQ(cu.alloc(&buffer, bytes), CUDA_SUCCESS);
  ASSERT_EQ(cu.upload(buffers[0], a.data(), bytes), CUDA_SUCCESS);
  ASSERT_EQ(cu.upload(buffers[1], b.data(), bytes), CUDA_SUCCESS);
  unsigned n = kN;
  void* params[] = {&n, &buffers[0], &buffers[1], &buffers[2]};
  std::vector<float> c(a.size());
  const std::vector<double> want = ReferenceSgemm(kN, a, b);
  const std::vector<double> magnitude = ReferenceMagnitude(kN, a, b);

  // The kernel's own configuration: right.
  ASSERT_EQ(cu.launch(function, 2, 2, 1, 16, 16, 1, 0, nullptr, params, nullptr), CUDA_SUCCESS);
  ASSERT_EQ(cu.synchronize(), CUDA_SUCCESS);
  ASSERT_EQ(cu.download(c.data(), buffers[2], bytes), CUDA_SUCCESS);
  EXPECT_LE(MaxRelativeError(c, want, magnitude), kMaxAcceptedRelError);

  // 8 x 8 blocks load a quarter of each 16 x 16 tile, and the kernel's sums read all of it: wrong.
  ASSERT_EQ(cu.launch(function, 2, 2, 1, 8, 8, 1, 0, nullptr, params, nullptr), CUDA_SUCCESS);
  ASSERT_EQ(cu.synchronize(), CUDA_SUCCESS);
  ASSERT_EQ(cu.download(c.data(), buffers[2], bytes), CUDA_SUCCESS);
  EXPECT_TRUE(std::isinf(MaxRelativeError(c, want, magnitude)));

  // A grid too large for the matrix reads past A: the kernel faults, reported at synchronisation.
  ASSERT_EQ(cu.launch(function, 4, 4, 1, 16, 16, 1, 0, nullptr, params, nullptr), CUDA_SUCCESS);
  EXPECT_EQ(cu.synchronize(), CUDA_ERROR_ILLEGAL_ADDRESS);

  for (CUdeviceptr buffer : buffers) EXPECT_EQ(cu.mem_free(buffer), CUDA_ERROR_ILLEGAL_ADDRESS);
  EXPECT_EQ(cu.unload(module), CUDA_ERROR_ILLEGAL_ADDRESS);
  EXPECT_EQ(cu.destroy(context_guard.release()), CUDA_SUCCESS);
  EXPECT_EQ(CallLog(),
            "cuCtxCreate_v2\ncuCtxDestroy_v2\nlive at cuCtxDestroy_v2: 3 allocations, 1 modules\n");
}

TEST_F(VerifyCudaFake, FakeRejectsCopiesOutsideAnAllocationAndUnknownFrees) {
  FakeLibraryEnv env;
  Result<std::unique_ptr<Library>> library = env.OpenLibrary("libcuda.so.1");
  ASSERT_TRUE(library.ok()) << library.status().message();
  const FakeCudaApi cu(**library);

  ASSERT_EQ(cu.init(0), CUDA_SUCCESS);
  CUdeviceptr buffer = 0;
  EXPECT_EQ(cu.alloc(&buffer, 64), CUDA_ERROR_INVALID_CONTEXT);  // no context yet
  CUcontext context = nullptr;
  ASSERT_EQ(cu.create(&context, 0, 1), CUDA_SUCCESS);
  std::unique_ptr<CUctx_st, decltype(cu.destroy)> context_guard(context, cu.destroy);
  ASSERT_EQ(cu.alloc(&buffer, 64), CUDA_SUCCESS);
  const char bytes[65] = {};
  EXPECT_EQ(cu.upload(buffer, bytes, 64), CUDA_SUCCESS);
  EXPECT_EQ(cu.upload(buffer + 16, bytes, 48), CUDA_SUCCESS);
  EXPECT_EQ(cu.upload(buffer, bytes, 65), CUDA_ERROR_INVALID_VALUE);
  EXPECT_EQ(cu.upload(buffer + 16, bytes, 49), CUDA_ERROR_INVALID_VALUE);
  EXPECT_EQ(cu.copy_dtod(buffer + 32, buffer, 32), CUDA_SUCCESS);
  EXPECT_EQ(cu.copy_dtod(buffer + 33, buffer, 32), CUDA_ERROR_INVALID_VALUE);
  EXPECT_EQ(cu.mem_free(buffer + 8), CUDA_ERROR_INVALID_VALUE);
  EXPECT_EQ(cu.mem_free(buffer), CUDA_SUCCESS);
  EXPECT_EQ(cu.mem_free(buffer), CUDA_ERROR_INVALID_VALUE);
  EXPECT_EQ(cu.destroy(context_guard.release()), CUDA_SUCCESS);
  EXPECT_EQ(cu.destroy(context), CUDA_ERROR_INVALID_CONTEXT);
}

}  // namespace
}  // namespace devpick
