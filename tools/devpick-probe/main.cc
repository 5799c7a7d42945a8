// devpick-probe: runs one runtime probe and prints its snapshot entry as JSON, or measures one
// device for the measured policy and prints verify's result as JSON.
//
//   devpick-probe cuda   ->   {"status": "ok", "driver_version": 12040, "devices": [...]}
//   devpick-probe verify opencl 0/1 512 67108864 3   ->   {"api": "opencl", "correct": true, ...}
//
// The isolation helper of src/probes/isolation.h: Probe() starts one of these per runtime probe so
// that vendor code that crashes, hangs or creates a GPU context does so in a process it can kill.
// The measurement (src/verify/measure.h) runs here for the same reason, and because it creates a
// context, which must never happen in the caller's process. Vendor libraries sometimes print to
// standard output; the reply therefore goes to a private copy of the original stdout and fd 1 is
// pointed at stderr before any vendor code is loaded.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/process_tree.h"
#include "core/snapshot_json.h"
#include "devpick/discover.h"
#include "devpick/env.h"
#include "verify/measure.h"

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

// The reply's file descriptor: the original stdout, with fd 1 pointed at stderr from now on.
int TakeStdout() {
  int reply = dup(STDOUT_FILENO);
  if (reply < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("devpick-probe: cannot set up its output");
    return -1;
  }
  return reply;
}

int Run(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "verify") {
    std::vector<std::string> args(argv + 1, argv + argc);
    devpick::VerifyTarget target;
    devpick::VerifyOptions workload;
    if (devpick::Status parsed = devpick::ParseVerifyHelperArgs(args, &target, &workload);
        !parsed.ok()) {
      std::fprintf(stderr, "devpick-probe: %s\n", parsed.message().c_str());
      return 2;
    }
    int reply = TakeStdout();
    if (reply < 0) return 1;
    std::unique_ptr<devpick::Env> env = devpick::NewRealEnv();
    devpick::VerifyResult result = devpick::RunVerification(*env, target, workload);
    if (!WriteAll(reply, devpick::VerifyResultToJson(result).dump(
                             -1, ' ', false, nlohmann::json::error_handler_t::replace) +
                             "\n")) {
      std::perror("devpick-probe: cannot write its reply");
      return 1;
    }
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: devpick-probe PROBE\n"
                 "       devpick-probe verify API DEVICE MATRIX_SIZE COPY_BYTES RUNS\n"
                 "runs one runtime probe, or measures one device, and prints its JSON\n");
    return 2;
  }
  const devpick::ProbeSpec* spec = devpick::FindProbe(argv[1]);
  if (spec == nullptr || spec->tier != devpick::ProbeTier::kRuntime) {
    std::fprintf(stderr, "devpick-probe: '%s' is not a runtime probe\n", argv[1]);
    return 2;
  }
  int reply = TakeStdout();
  if (reply < 0) return 1;
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

}  // namespace

int main(int argc, char** argv) {
  // Whatever the vendor code forks and detaches (setsid, a double fork) is re-parented here, and
  // ended before this process exits (src/core/process_tree.h).
  // A vendor exit() ends the helper early: end the tree then too. (A crash cannot be caught here;
  // the devpick CLI is a subreaper itself and ends what a crashed helper left, see its main.)
  devpick::BecomeSubreaper();
  std::atexit([] { devpick::KillDescendants(getpid(), /*include_root=*/false); });
  return Run(argc, argv);
}
