#include "select/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "fake_env.h"
#include "select/backend_table.h"

namespace devpick {
namespace {

using ::devpick::testing::FakeEnv;

constexpr char kProjectToml[] = R"(# project defaults
device     = "dgpu,igpu,cpu"
policy     = "performance"
min_memory = "6GiB"
exclude    = ["igpu"]

[backend.openvino]
device = "GPU.1"
policy = "efficiency"
)";

void AddProject(FakeEnv& env) {
  env.SetEnv("PWD", "/work/app");
  env.SetEnv("HOME", "/home/u");
  env.AddFile("/work/app/devpick.toml", kProjectToml);
}

// ResolveConfig's result, which the test expects to succeed.
EffectiveConfig Resolved(const Env& env, const ConfigFlags& flags = {},
                         std::optional<std::string> backend = std::nullopt) {
  Result<EffectiveConfig> config = ResolveConfig(env, flags, backend);
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config.ok() ? std::move(config).value() : EffectiveConfig{};
}

// ResolveConfig(env) without flags refuses with exactly `message`.
void ExpectRefused(const Env& env, const std::string& message) {
  Result<EffectiveConfig> config = ResolveConfig(env, {}, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), message);
}

TEST(ResolveConfig, DefaultsWithoutAnything) {
  FakeEnv env;
  EffectiveConfig config = Resolved(env);
  EXPECT_EQ(config.policy.value, "performance");
  EXPECT_EQ(config.policy.origin, "default");
  EXPECT_EQ(config.backend.value, "");
  EXPECT_TRUE(config.files.empty());
  Result<Request> request = config.ToRequest();
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->backend.has_value());
  EXPECT_EQ(request->fallback, Fallback::kNone);
}

// Windows has no $PWD, nor has a clean environment (a Python subprocess with env={}): the
// working directory's devpick.toml is then not looked for, instead of being refused as
// "devpick.toml: not an absolute path".
TEST(ResolveConfig, WithoutPwdTheWorkingDirectoryFileIsNotLookedFor) {
  FakeEnv env;
  env.SetEnv("HOME", "/home/u");
  EffectiveConfig config = Resolved(env);
  EXPECT_TRUE(config.files.empty());
  EXPECT_THAT(env.reads(), ::testing::ElementsAre("/home/u/.config/devpick/config.toml"));
}

TEST(ResolveConfig, FileValuesCarryFileAndLine) {
  FakeEnv env;
  AddProject(env);
  EffectiveConfig config = Resolved(env);
  EXPECT_EQ(config.device.value, "dgpu,igpu,cpu");
  EXPECT_EQ(config.device.origin, "/work/app/devpick.toml:2");
  EXPECT_EQ(config.min_memory.origin, "/work/app/devpick.toml:4");
  EXPECT_EQ(config.exclude.value, "igpu");
  Result<Request> request = config.ToRequest();
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->min_memory_bytes, std::uint64_t{6} << 30);
  EXPECT_EQ(request->exclude, std::vector<std::string>{"igpu"});
}

TEST(ResolveConfig, BackendSectionOverridesTopLevelForThatBackendOnly) {
  FakeEnv env;
  AddProject(env);
  EffectiveConfig openvino = Resolved(env, {}, "openvino");
  EXPECT_EQ(openvino.device.value, "GPU.1");
  EXPECT_EQ(openvino.device.origin, "/work/app/devpick.toml:8 [backend.openvino]");
  EXPECT_EQ(openvino.policy.value, "efficiency");
  EffectiveConfig cuda = Resolved(env, {}, "torch-cuda");
  EXPECT_EQ(cuda.device.value, "dgpu,igpu,cpu");
}

TEST(ResolveConfig, FlagBeatsEnvBeatsFile) {
  FakeEnv env;
  AddProject(env);
  env.SetEnv("DEVPICK_POLICY", "memory");
  env.SetEnv("DEVPICK_DEVICE", "cpu");
  ConfigFlags flags;
  flags.device = "gpu1";
  flags.exclude = std::vector<std::string>{"npu", "pci:00:02.0"};
  EffectiveConfig config = Resolved(env, flags);
  EXPECT_EQ(config.device.value, "gpu1");
  EXPECT_EQ(config.device.origin, "flag --device");
  EXPECT_EQ(config.policy.value, "memory");
  EXPECT_EQ(config.policy.origin, "env DEVPICK_POLICY");
  EXPECT_EQ(config.exclude.value, "npu,pci:00:02.0");
  EXPECT_EQ(config.exclude.origin, "flag --exclude");
  EXPECT_EQ(config.min_memory.origin, "/work/app/devpick.toml:4");
}

TEST(ResolveConfig, EnvBackendChoosesTheSection) {
  FakeEnv env;
  AddProject(env);
  env.SetEnv("DEVPICK_BACKEND", "openvino");
  EffectiveConfig config = Resolved(env);
  EXPECT_EQ(config.backend.origin, "env DEVPICK_BACKEND");
  EXPECT_EQ(config.device.value, "GPU.1");
}

TEST(ResolveConfig, ProjectFileWinsOverUserFileKeyByKey) {
  FakeEnv env;
  AddProject(env);
  env.SetEnv("XDG_CONFIG_HOME", "/home/u/.xdg");
  env.AddFile("/home/u/.xdg/devpick/config.toml", "fallback = \"cpu\"\npolicy = \"memory\"\n");
  EffectiveConfig config = Resolved(env);
  EXPECT_EQ(config.policy.origin, "/work/app/devpick.toml:3");
  EXPECT_EQ(config.fallback.value, "cpu");
  EXPECT_EQ(config.fallback.origin, "/home/u/.xdg/devpick/config.toml:1");
}

TEST(ResolveConfig, NamedFileMustExistAndReplacesTheSearch) {
  FakeEnv env;
  AddProject(env);
  env.SetEnv("DEVPICK_CONFIG", "/etc/devpick.toml");
  ExpectRefused(env,
                "config file /etc/devpick.toml (from DEVPICK_CONFIG): No such file or directory");
  env.AddFile("/etc/devpick.toml", "backend = \"ort\"\n");
  EffectiveConfig named = Resolved(env);
  EXPECT_EQ(named.backend.value, "ort");
  EXPECT_EQ(named.device.origin, "default");  // ./devpick.toml is not read
  EXPECT_EQ(named.ToRequest()->backend, "onnxruntime");
}

struct ErrorCase {
  std::string toml;
  std::string message;
};

class ResolveConfigError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ResolveConfigError, NamesFileLineAndKey) {
  FakeEnv env;
  env.SetEnv("PWD", "/p");
  env.AddFile("/p/devpick.toml", GetParam().toml);
  Result<EffectiveConfig> config = ResolveConfig(env, {}, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Files, ResolveConfigError,
    ::testing::Values(
        ErrorCase{"backend = \"cuda\"\n\n\npolcy = \"memory\"\n",
                  "/p/devpick.toml:4: unknown key 'polcy'; known keys: backend, device, policy, "
                  "fallback, min_memory, exclude, [backend.NAME]"},
        ErrorCase{"policy = \"fast\"\n",
                  "/p/devpick.toml:1: policy: unknown policy 'fast'; accepted: performance, "
                  "efficiency, memory, measured"},
        ErrorCase{"min_memory = true\n",
                  "/p/devpick.toml:1: min_memory: expected a string such as \"6GiB\" or a number "
                  "of bytes"},
        ErrorCase{"[backends.cdua]\ndevice = \"0\"\n",
                  "/p/devpick.toml:1: unknown backend section 'backends.cdua'; accepted: cuda, "
                  "rocm, zluda, xpu, openvino, directml, mps, onnxruntime, vulkan, cpu (aliases: "
                  "torch-cuda, hip, ipex, dml, ort)"},
        ErrorCase{"[backend.cuda]\nbackend = \"rocm\"\n",
                  "/p/devpick.toml:2: unknown key 'backend' in [backend.cuda]; known keys: device, "
                  "policy, fallback, min_memory, exclude"},
        ErrorCase{"exclude = [\"igpu\", 3]\n",
                  "/p/devpick.toml:1: exclude: expected an array of strings such as [\"igpu\"]"},
        ErrorCase{"device = \"gpu0,\"\n",
                  "/p/devpick.toml:1: device: invalid device spec 'gpu0,': item 2 is empty; "
                  "separate items with single commas, e.g. dgpu,igpu,cpu"}));

TEST(ResolveConfigError, SyntaxErrorNamesTheLine) {
  FakeEnv env;
  env.SetEnv("PWD", "/p");
  env.AddFile("/p/devpick.toml", "policy = \"memory\"\ndevice = \n");
  Result<EffectiveConfig> config = ResolveConfig(env, {}, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("/p/devpick.toml:2: syntax error: ", 0), 0u)
      << config.status().message();
}

// Issue 12: 50,000 dotted key components, or a table header as deep (100 KB), overflowed the
// stack inside toml++.
TEST(ResolveConfigError, DeepKeysAndHeadersAreRefusedBeforeTomlSeesThem) {
  std::string key = "a";
  std::string header = "[backends";
  for (int i = 0; i < 50000; ++i) {
    key += ".a";
    header += ".x";
  }
  for (const std::string& text :
       {"policy = \"memory\"\n" + key + " = 1\n", "\n" + header + "]\n"}) {
    FakeEnv env;
    env.SetEnv("PWD", "/p");
    env.AddFile("/p/devpick.toml", text);
    ExpectRefused(env,
                  "/p/devpick.toml:2: keys, tables and values nested deeper than 32 levels "
                  "(devpick reads at most 32)");
  }
}

// Issue 12: a relative --config or DEVPICK_CONFIG was refused as "not an absolute path" while a
// relative --replay worked.
TEST(ResolveConfig, RelativeNamedFilesAreReadUnderTheWorkingDirectory) {
  FakeEnv env;
  env.SetEnv("PWD", "/home/u/sd");
  env.AddFile("/home/u/sd/conf/devpick.toml", "policy = \"memory\"\n");
  env.SetEnv("DEVPICK_CONFIG", "conf/devpick.toml");
  EffectiveConfig from_env = Resolved(env);
  EXPECT_EQ(from_env.policy.origin, "/home/u/sd/conf/devpick.toml:1");
  ConfigFlags flags;
  flags.config_path = "./conf/../conf/devpick.toml";
  EffectiveConfig from_flag = Resolved(env, flags);
  EXPECT_EQ(from_flag.policy.value, "memory");
}

// Issue 12: a 1 MiB DEVPICK_POLICY was echoed whole, and a missing DEVPICK_CONFIG file was not
// said to come from the variable.
TEST(ResolveConfigError, OversizedValuesAreNamedNotEchoed) {
  FakeEnv env;
  env.SetEnv("DEVPICK_POLICY", std::string(1 << 20, 'p'));
  ExpectRefused(env,
                "env DEVPICK_POLICY: the value is 1048576 bytes "
                "(\"pppppppppppppppppppppppppppppppppppppppp...\"); a setting holds at most 1024");
  ConfigFlags flags;
  flags.device = std::string(2000, 'd');
  Result<EffectiveConfig> config = ResolveConfig(FakeEnv(), flags, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("flag --device: the value is 2000 bytes (", 0), 0u)
      << config.status().message();
}

TEST(ResolveConfigError, BackendStringBesideBackendTablesGetsAHint) {
  FakeEnv env;
  env.SetEnv("PWD", "/p");
  env.AddFile("/p/devpick.toml",
              "backend = \"openvino\"\n[backend.openvino]\ndevice = \"GPU.1\"\n");
  Result<EffectiveConfig> config = ResolveConfig(env, {}, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("name the tables [backends.NAME]"), std::string::npos)
      << config.status().message();
  env.AddFile("/p/devpick.toml",
              "backend = \"openvino\"\n[backends.openvino]\ndevice = \"GPU.1\"\n");
  EffectiveConfig fixed = Resolved(env);
  EXPECT_EQ(fixed.device.value, "GPU.1");
  EXPECT_EQ(fixed.device.origin, "/p/devpick.toml:3 [backends.openvino]");
}

TEST(ResolveConfigError, BadEnvAndFlagValuesNameTheirSource) {
  FakeEnv env;
  env.SetEnv("DEVPICK_MIN_MEMORY", "lots");
  Result<EffectiveConfig> config = ResolveConfig(env, {}, std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("env DEVPICK_MIN_MEMORY: invalid size 'lots'", 0), 0u);
  ConfigFlags flags;
  flags.backend = "nonsense";
  EXPECT_EQ(ResolveConfig(FakeEnv(), flags, std::nullopt).status().message(),
            "flag --backend: unknown backend 'nonsense'; accepted: " + AcceptedBackends());
}

TEST(FormatConfig, EveryValueWithItsOrigin) {
  FakeEnv env;
  AddProject(env);
  env.SetEnv("DEVPICK_FALLBACK", "cpu");
  EffectiveConfig config = Resolved(env);
  EXPECT_EQ(FormatConfig(config),
            "backend    = (unset)         (default)\n"
            "device     = dgpu,igpu,cpu   (/work/app/devpick.toml:2)\n"
            "policy     = performance     (/work/app/devpick.toml:3)\n"
            "fallback   = cpu             (env DEVPICK_FALLBACK)\n"
            "min_memory = 6GiB            (/work/app/devpick.toml:4)\n"
            "exclude    = igpu            (/work/app/devpick.toml:5)\n"
            "# read /work/app/devpick.toml\n");
}

}  // namespace
}  // namespace devpick
