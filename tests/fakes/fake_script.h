// Shared by the fake vendor libraries: the scripted machine they present, read from environment
// variables at every call so that one test process can script several machines in turn.
//
//   FAKE_NVIDIA_GPUS="name=NVIDIA GeForce RTX 4090,uuid=GPU-...,bus=00000000:01:00.0;name=..."
//
// Devices are separated by ';', fields by ',', each field is key=value. Modes (FAKE_<LIB>_MODE)
// make a library misbehave: hang (sleep forever), crash (SIGSEGV), and library-specific ones;
// FAKE_<LIB>_FAIL makes named entry points return a given error code (ScriptedFailure).
#ifndef DEVPICK_TESTS_FAKES_FAKE_SCRIPT_H_
#define DEVPICK_TESTS_FAKES_FAKE_SCRIPT_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace fake {

using Fields = std::map<std::string, std::string>;

inline std::vector<Fields> Devices(const char* variable) {
  std::vector<Fields> devices;
  const char* text = std::getenv(variable);
  if (text == nullptr) return devices;
  std::string script(text);
  std::size_t start = 0;
  while (start <= script.size()) {
    std::size_t end = script.find(';', start);
    if (end == std::string::npos) end = script.size();
    std::string device = script.substr(start, end - start);
    if (!device.empty()) {
      Fields fields;
      std::size_t field_start = 0;
      while (field_start <= device.size()) {
        std::size_t field_end = device.find(',', field_start);
        if (field_end == std::string::npos) field_end = device.size();
        std::string field = device.substr(field_start, field_end - field_start);
        std::size_t equals = field.find('=');
        if (equals != std::string::npos) fields[field.substr(0, equals)] = field.substr(equals + 1);
        field_start = field_end + 1;
      }
      devices.push_back(fields);
    }
    start = end + 1;
  }
  return devices;
}

inline std::string Get(const Fields& fields, const char* key, const char* fallback = "") {
  auto it = fields.find(key);
  return it == fields.end() ? fallback : it->second;
}

inline std::uint64_t Number(const Fields& fields, const char* key, std::uint64_t fallback = 0) {
  auto it = fields.find(key);
  return it == fields.end() ? fallback : std::strtoull(it->second.c_str(), nullptr, 0);
}

inline std::string Mode(const char* variable) {
  const char* mode = std::getenv(variable);
  return mode == nullptr ? "" : mode;
}

// Starts a process that outlives the library's caller unless somebody ends it, as some vendor
// libraries do (a daemon, a helper): it closes every descriptor, so no pipe betrays it, and sleeps
// a minute. `detach` leaves the session and process group with setsid() after a double fork, as a
// daemon does. Its PID is appended to $FAKE_ORPHAN_PIDS so a test can check that it was ended.
inline void LeaveAProcessBehind(bool detach) {
  int ready[2];
  if (pipe(ready) != 0) return;
  pid_t child = fork();
  if (child != 0) {
    close(ready[1]);
    if (detach && child > 0) waitpid(child, nullptr, 0);  // the middle process exits at once
    char byte;
    (void)!read(ready[0], &byte, 1);  // the PID is on record before the library returns
    close(ready[0]);
    return;
  }
  if (detach) {
    setsid();
    if (fork() != 0) _exit(0);
  }
  if (const char* path = std::getenv("FAKE_ORPHAN_PIDS")) {
    if (FILE* file = std::fopen(path, "a")) {
      std::fprintf(file, "%d\n", static_cast<int>(getpid()));
      std::fclose(file);
    }
  }
  (void)!write(ready[1], "x", 1);
  for (int fd = 0; fd < 1024; ++fd) close(fd);
  sleep(60);
  _exit(0);
}

// Acts on the modes every fake shares; call it at the library's initialisation entry point:
// hang, crash, print (to stdout), exit (exit(0)), and "orphan", "daemon", "daemon_hang",
// "daemon_crash"
// (LeaveAProcessBehind, then carry on or hang).
inline void Misbehave(const std::string& mode) {
  if (mode == "orphan") LeaveAProcessBehind(/*detach=*/false);
  if (mode == "daemon" || mode == "daemon_hang" || mode == "daemon_crash") {
    LeaveAProcessBehind(/*detach=*/true);
  }
  if (mode == "daemon_crash") raise(SIGSEGV);
  if (mode == "hang" || mode == "daemon_hang") {
    while (true) pause();
  }
  if (mode == "crash") raise(SIGSEGV);
  if (mode == "print") {
    std::printf("fake library chatter on stdout\n");
    std::fflush(stdout);
  }
  if (mode == "exit") std::exit(0);
}

// FAKE_<LIB>_FAIL="<call>=<code>[,<call>=<code>...]": each named entry point returns that code
// instead of doing its work, so a test can drive every documented error code through the real
// probe. 0 (success) when the call is not named.
inline long ScriptedFailure(const char* variable, const char* call) {
  const char* text = std::getenv(variable);
  if (text == nullptr) return 0;
  const std::string script(text);
  const std::string prefix = std::string(call) + "=";
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(',', start);
    if (end == std::string::npos) end = script.size();
    if (script.compare(start, prefix.size(), prefix) == 0) {
      return std::strtol(script.c_str() + start + prefix.size(), nullptr, 0);
    }
    start = end + 1;
  }
  return 0;
}

// Appends `call` to the file named by `variable`, if set: how a test learns that a forbidden
// function was called.
inline void RecordCall(const char* variable, const char* call) {
  const char* path = std::getenv(variable);
  if (path == nullptr) return;
  if (FILE* file = std::fopen(path, "a")) {
    std::fprintf(file, "%s\n", call);
    std::fclose(file);
  }
}

// Copies `text` into `buffer` as a well-behaved library would, or, in "unterminated" mode, fills
// all `length` bytes with the text repeated and no NUL.
inline void CopyString(const std::string& text, char* buffer, std::size_t length,
                       bool unterminated) {
  if (length == 0) return;
  if (unterminated) {
    for (std::size_t i = 0; i < length; ++i) buffer[i] = text.empty() ? 'X' : text[i % text.size()];
    return;
  }
  std::snprintf(buffer, length, "%s", text.c_str());
}

// "0000:01:00.0" or "00000000:01:00.0" -> domain, bus, device, function.
inline bool ParseBus(const std::string& text, unsigned* domain, unsigned* bus, unsigned* device,
                     unsigned* function) {
  return std::sscanf(text.c_str(), "%x:%x:%x.%x", domain, bus, device, function) == 4;
}

// 32 hex digits, dashes and a "GPU-" prefix ignored -> 16 bytes.
inline void ParseUuid(const std::string& text, unsigned char bytes[16]) {
  std::string hex;
  std::string body = text.rfind("GPU-", 0) == 0 ? text.substr(4) : text;
  for (char c : body) {
    if (c != '-') hex += c;
  }
  for (int i = 0; i < 16; ++i) {
    bytes[i] =
        hex.size() >= 2u * i + 2
            ? static_cast<unsigned char>(std::strtoul(hex.substr(2 * i, 2).c_str(), nullptr, 16))
            : 0;
  }
}

}  // namespace fake

#endif  // DEVPICK_TESTS_FAKES_FAKE_SCRIPT_H_
