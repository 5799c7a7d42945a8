// devpick gather: capture the files the driver-free probes read, so that `devpick --root
// <unpacked>` reproduces this machine's inventory elsewhere (hwloc-gather-topology's idea,
// devpick's file list).
#include <chrono>
#include <cstdio>

#include "commands.h"
#include "gather/capture.h"
#include "gather/recording_env.h"
#include "gather/tar_writer.h"
#include "output.h"
#include "probes/registry.h"

namespace devpick::cli {
namespace {

// "devpick-gather-<hostname>.tar.gz", the hostname reduced to characters safe in a file name.
std::string DefaultOutput() {
  std::string host = NewRealEnv()->ReadFile("/proc/sys/kernel/hostname", 256).value_or("");
  std::string safe;
  for (char c : host) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
    if (keep) safe += c;
  }
  return "devpick-gather-" + (safe.empty() ? std::string("unknown") : safe) + ".tar.gz";
}

}  // namespace

void AddGatherOptions(CLI::App* app, CommandOptions* options) {
  app->add_option("-o,--output", options->output,
                  "write the capture to FILE.tar.gz (default: devpick-gather-<hostname>.tar.gz "
                  "in the current directory); it unpacks to one folder named after FILE")
      ->option_text("FILE.tar.gz");
}

int RunGather(Context& context, const CommandOptions& options) {
  if (context.options().replay) {
    Fail(kExitUsage, "gather captures a machine's files; it cannot read them from --replay");
  }
  const Env& base = context.env();
  RecordingEnv recorder(base);
  DiscoverOptions discover;
  // The probes whose reads are captured: the driver-free ones, which only read kernel files.
  discover.probes = ProbeNamesOfTier(ProbeTier::kDriverFree);
  Observations observations = Probe(recorder, discover);

  std::string output = options.output ? *options.output : DefaultOutput();
  CaptureOptions capture_options{
      .top_folder = CaptureFolderName(output),
      .created_by = std::string("devpick ") + DEVPICK_VERSION,
      .kernel = observations.host.kernel,
      .mtime_seconds =
          static_cast<std::int64_t>(std::chrono::system_clock::to_time_t(context.env().Now())),
  };
  if (capture_options.top_folder.empty() || capture_options.top_folder == "." ||
      capture_options.top_folder == "..") {
    Fail(kExitUsage, "-o " + output + ": the archive needs a file name to name its folder after");
  }
  Result<Capture> capture = BuildCapture(base, recorder.Recorded(), capture_options);
  if (!capture.ok()) Fail(kExitInternal, "gather: " + capture.status().message());
  Result<std::string> compressed = GzipCompress(capture->tar);
  if (!compressed.ok()) Fail(kExitInternal, "gather: " + compressed.status().message());
  WriteOutput(output, *compressed, 0644);

  for (const CaptureError& error : capture->errors) {
    PrintText(stderr, "devpick: not captured: " + error.error + "\n");
  }
  std::fprintf(stderr,
               "devpick: gathered %d files (%llu bytes), %d symlinks, %d directories and %d "
               "empty stand-ins for device nodes and existence checks; %zu unreadable\n",
               capture->files, static_cast<unsigned long long>(capture->bytes), capture->symlinks,
               capture->directories, capture->stand_ins, capture->errors.size());
  PrintText(stderr, "devpick: wrote " + output + " (unpack it and run: devpick --root " +
                        capture_options.top_folder + ")\n");
  return kExitOk;
}

}  // namespace devpick::cli
