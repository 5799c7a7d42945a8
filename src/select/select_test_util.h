// Helpers shared by the Select tests: requests, picking with a test failure on error, and the
// chosen device and candidates of a decision.
//
// Thread-safety: functions over their arguments.
#ifndef DEVPICK_SELECT_SELECT_TEST_UTIL_H_
#define DEVPICK_SELECT_SELECT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "devpick/select.h"
#include "select/test_inventories.h"

namespace devpick::testing {

inline Request For(std::string backend) {
  Request request;
  request.backend = std::move(backend);
  return request;
}

inline Request For(std::string backend, std::string spec) {
  Request request = For(std::move(backend));
  request.device_spec = std::move(spec);
  return request;
}

inline Decision Pick(const Inventory& inventory, const Request& request) {
  Result<Decision> decision = Select(inventory, request);
  EXPECT_TRUE(decision.ok()) << decision.status().message();
  return decision.ok() ? std::move(decision).value() : Decision{};
}

inline std::string ChosenId(const Decision& decision) {
  return decision.device == nullptr ? "<none>" : decision.device->id;
}

inline const Candidate& CandidateFor(const Decision& decision, const std::string& id) {
  static const Candidate kMissing{};
  for (const Candidate& candidate : decision.candidates) {
    if (candidate.id == id) return candidate;
  }
  ADD_FAILURE() << "no candidate " << id;
  return kMissing;
}

// Two NVIDIA GPUs in PCI order; with_cuda_probe adds the CUDA ordinals a probe would report.
inline Inventory TwoNvidiaGpus(bool with_cuda_probe) {
  Device a = Gpu("gpu0", DeviceKind::kDgpu, Vendor::kNvidia, "NVIDIA GeForce RTX 4090",
                 "0000:01:00.0", "nvidia", std::uint64_t{24} << 30, 82.6);
  a.uuid = "GPU-5e1f0000-aaaa-bbbb-cccc-000000000001";
  Device b = Gpu("gpu1", DeviceKind::kDgpu, Vendor::kNvidia, "NVIDIA GeForce RTX 3060",
                 "0000:02:00.0", "nvidia", std::uint64_t{12} << 30, 12.7);
  b.uuid = "GPU-77aa0000-aaaa-bbbb-cccc-000000000002";
  Inventory inventory = Machine({testing::Cpu(Vendor::kAmd, "Ryzen", 1ull << 35, 1.0), a, b});
  if (with_cuda_probe) {
    // CUDA's default FASTEST_FIRST order happens to match here; the probe reports what it saw.
    inventory.devices[1].bindings = {Indexed("cuda", 0)};
    inventory.devices[2].bindings = {Indexed("cuda", 1)};
    inventory.probe_status["cuda"] = ProbeStatus::kOk;
  }
  return inventory;
}

}  // namespace devpick::testing

#endif  // DEVPICK_SELECT_SELECT_TEST_UTIL_H_
