#include "core/recording_env.h"

#include <algorithm>

namespace devpick {
namespace {

// Linux's own limit on symlinks followed while resolving one path; a loop ends there, as it would
// for the probes (ELOOP).
constexpr int kMaxSymlinkHops = 40;

// Pushes the components of `path` so that the first one is popped first.
void PushComponents(std::string_view path, std::vector<std::string>* pending) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  pending->insert(pending->end(), parts.rbegin(), parts.rend());
}

}  // namespace

FileType RecordingEnv::LstatLocked(const std::string& path) const {
  auto [it, inserted] = lstat_cache_.try_emplace(path, FileType::kMissing);
  if (inserted) it->second = base_.TypeOf(path, /*follow=*/false);
  return it->second;
}

RecordedPath* RecordingEnv::NoteLocked(const std::string& path, FileType type) const {
  RecordedPath& record = recorded_[path];
  record.path = path;
  record.type = type;
  return &record;
}

RecordedPath* RecordingEnv::ResolveLocked(std::string_view path, bool follow) const {
  if (path.empty() || path.front() != '/') return nullptr;
  std::vector<std::string> pending;
  PushComponents(path, &pending);
  std::string resolved;  // "" stands for "/"
  FileType type = FileType::kDirectory;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      std::string parent = resolved.empty() ? "/" : DirName(resolved);
      resolved = parent == "/" ? "" : parent;
      type = FileType::kDirectory;
      continue;
    }
    if (type != FileType::kDirectory) return nullptr;  // a component under a file: ENOTDIR
    std::string candidate = resolved + "/" + part;
    type = LstatLocked(candidate);
    if (type == FileType::kMissing) return nullptr;
    if (type != FileType::kSymlink) {
      resolved = std::move(candidate);
      continue;
    }
    Result<std::string> target = base_.ReadLink(candidate);
    if (!target.ok()) return nullptr;
    RecordedPath* link = NoteLocked(candidate, FileType::kSymlink);
    link->target = *target;
    if (pending.empty() && !follow) return link;
    if (++hops > kMaxSymlinkHops) return nullptr;
    PushComponents(*target, &pending);
    if (!target->empty() && target->front() == '/') resolved.clear();
    type = FileType::kDirectory;  // the directory the link sits in, which the target starts from
  }
  if (resolved.empty()) return nullptr;  // "/" itself is never captured
  return NoteLocked(resolved, type);
}

Result<std::string> RecordingEnv::ReadFile(std::string_view path, std::size_t limit) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (RecordedPath* record = ResolveLocked(path, /*follow=*/true)) {
      record->read = true;
      record->read_limit = std::max(record->read_limit, limit);
    }
  }
  return base_.ReadFile(path, limit);
}

Result<std::vector<std::string>> RecordingEnv::ListDirectory(std::string_view path) const {
  Result<std::vector<std::string>> names = base_.ListDirectory(path);
  std::lock_guard<std::mutex> lock(mutex_);
  RecordedPath* record = ResolveLocked(path, /*follow=*/true);
  if (record == nullptr) return names;
  record->listed = true;
  if (!names.ok()) return names;
  // The names are what the probe read, so each entry is recorded by name and type (a symlink with
  // its target) even when nothing inside it is touched: /proc/driver/nvidia/gpus/<address> is
  // evidence by its name alone.
  const std::string directory = record->path;
  for (const std::string& name : *names) {
    std::string entry = directory + "/" + name;
    if (recorded_.count(entry) != 0) continue;
    FileType type = LstatLocked(entry);
    if (type == FileType::kMissing) continue;  // gone since the listing
    std::string target;
    if (type == FileType::kSymlink) {
      Result<std::string> link = base_.ReadLink(entry);
      if (!link.ok()) continue;
      target = *link;
    }
    NoteLocked(entry, type)->target = std::move(target);
  }
  return names;
}

Result<std::string> RecordingEnv::ReadLink(std::string_view path) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ResolveLocked(path, /*follow=*/false);
  }
  return base_.ReadLink(path);
}

FileType RecordingEnv::TypeOf(std::string_view path, bool follow) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ResolveLocked(path, follow);
  }
  return base_.TypeOf(path, follow);
}

bool RecordingEnv::CanReadWrite(std::string_view path) const {
  bool answer = base_.CanReadWrite(path);
  std::lock_guard<std::mutex> lock(mutex_);
  if (RecordedPath* record = ResolveLocked(path, /*follow=*/true)) record->read_write = answer;
  return answer;
}

std::optional<std::string> RecordingEnv::GetEnv(std::string_view name) const {
  return base_.GetEnv(name);
}

Result<std::unique_ptr<Library>> RecordingEnv::OpenLibrary(const std::string& soname) const {
  return base_.OpenLibrary(soname);
}

std::vector<RecordedPath> RecordingEnv::Recorded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RecordedPath> out;
  out.reserve(recorded_.size());
  for (const auto& [path, record] : recorded_) out.push_back(record);
  return out;
}

}  // namespace devpick
