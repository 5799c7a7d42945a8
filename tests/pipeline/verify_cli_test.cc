// `devpick verify --api cuda` as a user meets it: against the fake libcuda of tests/fakes (through
// LD_LIBRARY_PATH in the child), and without any libcuda, with exact output and exit statuses.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace devpick::testing {
namespace {

// Two GPUs; verify's fake runs the kernel on the host.
std::map<std::string, std::string> FakeCudaMachine() {
  return {
      {"LD_LIBRARY_PATH", DEVPICK_FAKES_DIR "/good"},
      {"FAKE_NVIDIA_GPUS",
       "name=NVIDIA GeForce RTX 4090,bus=00000000:01:00.0,mem=25757220864;"
       "name=NVIDIA A100-SXM4-80GB,bus=00000000:41:00.0,mem=85899345920"},
      {"FAKE_CUDA_MODE", ""},
      {"FAKE_CUDA_FAIL", ""},
  };
}

// Small enough for the fake's host-side kernel in a debug build.
std::vector<std::string> VerifyCuda(std::vector<std::string> extra) {
  std::vector<std::string> args = {"verify", "--size", "64", "--copy-mib", "1", "--runs", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// "<prefix>…<suffix>" with a measured number in between: the numbers vary from run to run.
void ExpectShape(const std::string& text, const std::string& prefix, const std::string& middle,
                 const std::string& suffix) {
  EXPECT_EQ(text.rfind(prefix, 0), 0u) << text;
  EXPECT_NE(text.find(middle), std::string::npos) << text;
  ASSERT_GE(text.size(), suffix.size()) << text;
  EXPECT_EQ(text.substr(text.size() - suffix.size()), suffix) << text;
}

TEST(VerifyCli, CudaOnTheFakeGpuIsCorrectAndMeasured) {
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda", "--device", "cuda:0"}), FakeCudaMachine());
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  ExpectShape(r.out, "cuda 0 (NVIDIA GeForce RTX 4090): correct (max rel error ",
              "; SGEMM 64x64: ", " GB/s\n");
  EXPECT_NE(r.out.find(" GFLOP/s; copy 1 MiB: "), std::string::npos) << r.out;
}

TEST(VerifyCli, BackendCudaVerifiesTheSelectedGpuThroughCuda) {
  // --backend selects as `select` does: "1" is the backend's own index, cuda:1.
  CliResult r =
      RunDevpick(VerifyCuda({"--backend", "cuda", "--device", "1", "--json"}), FakeCudaMachine());
  ASSERT_EQ(r.exit_status, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(
      j["selected"],
      (nlohmann::json{{"id", "gpu1"}, {"name", "NVIDIA A100-SXM4-80GB"}, {"backend", "cuda"}}));
  EXPECT_EQ(j["api"], "cuda");
  EXPECT_EQ(j["device"], "cuda 1 (NVIDIA A100-SXM4-80GB)");
  EXPECT_EQ(j["correct"], true);
  EXPECT_EQ(j["failed_step"], nullptr);
  EXPECT_TRUE(j["gflops"].is_number());
  EXPECT_TRUE(j["copy_gbps"].is_number());
  EXPECT_EQ(j["matrix_size"], 64);
  EXPECT_EQ(j["copy_bytes"], 1 << 20);
}

TEST(VerifyCli, MissingCudaDeviceExitsThree) {
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda", "--device", "cuda:5"}), FakeCudaMachine());
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.out, "cuda: FAILED at select device: CUDA device 5 does not exist (2 devices)\n");
  EXPECT_EQ(r.err, "");
}

TEST(VerifyCli, FailingCudaCallExitsOneNamingTheCall) {
  std::map<std::string, std::string> env = FakeCudaMachine();
  env["FAKE_CUDA_FAIL"] = "cuLaunchKernel=701";
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda"}), env);
  EXPECT_EQ(r.exit_status, 1);
  // 701 (CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES) is a code the fake has no name for.
  EXPECT_EQ(r.out,
            "cuda 0 (NVIDIA GeForce RTX 4090): FAILED at cuLaunchKernel: cuLaunchKernel: "
            "error 701\n");
}

TEST(VerifyCli, ACrashingDriverIsAReportedFailureNotACrash) {
  // The work runs in a devpick-probe child: the driver's SIGSEGV kills that, not devpick.
  std::map<std::string, std::string> env = FakeCudaMachine();
  env["FAKE_CUDA_MODE"] = "crash";
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda"}), env);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out,
            "cuda 0: FAILED at devpick-probe verify: devpick-probe verify cuda cuda:0 64 1048576 "
            "2: the probe process died from signal 11 (Segmentation fault)\n");
}

TEST(VerifyCli, InProcessShowsEachStepUnderVerbose) {
  CliResult r =
      RunDevpick(VerifyCuda({"--in-process", "-v", "--api", "opencl", "--device", "cpu"}));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.err.find("devpick: verify: build SGEMM kernel\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("devpick: verify: check copy result\n"), std::string::npos) << r.err;
  CliResult isolated = RunDevpick(VerifyCuda({"-v", "--api", "opencl", "--device", "cpu"}));
  ASSERT_EQ(isolated.exit_status, 0) << isolated.err;
  EXPECT_EQ(isolated.err, "devpick: verify: running in devpick-probe (killed after 120 s)\n");
}

TEST(VerifyCli, WrongCudaResultExitsOne) {
  std::map<std::string, std::string> env = FakeCudaMachine();
  env["FAKE_CUDA_MODE"] = "wrong_result";
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda"}), env);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out.rfind("cuda 0 (NVIDIA GeForce RTX 4090): FAILED at check SGEMM result: max "
                        "relative error ",
                        0),
            0u)
      << r.out;
}

TEST(VerifyCli, MissingLibcudaExitsOneNamingTheLibrary) {
  // Only meaningful where no NVIDIA driver is installed (the build image); with one, the loader
  // finds it through its cache whatever LD_LIBRARY_PATH says.
  if (void* installed = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(installed);
    GTEST_SKIP() << "a real libcuda.so.1 is installed";
  }
  std::map<std::string, std::string> env = FakeCudaMachine();
  env["LD_LIBRARY_PATH"] = "/nonexistent";
  CliResult r = RunDevpick(VerifyCuda({"--api", "cuda"}), env);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.out,
            "cuda: FAILED at load libcuda.so.1: libcuda.so.1: cannot open shared object file: No "
            "such file or directory\n");
  EXPECT_EQ(r.err, "");
}

TEST(VerifyCli, CudaRejectsTheCpuDeviceAsUsageError) {
  CliResult r = RunDevpick({"verify", "--api", "cuda", "--device", "cpu"}, FakeCudaMachine());
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "devpick: device 'cpu' is not a cuda device (expected cuda:N): CUDA drives NVIDIA GPUs "
            "only; verify a CPU through --api opencl or --api vulkan\n");
}

TEST(VerifyCli, BackendWithoutAnEligibleDeviceExitsThreeWithSelectsReason) {
  CliResult r = RunDevpick({"verify", "--backend", "rocm"});
  EXPECT_EQ(r.exit_status, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "devpick: no eligible device for backend rocm: no AMD GPU was found (found: cpu "
            "(CPU))\n");
}

TEST(VerifyCli, BackendOpenVinoVerifiesTheSelectedCpuThroughPocl) {
  CliResult r = RunDevpick(VerifyCuda({"--backend", "openvino"}));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ExpectShape(r.out, "cpu (", ") for openvino, via opencl 0/0 (pthread", " GB/s\n");
  EXPECT_NE(r.out.find("): correct (max rel error "), std::string::npos) << r.out;
}

TEST(VerifyCli, WithoutBackendOrApiTheRecommendedDeviceIsVerified) {
  // A CPU-only x86-64 machine: select recommends openvino on the CPU, reached through PoCL.
  CliResult r = RunDevpick(VerifyCuda({}));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ExpectShape(r.out, "cpu (", ") for openvino (recommended), via opencl 0/0 (pthread", " GB/s\n");
}

TEST(VerifyCli, BackendVulkanDeviceCpuIsTheCpuThroughLavapipeAndSaysSo) {
  CliResult r = RunDevpick(VerifyCuda({"--backend", "vulkan", "--device", "cpu"}));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ExpectShape(r.out, "cpu (", ") for vulkan, via vulkan 0 (llvmpipe", " GB/s\n");
  EXPECT_EQ(r.err,
            "devpick: warning: no eligible device for backend vulkan matches device spec 'cpu' "
            "(found: cpu (CPU)); falling back to the CPU as requested (fallback = cpu)\n");
}

TEST(VerifyCli, ReplayOrRootIsRefused) {
  const std::string snapshot = SourcePath("tests/scenarios/desktop-arc-a770-uhd770.json");
  CliResult replay = RunDevpick({"--replay", snapshot, "verify"});
  EXPECT_EQ(replay.exit_status, 2);
  EXPECT_EQ(replay.err,
            "devpick: verify runs work on this machine's devices; it cannot verify the devices of "
            "a replayed snapshot (" +
                snapshot + ")\n");
  const std::string tree = SourcePath("tests/fixtures/sysfs/arc-a770-uhd770");
  CliResult root = RunDevpick({"--root", tree, "verify", "--api", "opencl"});
  EXPECT_EQ(root.exit_status, 2);
  EXPECT_EQ(root.err,
            "devpick: verify runs work on this machine's devices; it cannot verify the devices of "
            "a captured tree (" +
                tree + ")\n");
}

TEST(VerifyCli, HelpNamesCudaAndTheExitStatuses) {
  CliResult r = RunDevpick({"verify", "--help"});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_NE(r.out.find("opencl or cuda (the CUDA driver API, NVIDIA GPUs)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Exit status: 0 when both results are correct, 3 when the device does not "
                       "exist or no device is eligible for --backend, 2 for a usage error, "
                       "--replay or --root, 1 on any other failure"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace devpick::testing
