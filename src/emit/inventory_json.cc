#include "emit/inventory_json.h"

#include <cmath>

#include "core/snapshot_json.h"

namespace devpick {
namespace {

using OJson = nlohmann::ordered_json;

template <typename T>
OJson Opt(const std::optional<T>& value) {
  return value ? OJson(*value) : OJson(nullptr);
}

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
  j["pci_address"] = Opt(d.pci_address);
  j["uuid"] = Opt(d.uuid);
  j["memory"] = {{"total_bytes", Opt(d.memory.total_bytes)},
                 {"free_bytes", Opt(d.memory.free_bytes)},
                 {"shared_with_host", d.memory.shared_with_host},
                 {"source", d.memory.source}};
  j["compute"] = {{"units", Opt(d.compute.units)},
                  {"clock_mhz", Opt(d.compute.clock_mhz)},
                  {"arch", Opt(d.compute.arch)},
                  {"est_fp32_tflops", Rounded(d.compute.est_fp32_tflops)},
                  {"est_fp16_tflops", Rounded(d.compute.est_fp16_tflops)},
                  {"source", d.compute.source}};
  j["capabilities"] = {{"fp16", Opt(d.capabilities.fp16)},
                       {"bf16", Opt(d.capabilities.bf16)},
                       {"int8", Opt(d.capabilities.int8)}};
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
  j["driver"] = {{"name", Opt(d.driver.name)}, {"version", Opt(d.driver.version)}};
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
  for (const auto& [backend, device] : backends) choices[backend] = Opt(device);
  j["backends"] = std::move(choices);
  OJson host;
  host["os"] = inventory.host.os;
  host["arch"] = inventory.host.arch;
  host["kernel"] = Opt(inventory.host.kernel);
  host["container"] = inventory.host.container;
  host["wsl"] = inventory.host.wsl;
  if (inventory.host.captured_root) host["captured_root"] = *inventory.host.captured_root;
  j["host"] = std::move(host);
  return j;
}

}  // namespace devpick
