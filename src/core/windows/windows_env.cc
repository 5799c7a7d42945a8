// The Windows Env: the live system through the W (UTF-16) Win32 API, optionally re-rooted at a
// captured tree. Paths are UTF-8 inside devpick and converted only here. Libraries load through
// LoadLibraryExW with the safe search path (the application's directory, System32 and directories
// added with AddDllDirectory), never the current directory or PATH, so a DLL planted where the
// user happens to stand is never loaded. Errors carry FormatMessage's text.
#include <windows.h>

#include <algorithm>
#include <thread>

#include "core/windows/windows_process.h"
#include "core/windows/windows_text.h"
#include "devpick/env.h"

namespace devpick {
namespace {

class WindowsLibrary final : public Library {
 public:
  WindowsLibrary(HMODULE module, std::string name) : module_(module), name_(std::move(name)) {}
  ~WindowsLibrary() override { FreeLibrary(module_); }
  void* Symbol(const char* name) const override {
    return reinterpret_cast<void*>(GetProcAddress(module_, name));
  }
  std::string path() const override {
    wchar_t buffer[MAX_PATH];
    DWORD n = GetModuleFileNameW(module_, buffer, MAX_PATH);
    return n > 0 && n < MAX_PATH ? WideToUtf8(std::wstring_view(buffer, n)) : name_;
  }

 private:
  HMODULE module_;
  std::string name_;
};

class HandleCloser {
 public:
  explicit HandleCloser(HANDLE handle) : handle_(handle) {}
  ~HandleCloser() {
    if (handle_ != INVALID_HANDLE_VALUE && handle_ != nullptr) CloseHandle(handle_);
  }
  HandleCloser(const HandleCloser&) = delete;
  HandleCloser& operator=(const HandleCloser&) = delete;

 private:
  HANDLE handle_;
};

class HeldLock final : public FileLockHandle {
 public:
  explicit HeldLock(HANDLE file) : file_(file) {}
  ~HeldLock() override {
    OVERLAPPED whole{};
    UnlockFileEx(file_, 0, MAXDWORD, MAXDWORD, &whole);
    CloseHandle(file_);
  }

 private:
  HANDLE file_;
};

bool IsAbsolute(std::string_view path) {
  if (!path.empty() && (path.front() == '/' || path.front() == '\\')) return true;
  return path.size() >= 3 && path[1] == ':' && (path[2] == '/' || path[2] == '\\');
}

class WindowsEnv final : public Env {
 public:
  explicit WindowsEnv(std::string root) : root_(std::move(root)) {
    while (!root_.empty() && (root_.back() == '/' || root_.back() == '\\')) root_.pop_back();
  }

  Result<std::string> ReadFile(std::string_view path, std::size_t limit) const override {
    Result<std::wstring> host = HostPath(path);
    if (!host.ok()) return host.status();
    HANDLE file = CreateFileW(host->c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                              nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return FromWin32Error(std::string(path), GetLastError());
    HandleCloser closer(file);
    std::string data;
    char buffer[65536];
    while (true) {
      DWORD n = 0;
      if (!::ReadFile(file, buffer, sizeof buffer, &n, nullptr)) {
        DWORD error = GetLastError();
        if (error == ERROR_BROKEN_PIPE) break;  // a pipe's writer closed it: its end of file
        return FromWin32Error(std::string(path), error);
      }
      if (n == 0) break;
      if (data.size() + n > limit) {
        return Status::IoError(std::string(path) + ": larger than the " + std::to_string(limit) +
                               "-byte limit for this file");
      }
      data.append(buffer, n);
    }
    return data;
  }

  Result<std::vector<std::string>> ListDirectory(std::string_view path) const override {
    Result<std::wstring> host = HostPath(path);
    if (!host.ok()) return host.status();
    WIN32_FIND_DATAW entry;
    HANDLE find = FindFirstFileW((*host + L"\\*").c_str(), &entry);
    if (find == INVALID_HANDLE_VALUE) return FromWin32Error(std::string(path), GetLastError());
    std::vector<std::string> names;
    do {
      std::string name = WideToUtf8(entry.cFileName);
      if (name != "." && name != "..") names.push_back(std::move(name));
    } while (FindNextFileW(find, &entry));
    FindClose(find);
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::string> ReadLink(std::string_view path) const override {
    // devpick reads symlinks only in Linux's sysfs; Windows reparse points are not followed.
    return Status::InvalidArgument(std::string(path) + ": not a symbolic link");
  }

  FileType TypeOf(std::string_view path, bool follow) const override {
    Result<std::wstring> host = HostPath(path);
    if (!host.ok()) return FileType::kMissing;
    DWORD attributes = GetFileAttributesW(host->c_str());
    if (attributes == INVALID_FILE_ATTRIBUTES) return FileType::kMissing;
    if (!follow && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) return FileType::kSymlink;
    if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) return FileType::kDirectory;
    return FileType::kRegular;
  }

  bool CanReadWrite(std::string_view path) const override {
    Result<std::wstring> host = HostPath(path);
    if (!host.ok()) return false;
    HANDLE file =
        CreateFileW(host->c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                    nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return false;
    CloseHandle(file);
    return true;
  }

  std::optional<std::string> GetEnv(std::string_view name) const override {
    std::wstring wide_name = Utf8ToWide(name);
    SetLastError(ERROR_SUCCESS);
    DWORD size = GetEnvironmentVariableW(wide_name.c_str(), nullptr, 0);
    if (size == 0) {
      if (GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
      return std::string();
    }
    std::wstring value(size, L'\0');
    DWORD n = GetEnvironmentVariableW(wide_name.c_str(), value.data(), size);
    value.resize(n);
    return WideToUtf8(value);
  }

  Result<std::unique_ptr<Library>> OpenLibrary(const std::string& soname) const override {
    if (soname.find_first_of("/\\") != std::string::npos) {
      return Status::InvalidArgument(soname +
                                     ": libraries are loaded by name through the system loader "
                                     "only (the application directory and System32)");
    }
    std::wstring name = Utf8ToWide(soname);
    HMODULE module = LoadLibraryExW(
        name.c_str(), nullptr, LOAD_LIBRARY_SEARCH_DEFAULT_DIRS | LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (module == nullptr) {
      DWORD error = GetLastError();
      return Status::NotFound(soname + ": " + Win32ErrorText(error));
    }
    return std::unique_ptr<Library>(new WindowsLibrary(module, soname));
  }

  std::string root() const override { return root_; }
  bool IsThisMachine() const override { return root_.empty(); }

  std::optional<std::string> MachineArchitecture() const override {
    if (!root_.empty()) return std::nullopt;
    SYSTEM_INFO info{};
    GetNativeSystemInfo(&info);
    switch (info.wProcessorArchitecture) {
      case PROCESSOR_ARCHITECTURE_AMD64:
        return std::string("x86_64");
      case PROCESSOR_ARCHITECTURE_ARM64:
        return std::string("aarch64");
      case PROCESSOR_ARCHITECTURE_INTEL:
        return std::string("i686");
      default:
        return std::nullopt;
    }
  }

  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point MonotonicNow() const override {
    return std::chrono::steady_clock::now();
  }

  std::optional<std::string> ModulePath(const void* address) const override {
    HMODULE module = nullptr;
    if (!GetModuleHandleExW(
            GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            static_cast<LPCWSTR>(address), &module)) {
      return std::nullopt;
    }
    wchar_t buffer[MAX_PATH];
    DWORD n = GetModuleFileNameW(module, buffer, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) return std::nullopt;
    return WideToUtf8(std::wstring_view(buffer, n));
  }

  Status WriteFile(const std::string& path, std::string_view contents, int /*permissions*/,
                   WriteMode /*how*/) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    std::wstring target = Utf8ToWide(path);
    DWORD attributes = GetFileAttributesW(target.c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      return Status::InvalidArgument("cannot write " + path + ": it is a directory");
    }
    // A temporary beside the target, flushed, then moved over it: readers see the old file or
    // the new one, never a part.
    std::wstring temporary =
        target + L".tmp" + std::to_wstring(GetCurrentProcessId()) + L"." +
        std::to_wstring(std::hash<std::thread::id>()(std::this_thread::get_id()) % 100000);
    HANDLE file = CreateFileW(temporary.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return FromWin32Error("cannot write " + path, GetLastError());
    std::size_t written = 0;
    bool ok = true;
    while (ok && written < contents.size()) {
      DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(contents.size() - written, 1 << 20));
      DWORD n = 0;
      ok = ::WriteFile(file, contents.data() + written, chunk, &n, nullptr) != 0;
      written += n;
    }
    ok = ok && FlushFileBuffers(file) != 0;
    DWORD error = GetLastError();
    CloseHandle(file);
    if (ok && !MoveFileExW(temporary.c_str(), target.c_str(),
                           MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      ok = false;
      error = GetLastError();
    }
    if (!ok) {
      DeleteFileW(temporary.c_str());
      return FromWin32Error("cannot write " + path, error);
    }
    return Status::Ok();
  }

  Status MakeDirectories(const std::string& path, int /*permissions*/) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    std::wstring wide = Utf8ToWide(path);
    for (std::size_t i = 1; i <= wide.size(); ++i) {
      if (i < wide.size() && wide[i] != L'/' && wide[i] != L'\\') continue;
      std::wstring prefix = wide.substr(0, i);
      if (prefix.size() == 2 && prefix[1] == L':') continue;  // "C:"
      if (CreateDirectoryW(prefix.c_str(), nullptr)) continue;
      DWORD error = GetLastError();
      if (error != ERROR_ALREADY_EXISTS) return FromWin32Error(WideToUtf8(prefix), error);
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<FileLockHandle>> LockFile(const std::string& path,
                                                   int timeout_ms) const override {
    if (Status writable = Writable(path); !writable.ok()) return writable;
    HANDLE file = CreateFileW(Utf8ToWide(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) return FromWin32Error(path, GetLastError());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      OVERLAPPED whole{};
      if (LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD,
                     MAXDWORD, &whole)) {
        return std::unique_ptr<FileLockHandle>(new HeldLock(file));
      }
      DWORD error = GetLastError();
      if (error != ERROR_LOCK_VIOLATION) {
        CloseHandle(file);
        return FromWin32Error(path, error);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        CloseHandle(file);
        return Status::Timeout(path + ": locked by another process for " +
                               std::to_string(timeout_ms) + " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::vector<ProcessOutcome> RunProcesses(
      std::span<const ProcessRequest> requests) const override {
    return RunWindowsProcesses(requests);
  }

 private:
  Status Writable(const std::string& path) const {
    if (root_.empty()) return Status::Ok();
    return Status::InvalidArgument("cannot write " + path + ": the captured tree " + root_ +
                                   " is read-only");
  }

  // The path on this machine. Under a root, "/a/b" is "<root>/a/b"; the captured trees devpick
  // reads on Windows are snapshots' and hold no symlinks, so none are resolved.
  Result<std::wstring> HostPath(std::string_view path) const {
    if (!IsAbsolute(path)) {
      return Status::InvalidArgument(std::string(path) + ": not an absolute path");
    }
    if (root_.empty()) return Utf8ToWide(path);
    return Utf8ToWide(root_ + NormalizePath(path));
  }

  std::string root_;
};

}  // namespace

std::unique_ptr<Env> NewRealEnv(int /*stream_idle_timeout_ms*/) {
  return std::make_unique<WindowsEnv>("");
}

std::unique_ptr<Env> NewRootedEnv(std::string root) {
  return std::make_unique<WindowsEnv>(std::move(root));
}

}  // namespace devpick
