#include "doctor/python_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "doctor/expected_finding_test_util.h"
#include "fake_env.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;
using testing::ExpectFinding;
using testing::FakeEnv;
using testing::Lines;

constexpr char kVenvSite[] = "/home/u/sd/venv/lib/python3.11/site-packages";

// A wheel's installed metadata, as pip writes it (headers, an empty line, the description).
void AddWheel(FakeEnv& env, const std::string& site, const std::string& name,
              const std::string& version) {
  std::string escaped = name;
  for (char& c : escaped) c = c == '-' ? '_' : c;
  // kVenvSite is in a virtual environment, which python -m venv marks with pyvenv.cfg.
  if (site == kVenvSite) env.AddFile("/home/u/sd/venv/pyvenv.cfg", "home = /usr/bin\n");
  env.AddFile(site + "/" + escaped + "-" + version + ".dist-info/METADATA",
              "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version +
                  "\nSummary: a package\n\nName: not-a-header\n");
}

PythonEnvironment Inspect(const FakeEnv& env, const std::string& path) {
  Result<PythonEnvironment> result = InspectPythonEnvironment(env, path);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : PythonEnvironment{};
}

// InspectPythonEnvironment(env, path) refuses `path` with exactly `message`.
void ExpectNotAnEnvironment(const Env& env, const std::string& path, const std::string& message) {
  Result<PythonEnvironment> result = InspectPythonEnvironment(env, path);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), message);
}

std::vector<std::string> Codes(const std::vector<Finding>& findings) {
  std::vector<std::string> codes;
  for (const Finding& f : findings) codes.push_back(f.code);
  return codes;
}

std::vector<std::string> Packages(const PythonEnvironment& environment) {
  std::vector<std::string> out;
  for (const PythonPackage& p : environment.packages) out.push_back(p.name + " " + p.version);
  return out;
}

TEST(PythonEnv, NormalizesNamesLikePep503) {
  EXPECT_EQ(NormalizePackageName("Torch_DirectML"), "torch-directml");
  EXPECT_EQ(NormalizePackageName("intel_extension_for_pytorch"), "intel-extension-for-pytorch");
  EXPECT_EQ(NormalizePackageName("onnxruntime--._gpu"), "onnxruntime-gpu");
}

TEST(PythonEnv, ReadsAVenvDirectory) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+cu124");
  AddWheel(env, kVenvSite, "Pillow", "10.4.0");
  env.AddDirectory(std::string(kVenvSite) + "/torch");  // the package itself is not metadata
  PythonEnvironment environment = Inspect(env, "/home/u/sd/venv");
  EXPECT_THAT(environment.site_packages, ElementsAre(kVenvSite));
  EXPECT_THAT(Packages(environment), ElementsAre("pillow 10.4.0", "torch 2.5.1+cu124"));
  EXPECT_EQ(environment.packages[1].source,
            std::string(kVenvSite) + "/torch-2.5.1+cu124.dist-info/METADATA");
  EXPECT_EQ(PackageBackend(environment.packages[1], environment), "cuda");
}

TEST(PythonEnv, InterpreterPathUsesItsOwnPrefixAndVersion) {
  FakeEnv env;
  // The venv's python links to the system interpreter; the prefix is still the venv.
  env.AddFile("/usr/bin/python3.11", "ELF");
  env.AddSymlink("/home/u/sd/venv/bin/python3.11", "/usr/bin/python3.11");
  AddWheel(env, kVenvSite, "torch", "2.5.1+rocm6.2");
  AddWheel(env, "/home/u/sd/venv/lib/python3.10/site-packages", "torch", "2.0.0+cpu");
  PythonEnvironment environment = Inspect(env, "/home/u/sd/venv/bin/python3.11");
  EXPECT_THAT(environment.site_packages, ElementsAre(kVenvSite));
  EXPECT_THAT(Packages(environment), ElementsAre("torch 2.5.1+rocm6.2"));
}

TEST(PythonEnv, SystemInterpreterReadsDebianDistPackages) {
  FakeEnv env;
  env.AddFile("/usr/bin/python3", "ELF");
  AddWheel(env, "/usr/lib/python3/dist-packages", "openvino", "2024.6.0");
  AddWheel(env, "/usr/local/lib/python3.12/dist-packages", "onnxruntime", "1.20.1");
  PythonEnvironment environment = Inspect(env, "/usr/bin/python3");
  EXPECT_THAT(environment.site_packages, ElementsAre("/usr/lib/python3/dist-packages",
                                                     "/usr/local/lib/python3.12/dist-packages"));
  EXPECT_THAT(Packages(environment), ElementsAre("onnxruntime 1.20.1", "openvino 2024.6.0"));
}

TEST(PythonEnv, UnreadableMetadataFallsBackToTheDirectoryName) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "intel-extension-for-pytorch", "2.5.10+xpu");
  std::string metadata =
      std::string(kVenvSite) + "/intel_extension_for_pytorch-2.5.10+xpu.dist-info/METADATA";
  env.FailPath(metadata, EACCES);
  env.AddFile(std::string(kVenvSite) + "/legacy-1.0-py3.11.egg-info",
              "Name: Legacy\nVersion: 1.0\n");
  PythonEnvironment environment = Inspect(env, kVenvSite);
  EXPECT_THAT(Packages(environment),
              ElementsAre("intel-extension-for-pytorch 2.5.10+xpu", "legacy 1.0"));
  EXPECT_THAT(environment.warnings, ElementsAre(metadata + ": Permission denied"));
  EXPECT_EQ(PackageBackend(environment.packages[0], environment), "xpu");
}

TEST(PythonEnv, MissingPathAndNonEnvironmentAreErrors) {
  FakeEnv env;
  env.AddDirectory("/tmp/empty");
  ExpectNotAnEnvironment(env, "/opt/nothing", "/opt/nothing: No such file or directory");
  ExpectNotAnEnvironment(
      env, "/tmp/empty",
      "/tmp/empty: no site-packages or dist-packages directory (looked for "
      "lib/{python}/site-packages, lib64/{python}/site-packages, Lib/site-packages, "
      "lib/python3/dist-packages, local/lib/{python}/dist-packages)");
}

TEST(PythonEnv, PlainTorchIsCudaOnlyWithNvidiaRuntimeWheels) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1");
  PythonEnvironment plain = Inspect(env, kVenvSite);
  EXPECT_EQ(PackageBackend(plain.packages[0], plain), "");
  AddWheel(env, kVenvSite, "nvidia-cuda-runtime-cu12", "12.4.127");
  PythonEnvironment pypi = Inspect(env, kVenvSite);
  EXPECT_EQ(PackageBackend(*pypi.Find("torch"), pypi), "cuda");
}

// ---- Findings. ----

TEST(PythonEnv, CpuTorchForCudaIsAnError) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+cpu");
  std::vector<Finding> findings =
      DiagnosePythonEnvironment(Inspect(env, "/home/u/sd/venv"), "cuda");
  ASSERT_THAT(Codes(findings), ElementsAre("python_torch_mismatch", "python_packages"));
  const Finding& f = findings[0];
  ExpectFinding(
      f, {.severity = Severity::kError,
          .message = "torch 2.5.1+cpu is a cpu build, but the cuda backend needs a cuda build",
          .evidence = Lines{std::string(kVenvSite) +
                            "/torch-2.5.1+cpu.dist-info/METADATA: Version: 2.5.1+cpu"},
          .remedy = "in a new virtual environment beside it (python3 -m venv /home/u/sd/venv-cuda; "
                    "/home/u/sd/venv is left as it is): pip install torch --index-url "
                    "https://download.pytorch.org/whl/cu124",
          .backends = Lines{"cuda"}});
  ExpectFinding(findings[1], {.severity = Severity::kInfo,
                              .message = std::string(kVenvSite) + " has torch 2.5.1+cpu (cpu)"});
}

// Issue 12: `doctor --python /usr/bin/python3` advised `python -m venv --clear /usr`, which run as
// root empties /usr. A system prefix is never the target of a remedy.
TEST(PythonEnv, ASystemPythonIsNeverRecreated) {
  FakeEnv env;
  env.AddFile("/usr/bin/python3.11",
              "\x7f"
              "ELF");
  AddWheel(env, "/usr/lib/python3/dist-packages", "torch", "2.5.1+cpu");
  PythonEnvironment system = Inspect(env, "/usr/bin/python3.11");
  EXPECT_EQ(system.venv, "");
  std::vector<Finding> findings = DiagnosePythonEnvironment(system, "cuda");
  ASSERT_THAT(Codes(findings), ElementsAre("python_torch_mismatch", "python_packages"));
  EXPECT_EQ(findings[0].remedy,
            "in a new virtual environment (python3 -m venv ~/venv-cuda; /usr/bin/python3.11 is "
            "not a virtual environment and is left as it is): pip install torch --index-url "
            "https://download.pytorch.org/whl/cu124");
  FakeEnv bare;
  bare.AddFile("/usr/bin/python3.11",
               "\x7f"
               "ELF");
  bare.AddDirectory("/usr/lib/python3/dist-packages");
  findings = DiagnosePythonEnvironment(Inspect(bare, "/usr/bin/python3.11"), "cuda");
  ASSERT_THAT(Codes(findings), ElementsAre("python_package_missing", "python_packages"));
  EXPECT_EQ(findings[0].remedy,
            "in a new virtual environment (python3 -m venv ~/venv-cuda; /usr/bin/python3.11 is "
            "not a virtual environment and is left as it is): pip install torch --index-url "
            "https://download.pytorch.org/whl/cu124");
}

TEST(PythonEnv, AVenvIsFoundFromItsInterpreterAndItsSitePackages) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+cpu");
  env.AddSymlink("/home/u/sd/venv/bin/python3.11", "/usr/bin/python3.11");
  env.AddFile("/usr/bin/python3.11",
              "\x7f"
              "ELF");
  EXPECT_EQ(Inspect(env, "/home/u/sd/venv").venv, "/home/u/sd/venv");
  EXPECT_EQ(Inspect(env, "/home/u/sd/venv/bin/python3.11").venv, "/home/u/sd/venv");
  EXPECT_EQ(Inspect(env, kVenvSite).venv, "/home/u/sd/venv");
}

TEST(PythonEnv, ADeviceIsNotAnInterpreter) {
  FakeEnv env;
  env.AddCharDevice("/dev/zero");
  ExpectNotAnEnvironment(
      env, "/dev/zero",
      "/dev/zero: not a Python environment: it is a character device (give a virtual "
      "environment, a site-packages directory or a python interpreter)");
}

TEST(PythonEnv, CudaTorchBesideOpenVinoIsAWarning) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+cu124");
  AddWheel(env, kVenvSite, "openvino", "2025.3.0");
  std::vector<Finding> findings =
      DiagnosePythonEnvironment(Inspect(env, "/home/u/sd/venv"), "openvino");
  ASSERT_THAT(Codes(findings),
              ElementsAre("python_torch_mismatch", "python_mixed_backends", "python_packages"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kWarning,
       .message =
           "torch 2.5.1+cu124 is a cuda build; the openvino backend needs only the CPU build, and "
           "a cuda build makes applications choose that GPU instead",
       .remedy =
           "in a new virtual environment beside it (python3 -m venv /home/u/sd/venv-openvino; "
           "/home/u/sd/venv is left as it is): pip install torch --index-url "
           "https://download.pytorch.org/whl/cpu openvino"});
  ExpectFinding(
      findings[1],
      {.message = "packages for several backends are installed together (cuda: torch 2.5.1+cu124; "
                  "openvino: openvino 2025.3.0)",
       .remedy =
           "in a new virtual environment beside it (python3 -m venv /home/u/sd/venv-openvino; "
           "/home/u/sd/venv is left as it is): install only the packages of the openvino "
           "backend"});
  EXPECT_EQ(findings[2].message,
            std::string(kVenvSite) + " has torch 2.5.1+cu124 (cuda), openvino 2025.3.0");
}

TEST(PythonEnv, OpenVinoMissingForOpenVinoBackend) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+cpu");
  std::vector<Finding> findings =
      DiagnosePythonEnvironment(Inspect(env, "/home/u/sd/venv"), "openvino");
  ASSERT_THAT(Codes(findings), ElementsAre("python_package_missing", "python_packages"));
  ExpectFinding(findings[0], {.message = "openvino is not installed in " + std::string(kVenvSite) +
                                         ", and the openvino backend needs it",
                              .remedy = "pip install openvino"});
}

TEST(PythonEnv, XpuAcceptsIpexXpuWithAnUnlabelledTorch) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.1.0.post3+cxx11.abi");
  AddWheel(env, kVenvSite, "intel-extension-for-pytorch", "2.1.40+xpu");
  EXPECT_THAT(Codes(DiagnosePythonEnvironment(Inspect(env, kVenvSite), "xpu")),
              ElementsAre("python_packages"));
  FakeEnv bare;
  AddWheel(bare, kVenvSite, "torch", "2.1.0.post3+cxx11.abi");
  std::vector<Finding> findings = DiagnosePythonEnvironment(Inspect(bare, kVenvSite), "xpu");
  ASSERT_THAT(Codes(findings), ElementsAre("python_torch_mismatch", "python_packages"));
  ExpectFinding(
      findings[0],
      {.severity = Severity::kWarning,
       .message = "torch 2.1.0.post3+cxx11.abi does not say which build it is, and the xpu backend "
                  "needs a xpu build"});
}

TEST(PythonEnv, MixedStacksAndTwoOnnxRuntimesWithoutABackend) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "torch", "2.5.1+rocm6.2");
  AddWheel(env, kVenvSite, "torch-directml", "0.2.5.dev240914");
  AddWheel(env, kVenvSite, "onnxruntime", "1.20.1");
  AddWheel(env, kVenvSite, "onnxruntime-gpu", "1.20.1");
  std::vector<Finding> findings =
      DiagnosePythonEnvironment(Inspect(env, "/home/u/sd/venv"), std::nullopt);
  ASSERT_THAT(Codes(findings), ElementsAre("python_mixed_backends", "python_onnxruntime_conflict",
                                           "python_packages"));
  ExpectFinding(
      findings[0],
      {.message =
           "packages for several backends are installed together (cuda: onnxruntime-gpu 1.20.1; "
           "directml: torch-directml 0.2.5.dev240914; rocm: torch 2.5.1+rocm6.2)",
       .remedy = "in a new virtual environment beside it (python3 -m venv /home/u/sd/venv-new; "
                 "/home/u/sd/venv is left as it is): install only the packages of one backend",
       .backends = Lines{"cuda", "directml", "rocm"}});
  ExpectFinding(
      findings[1],
      {.message = "onnxruntime, onnxruntime-gpu are installed together; they share the onnxruntime "
                  "module and overwrite each other's files",
       .remedy =
           "pip uninstall onnxruntime onnxruntime-gpu, then install only the variant for your "
           "device"});
}

TEST(PythonEnv, MissingTorchForRocm) {
  FakeEnv env;
  AddWheel(env, kVenvSite, "numpy", "2.1.0");
  std::vector<Finding> findings = DiagnosePythonEnvironment(Inspect(env, kVenvSite), "rocm");
  ASSERT_THAT(Codes(findings), ElementsAre("python_package_missing", "python_packages"));
  ExpectFinding(
      findings[0],
      {.message = "torch is not installed in " + std::string(kVenvSite) +
                  ", and the rocm backend needs a rocm build of it",
       .remedy = "pip install torch --index-url https://download.pytorch.org/whl/rocm6.2"});
  EXPECT_EQ(findings[1].message,
            std::string(kVenvSite) +
                " has none of torch, intel-extension-for-pytorch, torch-directml, openvino, "
                "onnxruntime");
}

}  // namespace
}  // namespace devpick
