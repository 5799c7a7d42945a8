#include "select/policy.h"

#include <tuple>

#include "devpick/pci_address.h"

namespace devpick {
namespace {

struct PolicyRow {
  Policy policy;
  std::string_view name;
  DeviceKind kind_order[4];
  bool dedicated_memory_first;
};

constexpr PolicyRow kPolicies[] = {
    {Policy::kPerformance,
     "performance",
     {DeviceKind::kDgpu, DeviceKind::kIgpu, DeviceKind::kCpu, DeviceKind::kNpu},
     false},
    {Policy::kEfficiency,
     "efficiency",
     {DeviceKind::kNpu, DeviceKind::kIgpu, DeviceKind::kDgpu, DeviceKind::kCpu},
     false},
    {Policy::kMemory,
     "memory",
     {DeviceKind::kDgpu, DeviceKind::kIgpu, DeviceKind::kCpu, DeviceKind::kNpu},
     true},
    // Measured throughput decides first (select.cc, MeasuredBefore); devices without a
    // measurement follow in performance order.
    {Policy::kMeasured,
     "measured",
     {DeviceKind::kDgpu, DeviceKind::kIgpu, DeviceKind::kCpu, DeviceKind::kNpu},
     false},
};

const PolicyRow& RowFor(Policy policy) {
  for (const PolicyRow& row : kPolicies) {
    if (row.policy == policy) return row;
  }
  return kPolicies[0];
}

// Missing figures sort after present ones: a device whose throughput is unknown is not assumed
// fast.
double OrMinus(const std::optional<double>& value) { return value ? *value : -1.0; }

}  // namespace

std::string_view ToString(Policy policy) { return RowFor(policy).name; }

std::string_view ToString(Fallback fallback) { return fallback == Fallback::kCpu ? "cpu" : "none"; }

Result<Policy> ParsePolicy(std::string_view text) {
  for (const PolicyRow& row : kPolicies) {
    if (row.name == text) return row.policy;
  }
  std::string accepted;
  for (const PolicyRow& row : kPolicies) {
    accepted += (accepted.empty() ? "" : ", ") + std::string(row.name);
  }
  return Status::InvalidArgument("unknown policy '" + std::string(text) +
                                 "'; accepted: " + accepted);
}

Result<Fallback> ParseFallback(std::string_view text) {
  if (text == "none") return Fallback::kNone;
  if (text == "cpu") return Fallback::kCpu;
  return Status::InvalidArgument("unknown fallback '" + std::string(text) +
                                 "'; accepted: none, cpu");
}

int KindOrder(Policy policy, DeviceKind kind) {
  const PolicyRow& row = RowFor(policy);
  for (int i = 0; i < 4; ++i) {
    if (row.kind_order[i] == kind) return i;
  }
  return 4;
}

std::uint64_t DedicatedMemoryBytes(const Device& device) {
  if (device.kind != DeviceKind::kDgpu || device.memory.shared_with_host) return 0;
  return device.memory.total_bytes.value_or(0);
}

bool RanksBefore(Policy policy, const Device& a, const Device& b) {
  const PolicyRow& row = RowFor(policy);
  if (row.dedicated_memory_first) {
    std::uint64_t ma = DedicatedMemoryBytes(a);
    std::uint64_t mb = DedicatedMemoryBytes(b);
    if (ma != mb) return ma > mb;
  }
  int ka = KindOrder(policy, a.kind);
  int kb = KindOrder(policy, b.kind);
  if (ka != kb) return ka < kb;
  double ta = OrMinus(a.compute.est_fp32_tflops);
  double tb = OrMinus(b.compute.est_fp32_tflops);
  if (ta != tb) return ta > tb;
  std::uint64_t ma = a.memory.total_bytes.value_or(0);
  std::uint64_t mb = b.memory.total_bytes.value_or(0);
  if (ma != mb) return ma > mb;
  std::optional<PciAddress> pa = a.pci_address ? ParsePciAddress(*a.pci_address) : std::nullopt;
  std::optional<PciAddress> pb = b.pci_address ? ParsePciAddress(*b.pci_address) : std::nullopt;
  if (pa.has_value() != pb.has_value()) return pa.has_value();
  if (pa && *pa != *pb) return *pa < *pb;
  return a.id < b.id;
}

}  // namespace devpick
