#include "select/visibility.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace devpick {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<std::string> kNvidia = {
    "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6",
    "GPU-5e1f0000-aaaa-bbbb-cccc-000000000001",
    "GPU-5e2a0000-aaaa-bbbb-cccc-000000000002",
};

// ----- CUDA_VISIBLE_DEVICES (research/specs.md §4.1)
// ----------------------------------------------

// CUDA_VISIBLE_DEVICES=`spec` on kNvidia shows exactly `indices`; where the list is cut short,
// the one note says why.
struct CudaCase {
  const char* name;
  const char* spec;
  std::vector<int> indices;
  std::optional<std::string> note = std::nullopt;  // unset: the notes are not compared
};

class CudaVisibleDevices : public ::testing::TestWithParam<CudaCase> {};

TEST_P(CudaVisibleDevices, ShowsTheListedGpus) {
  const CudaCase& c = GetParam();
  VisibleList list = ApplyCudaVisibleDevices(c.spec, kNvidia);
  EXPECT_EQ(list.indices, c.indices);
  if (c.note) {
    EXPECT_THAT(list.notes, ElementsAre(*c.note));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Specs, CudaVisibleDevices,
    ::testing::Values(
        CudaCase{.name = "InvalidIndexEndsTheList",
                 .spec = "0,2,-1,1",
                 .indices = {0, 2},
                 .note = "CUDA_VISIBLE_DEVICES: entry '-1' is not a GPU index, so it and every "
                         "later entry are ignored"},
        CudaCase{.name = "EmptyHidesEverything", .spec = "", .indices = {}},
        CudaCase{.name = "ListOrderIsTheNewNumbering", .spec = "2,0", .indices = {2, 0}},
        CudaCase{.name = "ReadsLikeStrtoul", .spec = "1gpu2, 2ampere", .indices = {1, 2}},
        CudaCase{.name = "OutOfRangeEndsTheList",
                 .spec = "1,3,0",
                 .indices = {1},
                 .note = "CUDA_VISIBLE_DEVICES: entry '3' is past the last GPU, so it and every "
                         "later entry are ignored"},
        CudaCase{
            .name = "UniqueUuidPrefixesSelect", .spec = "GPU-8932f937,GPU-5e2a", .indices = {0, 2}},
        CudaCase{.name = "AmbiguousUuidPrefixEndsTheList",
                 .spec = "0,GPU-5e",
                 .indices = {0},
                 .note = "CUDA_VISIBLE_DEVICES: entry 'GPU-5e' matches several GPUs' UUIDs, so it "
                         "and every later entry are ignored"},
        CudaCase{.name = "RepeatedOrdinalHidesEverything",
                 .spec = "1,0,1",
                 .indices = {},
                 .note = "CUDA_VISIBLE_DEVICES: entry '1' repeats a device, and CUDA then shows "
                         "no device at all"},
        CudaCase{.name = "MigInstanceSelectsItsGpuAndEndsTheList",
                 .spec = "MIG-GPU-5e1f0000/1/2,0",
                 .indices = {1},
                 .note = "CUDA_VISIBLE_DEVICES: CUDA enumerates a single MIG instance; entries "
                         "after 'MIG-GPU-5e1f0000/1/2' are ignored"},
        CudaCase{.name = "UnknownMigInstanceHidesEverything",
                 .spec = "MIG-4f1c2d3e-aaaa",
                 .indices = {}}),
    [](const ::testing::TestParamInfo<CudaCase>& param_info) {
      return std::string(param_info.param.name);
    });

// ----- ROCR_VISIBLE_DEVICES (§4.2)
// --------------------------------------------------------------------

const std::vector<std::string> kAmd = {"GPU-babababababababa", "GPU-1111222233334444",
                                       "GPU-1111999988887777", "GPU-XX"};

TEST(RocrVisibleDevices, UuidAfterIndexAndTerminator) {
  std::vector<std::string> four = kAmd;
  four[3] = "GPU-5555666677778888";
  EXPECT_THAT(ApplyRocrVisibleDevices("3,GPU-babababababababa,4", four).indices, ElementsAre(3, 0));
}

TEST(RocrVisibleDevices, EmptyAndMinusOneHideEverything) {
  EXPECT_THAT(ApplyRocrVisibleDevices("", kAmd).indices, IsEmpty());
  EXPECT_THAT(ApplyRocrVisibleDevices("-1", kAmd).indices, IsEmpty());
}

TEST(RocrVisibleDevices, TerminatingTokens) {
  EXPECT_THAT(ApplyRocrVisibleDevices("1,GPU-XX,0", kAmd).indices, ElementsAre(1));
  EXPECT_THAT(ApplyRocrVisibleDevices("0,GPU-1111,2", kAmd).indices, ElementsAre(0));  // 2 matches
  EXPECT_THAT(ApplyRocrVisibleDevices("2,2,0", kAmd).indices, ElementsAre(2));
  EXPECT_THAT(ApplyRocrVisibleDevices("0,GPU-bababa,1", kAmd).indices, ElementsAre(0));
  EXPECT_THAT(ApplyRocrVisibleDevices("1,x,0", kAmd).indices, ElementsAre(1));
}

// ----- HIP_VISIBLE_DEVICES (§4.2)
// --------------------------------------------------------------------

TEST(HipVisibleDevices, EmptyMeansNoFiltering) {
  EXPECT_THAT(ApplyHipVisibleDevices("", kAmd).indices, ElementsAre(0, 1, 2, 3));
}

TEST(HipVisibleDevices, LeadingZerosSpacesAndSignsStop) {
  EXPECT_THAT(ApplyHipVisibleDevices("1,01,0", kAmd).indices, ElementsAre(1));
  EXPECT_THAT(ApplyHipVisibleDevices("2, 0", kAmd).indices, ElementsAre(2));
  EXPECT_THAT(ApplyHipVisibleDevices("+1", kAmd).indices, IsEmpty());
  EXPECT_THAT(ApplyHipVisibleDevices("1,9,0", kAmd).indices, ElementsAre(1));
}

TEST(HipVisibleDevices, DuplicatesAreSkippedAndUuidsMatchBySubstring) {
  EXPECT_THAT(ApplyHipVisibleDevices("2,2,0", kAmd).indices, ElementsAre(2, 0));
  EXPECT_THAT(ApplyHipVisibleDevices("GPU-1111,0", kAmd).indices, ElementsAre(1, 0));
}

// ----- ZE_AFFINITY_MASK (§4.3)
// ----------------------------------------------------------------------

TEST(ZeAffinityMask, SelectsRootsInDeviceOrderNotMaskOrder) {
  EXPECT_THAT(ApplyZeAffinityMask("2, 0.1", 3).indices, ElementsAre(0, 2));
}

TEST(ZeAffinityMask, EmptyMeansAllAndBadEntriesAreSkipped) {
  EXPECT_THAT(ApplyZeAffinityMask("", 2).indices, ElementsAre(0, 1));
  VisibleList list = ApplyZeAffinityMask("5,a,1", 2);
  EXPECT_THAT(list.indices, ElementsAre(1));
  EXPECT_THAT(list.notes,
              ElementsAre("ZE_AFFINITY_MASK: entry '5' is past the last device; ignored",
                          "ZE_AFFINITY_MASK: entry 'a' is not <device> or <device>.<sub-device>; "
                          "ignored"));
}

// ----- ONEAPI_DEVICE_SELECTOR (§4.3)
// ----------------------------------------------------------------

std::vector<int> Selected(std::string_view value, int count) {
  Result<std::vector<OneApiFilter>> filters = ParseOneApiDeviceSelector(value);
  EXPECT_TRUE(filters.ok()) << filters.status().message();
  return filters.ok() ? ApplyOneApiDeviceSelector(*filters, count).indices : std::vector<int>{};
}

TEST(OneApiDeviceSelector, AcceptFilters) {
  EXPECT_THAT(Selected("level_zero:1", 3), ElementsAre(1));
  EXPECT_THAT(Selected("level_zero:2,0", 3), ElementsAre(0, 2));
  EXPECT_THAT(Selected("*:gpu", 2), ElementsAre(0, 1));
  EXPECT_THAT(Selected("opencl:*", 2), IsEmpty());
  EXPECT_THAT(Selected("LEVEL_ZERO:*", 2), ElementsAre(0, 1));
}

TEST(OneApiDeviceSelector, DiscardOnlyMeansAcceptAllMinusDiscards) {
  EXPECT_THAT(Selected("!level_zero:0", 3), ElementsAre(1, 2));
  EXPECT_THAT(Selected("*:gpu;!cuda:*", 2), ElementsAre(0, 1));
  EXPECT_THAT(Selected("level_zero:*;!level_zero:1", 3), ElementsAre(0, 2));
}

TEST(OneApiDeviceSelector, MalformedValuesAreErrors) {
  EXPECT_EQ(ParseOneApiDeviceSelector("level_zero").status().message(),
            "ONEAPI_DEVICE_SELECTOR='level_zero': filter 'level_zero' has no ':'; expected "
            "<backend>:<devices> such as level_zero:0 or *:gpu");
  EXPECT_EQ(ParseOneApiDeviceSelector("vulkan:0").status().message(),
            "ONEAPI_DEVICE_SELECTOR='vulkan:0': unknown backend 'vulkan'; accepted: *, level_zero, "
            "opencl, cuda, hip, native_cpu");
  EXPECT_EQ(ParseOneApiDeviceSelector("!opencl:*;level_zero:0").status().message(),
            "ONEAPI_DEVICE_SELECTOR='!opencl:*;level_zero:0': accept filter 'level_zero:0' "
            "follows a discard filter; discard filters ('!') must come last");
  EXPECT_EQ(
      ParseOneApiDeviceSelector("level_zero:0.*.1").status().message(),
      "ONEAPI_DEVICE_SELECTOR='level_zero:0.*.1': device '0.*.1' in filter 'level_zero:0.*.1' "
      "is not one of *, cpu, gpu, fpga, N, N.M, N.*, *.*, N.M.K, N.M.*, N.*.*, *.*.*");
  EXPECT_FALSE(ParseOneApiDeviceSelector("level_zero:").ok());
  EXPECT_FALSE(ParseOneApiDeviceSelector("").ok());
  EXPECT_TRUE(ParseOneApiDeviceSelector("level_zero:*,*.*").ok());
  EXPECT_TRUE(ParseOneApiDeviceSelector("level_zero:1.2.*").ok());
}

}  // namespace
}  // namespace devpick
