// select and doctor judge visibility variables with one runtime view (select/runtime_view.h), so
// on the same snapshot they agree: a variable select obeys to hide a GPU is a doctor finding, and
// one that select resolves to the GPU is none. The cases are the public scenario
// desktop-rx6800.json (one RX 6800, KFD unique_id 0x3e5a1c22e19f0a44) with a variable recorded.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "temp_dir.h"

namespace devpick::testing {
namespace {

// The scenario with `variable`=`value` in its recorded environment.
std::string ScenarioWith(const TempDir& dir, const std::string& variable,
                         const std::string& value) {
  nlohmann::json snapshot =
      nlohmann::json::parse(ReadTextFile(SourcePath("tests/scenarios/desktop-rx6800.json")));
  snapshot["env"][variable] = value;
  std::string path = dir.path() + "/rx6800.json";
  std::ofstream(path) << snapshot.dump(2);
  return path;
}

TEST(SelectDoctorAgree, RocrVisibleDevicesNamingTheGpusOwnUuidKeepsIt) {
  TempDir dir;
  std::string snapshot = ScenarioWith(dir, "ROCR_VISIBLE_DEVICES", "GPU-3e5a1c22e19f0a44");
  CliResult select = RunDevpick({"--replay", snapshot, "--json", "select", "--backend", "rocm"});
  ASSERT_EQ(select.exit_status, 0) << select.err;
  nlohmann::json decision = nlohmann::json::parse(select.out);
  EXPECT_EQ(decision["device"]["id"], "gpu0");
  EXPECT_EQ(decision["native"]["torch"], "cuda:0");
  CliResult doctor = RunDevpick({"--replay", snapshot, "doctor", "--backend", "rocm"});
  EXPECT_EQ(doctor.exit_status, 0) << doctor.out;
  EXPECT_EQ(doctor.out, "no problems found\n");
}

TEST(SelectDoctorAgree, CudaVisibleDevicesThatHipReadsHidesTheAmdGpuForBoth) {
  TempDir dir;
  std::string snapshot = ScenarioWith(dir, "CUDA_VISIBLE_DEVICES", "1");
  CliResult select = RunDevpick({"--replay", snapshot, "--json", "select", "--backend", "rocm"});
  EXPECT_EQ(select.exit_status, 3);
  nlohmann::json decision = nlohmann::json::parse(select.out);
  EXPECT_TRUE(decision["device"].is_null());
  EXPECT_EQ(decision["error"],
            "no eligible device for backend rocm: gpu0 (AMD Radeon RX 6800/6800 XT / 6900 XT): "
            "hidden by CUDA_VISIBLE_DEVICES=1");
  CliResult doctor = RunDevpick({"--replay", snapshot, "doctor", "--backend", "rocm"});
  EXPECT_EQ(doctor.exit_status, 4);
  EXPECT_EQ(doctor.out,
            "error   rocm_visible_hides_all: CUDA_VISIBLE_DEVICES='1' hides every AMD GPU (1 "
            "present)\n"
            "    evidence: env: CUDA_VISIBLE_DEVICES='1' (HIP reads CUDA_VISIBLE_DEVICES when "
            "HIP_VISIBLE_DEVICES is unset)\n"
            "    evidence: HIP_VISIBLE_DEVICES: entry '1' is not a GPU index, so it and every "
            "later entry are ignored\n"
            "    remedy:   unset CUDA_VISIBLE_DEVICES, or list GPUs by index (0 to 0)\n"
            "    affects:  rocm, zluda\n"
            "1 error, 0 warnings\n");
}

}  // namespace
}  // namespace devpick::testing
