// Snapshot field schemas: one declaration of a struct's snapshot fields that both the writer and
// the reader use, so that a field is spelled (key, encoding, null-or-omitted) exactly once.
//
//   constexpr SnapshotField<NvmlDevice> kNvmlDeviceFields[] = {
//       field::Value<&NvmlDevice::index>("index"),
//       field::Optional<&NvmlDevice::name>("name"),
//       field::Hex<&RocmNode::vendor_id>("vendor_id"),  // "0x1002"
//   };
//   WriteFields<NvmlDevice>(kNvmlDeviceFields, device, &json);
//   ReadFields<NvmlDevice>(kNvmlDeviceFields, reader, &device);
//
// Fields are written in declaration order and read in the same order, so the first type error a
// reader reports is the first bad field of the document. Unknown keys are ignored (SNAPSHOT.md).
//
// Thread-safety: schemas are constants; a SnapshotReader is used by one thread.
#ifndef DEVPICK_SRC_CORE_SNAPSHOT_SCHEMA_H_
#define DEVPICK_SRC_CORE_SNAPSHOT_SCHEMA_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/json_null.h"
#include "devpick/status.h"

namespace devpick {

// A JSON value shortened for an error message.
std::string DescribeJson(const nlohmann::json& value);

// A cursor over one JSON object that records the first type error with its JSON path, as
// "<source>: <path>: expected <what>, got <value>". Once an error is recorded every read is a
// no-op, so a schema reads on without checking after each field.
class SnapshotReader {
 public:
  using Json = nlohmann::json;

  SnapshotReader(const Json& object, std::string path, std::string_view source, Status* error)
      : object_(object), path_(std::move(path)), source_(source), error_(error) {}

  bool failed() const { return !error_->ok(); }
  void Fail(const std::string& key, const std::string& expected, const Json& got);
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  // The value at key, or nullptr when absent or null.
  const Json* Get(const std::string& key) const;

  void String(const std::string& key, std::optional<std::string>* out);
  void RequiredString(const std::string& key, std::string* out);
  template <typename Int>
  void Integer(const std::string& key, std::optional<Int>* out) {
    if (const Json* v = Get(key)) {
      if (!v->is_number_integer()) return Fail(key, "an integer", *v);
      if (!FitsIn<Int>(*v)) return Fail(key, "an integer in range", *v);
      *out = v->get<Int>();
    }
  }
  void Number(const std::string& key, std::optional<double>* out);
  void Bool(const std::string& key, std::optional<bool>* out);
  // PCI IDs are strings such as "0x10de" (SNAPSHOT.md conventions).
  void Hex(const std::string& key, std::optional<std::uint32_t>* out);
  void StringList(const std::string& key, std::vector<std::string>* out);
  // Calls `each(reader)` for every object in the array at `key`.
  void Objects(const std::string& key, const std::function<void(SnapshotReader&)>& each);
  void Object(const std::string& key, const std::function<void(SnapshotReader&)>& body);

 private:
  template <typename Int>
  static bool FitsIn(const Json& v) {
    if (v.is_number_unsigned()) {
      return v.get<std::uint64_t>() <= std::uint64_t{std::numeric_limits<Int>::max()};
    }
    std::int64_t s = v.get<std::int64_t>();
    if (s < 0) return std::is_signed_v<Int> && s >= std::int64_t{std::numeric_limits<Int>::min()};
    return static_cast<std::uint64_t>(s) <= std::uint64_t{std::numeric_limits<Int>::max()};
  }
  bool WithinListBound(const std::string& key, const Json& list);

  const Json& object_;
  std::string path_;
  std::string_view source_;
  Status* error_;
};

// One field of struct T in a snapshot: its key and how it is written and read.
template <typename T>
struct SnapshotField {
  std::string_view key;
  void (*write)(const T& object, std::string_view key, nlohmann::ordered_json* out);
  void (*read)(SnapshotReader& reader, const std::string& key, T* object);
};

template <typename T>
using SnapshotFields = std::span<const SnapshotField<T>>;

template <typename T>
void WriteFields(SnapshotFields<T> fields, const T& object, nlohmann::ordered_json* out) {
  for (const SnapshotField<T>& f : fields) f.write(object, f.key, out);
}

template <typename T>
void ReadFields(SnapshotFields<T> fields, SnapshotReader& reader, T* object) {
  for (const SnapshotField<T>& f : fields) f.read(reader, std::string(f.key), object);
}

// Hex ID strings as snapshots write them: 0x10de (4 digits at least, lower case).
std::string HexId(std::uint32_t value, int digits = 4);

namespace field {
namespace internal {

template <typename M>
struct Member;
template <typename C, typename V>
struct Member<V C::*> {
  using Class = C;
  using Value = V;
};
template <auto M>
using ClassOf = typename Member<decltype(M)>::Class;
template <auto M>
using ValueOf = typename Member<decltype(M)>::Value;

template <typename V>
struct OptionalValue;
template <typename V>
struct OptionalValue<std::optional<V>> {
  using Type = V;
};

// Reads a scalar by its C++ type: string, bool, floating point or integer of that range.
template <typename V>
void ReadScalar(SnapshotReader& r, const std::string& key, std::optional<V>* out) {
  if constexpr (std::is_same_v<V, std::string>) {
    r.String(key, out);
  } else if constexpr (std::is_same_v<V, bool>) {
    r.Bool(key, out);
  } else if constexpr (std::is_floating_point_v<V>) {
    r.Number(key, out);
  } else {
    r.Integer(key, out);
  }
}

// The write of a field kind that writes the member as it is (Value, Required, Strings).
template <auto M>
void WriteAsIs(const ClassOf<M>& o, std::string_view k, nlohmann::ordered_json* out) {
  (*out)[std::string(k)] = o.*M;
}

// The read of an optional scalar member (Optional, OmittedWhenAbsent).
template <auto M>
void ReadOptionalScalar(SnapshotReader& r, const std::string& k, ClassOf<M>* o) {
  ReadScalar(r, k, &(o->*M));
}

}  // namespace internal

// A value that always exists (an index, a type with a default): written as is; when absent or
// null the member keeps its default.
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> Value(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write = internal::WriteAsIs<M>,
          .read = [](SnapshotReader& r, const std::string& k, C* o) {
            std::optional<internal::ValueOf<M>> value;
            internal::ReadScalar(r, k, &value);
            if (value) o->*M = std::move(*value);
          }};
}

// An optional value: written as null when not observed.
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> Optional(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write = [](const C& o, std::string_view k,
                      nlohmann::ordered_json* out) { (*out)[std::string(k)] = OrNull(o.*M); },
          .read = internal::ReadOptionalScalar<M>};
}

// An optional value of an extension: left out when not observed, so older documents stay as
// they were.
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> OmittedWhenAbsent(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write =
              [](const C& o, std::string_view k, nlohmann::ordered_json* out) {
                if (o.*M) (*out)[std::string(k)] = *(o.*M);
              },
          .read = internal::ReadOptionalScalar<M>};
}

// A PCI ID as a hex string of at least `digits` digits ("0x10de"), null when not observed.
template <auto M, int digits = 4>
constexpr SnapshotField<internal::ClassOf<M>> Hex(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write =
              [](const C& o, std::string_view k, nlohmann::ordered_json* out) {
                (*out)[std::string(k)] = o.*M ? nlohmann::ordered_json(HexId(*(o.*M), digits))
                                              : nlohmann::ordered_json(nullptr);
              },
          .read = [](SnapshotReader& r, const std::string& k, C* o) { r.Hex(k, &(o->*M)); }};
}

// A string the document must hold (an identity: a PCI address, an OpenVINO device name).
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> Required(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {
      .key = key,
      .write = internal::WriteAsIs<M>,
      .read = [](SnapshotReader& r, const std::string& k, C* o) { r.RequiredString(k, &(o->*M)); }};
}

// A list of strings, written even when empty.
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> Strings(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write = internal::WriteAsIs<M>,
          .read = [](SnapshotReader& r, const std::string& k, C* o) { r.StringList(k, &(o->*M)); }};
}

// A list of strings of an extension, left out when empty.
template <auto M>
constexpr SnapshotField<internal::ClassOf<M>> StringsOmittedWhenEmpty(std::string_view key) {
  using C = internal::ClassOf<M>;
  return {.key = key,
          .write =
              [](const C& o, std::string_view k, nlohmann::ordered_json* out) {
                if (!(o.*M).empty()) (*out)[std::string(k)] = o.*M;
              },
          .read = [](SnapshotReader& r, const std::string& k, C* o) { r.StringList(k, &(o->*M)); }};
}

// A list of objects, each described by `Fields` (an array of SnapshotField of the element type).
template <auto M, const auto& Fields>
constexpr SnapshotField<internal::ClassOf<M>> Objects(std::string_view key) {
  using C = internal::ClassOf<M>;
  using E = typename internal::ValueOf<M>::value_type;
  return {.key = key,
          .write =
              [](const C& o, std::string_view k, nlohmann::ordered_json* out) {
                nlohmann::ordered_json list = nlohmann::ordered_json::array();
                for (const E& element : o.*M) {
                  nlohmann::ordered_json entry;
                  WriteFields<E>(Fields, element, &entry);
                  list.push_back(std::move(entry));
                }
                (*out)[std::string(k)] = std::move(list);
              },
          .read =
              [](SnapshotReader& r, const std::string& k, C* o) {
                r.Objects(k, [&](SnapshotReader& e) {
                  E element;
                  ReadFields<E>(Fields, e, &element);
                  (o->*M).push_back(std::move(element));
                });
              }};
}

// An optional object of an extension, described by `Fields`: left out when not observed.
template <auto M, const auto& Fields>
constexpr SnapshotField<internal::ClassOf<M>> ObjectOmittedWhenAbsent(std::string_view key) {
  using C = internal::ClassOf<M>;
  using E = typename internal::OptionalValue<internal::ValueOf<M>>::Type;
  return {.key = key,
          .write =
              [](const C& o, std::string_view k, nlohmann::ordered_json* out) {
                if (!(o.*M)) return;
                nlohmann::ordered_json entry;
                WriteFields<E>(Fields, *(o.*M), &entry);
                (*out)[std::string(k)] = std::move(entry);
              },
          .read =
              [](SnapshotReader& r, const std::string& k, C* o) {
                r.Object(k, [&](SnapshotReader& e) {
                  E element;
                  ReadFields<E>(Fields, e, &element);
                  o->*M = std::move(element);
                });
              }};
}

}  // namespace field
}  // namespace devpick

#endif  // DEVPICK_SRC_CORE_SNAPSHOT_SCHEMA_H_
