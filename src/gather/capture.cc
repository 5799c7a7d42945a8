#include "gather/capture.h"

#include <nlohmann/json.hpp>

#include "gather/tar_writer.h"

namespace devpick {
namespace {

enum class EntryKind { kFile, kStandIn, kSymlink, kDirectory };

// One archive entry, its contents already read.
struct Entry {
  const RecordedPath* record;
  EntryKind kind;
  std::string_view manifest_type;
  std::string contents;
};

// How each lstat type is stored. A file is read only when the probes read it; anything else that
// is not a directory or a symlink is only ever checked for existence or access, so it stands in
// empty.
Entry Classify(const RecordedPath& record) {
  switch (record.type) {
    case FileType::kSymlink:
      return {&record, EntryKind::kSymlink, "symlink", {}};
    case FileType::kDirectory:
      return {&record, EntryKind::kDirectory, "directory", {}};
    case FileType::kCharDevice:
      return {&record, EntryKind::kStandIn, "chardev", {}};
    case FileType::kRegular:
      if (record.read) return {&record, EntryKind::kFile, "file", {}};
      return {&record, EntryKind::kStandIn, "exists", {}};
    case FileType::kOther:
    case FileType::kMissing:
      break;
  }
  return {&record, EntryKind::kStandIn, "exists", {}};
}

std::string MegabytesText(std::size_t bytes) {
  return bytes % (std::size_t{1} << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                             : std::to_string(bytes) + " bytes";
}

}  // namespace

std::string CaptureFolderName(std::string_view archive_path) {
  std::string name = BaseName(archive_path);
  for (std::string_view suffix : {".tar.gz", ".tgz"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

Result<Capture> BuildCapture(const Env& env, const std::vector<RecordedPath>& recorded,
                             const CaptureOptions& options) {
  if (recorded.size() > options.max_entries) {
    return Status::InvalidArgument("capture exceeds the limit of " +
                                   std::to_string(options.max_entries) +
                                   " files: the probes used " + std::to_string(recorded.size()));
  }
  Capture capture;
  std::vector<Entry> entries;
  entries.reserve(recorded.size());
  for (const RecordedPath& record : recorded) {
    Entry entry = Classify(record);
    if (entry.kind == EntryKind::kFile) {
      Result<std::string> contents = env.ReadFile(record.path, record.read_limit);
      if (!contents.ok()) {
        capture.errors.push_back({record.path, contents.status().message()});
        continue;
      }
      entry.contents = std::move(contents).value();
      capture.bytes += entry.contents.size();
      if (capture.bytes > options.max_bytes) {
        return Status::InvalidArgument("capture exceeds the limit of " +
                                       MegabytesText(options.max_bytes) + " of file contents at " +
                                       record.path);
      }
    }
    entries.push_back(std::move(entry));
  }

  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const Entry& entry : entries) {
    nlohmann::ordered_json file = {{"path", entry.record->path},
                                   {"type", entry.manifest_type},
                                   {"bytes", entry.contents.size()}};
    if (entry.kind == EntryKind::kSymlink) file["target"] = entry.record->target;
    files.push_back(std::move(file));
  }
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const CaptureError& error : capture.errors) {
    errors.push_back({{"path", error.path}, {"error", error.error}});
  }
  nlohmann::ordered_json manifest = {
      {"devpick_gather", kGatherFormatVersion},
      {"created_by", options.created_by},
      {"kernel", options.kernel ? nlohmann::ordered_json(*options.kernel) : nullptr},
      {"files", std::move(files)},
      {"errors", std::move(errors)},
  };
  capture.manifest = manifest.dump(2) + "\n";

  TarWriter tar(options.mtime_seconds);
  const std::string& top = options.top_folder;
  if (Status status = tar.AddDirectory(top); !status.ok()) return status;
  if (Status status = tar.AddFile(top + "/MANIFEST.json", capture.manifest); !status.ok()) {
    return status;
  }
  for (const Entry& entry : entries) {
    std::string path = top + entry.record->path;
    // A stand-in or file the live system denied to us stays read-only when unpacked.
    int file_mode = entry.record->read_write == false ? 0444 : 0644;
    Status status;
    switch (entry.kind) {
      case EntryKind::kFile:
        status = tar.AddFile(path, entry.contents, file_mode);
        ++capture.files;
        break;
      case EntryKind::kStandIn:
        status = tar.AddFile(path, {}, file_mode);
        ++capture.stand_ins;
        break;
      case EntryKind::kSymlink:
        status = tar.AddSymlink(path, entry.record->target);
        ++capture.symlinks;
        break;
      case EntryKind::kDirectory:
        status = tar.AddDirectory(path);
        ++capture.directories;
        break;
    }
    if (!status.ok()) return status;
  }
  capture.tar = tar.Finish();
  return capture;
}

}  // namespace devpick
