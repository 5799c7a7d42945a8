// Issue 12: 100,000 fake PCI functions under --root took 56 s and 850 MB. The sysfs probe reads at
// most 8,192 entries of /sys/bus/pci/devices and records at most kMaxSnapshotListEntries
// functions (so that what it records can be replayed), and says so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "fake_env.h"
#include "probes/probe_runs.h"

namespace devpick {
namespace {

using testing::FakeEnv;

std::string Address(std::size_t i) {
  char text[16];
  std::snprintf(text, sizeof text, "0000:%02zx:%02zx.%zx", i / 256, (i / 8) % 32, i % 8);
  return text;
}

void AddFunction(FakeEnv& env, std::size_t i, const std::string& class_code) {
  const std::string dir = "/sys/bus/pci/devices/" + Address(i);
  env.AddFile(dir + "/class", class_code);
  env.AddFile(dir + "/vendor", "0x10de\n");
  env.AddFile(dir + "/device", "0x2684\n");
}

TEST(SysfsBounds, ReadsAtMost8192PciEntriesAndSaysSo) {
  FakeEnv env;
  for (std::size_t i = 0; i < 8200; ++i) AddFunction(env, i, "0x060400\n");  // bridges
  AddFunction(env, 8199, "0x030000\n");  // a GPU past the bound is not read
  Observations out;
  RunSysfsProbe(env, &out);
  EXPECT_THAT(out.pci, ::testing::IsEmpty());
  EXPECT_THAT(out.probes.sysfs->warnings,
              ::testing::Contains("/sys/bus/pci/devices lists 8200 entries; devpick reads the "
                                  "first 8192 in name order and ignores the rest (no real "
                                  "machine has that many)"));
}

TEST(SysfsBounds, RecordsAtMostASnapshotListOfFunctions) {
  FakeEnv env;
  for (std::size_t i = 0; i < kMaxSnapshotListEntries + 6; ++i) AddFunction(env, i, "0x030000\n");
  Observations out;
  RunSysfsProbe(env, &out);
  EXPECT_EQ(out.pci.size(), kMaxSnapshotListEntries);
  EXPECT_THAT(out.probes.sysfs->warnings,
              ::testing::Contains("/sys/bus/pci/devices: more than 1024 display or accelerator "
                                  "functions; the rest are ignored"));
}

}  // namespace
}  // namespace devpick
