// The correlation step of each probe (src/probes/registry.h names them and orders them by trust).
// Each adds its probe's observations to the drafts of `correlation`; `probe` is the calling
// registry row (its name is the binding's API and the diagnostics' source, its trust ranks its
// facts).
#ifndef DEVPICK_SRC_INVENTORY_CORRELATION_STEPS_H_
#define DEVPICK_SRC_INVENTORY_CORRELATION_STEPS_H_

#include "inventory/correlation.h"
#include "probes/registry.h"

namespace devpick {

// correlate_pci.cc: PCI functions that are compute devices become drafts (classify.h).
void CorrelatePciFunctions(const ProbeDescriptor& probe, Correlation* correlation);

// correlate_vendor_runtimes.cc: the vendors' own runtimes, which know their devices best.
void CorrelateNvml(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateCuda(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateRocm(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateLevelZero(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateOpenVino(const ProbeDescriptor& probe, Correlation* correlation);

// correlate_portable_apis.cc: cross-vendor APIs, which also list software devices.
void CorrelateOpenCl(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateVulkan(const ProbeDescriptor& probe, Correlation* correlation);

// correlate_os_apis.cc: operating-system graphics APIs, the devices where there is no PCI sysfs.
void CorrelateDxgi(const ProbeDescriptor& probe, Correlation* correlation);
void CorrelateMetal(const ProbeDescriptor& probe, Correlation* correlation);

}  // namespace devpick

#endif  // DEVPICK_SRC_INVENTORY_CORRELATION_STEPS_H_
