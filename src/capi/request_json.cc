#include "capi/request_json.h"

#include <cstddef>
#include <string>
#include <vector>

#include "core/bounded_json.h"
#include "select/config.h"

namespace devpick::capi {
namespace {

using Json = nlohmann::json;

// The value as the caller wrote it, shortened, for "got ..." in messages.
std::string Shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 60;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

Status Expected(std::string_view path, std::string_view expectation, const Json& value) {
  return Status::InvalidArgument(std::string(path) + ": expected " + std::string(expectation) +
                                 ", got " + Shown(value));
}

// null stays unset, so callers can pass Python's None for "default".
Result<std::optional<std::string>> GetOptionalString(const Json& value, std::string_view path) {
  if (value.is_null()) return std::optional<std::string>();
  if (!value.is_string()) return Expected(path, "a string or null", value);
  return std::optional<std::string>(value.get<std::string>());
}

Result<bool> GetBool(const Json& value, std::string_view path) {
  if (!value.is_boolean()) return Expected(path, "true or false", value);
  return value.get<bool>();
}

// An array of strings, or one comma-separated string as the CLI accepts.
Result<std::vector<std::string>> GetStringList(const Json& value, std::string_view path) {
  std::vector<std::string> items;
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      if (comma > start) items.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    return items;
  }
  if (!value.is_array()) return Expected(path, "an array of strings", value);
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return Expected(std::string(path) + "[" + std::to_string(i) + "]", "a string", value[i]);
    }
    items.push_back(value[i].get<std::string>());
  }
  return items;
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// One accepted key of an argument object and how it is stored.
template <typename Target>
struct KeyRow {
  std::string_view key;
  Status (*apply)(const Json& value, std::string_view path, Target* out);
};

template <typename Target, std::size_t N>
Status ApplyKeys(const Json& object, std::string_view what, const KeyRow<Target> (&rows)[N],
                 Target* out) {
  for (const auto& [key, value] : object.items()) {
    const KeyRow<Target>* row = nullptr;
    for (const KeyRow<Target>& candidate : rows) {
      if (candidate.key == key) row = &candidate;
    }
    if (row == nullptr) {
      std::string known;
      for (const KeyRow<Target>& candidate : rows) {
        known += (known.empty() ? "" : ", ") + std::string(candidate.key);
      }
      return Status::InvalidArgument(std::string(what) + ": unknown key '" + key +
                                     "'; known keys: " + known);
    }
    if (Status status = row->apply(value, std::string(what) + "." + key, out); !status.ok()) {
      return status;
    }
  }
  return Status::Ok();
}

// Stores what `kGet` reads (an optional string, null = unset; a string list) into a member of the
// target: out->*kField, or (out->*kField).*kInner for a member of a member.
template <auto kGet, auto kField, auto kInner = nullptr, typename Target>
Status Set(const Json& value, std::string_view path, Target* out) {
  auto read = kGet(value, path);
  if (!read.ok()) return read.status();
  if constexpr (kInner == nullptr) {
    out->*kField = *read;
  } else {
    (out->*kField).*kInner = *read;
  }
  return Status::Ok();
}

constexpr KeyRow<DiscoverArguments> kDiscoverKeys[] = {
    {"probes", Set<GetStringList, &DiscoverArguments::options, &DiscoverOptions::probes>},
    {"no_probe", Set<GetStringList, &DiscoverArguments::options, &DiscoverOptions::excluded>},
    {"timeout_ms",
     [](const Json& value, std::string_view path, DiscoverArguments* out) {
       // An hour is far beyond any probe; the bound keeps the value inside an int.
       constexpr std::int64_t kMaxTimeoutMs = 3600 * 1000;
       if (!value.is_number_integer() || value.get<std::int64_t>() <= 0 ||
           value.get<std::int64_t>() > kMaxTimeoutMs) {
         return Expected(path, "a positive number of milliseconds up to 3600000", value);
       }
       out->options.timeout_ms = value.get<int>();
       return Status::Ok();
     }},
    {"in_process",
     [](const Json& value, std::string_view path, DiscoverArguments* out) {
       Result<bool> flag = GetBool(value, path);
       if (!flag.ok()) return flag.status();
       out->options.isolate = !*flag;
       return Status::Ok();
     }},
    {"probe_helper",
     [](const Json& value, std::string_view path, DiscoverArguments* out) {
       Result<std::optional<std::string>> text = GetOptionalString(value, path);
       if (!text.ok()) return text.status();
       out->options.probe_helper = text->value_or("");
       return Status::Ok();
     }},
    {"replay", Set<GetOptionalString, &DiscoverArguments::source, &MachineSource::replay>},
    {"snapshot_json",
     Set<GetOptionalString, &DiscoverArguments::source, &MachineSource::snapshot_json>},
    {"root", Set<GetOptionalString, &DiscoverArguments::source, &MachineSource::root>},
};

// The request's values, spelled as configuration values so that EffectiveConfig::ToRequest checks
// them exactly as it checks the CLI's flags.
struct RequestFields {
  EffectiveConfig config;
  bool isolate = false;
};

template <ConfigValue EffectiveConfig::*kField>
Status SetConfigString(const Json& value, std::string_view path, RequestFields* out) {
  Result<std::optional<std::string>> text = GetOptionalString(value, path);
  if (!text.ok()) return text.status();
  (out->config.*kField).value = text->value_or((out->config.*kField).value);
  (out->config.*kField).origin = std::string(path);
  return Status::Ok();
}

constexpr KeyRow<RequestFields> kRequestKeys[] = {
    {"backend", SetConfigString<&EffectiveConfig::backend>},
    {"device", SetConfigString<&EffectiveConfig::device>},
    {"policy", SetConfigString<&EffectiveConfig::policy>},
    {"fallback", SetConfigString<&EffectiveConfig::fallback>},
    {"min_memory",
     [](const Json& value, std::string_view path, RequestFields* out) {
       if (value.is_number_unsigned()) {
         out->config.min_memory.value = std::to_string(value.get<std::uint64_t>());
         return Status::Ok();
       }
       if (!value.is_string() && !value.is_null()) {
         return Expected(path, "a size such as \"6GiB\", a number of bytes or null", value);
       }
       return SetConfigString<&EffectiveConfig::min_memory>(value, path, out);
     }},
    {"exclude",
     [](const Json& value, std::string_view path, RequestFields* out) {
       if (value.is_null()) return Status::Ok();
       Result<std::vector<std::string>> items = GetStringList(value, path);
       if (!items.ok()) return items.status();
       out->config.exclude.value = Joined(*items, ",");
       return Status::Ok();
     }},
    {"isolate",
     [](const Json& value, std::string_view path, RequestFields* out) {
       Result<bool> flag = GetBool(value, path);
       if (!flag.ok()) return flag.status();
       out->isolate = *flag;
       return Status::Ok();
     }},
};

constexpr KeyRow<DoctorRequest> kDoctorKeys[] = {
    {"backend", Set<GetOptionalString, &DoctorRequest::backend>},
    {"python", Set<GetOptionalString, &DoctorRequest::python>},
};

}  // namespace

Result<Json> ParseJsonObject(std::string_view text, std::string_view what) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  ParsedJson parsed = ParseBoundedJson(text);
  if (const std::optional<JsonSyntaxError>& error = parsed.error) {
    // People read lines and columns, not nlohmann's byte offsets.
    std::string where = error->positioned ? " at line " + std::to_string(error->line) +
                                                ", column " + std::to_string(error->column)
                                          : "";
    return Status::InvalidArgument(std::string(what) + ": malformed JSON" + where + ": " +
                                   error->reason);
  }
  Json document = std::move(parsed.value);
  if (!document.is_object()) return Expected(what, "a JSON object", document);
  return document;
}

namespace {

// `text` as the JSON object `what`, its keys stored by `rows`.
template <typename Target, std::size_t N>
Result<Target> ParseKeys(std::string_view text, std::string_view what,
                         const KeyRow<Target> (&rows)[N]) {
  Result<Json> object = ParseJsonObject(text, what);
  if (!object.ok()) return object.status();
  Target target;
  if (Status status = ApplyKeys(*object, what, rows, &target); !status.ok()) return status;
  return target;
}

}  // namespace

Result<DiscoverArguments> ParseDiscoverArguments(std::string_view text) {
  Result<DiscoverArguments> parsed = ParseKeys(text, "options", kDiscoverKeys);
  if (!parsed.ok()) return parsed.status();
  DiscoverArguments& arguments = *parsed;
  std::vector<std::string> sources;
  if (arguments.source.replay) sources.push_back("replay");
  if (arguments.source.snapshot_json) sources.push_back("snapshot_json");
  if (arguments.source.root) sources.push_back("root");
  if (sources.size() > 1) {
    return Status::InvalidArgument("options: " + Joined(sources, " and ") +
                                   " cannot be combined; give at most one of replay, "
                                   "snapshot_json and root");
  }
  if (Status valid = ValidateDiscoverOptions(arguments.options); !valid.ok()) return valid;
  return parsed;
}

Result<Request> ParseSelectRequest(std::string_view text) {
  Result<RequestFields> fields = ParseKeys(text, "request", kRequestKeys);
  if (!fields.ok()) return fields.status();
  Result<Request> request = fields->config.ToRequest();
  if (!request.ok()) return request.status();
  request->isolate = fields->isolate;
  return request;
}

Result<DoctorRequest> ParseDoctorRequest(std::string_view text) {
  Result<DoctorRequest> request = ParseKeys(text, "request", kDoctorKeys);
  if (!request.ok()) return request.status();
  if (request->backend && request->backend->empty()) request->backend.reset();
  if (request->backend) {
    Result<std::string> canonical = CanonicalBackend(*request->backend);
    if (!canonical.ok()) return canonical.status();
    request->backend = *canonical;
  }
  return request;
}

}  // namespace devpick::capi
