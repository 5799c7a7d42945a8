#include "output.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli.h"
#include "core/atomic_file.h"
#include "core/process_tree.h"
#include "core/text.h"

namespace devpick::cli {
namespace {

// The errno of the first failed write to standard output, or 0.
int stdout_error = 0;

void Write(std::FILE* stream, std::string_view text) {
  if (text.empty()) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stream) != text.size() && stream == stdout &&
      stdout_error == 0) {
    stdout_error = errno != 0 ? errno : EIO;
  }
}

std::atomic<bool> vendor_guard_armed{false};
std::atomic<bool> devpick_exiting{false};

void VendorExitGuard() {
  if (!vendor_guard_armed || devpick_exiting) return;
  static const char kMessage[] =
      "devpick: a vendor library called exit() while it ran inside devpick (--in-process); "
      "run without --in-process to isolate it\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  std::_Exit(kExitInternal);
}

void CheckStandardOutput() {
  if (std::fflush(stdout) != 0 && stdout_error == 0) stdout_error = errno != 0 ? errno : EIO;
  if (stdout_error == 0 && std::ferror(stdout)) stdout_error = EIO;
  if (stdout_error == 0) return;
  std::string message =
      std::string("devpick: cannot write standard output: ") + std::strerror(stdout_error) + "\n";
  // Not stdio: its buffers may be what failed. _exit: exit() must not be called again from here.
  (void)!::write(STDERR_FILENO, message.data(), message.size());
  std::_Exit(kExitInternal);
}

}  // namespace

void PrintText(std::FILE* stream, std::string_view text) { Write(stream, ForTerminal(text)); }

void PrintData(std::string_view text) { Write(stdout, text); }

void CheckStandardOutputAtExit() { std::atexit(CheckStandardOutput); }

void AdoptOrphansOfHelpers() {
  // What a crashed devpick-probe's vendor code detached (setsid, a double fork) is re-parented
  // here instead of to init, and ended when devpick exits: the CLI starts no other children.
  if (BecomeSubreaper()) {
    std::atexit([] { KillDescendants(getpid(), /*include_root=*/false); });
  }
}

void MarkExiting() { devpick_exiting = true; }

VendorCodeInThisProcess::VendorCodeInThisProcess(bool active) {
  if (!active) return;
  static const bool registered = std::atexit(VendorExitGuard) == 0;
  (void)registered;
  vendor_guard_armed = true;
  std::fflush(stdout);
  saved_stdout_ = DuplicateNotInherited(STDOUT_FILENO);  // not inherited by vendor children
  if (saved_stdout_ >= 0) dup2(STDERR_FILENO, STDOUT_FILENO);
}

VendorCodeInThisProcess::~VendorCodeInThisProcess() {
  if (saved_stdout_ < 0) return;
  std::fflush(stdout);
  dup2(saved_stdout_, STDOUT_FILENO);
  close(saved_stdout_);
}

void WriteOutput(const std::string& path, std::string_view contents, int mode) {
  if (Status status = NewRealEnv()->WriteFile(path, contents, mode, WriteMode::kOutput);
      !status.ok()) {
    Fail(status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitInternal,
         status.message());
  }
}

}  // namespace devpick::cli
