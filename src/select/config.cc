#include "select/config.h"

#include <toml++/toml.h>

#include <map>
#include <sstream>

#include "core/bounded_toml.h"
#include "core/text.h"
#include "select/backend_table.h"

namespace devpick {
namespace {

// A value as written in one file.
struct FileValue {
  std::string value;
  std::string origin;  // "<path>:<line>" or "<path>:<line> [backend.NAME]"
};
struct FileData {
  std::string path;
  std::map<std::string, FileValue> top;
  std::map<std::string, std::map<std::string, FileValue>> sections;  // canonical backend -> key
};

Status ValidateBackend(std::string_view text) { return CanonicalBackend(text).status(); }
Status ValidateDevice(std::string_view text) { return ParseDeviceSpec(text).status(); }
Status ValidatePolicy(std::string_view text) { return ParsePolicy(text).status(); }
Status ValidateFallback(std::string_view text) { return ParseFallback(text).status(); }
Status ValidateSize(std::string_view text) { return ParseByteSize(text).status(); }
Status ValidateExclude(std::string_view text) {
  return text.empty() ? Status::Ok() : ParseDeviceSpec(text).status();
}

struct KeyRow {
  std::string_view key;
  std::string_view env;
  std::optional<std::string> ConfigFlags::*flag;  // nullptr: exclude (a list)
  ConfigValue EffectiveConfig::*field;
  Status (*validate)(std::string_view);
  bool per_backend;  // may appear in [backend.NAME]
};

constexpr KeyRow kKeys[] = {
    {"backend", "DEVPICK_BACKEND", &ConfigFlags::backend, &EffectiveConfig::backend,
     ValidateBackend, false},
    {"device", "DEVPICK_DEVICE", &ConfigFlags::device, &EffectiveConfig::device, ValidateDevice,
     true},
    {"policy", "DEVPICK_POLICY", &ConfigFlags::policy, &EffectiveConfig::policy, ValidatePolicy,
     true},
    {"fallback", "DEVPICK_FALLBACK", &ConfigFlags::fallback, &EffectiveConfig::fallback,
     ValidateFallback, true},
    {"min_memory", "DEVPICK_MIN_MEMORY", &ConfigFlags::min_memory, &EffectiveConfig::min_memory,
     ValidateSize, true},
    {"exclude", "DEVPICK_EXCLUDE", nullptr, &EffectiveConfig::exclude, ValidateExclude, true},
};

const KeyRow* FindKey(std::string_view key) {
  for (const KeyRow& row : kKeys) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

std::string KnownKeys(bool per_backend) {
  std::string out;
  for (const KeyRow& row : kKeys) {
    if (per_backend && !row.per_backend) continue;
    out += (out.empty() ? "" : ", ") + std::string(row.key);
  }
  return per_backend ? out : out + ", [backend.NAME]";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ",") + part;
  return out;
}

class FileReader {
 public:
  FileReader(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}

  Result<FileData> Read() {
    // toml++ recurses per level while parsing and destroying; refuse deep documents first.
    if (std::optional<TomlDepthError> deep = FindTomlTooDeep(text_)) {
      return Status::InvalidArgument(Where(deep->line) + ": " + deep->reason);
    }
    toml::table table;
    try {
      table = toml::parse(text_, path_);
    } catch (const toml::parse_error& error) {
      std::string hint;
      if (std::string(error.description()).find("redefin") != std::string::npos) {
        hint =
            " (TOML cannot hold both backend = \"...\" and [backend.NAME] tables; name the "
            "tables [backends.NAME])";
      }
      return Status::InvalidArgument(Where(error.source().begin.line) +
                                     ": syntax error: " + std::string(error.description()) + hint);
    }
    FileData data;
    data.path = path_;
    for (auto&& [key, node] : table) {
      std::string name(key.str());
      int line = static_cast<int>(key.source().begin.line);
      if ((name == "backend" || name == "backends") && node.is_table()) {
        Status status = ReadSections(*node.as_table(), name, &data);
        if (!status.ok()) return status;
        continue;
      }
      Status status = ReadKey(name, node, line, "", false, &data.top);
      if (!status.ok()) return status;
    }
    return data;
  }

 private:
  std::string Where(std::size_t line) const { return path_ + ":" + std::to_string(line); }

  Status ReadSections(const toml::table& sections, const std::string& table_name, FileData* data) {
    for (auto&& [key, node] : sections) {
      std::string backend(key.str());
      int line = static_cast<int>(key.source().begin.line);
      const BackendInfo* row = FindBackend(backend);
      if (row == nullptr) {
        return Status::InvalidArgument(Where(line) + ": unknown backend section '" + table_name +
                                       "." + backend + "'; accepted: " + AcceptedBackends());
      }
      if (!node.is_table()) {
        return Status::InvalidArgument(Where(line) + ": " + table_name + "." + backend +
                                       ": expected a table such as [" + table_name + "." + backend +
                                       "]");
      }
      std::string section = " [" + table_name + "." + backend + "]";
      for (auto&& [inner_key, inner] : *node.as_table()) {
        Status status = ReadKey(std::string(inner_key.str()), inner,
                                static_cast<int>(inner_key.source().begin.line), section, true,
                                &data->sections[std::string(row->name)]);
        if (!status.ok()) return status;
      }
    }
    return Status::Ok();
  }

  Status ReadKey(const std::string& name, const toml::node& node, int line,
                 const std::string& section, bool per_backend,
                 std::map<std::string, FileValue>* out) {
    const KeyRow* row = FindKey(name);
    if (row == nullptr || (per_backend && !row->per_backend)) {
      return Status::InvalidArgument(Where(line) + ": unknown key '" + name + "'" +
                                     (section.empty() ? "" : " in" + section) +
                                     "; known keys: " + KnownKeys(per_backend));
    }
    std::string value;
    if (node.is_string()) {
      value = *node.value<std::string>();
    } else if (name == "min_memory" && node.is_integer()) {
      value = std::to_string(*node.value<std::int64_t>());
    } else if (name == "exclude" && node.is_array()) {
      std::vector<std::string> items;
      for (const toml::node& item : *node.as_array()) {
        if (!item.is_string()) {
          return Status::InvalidArgument(Where(line) +
                                         ": exclude: expected an array of strings "
                                         "such as [\"igpu\"]");
        }
        items.push_back(*item.value<std::string>());
      }
      value = Join(items);
    } else {
      return Status::InvalidArgument(Where(line) + ": " + name + ": expected a string" +
                                     (name == "min_memory"
                                          ? " such as \"6GiB\" or a number of bytes"
                                      : name == "exclude" ? " or an array of strings"
                                                          : ""));
    }
    Status status = row->validate(value);
    if (!status.ok())
      return Status::InvalidArgument(Where(line) + ": " + name + ": " + status.message());
    (*out)[name] = {value, Where(line) + section};
    return Status::Ok();
  }

  std::string path_;
  std::string text_;
};

// A setting's value is a few names or a size; one of a megabyte is refused before any message
// could quote it back whole.
constexpr std::size_t kMaxValueBytes = 1024;

Status WithinValueBound(std::string_view value, const std::string& source) {
  if (value.size() <= kMaxValueBytes) return Status::Ok();
  return Status::InvalidArgument(source + ": the value is " + std::to_string(value.size()) +
                                 " bytes (\"" + ForMessage(value.substr(0, 40)) +
                                 "...\"); a setting holds at most " +
                                 std::to_string(kMaxValueBytes));
}

// The config files to read, most important first. Named files must exist; the others may not.
struct ConfigFile {
  std::string path;
  bool required;
  std::string origin;  // "--config", "DEVPICK_CONFIG", or "" for the files looked for
};

// A named file as given, or, when relative, under $PWD (as ./devpick.toml is looked for).
std::string Anchored(const std::string& path, const std::optional<std::string>& pwd) {
  if (path.empty() || path.front() == '/' || !pwd || pwd->empty()) return path;
  return NormalizePath(*pwd + "/" + path);
}

std::vector<ConfigFile> ConfigFiles(const Env& env, const ConfigFlags& flags) {
  std::optional<std::string> pwd = env.GetEnv("PWD");
  if (flags.config_path) return {{Anchored(*flags.config_path, pwd), true, "--config"}};
  std::optional<std::string> named = env.GetEnv("DEVPICK_CONFIG");
  if (named && !named->empty()) return {{Anchored(*named, pwd), true, "DEVPICK_CONFIG"}};
  std::vector<ConfigFile> files;
  // Without $PWD (a clean environment; Windows, which has no such variable) there is no working
  // directory to look in, so ./devpick.toml is not looked for rather than refused as relative.
  if (pwd && !pwd->empty()) files.push_back({*pwd + "/devpick.toml", false, ""});
  std::optional<std::string> xdg = env.GetEnv("XDG_CONFIG_HOME");
  std::optional<std::string> home = env.GetEnv("HOME");
  if (xdg && !xdg->empty()) {
    files.push_back({*xdg + "/devpick/config.toml", false, ""});
  } else if (home && !home->empty()) {
    files.push_back({*home + "/.config/devpick/config.toml", false, ""});
  }
  return files;
}

}  // namespace

Result<EffectiveConfig> ResolveConfig(const Env& env, const ConfigFlags& flags,
                                      std::optional<std::string> backend_for_sections) {
  EffectiveConfig config;
  std::vector<FileData> files;
  for (const ConfigFile& candidate : ConfigFiles(env, flags)) {
    Result<std::string> text = env.ReadFile(candidate.path);
    if (!text.ok()) {
      if (!candidate.required && text.status().code() == StatusCode::kNotFound) continue;
      std::string reason = text.status().message();  // "<path>: <why>"
      if (reason.rfind(candidate.path + ": ", 0) == 0) reason.erase(0, candidate.path.size() + 2);
      return Status::InvalidArgument(
          "config file " + candidate.path +
          (candidate.origin.empty() ? "" : " (from " + candidate.origin + ")") + ": " + reason);
    }
    Result<FileData> data = FileReader(candidate.path, *text).Read();
    if (!data.ok()) return data.status();
    config.files.push_back(candidate.path);
    files.push_back(std::move(data).value());
  }
  // The value of one key from flags, env, then files; `backend` is resolved first because it
  // chooses the [backend.NAME] tables.
  std::string section_backend;
  auto resolve = [&](const KeyRow& row) -> Status {
    ConfigValue& field = config.*row.field;
    std::string flag_name = "--" + std::string(row.key);
    for (char& c : flag_name) c = c == '_' ? '-' : c;
    std::optional<std::string> flag;
    if (row.flag != nullptr) {
      flag = flags.*row.flag;
    } else if (flags.exclude) {
      flag = Join(*flags.exclude);
    }
    if (flag) {
      if (Status size = WithinValueBound(*flag, "flag " + flag_name); !size.ok()) return size;
      Status status = row.validate(*flag);
      if (!status.ok())
        return Status::InvalidArgument("flag " + flag_name + ": " + status.message());
      field = {*flag, "flag " + flag_name};
      return Status::Ok();
    }
    std::optional<std::string> from_env = env.GetEnv(row.env);
    if (from_env && !from_env->empty()) {
      if (Status size = WithinValueBound(*from_env, "env " + std::string(row.env)); !size.ok()) {
        return size;
      }
      Status status = row.validate(*from_env);
      if (!status.ok()) {
        return Status::InvalidArgument("env " + std::string(row.env) + ": " + status.message());
      }
      field = {*from_env, "env " + std::string(row.env)};
      return Status::Ok();
    }
    for (const FileData& file : files) {
      auto section = file.sections.find(section_backend);
      if (section != file.sections.end()) {
        auto it = section->second.find(std::string(row.key));
        if (it != section->second.end()) {
          field = {it->second.value, it->second.origin};
          return Status::Ok();
        }
      }
      auto it = file.top.find(std::string(row.key));
      if (it != file.top.end()) {
        field = {it->second.value, it->second.origin};
        return Status::Ok();
      }
    }
    return Status::Ok();
  };
  Status status = resolve(kKeys[0]);
  if (!status.ok()) return status;
  std::string backend = backend_for_sections.value_or(config.backend.value);
  if (!backend.empty()) {
    if (const BackendInfo* row = FindBackend(backend)) section_backend = std::string(row->name);
  }
  for (const KeyRow& row : kKeys) {
    if (row.key == "backend") continue;
    status = resolve(row);
    if (!status.ok()) return status;
  }
  return config;
}

Result<Request> EffectiveConfig::ToRequest() const {
  Request request;
  if (!backend.value.empty()) {
    Result<std::string> canonical = CanonicalBackend(backend.value);
    if (!canonical.ok()) return canonical.status();
    request.backend = *canonical;
  }
  if (!device.value.empty()) request.device_spec = device.value;
  Result<Policy> parsed_policy = ParsePolicy(policy.value);
  if (!parsed_policy.ok()) return parsed_policy.status();
  request.policy = *parsed_policy;
  Result<Fallback> parsed_fallback = ParseFallback(fallback.value);
  if (!parsed_fallback.ok()) return parsed_fallback.status();
  request.fallback = *parsed_fallback;
  if (!min_memory.value.empty()) {
    Result<std::uint64_t> bytes = ParseByteSize(min_memory.value);
    if (!bytes.ok()) return bytes.status();
    request.min_memory_bytes = *bytes;
  }
  std::stringstream items(exclude.value);
  for (std::string item; std::getline(items, item, ',');) {
    if (!item.empty()) request.exclude.push_back(item);
  }
  return request;
}

std::string FormatConfig(const EffectiveConfig& config) {
  std::string out;
  for (const KeyRow& row : kKeys) {
    const ConfigValue& value = config.*row.field;
    std::string key(row.key);
    key.resize(11, ' ');
    std::string shown = value.value.empty() ? "(unset)" : value.value;
    out += key + "= " + shown + std::string(shown.size() < 16 ? 16 - shown.size() : 1, ' ') + "(" +
           value.origin + ")\n";
  }
  for (const std::string& file : config.files) out += "# read " + file + "\n";
  return out;
}

}  // namespace devpick
