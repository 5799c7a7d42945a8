// Real machines captured by others with hwloc-gather-topology (README.md here): each tarball is
// unpacked, the driver-free probes run re-rooted at it, and the inventory must draw exactly the
// conclusions the README states. The CPU figures are what the trees hold (read from them by hand):
// a machine's /proc/cpuinfo, /sys/devices/system/cpu topology and /proc/meminfo.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "devpick/inventory.h"
#include "test_tree.h"

namespace devpick::testing {
namespace {

// The tarball each machine's folder comes from (README.md).
const std::map<std::string, std::string> kTarballs = {
    {"nvidiagpunumanodes", "nvidiagpunumanodes.tar.bz2"},
    {"40intel64-2g2n4c+pci", "40intel64-2g2n4c+pcilocality.tar.bz2"},
    {"32em64t-2n8c+1mic", "32em64t-2n8c+dax+nvme+mic+dimms.tar.bz2"},
    {"nvidia-dgx-gb10", "nvidia-dgx-gb10.tar.bz2"},
};

class RealMachine : public ::testing::Test {
 protected:
  // The observations and inventory of the machine unpacked into `folder`.
  void Load(const std::string& folder) {
    std::string error;
    std::string root = UnpackedRealMachine(kTarballs.at(folder), folder, &error);
    ASSERT_EQ(error, "");
    observations_ = ProbeTree(root);
    inventory_ = Correlate(observations_, nullptr);
  }

  std::vector<std::string> DeviceSummaries() const {
    std::vector<std::string> out;
    for (const Device& device : inventory_.devices) {
      out.push_back(device.id + " " + std::string(ToString(device.kind)) + " " +
                    std::string(ToString(device.vendor)) + " " +
                    device.pci_address.value_or("no-pci"));
    }
    return out;
  }

  std::vector<std::string> Notes() const {
    std::vector<std::string> out;
    for (const Diagnostic& diagnostic : inventory_.diagnostics) {
      if (diagnostic.level == "note") out.push_back(diagnostic.probe + ": " + diagnostic.detail);
    }
    return out;
  }

  Observations observations_;
  Inventory inventory_;
};

TEST_F(RealMachine, Power9_SixNvidiaGpusInferredFromTheDriverProcfs) {
  Load("nvidiagpunumanodes");
  EXPECT_EQ(DeviceSummaries(), (std::vector<std::string>{
                                   "cpu cpu other no-pci",
                                   "gpu0 dgpu nvidia 0004:05:00.0",
                                   "gpu1 dgpu nvidia 0004:06:00.0",
                                   "gpu2 dgpu nvidia 0006:00:00.0",
                                   "gpu3 dgpu nvidia 0007:00:00.0",
                                   "gpu4 dgpu nvidia 0035:04:00.0",
                                   "gpu5 dgpu nvidia 0035:05:00.0",
                               }));
  std::vector<std::string> expected_notes;
  for (const char* address : {"0004:05:00.0", "0004:06:00.0", "0006:00:00.0", "0007:00:00.0",
                              "0035:04:00.0", "0035:05:00.0"}) {
    expected_notes.push_back(std::string("sysfs: ") + address +
                             ": vendor NVIDIA inferred from procfs /proc/driver/nvidia/gpus/" +
                             address + " (the sysfs vendor file was not readable)");
  }
  EXPECT_EQ(Notes(), expected_notes);
  for (const Device& device : inventory_.devices) {
    if (device.kind == DeviceKind::kCpu) continue;
    EXPECT_EQ(device.vendor_id, 0x10deu) << device.id << ": inferred, the vendor file is missing";
    EXPECT_EQ(device.device_id, std::nullopt) << device.id << ": the device file was not captured";
  }
  // The capture's PCI functions are plain directories holding only class (and a few others).
  ASSERT_EQ(observations_.pci.size(), 6u);
  EXPECT_EQ(observations_.pci[0].class_code, 0x030000u);
  EXPECT_EQ(observations_.pci[0].vendor, std::nullopt);
}

TEST_F(RealMachine, Power9_CpuFactsFromTheCapture) {
  Load("nvidiagpunumanodes");
  // /proc/cpuinfo lists 176 processors, but the captured kernel's online mask is 0-15,88-103 and
  // only those 32 cpu directories exist: SMT4 cores (thread_siblings 0-3) on chips 0 and 8.
  const CpuObservation& cpu = observations_.cpu;
  EXPECT_EQ(cpu.vendor, "IBM");
  EXPECT_EQ(cpu.model, "POWER9");
  EXPECT_EQ(cpu.threads, 32);
  EXPECT_EQ(cpu.cores, 8);
  EXPECT_EQ(cpu.packages, 2);
  EXPECT_EQ(cpu.memory_bytes, 358162944ull * 1024);    // MemTotal: 358162944 kB
  EXPECT_EQ(observations_.host.kernel, std::nullopt);  // osrelease was not captured
}

TEST_F(RealMachine, XeonE7_MatroxBmcDisplayIsNoGpu) {
  Load("40intel64-2g2n4c+pci");
  EXPECT_EQ(DeviceSummaries(), std::vector<std::string>{"cpu cpu intel no-pci"});
  EXPECT_EQ(Notes(), std::vector<std::string>{
                         "sysfs: 0000:09:03.0 (102b:0532): BMC or virtual display, not a compute "
                         "device"});
  const CpuObservation& cpu = observations_.cpu;
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) CPU E7- 4870  @ 2.40GHz");
  EXPECT_EQ(cpu.threads, 40);
  EXPECT_EQ(cpu.cores, 40);
  EXPECT_EQ(cpu.packages, 4);
  EXPECT_EQ(cpu.memory_bytes, 529428392ull * 1024);
}

TEST_F(RealMachine, XeonE5_AspeedBmcDisplayIsNoGpu) {
  Load("32em64t-2n8c+1mic");
  EXPECT_EQ(DeviceSummaries(), std::vector<std::string>{"cpu cpu intel no-pci"});
  EXPECT_EQ(Notes(), std::vector<std::string>{
                         "sysfs: 0000:05:00.0 (1a03:2000): BMC or virtual display, not a compute "
                         "device"});
  const CpuObservation& cpu = observations_.cpu;
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model, "Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz");
  EXPECT_EQ(cpu.threads, 16);
  EXPECT_EQ(cpu.cores, 16);
  EXPECT_EQ(cpu.packages, 2);
  EXPECT_EQ(cpu.memory_bytes, 32836008ull * 1024);
}

TEST_F(RealMachine, DgxGb10_ACpuAndNothingInvented) {
  Load("nvidia-dgx-gb10");
  EXPECT_EQ(DeviceSummaries(), std::vector<std::string>{"cpu cpu other no-pci"});
  EXPECT_EQ(Notes(), std::vector<std::string>{});
  EXPECT_TRUE(observations_.pci.empty());
  ASSERT_TRUE(observations_.probes.sysfs.has_value());
  EXPECT_EQ(observations_.probes.sysfs->status, ProbeStatus::kAbsent);
  EXPECT_EQ(observations_.probes.sysfs->detail,
            "no /sys/bus/pci/devices: No such file or directory");
  const CpuObservation& cpu = observations_.cpu;
  EXPECT_EQ(cpu.vendor, "ARM");
  EXPECT_EQ(cpu.model, std::nullopt);  // ARM's /proc/cpuinfo has no model name line
  EXPECT_EQ(cpu.threads, 20);
  EXPECT_EQ(cpu.cores, 20);
  EXPECT_EQ(cpu.packages, 1);
  EXPECT_EQ(cpu.memory_bytes, 125508468ull * 1024);
}

}  // namespace
}  // namespace devpick::testing
