// Fuzzes the configuration loader: toml++ parses the file, devpick validates every key and value
// (src/select/config.h). The input is the project file ./devpick.toml, read through a FakeEnv.
// Oracle: an accepted configuration either converts to a Request or says why not; errors name the
// file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fake_env.h"
#include "fuzz_check.h"
#include "select/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  devpick::testing::FakeEnv env;
  env.SetEnv("PWD", "/project");
  env.AddFile("/project/devpick.toml", std::string(reinterpret_cast<const char*>(data), size));
  // Once for the top level, once with a backend's [backend.NAME] section applied.
  for (const char* backend : {"", "cuda"}) {
    std::optional<std::string> section;
    if (*backend != '\0') section = backend;
    devpick::Result<devpick::EffectiveConfig> config =
        devpick::ResolveConfig(env, devpick::ConfigFlags{}, section);
    if (!config.ok()) {
      devpick::fuzz::Check(
          config.status().message().find("/project/devpick.toml") != std::string::npos,
          "a config error names the file");
      continue;
    }
    devpick::Result<devpick::Request> request = config->ToRequest();
    devpick::fuzz::Check(request.ok() || !request.status().message().empty(),
                         "a rejected configuration says why");
    (void)devpick::FormatConfig(*config);
  }
  return 0;
}
