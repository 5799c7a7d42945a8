// Everything the CLI writes goes through here, so three rules hold for every command:
// - human text passes through ForTerminal (src/core/text.h): a control character from a snapshot,
//   an environment variable or a vendor library is shown as \x1b, never obeyed by the terminal;
//   data (JSON, `--format shell`, a snapshot) is written exactly;
// - a failed write to standard output is an error: the exit hook that main installs flushes it
//   and, if any write failed (`list --json > /dev/full`), says so and exits 1;
// - `-o FILE` writes what FILE names (WriteOutputFile): a regular file is replaced atomically, a
//   symlink, FIFO or character device is written through, anything else is refused with exit 2.
#ifndef DEVPICK_TOOLS_DEVPICK_OUTPUT_H_
#define DEVPICK_TOOLS_DEVPICK_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>

namespace devpick::cli {

// Human text (tables, explanations, findings, messages) to `stream`, control characters escaped.
void PrintText(std::FILE* stream, std::string_view text);
// Data for programs (JSON, shell assignments, a snapshot) to standard output, exactly.
void PrintData(std::string_view text);
// Installs the exit hook that checks standard output; main calls it once.
void CheckStandardOutputAtExit();
// Writes `contents` to the -o target `path` (mode for a new or replaced regular file); exits 2
// when the target is refused and 1 when writing fails.
void WriteOutput(const std::string& path, std::string_view contents, int mode);

}  // namespace devpick::cli

#endif  // DEVPICK_TOOLS_DEVPICK_OUTPUT_H_
