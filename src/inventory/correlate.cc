// Correlation: observations -> one record per physical device (DESIGN.md "Inventory").
//
// Order of work: (1) the correlation step of each probe runs, most trusted first (the registry's
// trust, src/probes/registry.cc): sysfs turns PCI functions that are compute devices into drafts,
// classified from PCI facts (classify.h); each runtime matches its devices to drafts by PCI
// address, then UUID, then a unique (vendor, device id) pair, and adds its binding and facts, a
// device it cannot match becoming a draft of its own with a warning (correlation.h); (2) runtime
// flags override PCI-derived kinds; names, memory, compute and problems are chosen from the best
// source, which is recorded; (3) every probe's status and warnings become diagnostics.
#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "devpick/inventory.h"
#include "devpick/pci_address.h"
#include "inventory/classify.h"
#include "inventory/correlation.h"
#include "inventory/driver_problems.h"
#include "inventory/id_tables.h"
#include "inventory/pci_ids.h"
#include "inventory/throughput.h"
#include "probes/registry.h"

namespace devpick {
namespace {

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

class Correlator {
 public:
  Correlator(const Observations& observations, const PciIds* pci_names)
      : obs_(observations), pci_names_(pci_names), correlation_(observations) {}

  Inventory Run() {
    inventory_.host = obs_.host;
    inventory_.env = obs_.env;
    for (const ProbeDescriptor* probe : CorrelationOrder()) probe->correlate(*probe, &correlation_);
    Finish();
    return std::move(inventory_);
  }

 private:
  // ----- (4) names, memory, compute, problems ------------------------------------------------

  void Finish() {
    std::vector<Draft>& drafts = correlation_.drafts();
    std::stable_sort(drafts.begin(), drafts.end(), [](const Draft& a, const Draft& b) {
      if (a.address && b.address) return *a.address < *b.address;
      return a.address.has_value() && !b.address.has_value();
    });
    int gpu = 0;
    int npu = 0;
    inventory_.devices.push_back(MakeCpu());
    for (Draft& draft : drafts) {
      Device& d = draft.device;
      if (draft.runtime_kind) {
        if (*draft.runtime_kind != d.kind && !d.kind_source.empty()) {
          correlation_.Note("correlate", Label(draft) + ": " + draft.runtime_kind_source +
                                             " overrides " + d.kind_source);
        }
        d.kind = *draft.runtime_kind;
        d.kind_source = draft.runtime_kind_source;
      }
      d.id = d.kind == DeviceKind::kNpu ? "npu" + std::to_string(npu++)
                                        : "gpu" + std::to_string(gpu++);
      ChooseName(&draft);
      ChooseMemory(&draft);
      ChooseCompute(&draft);
      CheckProblems(&draft);
      inventory_.devices.push_back(std::move(d));
    }
    AddDiagnostics();
  }

  std::string Label(const Draft& draft) const {
    return draft.device.pci_address.value_or(draft.device.name.empty() ? "device"
                                                                       : draft.device.name);
  }

  Device MakeCpu() {
    const CpuObservation& cpu = obs_.cpu;
    Device d;
    d.id = "cpu";
    d.kind = DeviceKind::kCpu;
    d.kind_source = "host CPU";
    if (cpu.vendor == "GenuineIntel") {
      d.vendor = Vendor::kIntel;
      d.vendor_id = kVendorIntel;
    } else if (cpu.vendor == "AuthenticAMD") {
      d.vendor = Vendor::kAmd;
      d.vendor_id = kVendorAmdCpu;
    } else if (cpu.vendor == "Apple") {
      d.vendor = Vendor::kApple;
    } else if (cpu.vendor == "Qualcomm") {
      d.vendor = Vendor::kQualcomm;
    }
    d.name = cpu.model ? Trim(*cpu.model) : std::string("CPU");
    d.name_source = cpu.model ? "cpu: /proc/cpuinfo" : "none";
    d.memory.shared_with_host = true;
    d.memory.total_bytes = cpu.memory_bytes;
    d.memory.source = cpu.memory_bytes ? "/proc/meminfo MemTotal" : "";
    if (cpu.cgroup_memory_limit_bytes &&
        (!cpu.memory_bytes || *cpu.cgroup_memory_limit_bytes < *cpu.memory_bytes)) {
      d.memory.total_bytes = cpu.cgroup_memory_limit_bytes;
      d.memory.source = "cgroup memory limit";
    }
    d.compute.units = cpu.threads;
    d.compute.source = cpu.threads ? "cpu: online logical CPUs" : "";
    if (cpu.cgroup_cpu_limit && cpu.threads && *cpu.cgroup_cpu_limit < *cpu.threads) {
      d.compute.units = static_cast<int>(*cpu.cgroup_cpu_limit + 0.999);
      d.compute.source = "cgroup CPU quota";
    }
    if (cpu.max_mhz) d.compute.clock_mhz = static_cast<int>(*cpu.max_mhz);
    if (auto estimate = EstimateCpuThroughput(cpu)) {
      d.compute.est_fp32_tflops = estimate->fp32_tflops;
      d.compute.est_fp16_tflops = estimate->fp16_tflops;
    }
    auto has = [&](std::string_view flag) {
      return std::find(cpu.flags.begin(), cpu.flags.end(), flag) != cpu.flags.end();
    };
    if (!cpu.flags.empty()) {
      d.capabilities.fp16 = has("avx512_fp16") || has("f16c") || has("fphp") || has("asimdhp");
      d.capabilities.bf16 = has("avx512_bf16") || has("amx_bf16") || has("bf16");
      d.capabilities.int8 =
          has("avx_vnni") || has("avx512_vnni") || has("amx_int8") || has("asimddp") || has("i8mm");
    }
    d.bindings = correlation_.cpu_bindings();
    return d;
  }

  void ChooseName(Draft* draft) {
    Device& d = draft->device;
    if (!draft->names.empty()) {
      d.name = Trim(draft->names.front().first);
      d.name_source = draft->names.front().second;
      if (!d.name.empty()) return;
    }
    if (d.vendor_id && d.device_id) {
      if (pci_names_ != nullptr) {
        if (auto name = pci_names_->MarketingName(*d.vendor_id, *d.device_id)) {
          d.name = *name;
          d.name_source = "pci.ids";
          return;
        }
      }
      if (auto name = BuiltinGpuName(*d.vendor_id, *d.device_id)) {
        d.name = *name;
        d.name_source = "devpick built-in ID table";
        return;
      }
    }
    d.name = std::string(d.vendor == Vendor::kOther ? "unknown" : ToString(d.vendor)) + " device " +
             (d.vendor_id ? Hex4(*d.vendor_id) : "????") + ":" +
             (d.device_id ? Hex4(*d.device_id) : "????");
    d.name_source = "PCI IDs";
  }

  void ChooseMemory(Draft* draft) {
    Device& d = draft->device;
    MemoryInfo& m = d.memory;
    if (d.kind == DeviceKind::kDgpu) {
      m.total_bytes = draft->dedicated_bytes;
      m.free_bytes = draft->free_bytes;
      m.source = draft->dedicated_source;
      return;
    }
    // Integrated GPUs and NPUs use host memory; the runtime's figure is what it lets them use.
    m.shared_with_host = true;
    if (draft->shared_bytes) {
      m.total_bytes = draft->shared_bytes;
      m.source = draft->shared_source;
    } else if (obs_.cpu.memory_bytes) {
      m.total_bytes = obs_.cpu.memory_bytes;
      m.source = "host memory (/proc/meminfo)";
    }
  }

  void ChooseCompute(Draft* draft) {
    Device& d = draft->device;
    ComputeInfo& c = d.compute;
    if (!c.arch) {
      if (draft->compute_capability) {
        c.arch = NvidiaArch(*draft->compute_capability);
      } else if (d.vendor == Vendor::kIntel && d.device_id && d.kind != DeviceKind::kNpu) {
        if (auto arch = IntelGpuArch(*d.device_id)) c.arch = std::string(*arch);
      }
    }
    if (c.arch && c.units && c.clock_mhz) {
      if (auto estimate = EstimateThroughput(d.vendor, *c.arch, *c.units, *c.clock_mhz)) {
        c.est_fp32_tflops = estimate->fp32_tflops;
        c.est_fp16_tflops = estimate->fp16_tflops;
        c.source += " + " + estimate->source;
      }
    }
  }

  void CheckProblems(Draft* draft) {
    Device& d = draft->device;
    const PciFunction* pci = draft->pci;
    if (pci == nullptr) return;
    auto problem = [&](std::string code, std::string message, std::string remedy, bool blocking) {
      d.problems.push_back({std::move(code), std::move(message), std::move(remedy)});
      if (blocking) d.usable = false;
    };
    if (const DriverProblem* row = FindDriverProblem(pci->driver)) {
      std::string_view remedy =
          row->problem_remedy.empty() ? NoDriverRemedyFor(d).problem_remedy : row->problem_remedy;
      problem(std::string(row->problem_code),
              DriverProblemText(row->problem_message, pci->driver, *d.pci_address),
              DriverProblemText(remedy, pci->driver, *d.pci_address), row->blocks_use);
    }
    if (pci->render_node_accessible == false) {
      std::string node =
          !pci->accel.empty() ? "/dev/accel/" + pci->accel.front() : "its render node";
      for (const std::string& name : pci->drm) {
        if (name.rfind("renderD", 0) == 0) node = "/dev/dri/" + name;
      }
      problem("render_node_denied", "this user cannot open " + node,
              "add the user to the 'render' group (sudo usermod -aG render $USER) and log in again",
              true);
    }
  }

  void AddDiagnostics() {
    auto add = [&](std::string_view probe, const ProbeHeader* header) {
      if (header == nullptr) return;
      inventory_.probe_status[std::string(probe)] = header->status;
      inventory_.diagnostics.push_back(
          {std::string(probe), header->status, header->detail.value_or(""), "status"});
      for (const std::string& warning : header->warnings) {
        inventory_.diagnostics.push_back({std::string(probe), header->status, warning, "warning"});
      }
    };
    // In registry order, which is the order of results everywhere.
    for (const ProbeDescriptor& probe : ProbeRegistry())
      add(probe.name, probe.entry.header(obs_.probes));
    for (const std::string& name : correlation_.software_names()) {
      correlation_.Note("correlate", "software device " + name + " is a binding of the cpu device");
    }
    for (auto& [probe, text, level] : correlation_.notes()) {
      inventory_.diagnostics.push_back({probe, ProbeStatus::kOk, std::move(text), level});
    }
  }

  const Observations& obs_;
  const PciIds* pci_names_;
  Correlation correlation_;
  Inventory inventory_;
};

}  // namespace

Inventory Correlate(const Observations& observations, const PciIds* pci_names) {
  return Correlator(observations, pci_names).Run();
}

}  // namespace devpick
