#include "gather/recording_env.h"

#include <algorithm>

namespace devpick {

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
  // The kernel's resolution, strictly: a missing component (or one under a file, which lstat
  // reports as missing) or an unreadable link ends it, and nothing more is recorded.
  Result<std::string> resolved =
      ResolvePath(path, follow, [&](const std::string& candidate) -> Result<PathComponent> {
        FileType type = LstatLocked(candidate);
        if (type == FileType::kMissing) return Status::NotFound(candidate);
        if (type != FileType::kSymlink) return PathComponent{.type = type, .link_target = {}};
        Result<std::string> target = base_.ReadLink(candidate);
        if (!target.ok()) return target.status();
        NoteLocked(candidate, FileType::kSymlink)->target = *target;
        return PathComponent{.type = FileType::kSymlink, .link_target = *target};
      });
  if (!resolved.ok() || *resolved == "/") return nullptr;  // "/" itself is never captured
  return NoteLocked(*resolved, LstatLocked(*resolved));
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

std::vector<RecordedPath> RecordingEnv::Recorded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<RecordedPath> out;
  out.reserve(recorded_.size());
  for (const auto& [path, record] : recorded_) out.push_back(record);
  return out;
}

}  // namespace devpick
