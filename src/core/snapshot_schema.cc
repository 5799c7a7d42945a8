#include "core/snapshot_schema.h"

#include <cstdio>

#include "devpick/observations.h"

namespace devpick {

std::string DescribeJson(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string HexId(std::uint32_t value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%0*x", digits, value);
  return buffer;
}

void SnapshotReader::Fail(const std::string& key, const std::string& expected, const Json& got) {
  if (failed()) return;
  *error_ = Status::InvalidArgument(std::string(source_) + ": " + Path(key) + ": expected " +
                                    expected + ", got " + DescribeJson(got));
}

bool SnapshotReader::WithinListBound(const std::string& key, const Json& list) {
  if (list.size() <= kMaxSnapshotListEntries) return true;
  *error_ = Status::InvalidArgument(
      std::string(source_) + ": " + Path(key) + ": " + std::to_string(list.size()) +
      " entries; a snapshot list holds at most " + std::to_string(kMaxSnapshotListEntries));
  return false;
}

const SnapshotReader::Json* SnapshotReader::Get(const std::string& key) const {
  if (failed()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void SnapshotReader::String(const std::string& key, std::optional<std::string>* out) {
  if (const Json* v = Get(key)) {
    if (v->is_string())
      *out = v->get<std::string>();
    else
      Fail(key, "a string", *v);
  }
}

void SnapshotReader::RequiredString(const std::string& key, std::string* out) {
  const Json* v = Get(key);
  if (failed()) return;
  if (v == nullptr) {
    Fail(key, "a string", object_.contains(key) ? object_[key] : Json("<missing>"));
  } else if (v->is_string()) {
    *out = v->get<std::string>();
  } else {
    Fail(key, "a string", *v);
  }
}

void SnapshotReader::Number(const std::string& key, std::optional<double>* out) {
  if (const Json* v = Get(key)) {
    if (v->is_number())
      *out = v->get<double>();
    else
      Fail(key, "a number", *v);
  }
}

void SnapshotReader::Bool(const std::string& key, std::optional<bool>* out) {
  if (const Json* v = Get(key)) {
    if (v->is_boolean())
      *out = v->get<bool>();
    else
      Fail(key, "true or false", *v);
  }
}

void SnapshotReader::Hex(const std::string& key, std::optional<std::uint32_t>* out) {
  const Json* v = Get(key);
  if (v == nullptr) return;
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.size() > 2 && s.size() <= 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      std::uint32_t value = 0;
      bool good = true;
      for (std::size_t i = 2; i < s.size() && good; ++i) {
        char c = s[i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        good = d >= 0;
        value = value * 16 + static_cast<std::uint32_t>(d < 0 ? 0 : d);
      }
      if (good) {
        *out = value;
        return;
      }
    }
  }
  Fail(key, "a hex string such as \"0x10de\"", *v);
}

void SnapshotReader::StringList(const std::string& key, std::vector<std::string>* out) {
  const Json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_array()) return Fail(key, "an array of strings", *v);
  if (!WithinListBound(key, *v)) return;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) return Fail(key + "[" + std::to_string(i) + "]", "a string", (*v)[i]);
    out->push_back((*v)[i].get<std::string>());
  }
}

void SnapshotReader::Objects(const std::string& key,
                             const std::function<void(SnapshotReader&)>& each) {
  const Json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_array()) return Fail(key, "an array", *v);
  if (!WithinListBound(key, *v)) return;
  for (std::size_t i = 0; i < v->size() && !failed(); ++i) {
    std::string element_path = Path(key) + "[" + std::to_string(i) + "]";
    if (!(*v)[i].is_object()) {
      *error_ = Status::InvalidArgument(std::string(source_) + ": " + element_path +
                                        ": expected an object, got " + DescribeJson((*v)[i]));
      return;
    }
    SnapshotReader element((*v)[i], element_path, source_, error_);
    each(element);
  }
}

void SnapshotReader::Object(const std::string& key,
                            const std::function<void(SnapshotReader&)>& body) {
  const Json* v = Get(key);
  if (v == nullptr) return;
  if (!v->is_object()) return Fail(key, "an object", *v);
  SnapshotReader inner(*v, Path(key), source_, error_);
  body(inner);
}

}  // namespace devpick
