#include "probes/dynlib.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "fake_env.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using ::testing::ElementsAre;

// A library exporting a fixed set of names, each at a distinct address.
class TableLibrary : public Library {
 public:
  explicit TableLibrary(std::map<std::string, void*> symbols) : symbols_(std::move(symbols)) {}
  void* Symbol(const char* name) const override {
    auto it = symbols_.find(name);
    return it == symbols_.end() ? nullptr : it->second;
  }
  std::string path() const override { return "libfake.so.1"; }

 private:
  std::map<std::string, void*> symbols_;
};

int Answer(int x) { return x + 42; }

TEST(Dynlib, ResolveSymbols_StoresTypedPointers) {
  TableLibrary library({{"answer", reinterpret_cast<void*>(&Answer)}});
  int (*answer)(int) = nullptr;
  int (*newer)(int) = reinterpret_cast<int (*)(int)>(&Answer);  // must be reset to nullptr
  const SymbolSlot slots[] = {Required("answer", &answer), Optional("newer", &newer)};
  ASSERT_TRUE(ResolveSymbols(library, slots).ok());
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer(1), 43);
  EXPECT_EQ(newer, nullptr);
}

TEST(Dynlib, ResolveSymbols_NamesTheMissingSymbol) {
  TableLibrary library({{"cuInit", reinterpret_cast<void*>(&Answer)}});
  int (*init)(int) = nullptr;
  int (*uuid)(int) = nullptr;
  const SymbolSlot slots[] = {Required("cuInit", &init), Required("cuDeviceGetUuid", &uuid)};
  Status status = ResolveSymbols(library, slots);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "libfake.so.1: missing symbol cuDeviceGetUuid");
}

TEST(Dynlib, OpenRuntime_MissingLibraryIsAbsentWithEveryNameTried) {
  testing::FakeEnv env;
  ProbeHeader entry;
  EXPECT_EQ(OpenRuntime(env, {"libA.so", "libA.so.2", "libA.so.3"}, {}, &entry), nullptr);
  EXPECT_EQ(entry.status, ProbeStatus::kAbsent);
  EXPECT_EQ(entry.detail,
            "libA.so: cannot open shared object file: No such file or directory (also tried "
            "libA.so.2, libA.so.3)");
  EXPECT_EQ(entry.library, std::nullopt);
}

TEST(Dynlib, OpenFirstLibrary_OneName) {
  testing::FakeEnv env;
  auto library = OpenFirstLibrary(env, {"libcuda.so.1"});
  EXPECT_EQ(library.status().message(),
            "libcuda.so.1: cannot open shared object file: No such file or directory");
}

TEST(Dynlib, BoundedString_StopsAtNulOrCapacityAndTrims) {
  const char terminated[8] = {'a', 'b', ' ', '\0', 'x', 'x', 'x', 'x'};
  EXPECT_EQ(BoundedString(terminated, sizeof terminated), "ab");
  const char unterminated[4] = {'w', 'x', 'y', 'z'};
  EXPECT_EQ(BoundedString(unterminated, sizeof unterminated), "wxyz");
  const char blank[3] = {' ', ' ', '\0'};
  EXPECT_EQ(BoundedString(blank, sizeof blank), std::nullopt);
}

TEST(Dynlib, CapCount_WarnsOnlyBeyondTheCap) {
  ProbeHeader entry;
  EXPECT_EQ(CapCount(64, "zeDeviceGet", &entry), 64u);
  EXPECT_TRUE(entry.warnings.empty());
  EXPECT_EQ(CapCount(4294967295u, "zeDeviceGet", &entry), 64u);
  EXPECT_THAT(entry.warnings,
              ElementsAre("zeDeviceGet: the library reported 4294967295, reading the first 64"));
}

TEST(Dynlib, DescribeResult_NamesKnownCodesInDecimalOrHex) {
  constexpr ResultName kNames[] = {{100, "CUDA_ERROR_NO_DEVICE"}, {0x78000001, "ZE_UNINIT"}};
  EXPECT_EQ(DescribeResult("cuInit", 100, kNames), "cuInit: CUDA_ERROR_NO_DEVICE (100)");
  EXPECT_EQ(DescribeResult("zeInit", 0x78000001, kNames, true), "zeInit: ZE_UNINIT (0x78000001)");
  EXPECT_EQ(DescribeResult("cuInit", -7, kNames), "cuInit: error -7");
}

TEST(Dynlib, HexAndPciFormatting) {
  const unsigned char bytes[] = {0x86, 0x80, 0xa0, 0x56, 0x0f};
  EXPECT_EQ(HexBytes(bytes, sizeof bytes), "8680a0560f");
  EXPECT_EQ(FormatPciAddress(0x10000, 0x3, 0x1f, 0x7), "10000:03:1f.7");
  EXPECT_EQ(FormatPciAddress(0, 0xc1, 0, 1), "0000:c1:00.1");
}

TEST(OpenVinoPciInfo, ParsesDecimalAndHexParts) {
  EXPECT_EQ(ParseOpenVinoPciInfo("{domain: 0 bus: 0 device: 0xb function: 0}"), "0000:00:0b.0");
  EXPECT_EQ(ParseOpenVinoPciInfo("{domain: 1 bus: 195 device: 0x1f function: 3}"), "0001:c3:1f.3");
  EXPECT_EQ(ParseOpenVinoPciInfo("{domain: 0 bus: 0 device: 0xb}"), std::nullopt);
  EXPECT_EQ(ParseOpenVinoPciInfo("{domain: 0 bus: x device: 0xb function: 0}"), std::nullopt);
}

}  // namespace
}  // namespace devpick
