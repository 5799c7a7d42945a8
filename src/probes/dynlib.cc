#include "probes/dynlib.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

namespace devpick {

Result<std::unique_ptr<Library>> OpenFirstLibrary(const Env& env,
                                                  std::initializer_list<const char*> sonames) {
  std::vector<std::string> messages;
  for (const char* soname : sonames) {
    Result<std::unique_ptr<Library>> library = env.OpenLibrary(soname);
    if (library.ok()) return library;
    messages.push_back(library.status().message());
  }
  if (messages.empty()) return Status::Internal("no library name to try");
  // The usual case, "<soname>: cannot open shared object file: No such file or directory" for
  // every name, reads better once: the first message, then the other names tried.
  auto reason = [](std::string_view soname, const std::string& message) -> std::string_view {
    std::string prefix = std::string(soname) + ": ";
    if (message.compare(0, prefix.size(), prefix) != 0) return {};
    return std::string_view(message).substr(prefix.size());
  };
  std::string_view first_reason = reason(*sonames.begin(), messages.front());
  bool same = !first_reason.empty();
  std::string others;
  std::size_t i = 0;
  for (const char* soname : sonames) {
    if (i > 0) {
      same = same && reason(soname, messages[i]) == first_reason;
      others += (i > 1 ? ", " : "") + std::string(soname);
    }
    ++i;
  }
  if (same) {
    return Status::NotFound(messages.front() +
                            (others.empty() ? std::string() : " (also tried " + others + ")"));
  }
  std::string joined;
  for (const std::string& message : messages) joined += (joined.empty() ? "" : "; ") + message;
  return Status::NotFound(joined);
}

Status ResolveSymbols(const Library& library, std::span<const SymbolSlot> slots) {
  for (const SymbolSlot& slot : slots) {
    void* address = library.Symbol(slot.name);
    if (address == nullptr && slot.required) {
      return Status::NotFound(library.path() + ": missing symbol " + slot.name);
    }
    slot.assign(slot.target, address);
  }
  return Status::Ok();
}

Status ResolveSymbolTables(const Library& library,
                           std::initializer_list<std::span<const SymbolSlot>> tables) {
  for (std::span<const SymbolSlot> slots : tables) {
    if (Status resolved = ResolveSymbols(library, slots); !resolved.ok()) {
      for (std::span<const SymbolSlot> clear : tables) {
        for (const SymbolSlot& slot : clear) slot.assign(slot.target, nullptr);
      }
      return resolved;
    }
  }
  return Status::Ok();
}

std::unique_ptr<Library> OpenRuntime(const Env& env, std::initializer_list<const char*> sonames,
                                     std::span<const SymbolSlot> slots, ProbeHeader* entry) {
  Result<std::unique_ptr<Library>> library = OpenFirstLibrary(env, sonames);
  if (!library.ok()) {
    // Not installed is a normal state of a machine, not a failure of the probe.
    entry->status = ProbeStatus::kAbsent;
    entry->detail = library.status().message();
    return nullptr;
  }
  entry->library = (*library)->path();
  if (Status resolved = ResolveSymbols(**library, slots); !resolved.ok()) {
    entry->status = ProbeStatus::kError;
    entry->detail = resolved.message();
    return nullptr;
  }
  return std::move(*library);
}

std::uint32_t CapCount(std::uint64_t count, const char* what, ProbeHeader* entry) {
  if (count <= kMaxListedItems) return static_cast<std::uint32_t>(count);
  entry->warnings.push_back(std::string(what) + ": the library reported " + std::to_string(count) +
                            ", reading the first " + std::to_string(kMaxListedItems));
  return kMaxListedItems;
}

std::optional<std::string> BoundedString(const char* buffer, std::size_t capacity) {
  std::size_t length = strnlen(buffer, capacity);
  while (length > 0 && (buffer[length - 1] == ' ' || buffer[length - 1] == '\n' ||
                        buffer[length - 1] == '\t' || buffer[length - 1] == '\r')) {
    --length;
  }
  if (length == 0) return std::nullopt;
  return std::string(buffer, length);
}

std::string HexBytes(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0xf];
  }
  return hex;
}

std::string FormatPciAddress(std::uint32_t domain, std::uint32_t bus, std::uint32_t device,
                             std::uint32_t function) {
  char text[32];
  std::snprintf(text, sizeof text, "%04x:%02x:%02x.%x", domain, bus, device, function);
  return text;
}

std::string DescribeResult(const char* call, std::int64_t code, std::span<const ResultName> names,
                           bool hex) {
  char number[32];
  if (hex) {
    std::snprintf(number, sizeof number, "0x%" PRIx64, static_cast<std::uint64_t>(code));
  } else {
    std::snprintf(number, sizeof number, "%" PRId64, code);
  }
  auto it = std::find_if(names.begin(), names.end(),
                         [&](const ResultName& name) { return name.code == code; });
  if (it == names.end()) return std::string(call) + ": error " + number;
  return std::string(call) + ": " + it->name + " (" + number + ")";
}

}  // namespace devpick
