// The probe registry: every probe devpick knows, one descriptor each (hwloc's components). Every
// list of probes is derived from it: the probe table and --probes checks (ProbeTable, FindProbe),
// the isolation protocol's entries, the snapshot's "probes" object (names, order, and the field
// schema both the writer and the reader use), the order and trust of correlation, the
// diagnostics' order, doctor's probe lookups and gather's driver-free list.
//
// Adding a probe is its own files (the run function, its observation struct in
// devpick/observations.h, its snapshot fields in probes/probe_schemas.h, its correlation step in
// src/inventory/) plus one row in registry.cc and tests.
//
// Thread-safety: the registry is a constant.
#ifndef DEVPICK_SRC_PROBES_REGISTRY_H_
#define DEVPICK_SRC_PROBES_REGISTRY_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot_schema.h"
#include "devpick/discover.h"
#include "devpick/observations.h"

namespace devpick {

// The operating systems a probe runs on.
struct ProbePlatforms {
  bool on_linux = false;
  bool on_windows = false;
  bool on_macos = false;
};

// Where a probe's observations live in ProbeObservations, and their snapshot encoding.
struct ProbeEntry {
  // The entry's header, or nullptr when the probe did not run (or was not recorded).
  const ProbeHeader* (*header)(const ProbeObservations& probes);
  // Creates (replacing) the entry and returns its header.
  ProbeHeader* (*emplace)(ProbeObservations* probes);
  // Moves the entry (present or not) from one set of observations to another.
  void (*move)(ProbeObservations* from, ProbeObservations* to);
  // Writes the entry's fields into `out` (an object); writes nothing when the entry is absent.
  void (*write)(const ProbeObservations& probes, nlohmann::ordered_json* out);
  // Reads the entry's fields (SnapshotReader positioned at probes.<name>) and sets the entry.
  void (*read)(SnapshotReader& reader, ProbeObservations* probes);
};

// Correlation's state (src/inventory/correlation.h); a step adds one probe's observations to it.
class Correlation;
struct ProbeDescriptor;
using CorrelationStep = void (*)(const ProbeDescriptor& probe, Correlation* correlation);

// The name of the probe whose error reports NVML's driver/library version mismatch: doctor reads
// that error, so it reaches the probe by this constant, the one its registry row is declared with.
inline constexpr std::string_view kNvmlProbeName = "nvml";

struct ProbeDescriptor {
  std::string_view name;
  ProbeTier tier;
  ProbePlatforms platforms;
  std::string_view description;
  // How messages name the API ("Level Zero"; doctor's runtime findings).
  std::string_view display;
  // The shared library a live runtime probe loads, as messages name it ("libcuda.so.1"): the
  // soname its symbol table in src/vendor/ declares; "" for a driver-free probe or one without a
  // live run.
  std::string_view library;
  // Fills its part of Observations; nullptr for a probe that snapshots record but this build
  // cannot run (dxgi, metal): such a probe is not in ProbeTable() and --probes refuses it.
  void (*run)(const Env& env, Observations* out);
  ProbeEntry entry;
  // Adds the probe's devices and facts to correlation; nullptr when the probe adds none (cpu:
  // the CPU device is built from the top-level "cpu" facts).
  CorrelationStep correlate;
  // Correlation runs steps from the lowest trust number up; the first source to set a fact
  // (a device's kind from a runtime flag, its compute units, its memory) is the most trusted.
  // PCI functions (sysfs) come first because they are the devices runtimes match against.
  int trust;
};

// Every probe, in the order of results (the snapshot's "probes" object, diagnostics).
std::span<const ProbeDescriptor> ProbeRegistry();
// The descriptor named `name`, live or recorded-only; nullptr when unknown.
const ProbeDescriptor* FindProbeDescriptor(std::string_view name);
// Descriptors with a correlation step, most trusted first.
std::vector<const ProbeDescriptor*> CorrelationOrder();
// Names of the live probes of `tier`, in registry order.
std::vector<std::string> ProbeNamesOfTier(ProbeTier tier);
// The header of probe `name` in `probes`; nullptr when unknown or absent.
const ProbeHeader* FindProbeHeader(const ProbeObservations& probes, std::string_view name);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_REGISTRY_H_
