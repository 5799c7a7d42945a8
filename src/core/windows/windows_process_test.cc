// RunWindowsProcesses against real children (cmd.exe, which Windows and Wine both have), and the
// command-line quoting and NTSTATUS names it relies on. Built into the Windows build only.
#include "core/windows/windows_process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace devpick {
namespace {

std::string Cmd() {
  const char* root = std::getenv("SystemRoot");
  return std::string(root != nullptr ? root : "C:\\windows") + "\\system32\\cmd.exe";
}

ProcessRequest CmdRequest(std::string command, int timeout_ms = 20000) {
  ProcessRequest request;
  request.executable = Cmd();
  request.arguments = {"/c", std::move(command)};
  request.timeout_ms = timeout_ms;
  return request;
}

TEST(CommandLineOf, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CommandLineOf("C:\\p\\probe.exe", {"--probe", "opencl"}),
            L"C:\\p\\probe.exe --probe opencl");
  EXPECT_EQ(CommandLineOf("C:\\Program Files\\d.exe", {"", "a b"}),
            L"\"C:\\Program Files\\d.exe\" \"\" \"a b\"");
}

TEST(CommandLineOf, DoublesBackslashesBeforeQuotes) {
  EXPECT_EQ(CommandLineOf("x.exe", {"say \"hi\"", "C:\\dir with space\\"}),
            L"x.exe \"say \\\"hi\\\"\" \"C:\\dir with space\\\\\"");
}

TEST(NtStatusName, NamesCrashCodesOnly) {
  EXPECT_EQ(NtStatusName(0xC0000005), "STATUS_ACCESS_VIOLATION");
  EXPECT_EQ(NtStatusName(0xC00000FD), "STATUS_STACK_OVERFLOW");
  EXPECT_EQ(NtStatusName(3), "");
}

TEST(RunWindowsProcesses, CapturesOutputAndExitCodes) {
  ProcessRequest requests[] = {CmdRequest("echo hello"), CmdRequest("exit 7"),
                               CmdRequest("echo oops 1>&2")};
  std::vector<ProcessOutcome> outcomes = RunWindowsProcesses(requests);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].end, ProcessEnd::kExited);
  EXPECT_EQ(outcomes[0].exit_code, 0);
  EXPECT_EQ(outcomes[0].output, "hello\r\n");
  EXPECT_EQ(outcomes[1].end, ProcessEnd::kExited);
  EXPECT_EQ(outcomes[1].exit_code, 7);
  EXPECT_EQ(outcomes[2].error_output, "oops \r\n");
}

TEST(RunWindowsProcesses, AMissingExecutableIsNotStartedWithTheReason) {
  ProcessRequest requests[] = {
      {.executable = "C:\\no\\such.exe", .arguments = {}, .timeout_ms = 1000}};
  std::vector<ProcessOutcome> outcomes = RunWindowsProcesses(requests);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].end, ProcessEnd::kNotStarted);
  // The rest is FormatMessage's text, which Wine and each Windows language word differently.
  EXPECT_EQ(outcomes[0].start_error.rfind("cannot start C:\\no\\such.exe: ", 0), 0u)
      << outcomes[0].start_error;
}

TEST(RunWindowsProcesses, ATimeoutEndsTheJob) {
  // cmd starts ping, which would run for ~30 s: the job (cmd and ping) is ended at the deadline.
  ProcessRequest requests[] = {CmdRequest("ping -n 30 127.0.0.1 >NUL", /*timeout_ms=*/500)};
  std::vector<ProcessOutcome> outcomes = RunWindowsProcesses(requests);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].end, ProcessEnd::kTimedOut);
}

TEST(RunWindowsProcesses, OversizedOutputEndsTheChild) {
  ProcessRequest request = CmdRequest("for /L %i in (1,1,100000) do @echo 0123456789");
  request.max_output_bytes = 1000;
  ProcessRequest requests[] = {request};
  std::vector<ProcessOutcome> outcomes = RunWindowsProcesses(requests);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].end, ProcessEnd::kOutputTooLarge);
  EXPECT_EQ(outcomes[0].output.size(), 1000u);
}

}  // namespace
}  // namespace devpick
