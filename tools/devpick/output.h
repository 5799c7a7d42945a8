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
// Makes devpick a child subreaper and ends, at exit, whatever a crashed probe helper left running
// (src/core/posix_process.h); main calls it once.
void AdoptOrphansOfHelpers();
// Marks devpick's own exit (Fail, the end of main), so that the vendor-exit guard below can tell
// it from a vendor library's.
void MarkExiting();

// While one lives, vendor code runs in this process (--in-process): fd 1 points at stderr, so a
// library's printf cannot corrupt --json output, and from the first one on, an exit() that is
// not devpick's own ends devpick with status 1 and a message instead of status 0 and no output.
// A crash still ends devpick: that is what --in-process gives up (its --help says so).
class VendorCodeInThisProcess {
 public:
  explicit VendorCodeInThisProcess(bool active);
  ~VendorCodeInThisProcess();
  VendorCodeInThisProcess(const VendorCodeInThisProcess&) = delete;
  VendorCodeInThisProcess& operator=(const VendorCodeInThisProcess&) = delete;

 private:
  int saved_stdout_ = -1;
};

// Writes `contents` to the -o target `path` (mode for a new or replaced regular file); exits 2
// when the target is refused and 1 when writing fails.
void WriteOutput(const std::string& path, std::string_view contents, int mode);

}  // namespace devpick::cli

#endif  // DEVPICK_TOOLS_DEVPICK_OUTPUT_H_
