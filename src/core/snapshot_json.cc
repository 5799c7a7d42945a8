#include "core/snapshot_json.h"

#include "core/bounded_json.h"
#include "core/snapshot_schema.h"
#include "devpick/pci_address.h"
#include "probes/registry.h"

namespace devpick {
namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;

constexpr SnapshotField<HostInfo> kHostFields[] = {
    field::Value<&HostInfo::os>("os"),
    field::Value<&HostInfo::arch>("arch"),
    field::Optional<&HostInfo::kernel>("kernel"),
    field::Value<&HostInfo::container>("container"),
    field::Value<&HostInfo::wsl>("wsl"),
    field::OmittedWhenAbsent<&HostInfo::captured_root>("captured_root"),
};

constexpr SnapshotField<CpuObservation> kCpuFields[] = {
    field::Optional<&CpuObservation::vendor>("vendor"),
    field::Optional<&CpuObservation::model>("model"),
    field::Optional<&CpuObservation::packages>("packages"),
    field::Optional<&CpuObservation::cores>("cores"),
    field::Optional<&CpuObservation::threads>("threads"),
    field::Optional<&CpuObservation::max_mhz>("max_mhz"),
    field::Strings<&CpuObservation::flags>("flags"),
    field::Optional<&CpuObservation::memory_bytes>("memory_bytes"),
    field::Optional<&CpuObservation::cgroup_cpu_limit>("cgroup_cpu_limit"),
    field::Optional<&CpuObservation::cgroup_memory_limit_bytes>("cgroup_memory_limit_bytes"),
};

constexpr SnapshotField<NvidiaProcfsGpu> kNvidiaProcfsFields[] = {
    field::Optional<&NvidiaProcfsGpu::model>("model"),
    field::Optional<&NvidiaProcfsGpu::uuid>("uuid"),
    field::Optional<&NvidiaProcfsGpu::device_minor>("device_minor"),
};

constexpr SnapshotField<PciIdsNames> kPciIdsNamesFields[] = {
    field::Optional<&PciIdsNames::vendor>("vendor"),
    field::Optional<&PciIdsNames::device>("device"),
};

constexpr SnapshotField<PciFunction> kPciFields[] = {
    field::Required<&PciFunction::address>("address"),
    field::Hex<&PciFunction::vendor>("vendor"),
    field::Hex<&PciFunction::device>("device"),
    field::Hex<&PciFunction::subsystem_vendor>("subsystem_vendor"),
    field::Hex<&PciFunction::subsystem_device>("subsystem_device"),
    field::Hex<&PciFunction::class_code, 6>("class"),
    field::Hex<&PciFunction::revision, 2>("revision"),
    field::Optional<&PciFunction::driver>("driver"),
    field::Optional<&PciFunction::numa_node>("numa_node"),
    field::Optional<&PciFunction::boot_vga>("boot_vga"),
    field::Strings<&PciFunction::drm>("drm"),
    field::Strings<&PciFunction::accel>("accel"),
    field::Optional<&PciFunction::vram_bytes>("vram_bytes"),
    field::Optional<&PciFunction::gtt_bytes>("gtt_bytes"),
    // Extensions, left out when not observed.
    field::OmittedWhenAbsent<&PciFunction::board_info>("board_info"),
    field::OmittedWhenAbsent<&PciFunction::render_node_accessible>("render_node_accessible"),
    field::ObjectOmittedWhenAbsent<&PciFunction::nvidia_procfs, kNvidiaProcfsFields>(
        "nvidia_procfs"),
    field::ObjectOmittedWhenAbsent<&PciFunction::pci_ids_names, kPciIdsNamesFields>(
        "pci_ids_names"),
};

}  // namespace

nlohmann::ordered_json ProbeEntryToJson(const ProbeObservations& probes, std::string_view name) {
  OJson j = OJson::object();
  if (const ProbeDescriptor* probe = FindProbeDescriptor(name)) probe->entry.write(probes, &j);
  return j;
}

Status ProbeEntryFromJson(const nlohmann::json& entry, std::string_view name,
                          std::string_view source, ProbeObservations* probes) {
  Status error;
  if (!entry.is_object()) {
    return Status::InvalidArgument(std::string(source) + ": probes." + std::string(name) +
                                   ": expected an object, got " + DescribeJson(entry));
  }
  SnapshotReader reader(entry, "probes." + std::string(name), source, &error);
  if (const ProbeDescriptor* probe = FindProbeDescriptor(name)) probe->entry.read(reader, probes);
  return error;
}

nlohmann::ordered_json ObservationsToJson(const Observations& o) {
  OJson j;
  j["devpick_snapshot"] = o.version;
  OJson host;
  WriteFields<HostInfo>(kHostFields, o.host, &host);
  j["host"] = std::move(host);
  j["env"] = o.env;
  OJson cpu;
  WriteFields<CpuObservation>(kCpuFields, o.cpu, &cpu);
  j["cpu"] = std::move(cpu);
  OJson pci = OJson::array();
  for (const PciFunction& f : o.pci) {
    OJson function;
    WriteFields<PciFunction>(kPciFields, f, &function);
    pci.push_back(std::move(function));
  }
  j["pci"] = std::move(pci);
  OJson probes = OJson::object();
  for (const ProbeDescriptor& probe : ProbeRegistry()) {
    OJson entry = OJson::object();
    probe.entry.write(o.probes, &entry);
    if (!entry.empty()) probes[std::string(probe.name)] = std::move(entry);
  }
  j["probes"] = std::move(probes);
  return j;
}

Result<Observations> ObservationsFromJson(const nlohmann::json& document, std::string_view source) {
  if (!document.is_object()) {
    return Status::InvalidArgument(std::string(source) +
                                   ": expected a JSON object with \"devpick_snapshot\": 1, got " +
                                   DescribeJson(document));
  }
  auto version = document.find("devpick_snapshot");
  if (version == document.end()) {
    return Status::InvalidArgument(std::string(source) +
                                   ": not a devpick snapshot (no \"devpick_snapshot\" field); "
                                   "write one with `devpick snapshot -o FILE`");
  }
  if (!version->is_number_integer() || version->get<std::int64_t>() < 1) {
    return Status::InvalidArgument(std::string(source) +
                                   ": devpick_snapshot: expected a positive integer version, got " +
                                   DescribeJson(*version));
  }
  if (version->get<std::int64_t>() > kSnapshotVersion) {
    return Status::InvalidArgument(std::string(source) + ": snapshot version " +
                                   std::to_string(version->get<std::int64_t>()) +
                                   " is newer than this devpick supports (versions 1 to " +
                                   std::to_string(kSnapshotVersion) + "); upgrade devpick");
  }
  Observations o;
  Status error;
  SnapshotReader root(document, "", source, &error);
  root.Object("host", [&](SnapshotReader& h) { ReadFields<HostInfo>(kHostFields, h, &o.host); });
  if (const Json* env = root.Get("env")) {
    if (!env->is_object()) {
      root.Fail("env", "an object of strings", *env);
    } else {
      for (const auto& [key, value] : env->items()) {
        if (!value.is_string()) {
          root.Fail("env." + key, "a string", value);
          break;
        }
        o.env[key] = value.get<std::string>();
      }
    }
  }
  root.Object("cpu", [&](SnapshotReader& c) { ReadFields<CpuObservation>(kCpuFields, c, &o.cpu); });
  root.Objects("pci", [&](SnapshotReader& p) {
    PciFunction f;
    ReadFields<PciFunction>(kPciFields, p, &f);
    o.pci.push_back(std::move(f));
  });
  // PCI addresses are identities: one function, one entry (a repeat made a phantom GPU that
  // runtimes' devices could bind to).
  std::vector<std::string> addresses;
  for (const PciFunction& f : o.pci) {
    std::optional<PciAddress> parsed = ParsePciAddress(f.address);
    addresses.push_back(parsed ? parsed->ToString() : f.address);
  }
  for (std::size_t i = 0; i < o.pci.size() && error.ok(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (addresses[j] != addresses[i]) continue;
      error = Status::InvalidArgument(
          std::string(source) + ": pci[" + std::to_string(i) + "].address: " + o.pci[i].address +
          " is pci[" + std::to_string(j) + "] too; a snapshot lists each PCI function once");
      break;
    }
  }
  root.Object("probes", [&](SnapshotReader& probes) {
    for (const ProbeDescriptor& probe : ProbeRegistry()) {
      probes.Object(std::string(probe.name),
                    [&](SnapshotReader& entry) { probe.entry.read(entry, &o.probes); });
    }
  });
  if (!error.ok()) return error;
  return o;
}

Result<Observations> ParseSnapshot(std::string_view text, std::string_view source) {
  ParsedJson document = ParseBoundedJson(text);
  if (const std::optional<JsonSyntaxError>& error = document.error) {
    std::string where =
        error->positioned ? ":" + std::to_string(error->line) + ":" + std::to_string(error->column)
                          : "";
    return Status::InvalidArgument(std::string(source) + where +
                                   ": malformed JSON: " + error->reason);
  }
  return ObservationsFromJson(document.value, source);
}

std::string SerializeSnapshot(const Observations& observations) {
  // Strings from drivers are not always UTF-8: replace bad bytes rather than fail the snapshot.
  return ObservationsToJson(observations)
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace devpick
