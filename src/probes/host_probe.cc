// The host probe: kernel release, architecture, WSL and container detection.
//
// These facts explain the rest of a snapshot: WSL has no real PCI GPU (research/sysfs.md §7.2), and
// in a container sysfs lists every host GPU while only some device nodes were passed in (§7.1).

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "probes/probe_runs.h"
#include "probes/sysfs_attr.h"

namespace devpick {
namespace {

// Files whose existence marks a container: Docker's and Podman's own markers.
constexpr std::string_view kContainerMarkers[] = {"/.dockerenv", "/run/.containerenv"};
// Words in PID 1's cgroup path that only container runtimes put there (cgroup v1; on v2 the path
// is often just "0::/", and the marker files above are what is left).
constexpr std::string_view kContainerCgroupWords[] = {"docker", "kubepods", "containerd", "lxc"};
// WSL kernels are named e.g. "5.15.90.1-microsoft-standard-WSL2" (older: "4.4.0-19041-Microsoft").
constexpr std::string_view kWslKernelWords[] = {"microsoft", "wsl"};
// Small procfs files; a larger one is not what the kernel wrote.
constexpr std::size_t kSmallFileLimit = 64 * 1024;

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

template <std::size_t N>
bool ContainsAny(std::string_view text, const std::string_view (&words)[N]) {
  return std::any_of(std::begin(words), std::end(words),
                     [&](std::string_view word) { return text.find(word) != std::string::npos; });
}

}  // namespace

void RunHostProbe(const Env& env, Observations* out) {
  HostInfo& host = out->host;
  std::string root = env.root();
  if (!root.empty()) host.captured_root = root;

  if (Result<std::string> release = env.ReadFile("/proc/sys/kernel/osrelease", kSmallFileLimit);
      release.ok()) {
    std::string_view trimmed = TrimWhitespace(*release);
    if (!trimmed.empty()) host.kernel = ValidUtf8(trimmed);
  }
  host.wsl = host.kernel && ContainsAny(Lower(*host.kernel), kWslKernelWords);

  // uname() describes only the machine we run on, so the Env answers only when it is that
  // machine. A captured tree's architecture stays unknown rather than borrowing ours.
  if (std::optional<std::string> arch = env.MachineArchitecture()) host.arch = *arch;

  host.container = std::any_of(std::begin(kContainerMarkers), std::end(kContainerMarkers),
                               [&](std::string_view path) {
                                 return env.TypeOf(path, /*follow=*/false) != FileType::kMissing;
                               });
  if (!host.container) {
    if (Result<std::string> cgroup = env.ReadFile("/proc/1/cgroup", kSmallFileLimit); cgroup.ok()) {
      host.container = ContainsAny(*cgroup, kContainerCgroupWords);
    }
  }
}

}  // namespace devpick
