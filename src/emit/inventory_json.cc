#include "emit/inventory_json.h"

#include <cmath>

#include "core/json_null.h"
#include "core/snapshot_json.h"

namespace devpick {
namespace {

using OJson = nlohmann::ordered_json;

// Estimates are printed to two decimals: more would claim a precision they do not have.
OJson Rounded(const std::optional<double>& value) {
  return value ? OJson(std::round(*value * 100.0) / 100.0) : OJson(nullptr);
}

}  // namespace

OJson DeviceToJson(const Device& d) {
  OJson j;
  j["id"] = d.id;
  j["kind"] = ToString(d.kind);
  j["kind_source"] = d.kind_source;
  j["vendor"] = ToString(d.vendor);
  j["vendor_id"] = d.vendor_id ? OJson(HexId(*d.vendor_id)) : OJson(nullptr);
  j["device_id"] = d.device_id ? OJson(HexId(*d.device_id)) : OJson(nullptr);
  j["name"] = d.name;
  j["name_source"] = d.name_source;
  j["pci_address"] = OrNull(d.pci_address);
  j["uuid"] = OrNull(d.uuid);
  j["memory"] = {{"total_bytes", OrNull(d.memory.total_bytes)},
                 {"free_bytes", OrNull(d.memory.free_bytes)},
                 {"shared_with_host", d.memory.shared_with_host},
                 {"source", d.memory.source}};
  j["compute"] = {{"units", OrNull(d.compute.units)},
                  {"clock_mhz", OrNull(d.compute.clock_mhz)},
                  {"arch", OrNull(d.compute.arch)},
                  {"est_fp32_tflops", Rounded(d.compute.est_fp32_tflops)},
                  {"est_fp16_tflops", Rounded(d.compute.est_fp16_tflops)},
                  {"source", d.compute.source}};
  j["capabilities"] = {{"fp16", OrNull(d.capabilities.fp16)},
                       {"bf16", OrNull(d.capabilities.bf16)},
                       {"int8", OrNull(d.capabilities.int8)}};
  OJson bindings = OJson::array();
  for (const Binding& b : d.bindings) {
    OJson e;
    e["api"] = b.api;
    if (b.index) e["index"] = *b.index;
    if (b.name) e["name"] = *b.name;
    e["software"] = b.software;
    bindings.push_back(std::move(e));
  }
  j["bindings"] = std::move(bindings);
  j["driver"] = {{"name", OrNull(d.driver.name)}, {"version", OrNull(d.driver.version)}};
  if (d.gfx_target_version) j["gfx_target_version"] = *d.gfx_target_version;
  j["usable"] = d.usable;
  OJson problems = OJson::array();
  for (const Problem& p : d.problems) {
    problems.push_back({{"code", p.code}, {"message", p.message}, {"remedy", p.remedy}});
  }
  j["problems"] = std::move(problems);
  return j;
}

OJson InventoryToJson(const Inventory& inventory, const BackendChoices& backends) {
  OJson j;
  OJson devices = OJson::array();
  for (const Device& d : inventory.devices) devices.push_back(DeviceToJson(d));
  j["devices"] = std::move(devices);
  OJson diagnostics = OJson::array();
  for (const Diagnostic& diag : inventory.diagnostics) {
    diagnostics.push_back({{"probe", diag.probe},
                           {"status", ToString(diag.status)},
                           {"detail", diag.detail},
                           {"level", diag.level}});
  }
  j["diagnostics"] = std::move(diagnostics);
  OJson choices = OJson::object();
  for (const auto& [backend, device] : backends) choices[backend] = OrNull(device);
  j["backends"] = std::move(choices);
  OJson host;
  host["os"] = inventory.host.os;
  host["arch"] = inventory.host.arch;
  host["kernel"] = OrNull(inventory.host.kernel);
  host["container"] = inventory.host.container;
  host["wsl"] = inventory.host.wsl;
  if (inventory.host.captured_root) host["captured_root"] = *inventory.host.captured_root;
  j["host"] = std::move(host);
  return j;
}

}  // namespace devpick
