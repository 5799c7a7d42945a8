// TarWriter: builds a POSIX ustar archive in memory, and GzipCompress turns it into a .tar.gz.
//
// `devpick gather` stores a captured sysfs/procfs tree this way. Only what a capture needs is
// supported: regular files, symlinks (with their raw target) and directories, all owned by 0/0 with
// one fixed modification time. Names longer than 100 bytes use the ustar prefix field, so a path
// may be up to 255 bytes when it can be split at a '/'; a longer path, or a symlink target over 100
// bytes, is an error naming the path, never a silently truncated entry.
//
// Thread-safety: a TarWriter is not safe for concurrent use; GzipCompress is.
#ifndef DEVPICK_SRC_GATHER_TAR_WRITER_H_
#define DEVPICK_SRC_GATHER_TAR_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "devpick/status.h"

namespace devpick {

class TarWriter {
 public:
  // The ustar block size; headers and contents are padded to it.
  static constexpr std::size_t kBlockSize = 512;
  // The longest path a ustar header can hold: a 155-byte prefix, '/', a 100-byte name.
  static constexpr std::size_t kMaxPathBytes = 255;

  // `mtime_seconds` is stamped on every entry (seconds since the epoch).
  explicit TarWriter(std::int64_t mtime_seconds = 0) : mtime_(mtime_seconds) {}

  // `path` is relative ("capture/sys/bus/pci/devices"); `mode` holds the permission bits only.
  Status AddFile(std::string_view path, std::string_view contents, int mode = 0644);
  Status AddSymlink(std::string_view path, std::string_view target);
  Status AddDirectory(std::string_view path, int mode = 0755);

  // The archive so far, ended with the two zero blocks that mark its end.
  std::string Finish() const;

 private:
  Status AddEntry(std::string_view path, char typeflag, int mode, std::string_view linkname,
                  std::string_view contents);

  std::int64_t mtime_;
  std::string data_;
};

// The gzip (RFC 1952) form of `data`, made with zlib.
Result<std::string> GzipCompress(std::string_view data);

}  // namespace devpick

#endif  // DEVPICK_SRC_GATHER_TAR_WRITER_H_
