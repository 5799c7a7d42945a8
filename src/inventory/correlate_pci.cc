// The sysfs probe's correlation step: each PCI function that is a compute device becomes a draft,
// classified from PCI facts alone (classify.h); runtimes then match their devices against these.
#include "inventory/classify.h"
#include "inventory/correlation_steps.h"

namespace devpick {

void CorrelatePciFunctions(const ProbeDescriptor& probe, Correlation* correlation) {
  const Observations& obs = correlation->observations();
  for (const PciFunction& pci : obs.pci) {
    std::optional<PciAddress> address = ParsePciAddress(pci.address);
    if (!address) {
      correlation->Warn(probe.name,
                        "PCI function '" + pci.address + "' has an unparsable address; ignored");
      continue;
    }
    PciClassification c = ClassifyPciFunction(pci);
    if (c.role == PciRole::kNotCompute) continue;
    std::string label = pci.address + " (" + (c.vendor_id ? Hex4(*c.vendor_id) : "????") + ":" +
                        (pci.device ? Hex4(*pci.device) : "????") +
                        (pci.driver ? ", driver " + *pci.driver : "") + ")";
    if (c.role == PciRole::kBmcOrVirtualDisplay) {
      correlation->Note(probe.name, label + ": BMC or virtual display, not a compute device");
      continue;
    }
    if (c.role == PciRole::kWslParavirtual) {
      correlation->Note(probe.name, label +
                                        ": WSL paravirtual GPU; the host GPU is identified only "
                                        "by the nvml/cuda probes");
      continue;
    }
    Draft draft;
    draft.address = address;
    draft.pci = &pci;
    Device& d = draft.device;
    d.pci_address = address->ToString();
    d.vendor_id = c.vendor_id;
    d.device_id = pci.device;
    d.vendor = c.vendor;
    d.driver.name = pci.driver;
    if (pci.driver && obs.probes.sysfs) {
      auto it = obs.probes.sysfs->module_versions.find(*pci.driver);
      if (it != obs.probes.sysfs->module_versions.end()) d.driver.version = it->second;
    }
    if (c.vendor_inferred_from) {
      correlation->Note(probe.name, pci.address + ": vendor NVIDIA inferred from " +
                                        *c.vendor_inferred_from +
                                        " (the sysfs vendor file was not readable)");
    }
    d.kind = c.kind;
    d.kind_source = c.reason;
    if (pci.nvidia_procfs) {
      if (pci.nvidia_procfs->model) draft.names.emplace_back(*pci.nvidia_procfs->model, "procfs");
      if (pci.nvidia_procfs->uuid) d.uuid = pci.nvidia_procfs->uuid;
    }
    if (pci.vram_bytes && *pci.vram_bytes > 0) {
      draft.dedicated_bytes = pci.vram_bytes;
      draft.dedicated_source =
          c.vendor_id == kVendorAmd ? "sysfs mem_info_vram_total" : "sysfs local-memory size";
    }
    correlation->Add(std::move(draft));
  }
}

}  // namespace devpick
