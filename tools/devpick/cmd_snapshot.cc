#include <cstdio>

#include "commands.h"
#include "core/snapshot_json.h"

namespace devpick::cli {

void AddSnapshotOptions(CLI::App* app, CommandOptions* options) {
  app->add_option("-o,--output", options->output, "write to FILE instead of standard output")
      ->option_text("FILE");
}

int RunSnapshot(Context& context, const CommandOptions& options) {
  std::string text = SerializeSnapshot(context.LoadObservations());
  if (options.output) {
    WriteFileAtomically(*options.output, text, 0644);
    std::fprintf(stderr, "devpick: wrote %s\n", options.output->c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return kExitOk;
}

}  // namespace devpick::cli
