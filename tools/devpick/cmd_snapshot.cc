#include <cstdio>

#include "commands.h"
#include "core/snapshot_json.h"
#include "output.h"

namespace devpick::cli {

void AddSnapshotOptions(CLI::App* app, CommandOptions* options) {
  app->add_option("-o,--output", options->output, "write to FILE instead of standard output")
      ->option_text("FILE");
}

int RunSnapshot(Context& context, const CommandOptions& options) {
  std::string text = SerializeSnapshot(context.LoadObservations());
  if (options.output) {
    WriteOutput(*options.output, text, 0644);
    PrintText(stderr, "devpick: wrote " + *options.output + "\n");
  } else {
    PrintData(text);
  }
  return kExitOk;
}

}  // namespace devpick::cli
