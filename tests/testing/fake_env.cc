#include "fake_env.h"

#include <algorithm>
#include <cerrno>

namespace devpick::testing {

void FakeEnv::AddNode(const std::string& path, Node node) const {
  std::string normalized = NormalizePath(path);
  std::string parent = DirName(normalized);
  if (normalized != "/" && nodes_.find(parent) == nodes_.end()) AddNode(parent, Node{});
  nodes_[normalized] = std::move(node);
}

void FakeEnv::AddFile(const std::string& path, std::string contents) {
  AddNode(path, Node{.type = FileType::kRegular, .data = std::move(contents), .read_write = true});
}

void FakeEnv::AddDirectory(const std::string& path) { AddNode(path, Node{}); }

void FakeEnv::AddSymlink(const std::string& path, std::string target) {
  AddNode(path, Node{.type = FileType::kSymlink, .data = std::move(target), .read_write = true});
}

void FakeEnv::AddCharDevice(const std::string& path, bool read_write) {
  AddNode(path, Node{.type = FileType::kCharDevice, .data = {}, .read_write = read_write});
}

Status FakeEnv::WriteFile(const std::string& path, std::string_view contents, int /*permissions*/,
                          WriteMode /*how*/) const {
  std::string normalized = NormalizePath(path);
  if (Status failure = FailureFor(normalized); !failure.ok()) return failure;
  auto parent = nodes_.find(DirName(normalized));
  if (parent == nodes_.end() || parent->second.type != FileType::kDirectory) {
    return Status::FromErrno("cannot write " + path, ENOENT);
  }
  AddNode(normalized,
          Node{.type = FileType::kRegular, .data = std::string(contents), .read_write = true});
  return Status::Ok();
}

Status FakeEnv::MakeDirectories(const std::string& path, int /*permissions*/) const {
  if (Status failure = FailureFor(NormalizePath(path)); !failure.ok()) return failure;
  AddNode(path, Node{});
  return Status::Ok();
}

Result<std::unique_ptr<FileLockHandle>> FakeEnv::LockFile(const std::string& path,
                                                          int /*timeout_ms*/) const {
  if (Status failure = FailureFor(NormalizePath(path)); !failure.ok()) return failure;
  return std::make_unique<FileLockHandle>();
}

void FakeEnv::SetEnv(const std::string& name, std::string value) { env_[name] = std::move(value); }

void FakeEnv::FailPath(const std::string& path, int errno_value) {
  failures_[NormalizePath(path)] = errno_value;
}

std::chrono::steady_clock::time_point FakeEnv::MonotonicNow() const {
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(monotonic_ms_++));
}

void FakeEnv::AddProcessOutcome(ProcessOutcome outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  process_outcomes_.push_back(std::move(outcome));
}

std::vector<ProcessRequest> FakeEnv::process_requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return process_requests_;
}

std::vector<ProcessOutcome> FakeEnv::RunProcesses(std::span<const ProcessRequest> requests) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ProcessOutcome> outcomes;
  for (const ProcessRequest& request : requests) {
    process_requests_.push_back(request);
    if (process_outcomes_.empty()) {
      ProcessOutcome refused;
      refused.start_error = "cannot start " + request.executable + ": FakeEnv runs no processes";
      outcomes.push_back(std::move(refused));
      continue;
    }
    outcomes.push_back(std::move(process_outcomes_.front()));
    process_outcomes_.pop_front();
  }
  return outcomes;
}

std::vector<std::string> FakeEnv::reads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reads_;
}

Status FakeEnv::FailureFor(const std::string& path) const {
  auto it = failures_.find(path);
  return it == failures_.end() ? Status::Ok() : Status::FromErrno(path, it->second);
}

Result<std::string> FakeEnv::Resolve(std::string_view path, bool follow) const {
  return ResolvePath(path, follow, [&](const std::string& candidate) -> Result<PathComponent> {
    auto it = nodes_.find(candidate);
    if (it == nodes_.end()) return PathComponent{};
    return PathComponent{
        .type = it->second.type,
        .link_target = it->second.type == FileType::kSymlink ? it->second.data : std::string()};
  });
}

Result<std::string> FakeEnv::ReadFile(std::string_view path, std::size_t limit) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reads_.emplace_back(path);
  }
  if (Status failure = FailureFor(NormalizePath(path)); !failure.ok()) return failure;
  Result<std::string> resolved = Resolve(path, true);
  if (!resolved.ok()) return resolved.status();
  if (Status failure = FailureFor(*resolved); !failure.ok()) return failure;
  auto it = nodes_.find(*resolved);
  if (it == nodes_.end()) return Status::FromErrno(std::string(path), ENOENT);
  if (it->second.type == FileType::kDirectory) return Status::FromErrno(std::string(path), EISDIR);
  if (it->second.data.size() > limit) {
    return Status::IoError(std::string(path) + ": larger than the " + std::to_string(limit) +
                           "-byte limit for this file");
  }
  return it->second.data;
}

Result<std::vector<std::string>> FakeEnv::ListDirectory(std::string_view path) const {
  if (Status failure = FailureFor(NormalizePath(path)); !failure.ok()) return failure;
  Result<std::string> resolved = Resolve(path, true);
  if (!resolved.ok()) return resolved.status();
  if (Status failure = FailureFor(*resolved); !failure.ok()) return failure;
  auto it = nodes_.find(*resolved);
  if (it == nodes_.end()) return Status::FromErrno(std::string(path), ENOENT);
  if (it->second.type != FileType::kDirectory) return Status::FromErrno(std::string(path), ENOTDIR);
  std::string prefix = *resolved == "/" ? "/" : *resolved + "/";
  std::vector<std::string> names;
  for (auto child = nodes_.lower_bound(prefix); child != nodes_.end(); ++child) {
    if (child->first.compare(0, prefix.size(), prefix) != 0) break;
    std::string rest = child->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return names;
}

Result<std::string> FakeEnv::ReadLink(std::string_view path) const {
  if (Status failure = FailureFor(NormalizePath(path)); !failure.ok()) return failure;
  Result<std::string> resolved = Resolve(path, false);
  if (!resolved.ok()) return resolved.status();
  auto it = nodes_.find(*resolved);
  if (it == nodes_.end()) return Status::FromErrno(std::string(path), ENOENT);
  if (it->second.type != FileType::kSymlink) return Status::FromErrno(std::string(path), EINVAL);
  return it->second.data;
}

FileType FakeEnv::TypeOf(std::string_view path, bool follow) const {
  Result<std::string> resolved = Resolve(path, follow);
  if (!resolved.ok()) return FileType::kMissing;
  auto it = nodes_.find(*resolved);
  return it == nodes_.end() ? FileType::kMissing : it->second.type;
}

bool FakeEnv::CanReadWrite(std::string_view path) const {
  Result<std::string> resolved = Resolve(path, true);
  if (!resolved.ok()) return false;
  auto it = nodes_.find(*resolved);
  return it != nodes_.end() && it->second.read_write && FailureFor(*resolved).ok();
}

std::optional<std::string> FakeEnv::GetEnv(std::string_view name) const {
  auto it = env_.find(std::string(name));
  if (it == env_.end()) return std::nullopt;
  return it->second;
}

Result<std::unique_ptr<Library>> FakeEnv::OpenLibrary(const std::string& soname) const {
  return Status::NotFound(soname + ": cannot open shared object file: No such file or directory");
}

}  // namespace devpick::testing
