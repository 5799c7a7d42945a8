// Configuration: flags › DEVPICK_* environment › config file › defaults, each value with its origin
// (DESIGN.md "Configuration and precedence").
//
// Files, in order of precedence: the one named by --config or DEVPICK_CONFIG (it must exist), else
// ./devpick.toml (the directory in $PWD) over $XDG_CONFIG_HOME/devpick/config.toml (else
// $HOME/.config/devpick/config.toml); a project file's keys win over the user file's, key by key.
// Within a file, a [backend.NAME] table (also spelled [backends.NAME], because TOML forbids a
// top-level `backend = "..."` string beside [backend.NAME] tables) overrides the top level for that
// backend. Everything is read through the Env (ReadFile, GetEnv), never getenv or fopen.
//
// Every value is validated where it is read, so errors name the file, line and key
// ("/p/devpick.toml:4: unknown key 'polcy'; known keys: ..."), the variable
// ("env DEVPICK_POLICY: unknown policy 'fast'; ...") or the flag.
//
// Thread-safety: pure functions over the Env, which must be safe for concurrent const use.
#ifndef DEVPICK_SELECT_CONFIG_H_
#define DEVPICK_SELECT_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "devpick/env.h"
#include "devpick/select.h"

namespace devpick {

struct ConfigValue {
  std::string value;   // "" = unset
  std::string origin;  // "flag --device", "env DEVPICK_DEVICE", "/p/devpick.toml:3", "default"
};

// The values given on the command line; nullopt = not given.
struct ConfigFlags {
  std::optional<std::string> config_path;  // --config
  std::optional<std::string> backend, device, policy, fallback, min_memory;
  std::optional<std::vector<std::string>> exclude;  // --exclude, repeatable
};

struct EffectiveConfig {
  ConfigValue backend{"", "default"};  // "" = recommend one
  ConfigValue device{"", "default"};
  ConfigValue policy{"performance", "default"};
  ConfigValue fallback{"none", "default"};
  ConfigValue min_memory{"", "default"};
  ConfigValue exclude{"", "default"};  // comma-separated spec items
  std::vector<std::string> files;      // the config files read, in precedence order

  Result<Request> ToRequest() const;
};

Result<EffectiveConfig> ResolveConfig(const Env& env, const ConfigFlags& flags,
                                      std::optional<std::string> backend_for_sections);

// One line per key: "policy     = performance   (default)".
std::string FormatConfig(const EffectiveConfig& config);

}  // namespace devpick

#endif  // DEVPICK_SELECT_CONFIG_H_
