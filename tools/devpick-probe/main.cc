// devpick-probe: runs one runtime probe and prints its snapshot entry as JSON.
//
//   devpick-probe cuda   ->   {"status": "ok", "driver_version": 12040, "devices": [...]}
//
// The isolation helper of src/probes/isolation.h: Probe() starts one of these per runtime probe so
// that vendor code that crashes, hangs or creates a GPU context does so in a process it can kill.
// Vendor libraries sometimes print to standard output; the reply therefore goes to a private copy
// of the original stdout and fd 1 is pointed at stderr before any vendor code is loaded.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "core/snapshot_json.h"
#include "devpick/discover.h"
#include "devpick/env.h"

namespace {

bool WriteAll(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: devpick-probe PROBE\nruns one runtime probe and prints its JSON\n");
    return 2;
  }
  const devpick::ProbeSpec* spec = devpick::FindProbe(argv[1]);
  if (spec == nullptr || spec->tier != devpick::ProbeTier::kRuntime) {
    std::fprintf(stderr, "devpick-probe: '%s' is not a runtime probe\n", argv[1]);
    return 2;
  }
  int reply = dup(STDOUT_FILENO);
  if (reply < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("devpick-probe: cannot set up its output");
    return 1;
  }
  std::unique_ptr<devpick::Env> env = devpick::NewRealEnv();
  devpick::Observations observations;
  spec->run(*env, &observations);
  std::string text = devpick::ProbeEntryToJson(observations.probes, spec->name).dump() + "\n";
  if (!WriteAll(reply, text)) {
    std::perror("devpick-probe: cannot write its reply");
    return 1;
  }
  return 0;
}
