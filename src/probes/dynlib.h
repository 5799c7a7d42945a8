// Typed dynamic loading for the runtime probes and verify: open a vendor library by soname through
// Env::OpenLibrary, then resolve every symbol the caller needs up front into a table of typed
// function pointers, so that a library without one of them fails once, by name
// ("libcuda.so.1: missing symbol cuDeviceGetUuid"), before any vendor code has run. Each vendor
// library's tables (the typed pointers and their SymbolSlots) are declared once, in
// src/vendor/<library>_api.h, and shared by its probe and its verify path:
//
//   CudaDeviceApi api;  // vendor/cuda_driver_api.h
//   std::unique_ptr<Library> library = OpenRuntime(env, {kCudaSoname}, api.Slots(), &entry);
//   if (!library) return;  // entry.status and entry.detail say why
//
// Also the bounded readers every probe needs for vendor output: fixed buffers that may come back
// unterminated, and counts that may lie.
//
// Thread-safety: free functions; a Library may be used from the thread that opened it.
#ifndef DEVPICK_SRC_PROBES_DYNLIB_H_
#define DEVPICK_SRC_PROBES_DYNLIB_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "devpick/env.h"
#include "devpick/observations.h"
#include "devpick/status.h"

namespace devpick {

// One entry of a probe's symbol table: where to store the address of `name`, typed.
struct SymbolSlot {
  const char* name;
  bool required;
  void* target;                                 // the address of a typed function pointer
  void (*assign)(void* target, void* address);  // stores `address` into it with its real type
};

// A symbol the probe cannot work without: its absence fails the load.
template <typename Function>
SymbolSlot Required(const char* name, Function** target) {
  return {name, true, target, [](void* slot, void* address) {
            *static_cast<Function**>(slot) = reinterpret_cast<Function*>(address);
          }};
}

// A symbol newer libraries export: left nullptr when absent.
template <typename Function>
SymbolSlot Optional(const char* name, Function** target) {
  SymbolSlot slot = Required(name, target);
  slot.required = false;
  return slot;
}

// Opens the first of `sonames` the loader finds. The error (kNotFound) carries every loader
// message, "; "-joined, so the user sees which names were tried.
Result<std::unique_ptr<Library>> OpenFirstLibrary(const Env& env,
                                                  std::initializer_list<const char*> sonames);

// Resolves every slot; the first missing required symbol fails with
// "<library path>: missing symbol <name>". Optional slots that are absent are set to nullptr.
Status ResolveSymbols(const Library& library, std::span<const SymbolSlot> slots);

// ResolveSymbols over several tables, in order. On failure every slot of every table is nullptr
// again, so that no call (a release in a destructor, say) goes through a half-filled table.
Status ResolveSymbolTables(const Library& library,
                           std::initializer_list<std::span<const SymbolSlot>> tables);

// OpenFirstLibrary + ResolveSymbols, recording the outcome in `entry`: on success `library` is set
// and nullptr is never returned; a missing library makes the entry `absent` with the loader's
// message, a missing symbol makes it `error`. Returns nullptr on failure.
std::unique_ptr<Library> OpenRuntime(const Env& env, std::initializer_list<const char*> sonames,
                                     std::span<const SymbolSlot> slots, ProbeHeader* entry);

// The frame every runtime probe shares: a fresh observation in `slot`, the first of `sonames`
// opened and an `Api` table (vendor/<library>_api.h) bound by OpenRuntime, then
// `read(api, entry)` while the library stays loaded. When the library is absent or lacks a symbol,
// the entry says so and `read` is not called.
template <typename Api, typename Observation, typename Read>
void RunWithRuntime(const Env& env, std::initializer_list<const char*> sonames,
                    std::optional<Observation>& slot, Read read) {
  Observation& entry = slot.emplace();
  Api api;
  std::unique_ptr<Library> library = OpenRuntime(env, sonames, api.Slots(), &entry);
  if (library) read(static_cast<const Api&>(api), entry);
}

// One row of a table that names a vendor enum's values (device types, say).
template <typename Value>
struct NamedValue {
  Value value;
  const char* name;
};

// The name of the first row of `table` that `matches`, or nullptr.
template <typename Value, std::size_t kRows, typename Match>
const char* FindName(const NamedValue<Value> (&table)[kRows], Match matches) {
  for (const NamedValue<Value>& row : table) {
    if (matches(row.value)) return row.name;
  }
  return nullptr;
}

// The most devices (platforms, drivers, memory regions) a probe reads from one list. Vendors have
// returned garbage counts; beyond this the probe reads the first kMaxListedItems and warns.
inline constexpr std::uint32_t kMaxListedItems = 64;

// `count` capped at kMaxListedItems; adds "<what>: the library reported N, reading the first 64"
// to `entry` when it had to cap.
std::uint32_t CapCount(std::uint64_t count, const char* what, ProbeHeader* entry);

// The text in a fixed-size vendor buffer, stopping at the first NUL or at `capacity` when the
// vendor left it unterminated; trailing blanks removed. nullopt when empty.
std::optional<std::string> BoundedString(const char* buffer, std::size_t capacity);

// Lower-case hex of `size` bytes, no separators: a UUID as 32 characters.
std::string HexBytes(const unsigned char* bytes, std::size_t size);

// "dddd:bb:dd.f" from numeric parts, the form sysfs prints.
std::string FormatPciAddress(std::uint32_t domain, std::uint32_t bus, std::uint32_t device,
                             std::uint32_t function);

// "<call>: <NAME> (<code>)" using `names`, or "<call>: error <code>" for a value not in it. Codes
// are printed in decimal, or in hex when `hex` (Level Zero's are 0x78000001-style).
struct ResultName {
  std::int64_t code;
  const char* name;
};
std::string DescribeResult(const char* call, std::int64_t code, std::span<const ResultName> names,
                           bool hex = false);

}  // namespace devpick

#endif  // DEVPICK_SRC_PROBES_DYNLIB_H_
