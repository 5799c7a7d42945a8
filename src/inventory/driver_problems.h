// How a PCI function's kernel-driver binding stops compute: ONE table that correlation (the
// device's problems in list --json, and whether it is usable) and doctor (its findings) both read,
// each in its own wording. Facts: research/sysfs.md §2.3.
//
// Thread-safety: constant data.
#ifndef DEVPICK_INVENTORY_DRIVER_PROBLEMS_H_
#define DEVPICK_INVENTORY_DRIVER_PROBLEMS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "devpick/inventory.h"

namespace devpick {

// One way a binding stops compute. In the texts, {driver} stands for the bound driver's name and
// {address} for the function's PCI address.
struct DriverProblem {
  std::array<std::string_view, 2> drivers;  // the bound drivers it is about; "" = none bound
  bool blocks_use;                          // the device is unusable (else only its backend is)
  // The inventory's problem (Device::problems).
  std::string_view problem_code;
  std::string_view problem_message;
  std::string_view problem_remedy;  // "" = the no-driver remedy of the device's vendor
  // Doctor's finding; its message follows the device's label ("AMD Radeon RX 580 (gpu0)").
  std::string_view finding_code;
  bool finding_is_warning;
  std::string_view finding_message;
  std::string_view finding_remedy;  // "" = the no-driver remedy of the device's vendor
};

// The problem of `driver` (nullopt: none bound), or nullptr when the binding is fine.
const DriverProblem* FindDriverProblem(const std::optional<std::string>& driver);

// What to load when no driver is bound, by vendor and kind: short for the inventory, full for
// doctor.
struct NoDriverRemedy {
  std::string_view problem_remedy;
  std::string_view finding_remedy;
};
const NoDriverRemedy& NoDriverRemedyFor(const Device& device);

// `text` with {driver} and {address} filled in.
std::string DriverProblemText(std::string_view text, const std::optional<std::string>& driver,
                              std::string_view address);

}  // namespace devpick

#endif  // DEVPICK_INVENTORY_DRIVER_PROBLEMS_H_
