#include "core/windows/windows_process.h"

#include <windows.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "core/windows/windows_text.h"

namespace devpick {
namespace {

using Clock = std::chrono::steady_clock;

struct NtStatusRow {
  unsigned long code;
  const char* name;
};

// The exception codes a crashing child ends with (ntstatus.h).
constexpr NtStatusRow kNtStatusNames[] = {
    {.code = 0xC0000005, .name = "STATUS_ACCESS_VIOLATION"},
    {.code = 0xC0000006, .name = "STATUS_IN_PAGE_ERROR"},
    {.code = 0xC000001D, .name = "STATUS_ILLEGAL_INSTRUCTION"},
    {.code = 0xC0000094, .name = "STATUS_INTEGER_DIVIDE_BY_ZERO"},
    {.code = 0xC00000FD, .name = "STATUS_STACK_OVERFLOW"},
    {.code = 0xC0000135, .name = "STATUS_DLL_NOT_FOUND"},
    {.code = 0xC0000139, .name = "STATUS_ENTRYPOINT_NOT_FOUND"},
    {.code = 0xC0000142, .name = "STATUS_DLL_INIT_FAILED"},
    {.code = 0xC0000374, .name = "STATUS_HEAP_CORRUPTION"},
    {.code = 0xC0000409, .name = "STATUS_STACK_BUFFER_OVERRUN"},
    {.code = 0xC000013A, .name = "STATUS_CONTROL_C_EXIT"},
    {.code = 0x80000003, .name = "STATUS_BREAKPOINT"},
};

void AppendQuoted(const std::string& argument, std::wstring* line) {
  std::wstring wide = Utf8ToWide(argument);
  if (!wide.empty() && wide.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    *line += wide;
    return;
  }
  *line += L'"';
  std::size_t backslashes = 0;
  for (wchar_t c : wide) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    // Backslashes before a quote (or the closing quote) are doubled; elsewhere they are literal.
    line->append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    *line += c;
  }
  line->append(backslashes * 2, L'\\');
  *line += L'"';
}

struct Child {
  const ProcessRequest* request = nullptr;
  Clock::time_point deadline;
  HANDLE process = nullptr;
  HANDLE job = nullptr;
  std::future<std::string> out;
  std::future<std::string> err;
  std::atomic<bool> oversized{false};
  bool timed_out = false;
  std::string start_error;
};

// Reads `pipe` to its end, keeping at most `limit` bytes. With `kill_job`, more than `limit`
// ends the job (the child and everything it started) and sets `*oversized`.
std::string ReadPipe(HANDLE pipe, std::size_t limit, HANDLE kill_job,
                     std::atomic<bool>* oversized) {
  std::string data;
  char buffer[65536];
  DWORD n = 0;
  while (::ReadFile(pipe, buffer, sizeof buffer, &n, nullptr) && n > 0) {
    std::size_t room = limit - std::min(limit, data.size());
    data.append(buffer, std::min<std::size_t>(room, n));
    if (n > room && kill_job != nullptr) {
      oversized->store(true);
      TerminateJobObject(kill_job, 1);
      break;
    }
  }
  CloseHandle(pipe);
  return data;
}

void Start(Child* child) {
  const ProcessRequest& request = *child->request;
  SECURITY_ATTRIBUTES inheritable{.nLength = sizeof(SECURITY_ATTRIBUTES),
                                  .lpSecurityDescriptor = nullptr,
                                  .bInheritHandle = TRUE};
  HANDLE out_read = nullptr, out_write = nullptr, err_read = nullptr, err_write = nullptr;
  if (!CreatePipe(&out_read, &out_write, &inheritable, 0) ||
      !CreatePipe(&err_read, &err_write, &inheritable, 0)) {
    child->start_error = "cannot create a pipe: " + Win32ErrorText(GetLastError());
    for (HANDLE h : {out_read, out_write}) {
      if (h != nullptr) CloseHandle(h);
    }
    return;
  }
  SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(err_read, HANDLE_FLAG_INHERIT, 0);
  HANDLE null_input = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                  &inheritable, OPEN_EXISTING, 0, nullptr);
  HANDLE inherited[] = {null_input, out_write, err_write};

  SIZE_T attribute_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attribute_size);
  auto attribute_storage = std::make_unique<unsigned char[]>(attribute_size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attribute_storage.get());
  InitializeProcThreadAttributeList(attributes, 1, 0, &attribute_size);
  UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited,
                            sizeof inherited, nullptr, nullptr);

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = null_input;
  startup.StartupInfo.hStdOutput = out_write;
  startup.StartupInfo.hStdError = err_write;
  startup.lpAttributeList = attributes;

  std::wstring executable = Utf8ToWide(request.executable);
  std::wstring command_line = CommandLineOf(request.executable, request.arguments);
  PROCESS_INFORMATION process{};
  BOOL started = CreateProcessW(executable.c_str(), command_line.data(), nullptr, nullptr, TRUE,
                                CREATE_SUSPENDED | CREATE_NO_WINDOW | EXTENDED_STARTUPINFO_PRESENT,
                                nullptr, nullptr, &startup.StartupInfo, &process);
  DWORD start_error = GetLastError();
  DeleteProcThreadAttributeList(attributes);
  CloseHandle(null_input);
  CloseHandle(out_write);
  CloseHandle(err_write);
  if (!started) {
    child->start_error = "cannot start " + request.executable + ": " + Win32ErrorText(start_error);
    CloseHandle(out_read);
    CloseHandle(err_read);
    return;
  }
  child->job = CreateJobObjectW(nullptr, nullptr);
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (child->job != nullptr) {
    SetInformationJobObject(child->job, JobObjectExtendedLimitInformation, &limits, sizeof limits);
    AssignProcessToJobObject(child->job, process.hProcess);
  }
  ResumeThread(process.hThread);
  CloseHandle(process.hThread);
  child->process = process.hProcess;
  child->out = std::async(std::launch::async, ReadPipe, out_read, request.max_output_bytes,
                          child->job, &child->oversized);
  child->err =
      std::async(std::launch::async, ReadPipe, err_read, request.max_error_bytes, nullptr, nullptr);
}

void EndTree(Child* child) {
  if (child->job != nullptr) TerminateJobObject(child->job, 1);
  TerminateProcess(child->process, 1);  // in case it could not be put in the job
}

ProcessOutcome Finish(Child* child) {
  ProcessOutcome outcome;
  if (!child->start_error.empty()) {
    outcome.end = ProcessEnd::kNotStarted;
    outcome.start_error = std::move(child->start_error);
    return outcome;
  }
  auto remaining = [&] {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(child->deadline - Clock::now());
    return static_cast<DWORD>(std::max<long long>(0, left.count()));
  };
  if (WaitForSingleObject(child->process, remaining()) == WAIT_TIMEOUT) {
    child->timed_out = true;
    EndTree(child);
  }
  // Something it started may hold its pipes after it exited: end that at the deadline too.
  if (child->out.wait_until(child->deadline) == std::future_status::timeout ||
      child->err.wait_until(child->deadline) == std::future_status::timeout) {
    EndTree(child);
  }
  outcome.output = child->out.get();
  outcome.error_output = child->err.get();
  bool ended = WaitForSingleObject(child->process, 1000) == WAIT_OBJECT_0;
  DWORD code = 0;
  GetExitCodeProcess(child->process, &code);
  CloseHandle(child->process);
  if (child->job != nullptr) CloseHandle(child->job);
  if (child->timed_out) {
    outcome.end = ProcessEnd::kTimedOut;
  } else if (child->oversized.load()) {
    outcome.end = ProcessEnd::kOutputTooLarge;
  } else if (!ended) {
    outcome.end = ProcessEnd::kNotReaped;
  } else if (std::string name = NtStatusName(code); !name.empty()) {
    outcome.end = ProcessEnd::kSignaled;
    outcome.signal = static_cast<int>(code);
    outcome.signal_description = name;
  } else {
    outcome.end = ProcessEnd::kExited;
    outcome.exit_code = static_cast<int>(code);
  }
  return outcome;
}

}  // namespace

std::wstring CommandLineOf(const std::string& executable,
                           const std::vector<std::string>& arguments) {
  std::wstring line;
  AppendQuoted(executable, &line);
  for (const std::string& argument : arguments) {
    line += L' ';
    AppendQuoted(argument, &line);
  }
  return line;
}

std::string NtStatusName(unsigned long code) {
  for (const NtStatusRow& row : kNtStatusNames) {
    if (row.code == code) return row.name;
  }
  return "";
}

std::vector<ProcessOutcome> RunWindowsProcesses(std::span<const ProcessRequest> requests) {
  std::vector<std::unique_ptr<Child>> children;
  Clock::time_point start = Clock::now();
  for (const ProcessRequest& request : requests) {
    auto child = std::make_unique<Child>();
    child->request = &request;
    child->deadline = start + std::chrono::milliseconds(request.timeout_ms);
    Start(child.get());
    children.push_back(std::move(child));
  }
  std::vector<ProcessOutcome> outcomes;
  outcomes.reserve(children.size());
  for (auto& child : children) outcomes.push_back(Finish(child.get()));
  return outcomes;
}

}  // namespace devpick
