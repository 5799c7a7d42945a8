// Helpers shared by the sysfs probe tests: run the probe over an Env, read the captured machines
// under tests/fixtures/sysfs, and compare a recorded PCI function field by field.
//
// Thread-safety: functions over their arguments.
#ifndef DEVPICK_PROBES_SYSFS_PROBE_TEST_UTIL_H_
#define DEVPICK_PROBES_SYSFS_PROBE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "probes/probe_runs.h"

namespace devpick::testing {

inline std::unique_ptr<Env> FixtureEnv(const std::string& machine) {
  return NewRootedEnv(std::string(DEVPICK_SOURCE_DIR) + "/tests/fixtures/sysfs/" + machine);
}

inline Observations ProbeSysfs(const Env& env) {
  Observations out;
  RunSysfsProbe(env, &out);
  return out;
}

inline std::vector<std::string> Addresses(const Observations& out) {
  std::vector<std::string> addresses;
  for (const PciFunction& function : out.pci) addresses.push_back(function.address);
  return addresses;
}

inline const PciFunction* Find(const Observations& out, const std::string& address) {
  for (const PciFunction& function : out.pci) {
    if (function.address == address) return &function;
  }
  return nullptr;
}

// Every field, so that a fixture test pins down exactly what the probe recorded.
inline void ExpectFunction(const Observations& out, const PciFunction& expected) {
  SCOPED_TRACE(expected.address);
  const PciFunction* actual = Find(out, expected.address);
  ASSERT_NE(actual, nullptr);
  EXPECT_EQ(actual->vendor, expected.vendor);
  EXPECT_EQ(actual->device, expected.device);
  EXPECT_EQ(actual->subsystem_vendor, expected.subsystem_vendor);
  EXPECT_EQ(actual->subsystem_device, expected.subsystem_device);
  EXPECT_EQ(actual->class_code, expected.class_code);
  EXPECT_EQ(actual->revision, expected.revision);
  EXPECT_EQ(actual->driver, expected.driver);
  EXPECT_EQ(actual->numa_node, expected.numa_node);
  EXPECT_EQ(actual->boot_vga, expected.boot_vga);
  EXPECT_EQ(actual->drm, expected.drm);
  EXPECT_EQ(actual->accel, expected.accel);
  EXPECT_EQ(actual->vram_bytes, expected.vram_bytes);
  EXPECT_EQ(actual->gtt_bytes, expected.gtt_bytes);
  EXPECT_EQ(actual->board_info, expected.board_info);
  EXPECT_EQ(actual->render_node_accessible, expected.render_node_accessible);
  ASSERT_EQ(actual->nvidia_procfs.has_value(), expected.nvidia_procfs.has_value());
  if (expected.nvidia_procfs) {
    EXPECT_EQ(actual->nvidia_procfs->model, expected.nvidia_procfs->model);
    EXPECT_EQ(actual->nvidia_procfs->uuid, expected.nvidia_procfs->uuid);
    EXPECT_EQ(actual->nvidia_procfs->device_minor, expected.nvidia_procfs->device_minor);
  }
}

}  // namespace devpick::testing

#endif  // DEVPICK_PROBES_SYSFS_PROBE_TEST_UTIL_H_
