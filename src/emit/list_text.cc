#include "emit/list_text.h"

#include <fmt/format.h>

#include <algorithm>

namespace devpick {
namespace {

std::string BindingText(const Binding& b) {
  // The API's own ordinal is what users pass; a name beside it only says where the API found the
  // device (Level Zero's "driver/device").
  std::string text = b.api;
  if (b.index) {
    text += " " + std::to_string(*b.index);
  } else if (b.name) {
    text += " " + *b.name;
  }
  if (b.software) text += " (software)";
  return text;
}

std::string MemoryText(const Device& d) {
  if (!d.memory.total_bytes) return "-";
  return FormatBytes(*d.memory.total_bytes) + (d.memory.shared_with_host ? " shared" : "");
}

// Column widths from the content, so long names do not shear the table.
struct Table {
  std::vector<std::vector<std::string>> rows;
  std::string Render() const {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
      widths.resize(std::max(widths.size(), row.size()));
      for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line += row[i];
        if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }
};

}  // namespace

std::string FormatBytes(std::uint64_t bytes) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  if (bytes >= (std::uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", bytes / kGiB);
  return fmt::format("{} MiB", bytes >> 20);
}

std::string FormatInventoryText(const Inventory& inventory,
                                const std::vector<BackendLine>& backends, bool verbose) {
  std::string out;
  const HostInfo& host = inventory.host;
  out += fmt::format("{} {}{}{}{}\n", host.os, host.arch.empty() ? "?" : host.arch,
                     host.kernel ? ", kernel " + *host.kernel : "",
                     host.container ? ", in a container" : "", host.wsl ? ", WSL" : "");
  if (host.captured_root) {
    out += "describes the captured tree " + *host.captured_root + ", not this machine\n";
  }
  out += "\n";

  Table devices;
  devices.rows.push_back({"ID", "KIND", "VENDOR", "NAME", "MEMORY", "PCI", "DRIVER", "BINDINGS"});
  for (const Device& d : inventory.devices) {
    std::string bindings;
    for (const Binding& b : d.bindings) bindings += (bindings.empty() ? "" : ", ") + BindingText(b);
    devices.rows.push_back({d.id, std::string(ToString(d.kind)), std::string(ToString(d.vendor)),
                            d.name, MemoryText(d), d.pci_address.value_or("-"),
                            d.driver.name.value_or("-"), bindings.empty() ? "-" : bindings});
  }
  out += devices.Render();
  if (inventory.devices.size() == 1) out += "(no GPU or NPU found)\n";

  if (verbose) {
    out += "\nSources:\n";
    for (const Device& d : inventory.devices) {
      out += fmt::format("  {}: kind from {}; name from {}", d.id, d.kind_source, d.name_source);
      if (!d.memory.source.empty()) out += "; memory from " + d.memory.source;
      if (!d.compute.source.empty()) out += "; compute from " + d.compute.source;
      if (d.compute.est_fp32_tflops)
        out += fmt::format(" (~{:.1f} FP32 TFLOPS)", *d.compute.est_fp32_tflops);
      out += "\n";
    }
  }

  bool any_problem = false;
  for (const Device& d : inventory.devices) {
    for (const Problem& p : d.problems) {
      if (!any_problem) out += "\nProblems:\n";
      any_problem = true;
      out += fmt::format("  {}: {}\n      fix: {}\n", d.id, p.message, p.remedy);
    }
  }

  out += "\nProbes:\n";
  for (const Diagnostic& diag : inventory.diagnostics) {
    if (diag.level == "status") {
      out += fmt::format("  {:<11} {}{}\n", diag.probe, ToString(diag.status),
                         diag.detail.empty() ? "" : ": " + diag.detail);
    } else if (diag.level == "warning" || verbose) {
      out += fmt::format("  {:<11} {}: {}\n", diag.probe, diag.level, diag.detail);
    }
  }

  if (!backends.empty()) {
    out += "\nBackends (the device each would use):\n";
    Table table;
    for (const BackendLine& line : backends) {
      if (line.device_id) {
        table.rows.push_back({"  " + line.backend, *line.device_id, line.native, line.note});
      } else {
        table.rows.push_back({"  " + line.backend, "none", "", line.note});
      }
    }
    out += table.Render();
  }
  return out;
}

}  // namespace devpick
