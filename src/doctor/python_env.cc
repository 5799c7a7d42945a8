#include "doctor/python_env.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/text.h"
#include "select/backend_table.h"

namespace devpick {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string JoinComma(const std::vector<std::string>& items) { return Join(items, ", "); }

// ---- Finding site-packages ----------------------------------------------------------------------

// Where installers put packages under a prefix: `{python}` stands for each python3.* directory
// (only the interpreter's own version when the path names one).
constexpr std::string_view kSiteLayouts[] = {
    "lib/{python}/site-packages",        // venv, conda, /usr/local on most distributions
    "lib64/{python}/site-packages",      // Fedora/SUSE system packages
    "Lib/site-packages",                 // Windows venv
    "lib/python3/dist-packages",         // Debian/Ubuntu system packages
    "local/lib/{python}/dist-packages",  // Debian/Ubuntu pip installs into /usr/local
};

std::vector<std::string> SitePackages(const Env& env, const std::string& prefix,
                                      std::string_view python) {
  std::vector<std::string> found;
  for (std::string_view layout : kSiteLayouts) {
    std::string pattern(layout);
    std::size_t slot = pattern.find("{python}");
    std::vector<std::string> candidates;
    if (slot == std::string::npos) {
      candidates.push_back(prefix + "/" + pattern);
    } else {
      std::string parent = prefix + "/" + pattern.substr(0, slot);
      Result<std::vector<std::string>> names = env.ListDirectory(NormalizePath(parent));
      for (const std::string& name : names.value_or({})) {
        if (!StartsWith(name, "python3") || (!python.empty() && name != python)) continue;
        candidates.push_back(parent + name + pattern.substr(slot + 8));
      }
    }
    for (const std::string& candidate : candidates) {
      std::string path = NormalizePath(candidate);
      if (env.TypeOf(path) == FileType::kDirectory) found.push_back(path);
    }
  }
  return found;
}

// ---- Reading metadata ---------------------------------------------------------------------------

// The `Name:` and `Version:` headers of a core-metadata file (RFC 822 style, headers end at the
// first empty line).
void ParseMetadata(std::string_view text, std::string* name, std::string* version) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    auto value = [&](std::string_view key) {
      std::string_view rest = line.substr(key.size());
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
      return std::string(rest);
    };
    if (StartsWith(line, "Name:") && name->empty()) *name = value("Name:");
    if (StartsWith(line, "Version:") && version->empty()) *version = value("Version:");
    start = end + 1;
  }
}

// "torch-2.5.1+cu124.dist-info" -> {"torch", "2.5.1+cu124"}; installers escape '-' in both parts
// to '_', so the first '-' separates them.
void ParseDirectoryName(std::string_view stem, std::string* name, std::string* version) {
  std::size_t dash = stem.find('-');
  if (name->empty()) *name = std::string(stem.substr(0, dash));
  if (version->empty() && dash != std::string_view::npos) {
    std::string_view rest = stem.substr(dash + 1);
    *version = std::string(rest.substr(0, rest.find('-')));  // egg-info: "-py3.11"
  }
}

// Metadata files are small, but a package may embed a long README; the headers come first.
constexpr std::size_t kMetadataLimit = 4 << 20;

std::optional<PythonPackage> ReadPackage(const Env& env, const std::string& site,
                                         const std::string& entry,
                                         std::vector<std::string>* warnings) {
  std::string_view stem = entry;
  std::string dir = site + "/" + entry;
  std::string file;
  if (EndsWith(entry, ".dist-info")) {
    stem.remove_suffix(10);
    file = dir + "/METADATA";
  } else if (EndsWith(entry, ".egg-info")) {
    stem.remove_suffix(9);
    file = env.TypeOf(dir) == FileType::kDirectory ? dir + "/PKG-INFO" : dir;
  } else {
    return std::nullopt;
  }
  PythonPackage package;
  std::string version;
  Result<std::string> text = env.ReadFile(file, kMetadataLimit);
  if (text.ok()) {
    ParseMetadata(*text, &package.name, &version);
    package.source = file;
  } else {
    warnings->push_back(text.status().message());
    package.source = dir;
  }
  ParseDirectoryName(stem, &package.name, &version);
  package.name = NormalizePackageName(package.name);
  package.version = version;
  if (package.name.empty()) return std::nullopt;
  return package;
}

// ---- Classifying builds -------------------------------------------------------------------------

// "2.5.1+cu124" -> "cu124"; "" without a local label.
std::string LocalLabel(const std::string& version) {
  std::size_t plus = version.find('+');
  return plus == std::string::npos ? "" : version.substr(plus + 1);
}

// The packages the summary lists, in this order.
constexpr std::string_view kInteresting[] = {"torch",
                                             "intel-extension-for-pytorch",
                                             "torch-directml",
                                             "openvino",
                                             "onnxruntime",
                                             "onnxruntime-gpu",
                                             "onnxruntime-rocm",
                                             "onnxruntime-openvino",
                                             "onnxruntime-directml"};

bool IsOnnxRuntime(std::string_view name) {
  return name == "onnxruntime" || StartsWith(name, "onnxruntime-");
}

// Builds that drive a GPU of one vendor stack; "cpu" and unknown builds mix with anything.
bool IsDeviceBackend(const std::string& backend) {
  const BackendInfo* row = FindBackend(backend);
  return row != nullptr && row->kinds != kCpuKind;
}

std::string Described(const PythonPackage& package, const PythonEnvironment& environment) {
  std::string text = package.name + " " + package.version;
  std::string backend = PackageBackend(package, environment);
  // A package named after its backend (openvino) needs no "(backend)".
  if (!backend.empty() && package.name != backend) text += " (" + backend + ")";
  return text;
}

}  // namespace

const PythonPackage* PythonEnvironment::Find(std::string_view normalized_name) const {
  for (const PythonPackage& package : packages) {
    if (package.name == normalized_name) return &package;
  }
  return nullptr;
}

std::string NormalizePackageName(std::string_view name) {
  std::string out;
  bool separator = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out += '-';
    separator = false;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

// The directory holding pyvenv.cfg among `start` and its parents (a venv's prefix, its bin/ or
// its lib/python3.X/site-packages), or "".
std::string FindVenv(const Env& env, std::string start) {
  for (int up = 0; up < 4 && !start.empty() && start != "/"; ++up, start = DirName(start)) {
    if (env.TypeOf(start + "/pyvenv.cfg", /*follow=*/true) == FileType::kRegular) return start;
  }
  return "";
}

Result<PythonEnvironment> InspectPythonEnvironment(const Env& env, const std::string& path) {
  std::string normalized = NormalizePath(path);
  PythonEnvironment environment;
  environment.path = path;
  FileType type = env.TypeOf(normalized, /*follow=*/true);
  if (type == FileType::kMissing) return Status::NotFound(path + ": No such file or directory");
  if (type != FileType::kDirectory && type != FileType::kRegular) {
    return Status::InvalidArgument(
        path + ": not a Python environment: it is " +
        (type == FileType::kCharDevice ? "a character device" : "neither a file nor a directory") +
        " (give a virtual environment, a site-packages directory or a python interpreter)");
  }
  environment.venv = FindVenv(env, type == FileType::kDirectory ? normalized : DirName(normalized));
  std::string base = BaseName(normalized);
  if (type == FileType::kDirectory && (base == "site-packages" || base == "dist-packages")) {
    environment.site_packages.push_back(normalized);
  } else if (type == FileType::kDirectory) {
    environment.site_packages = SitePackages(env, normalized, "");
  } else {
    // An interpreter: <prefix>/bin/python3.11. A venv's bin/python links to the system
    // interpreter, so the prefix is taken from the path as given, not the link's target.
    std::string_view python = StartsWith(base, "python3.") ? std::string_view(base) : "";
    environment.site_packages = SitePackages(env, DirName(DirName(normalized)), python);
  }
  if (environment.site_packages.empty()) {
    std::vector<std::string> layouts;
    for (std::string_view layout : kSiteLayouts) layouts.emplace_back(layout);
    return Status::NotFound(path + ": no site-packages or dist-packages directory (looked for " +
                            JoinComma(layouts) + ")");
  }
  std::map<std::string, PythonPackage> by_name;
  for (const std::string& site : environment.site_packages) {
    Result<std::vector<std::string>> entries = env.ListDirectory(site);
    if (!entries.ok()) {
      environment.warnings.push_back(entries.status().message());
      continue;
    }
    for (const std::string& entry : *entries) {
      std::optional<PythonPackage> package = ReadPackage(env, site, entry, &environment.warnings);
      if (package) by_name.emplace(package->name, std::move(*package));  // first site wins
    }
  }
  for (auto& [name, package] : by_name) environment.packages.push_back(std::move(package));
  return environment;
}

std::string PackageBackend(const PythonPackage& package, const PythonEnvironment& environment) {
  if (package.name == "torch") {
    std::string label = LocalLabel(package.version);
    // torch's local labels, as the download.pytorch.org indexes spell them (cu124, rocm6.2).
    for (const BackendInfo& row : Backends()) {
      if (!row.python.torch_label.empty() && StartsWith(label, row.python.torch_label)) {
        return std::string(row.name);
      }
    }
    // PyPI's plain torch on Linux x86-64 is a CUDA build that pulls in NVIDIA's runtime wheels.
    bool cuda_wheels = std::any_of(
        environment.packages.begin(), environment.packages.end(),
        [](const PythonPackage& p) { return StartsWith(p.name, "nvidia-cuda-runtime-cu"); });
    return label.empty() && cuda_wheels ? std::string(Backend(BackendId::kCuda).name) : "";
  }
  if (package.name == "intel-extension-for-pytorch") {
    // IPEX labels its XPU builds as torch does ("2.1.10+xpu").
    const BackendInfo& xpu = Backend(BackendId::kXpu);
    const BackendInfo& build =
        LocalLabel(package.version).find(xpu.python.torch_label) != std::string::npos
            ? xpu
            : Backend(BackendId::kCpu);
    return std::string(build.name);
  }
  // Packages whose name alone says which backend they serve.
  for (const BackendInfo& row : Backends()) {
    for (std::string_view name : row.python.serving) {
      if (!name.empty() && name == package.name) return std::string(row.name);
    }
  }
  return "";
}

// Where a remedy installs: always a new virtual environment, so that no remedy empties or
// rewrites what the user has. Beside a venv devpick found; elsewhere (a system prefix such as /usr,
// a conda base) in the user's home, saying why the environment itself is left alone.
std::string FreshEnvironment(const PythonEnvironment& environment,
                             const std::optional<std::string>& backend) {
  const std::string suffix = backend ? *backend : "new";
  if (!environment.venv.empty()) {
    return "in a new virtual environment beside it (python3 -m venv " + environment.venv + "-" +
           suffix + "; " + environment.venv + " is left as it is)";
  }
  return "in a new virtual environment (python3 -m venv ~/venv-" + suffix + "; " +
         environment.path + " is not a virtual environment and is left as it is)";
}

std::vector<Finding> DiagnosePythonEnvironment(const PythonEnvironment& environment,
                                               const std::optional<std::string>& backend) {
  std::vector<Finding> findings;
  std::vector<std::string> listed, sources;
  std::map<std::string, std::vector<std::string>> by_backend;  // device backend -> packages
  std::vector<std::string> onnxruntimes;
  for (std::string_view name : kInteresting) {
    const PythonPackage* package = environment.Find(name);
    if (package == nullptr) continue;
    listed.push_back(Described(*package, environment));
    sources.push_back(package->source);
    std::string build = PackageBackend(*package, environment);
    if (IsDeviceBackend(build)) by_backend[build].push_back(package->name + " " + package->version);
    if (IsOnnxRuntime(package->name)) onnxruntimes.push_back(package->name);
  }
  std::string where =
      environment.site_packages.empty() ? environment.path : environment.site_packages.front();
  findings.push_back(
      {.code = "python_packages",
       .severity = Severity::kInfo,
       .device_id = "",
       .message = listed.empty()
                      ? where + " has none of torch, intel-extension-for-pytorch, torch-directml, "
                                "openvino, onnxruntime"
                      : where + " has " + JoinComma(listed),
       .evidence = sources,
       .remedy = "",
       .backends = {}});
  for (const std::string& warning : environment.warnings) {
    findings.back().evidence.push_back("unreadable: " + warning);
  }
  const std::string fresh = FreshEnvironment(environment, backend);
  // Adding a package to a venv changes nothing else; a system or conda prefix is not installed
  // into.
  auto add = [&](const std::string& install) {
    return environment.venv.empty() ? fresh + ": " + install : install;
  };

  if (backend) {
    const BackendInfo* info = FindBackend(*backend);
    if (info != nullptr && !info->python.install.empty()) {
      const PythonNeeds& row = info->python;
      std::vector<std::string> builds;
      for (std::string_view build : row.torch_builds) {
        if (!build.empty()) builds.emplace_back(build);
      }
      const PythonPackage* torch = environment.Find("torch");
      std::string install = std::string(row.install);
      if (!builds.empty()) {
        const PythonPackage* alternative =
            row.torch_alternative.empty() ? nullptr : environment.Find(row.torch_alternative);
        bool alternative_ok =
            alternative != nullptr && PackageBackend(*alternative, environment) == builds.front();
        std::string build = torch ? PackageBackend(*torch, environment) : "";
        if (torch == nullptr && !alternative_ok) {
          findings.push_back({.code = "python_package_missing",
                              .severity = Severity::kError,
                              .device_id = "",
                              .message = "torch is not installed in " + where + ", and the " +
                                         *backend + " backend needs a " + builds.front() +
                                         " build of it",
                              .evidence = {"site-packages: " + where},
                              .remedy = add(install),
                              .backends = {*backend}});
        } else if (torch != nullptr && !alternative_ok &&
                   std::find(builds.begin(), builds.end(), build) == builds.end()) {
          bool known = !build.empty();
          findings.push_back(
              {.code = "python_torch_mismatch",
               .severity = known ? Severity::kError : Severity::kWarning,
               .device_id = "",
               .message =
                   known ? "torch " + torch->version + " is a " + build + " build, but the " +
                               *backend + " backend needs a " + builds.front() + " build"
                         : "torch " + torch->version + " does not say which build it is, and the " +
                               *backend + " backend needs a " + builds.front() + " build",
               .evidence = {torch->source + ": Version: " + torch->version},
               .remedy = fresh + ": " + install,
               .backends = {*backend}});
        }
      }
      std::vector<std::string> packages;
      bool any = false;
      for (std::string_view name : row.packages) {
        if (name.empty()) continue;
        packages.emplace_back(name);
        any = any || environment.Find(name) != nullptr;
      }
      if (!packages.empty() && !any) {
        findings.push_back(
            {.code = "python_package_missing",
             .severity = Severity::kError,
             .device_id = "",
             .message =
                 (packages.size() == 1 ? packages.front() + " is not installed in "
                                       : "none of " + JoinComma(packages) + " is installed in ") +
                 where + ", and the " + *backend + " backend needs it",
             .evidence = {"site-packages: " + where},
             .remedy = add(install),
             .backends = {*backend}});
      }
      // A GPU build of torch beside OpenVINO makes applications pick that GPU (research/sdnext.md
      // §5.1, #3920), and it is gigabytes the backend never uses.
      if (row.wants_cpu_torch && torch != nullptr) {
        std::string build = PackageBackend(*torch, environment);
        if (IsDeviceBackend(build)) {
          findings.push_back(
              {.code = "python_torch_mismatch",
               .severity = Severity::kWarning,
               .device_id = "",
               .message = "torch " + torch->version + " is a " + build + " build; the " + *backend +
                          " backend needs only the CPU build, and a " + build +
                          " build makes applications choose that GPU instead",
               .evidence = {torch->source + ": Version: " + torch->version},
               .remedy = fresh +
                         ": pip install torch --index-url https://download.pytorch.org/whl/cpu "
                         "openvino",
               .backends = {*backend}});
        }
      }
    }
  }

  if (by_backend.size() > 1) {
    std::vector<std::string> parts, backends;
    for (const auto& [build, packages] : by_backend) {
      parts.push_back(build + ": " + JoinComma(packages));
      backends.push_back(build);
    }
    findings.push_back({.code = "python_mixed_backends",
                        .severity = Severity::kWarning,
                        .device_id = "",
                        .message = "packages for several backends are installed together (" +
                                   Join(parts, "; ") + ")",
                        .evidence = sources,
                        .remedy = fresh + ": install only the packages of " +
                                  (backend ? "the " + *backend + " backend" : "one backend"),
                        .backends = backends});
  }
  if (onnxruntimes.size() > 1) {
    findings.push_back({.code = "python_onnxruntime_conflict",
                        .severity = Severity::kWarning,
                        .device_id = "",
                        .message = JoinComma(onnxruntimes) +
                                   " are installed together; they share the onnxruntime module "
                                   "and overwrite each other's files",
                        .evidence = sources,
                        .remedy = "pip uninstall " + Join(onnxruntimes, " ") +
                                  ", then install only the variant for your device",
                        .backends = {std::string(Backend(BackendId::kOnnxRuntime).name)}});
  }
  SortBySeverity(&findings);
  return findings;
}

}  // namespace devpick
