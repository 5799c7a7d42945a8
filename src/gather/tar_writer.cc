#include "gather/tar_writer.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace devpick {
namespace {

// Field offsets and widths of the ustar header (POSIX.1-1988, pax "ustar Interchange Format").
struct Field {
  std::size_t offset;
  std::size_t width;
};
constexpr Field kName{0, 100};
constexpr Field kMode{100, 8};
constexpr Field kUid{108, 8};
constexpr Field kGid{116, 8};
constexpr Field kSize{124, 12};
constexpr Field kMtime{136, 12};
constexpr Field kChecksum{148, 8};
constexpr Field kTypeflag{156, 1};
constexpr Field kLinkname{157, 100};
constexpr Field kMagic{257, 6};
constexpr Field kVersion{263, 2};
constexpr Field kPrefix{345, 155};

using Header = std::array<char, TarWriter::kBlockSize>;

void PutText(Header& header, Field field, std::string_view text) {
  // An empty string_view may hold nullptr, and memcpy from nullptr is undefined even for 0 bytes
  // (UBSan under `make test-sanitize`).
  if (text.empty()) return;
  std::memcpy(header.data() + field.offset, text.data(), std::min(text.size(), field.width));
}

// Zero-padded octal filling the field but its last byte, which stays NUL.
void PutOctal(Header& header, Field field, std::uint64_t value) {
  for (std::size_t i = field.width - 1; i-- > 0;) {
    header[field.offset + i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

// Splits `path` into the ustar prefix and name fields, or fails naming the path.
Status SplitPath(std::string_view path, std::string_view* prefix, std::string_view* name) {
  if (path.size() > TarWriter::kMaxPathBytes) {
    return Status::InvalidArgument(std::string(path) + ": longer than the " +
                                   std::to_string(TarWriter::kMaxPathBytes) +
                                   " bytes a ustar archive can name");
  }
  if (path.size() <= kName.width) {
    *prefix = {};
    *name = path;
    return Status::Ok();
  }
  // The longest prefix that fits leaves the shortest name; the name must still fit and be
  // non-empty.
  std::size_t slash = path.rfind('/', std::min(kPrefix.width, path.size() - 2));
  if (slash == std::string_view::npos || path.size() - slash - 1 > kName.width) {
    return Status::InvalidArgument(std::string(path) +
                                   ": no '/' splits it into the 155-byte prefix and 100-byte name "
                                   "of a ustar header");
  }
  *prefix = path.substr(0, slash);
  *name = path.substr(slash + 1);
  return Status::Ok();
}

}  // namespace

Status TarWriter::AddFile(std::string_view path, std::string_view contents, int mode) {
  return AddEntry(path, '0', mode, {}, contents);
}

Status TarWriter::AddSymlink(std::string_view path, std::string_view target) {
  if (target.empty() || target.size() > kLinkname.width) {
    return Status::InvalidArgument(std::string(path) + ": symlink target '" + std::string(target) +
                                   "' must be 1 to 100 bytes to fit a ustar header");
  }
  return AddEntry(path, '2', 0777, target, {});
}

Status TarWriter::AddDirectory(std::string_view path, int mode) {
  std::string with_slash(path);
  if (with_slash.empty() || with_slash.back() != '/') with_slash += '/';
  return AddEntry(with_slash, '5', mode, {}, {});
}

Status TarWriter::AddEntry(std::string_view path, char typeflag, int mode,
                           std::string_view linkname, std::string_view contents) {
  if (path.empty() || path.front() == '/') {
    return Status::InvalidArgument(std::string(path) + ": archive paths must be relative");
  }
  std::string_view prefix;
  std::string_view name;
  if (Status split = SplitPath(path, &prefix, &name); !split.ok()) return split;

  Header header{};
  PutText(header, kName, name);
  PutOctal(header, kMode, static_cast<std::uint64_t>(mode & 07777));
  PutOctal(header, kUid, 0);
  PutOctal(header, kGid, 0);
  PutOctal(header, kSize, contents.size());
  PutOctal(header, kMtime, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime_, 0)));
  header[kTypeflag.offset] = typeflag;
  PutText(header, kLinkname, linkname);
  PutText(header, kMagic, std::string_view("ustar\0", 6));
  PutText(header, kVersion, "00");
  PutText(header, kPrefix, prefix);
  // The checksum is the byte sum of the header with the checksum field read as eight spaces,
  // written as six octal digits, NUL, space.
  std::memset(header.data() + kChecksum.offset, ' ', kChecksum.width);
  unsigned sum = 0;
  for (char byte : header) sum += static_cast<unsigned char>(byte);
  PutOctal(header, Field{kChecksum.offset, 7}, sum);
  header[kChecksum.offset + 6] = '\0';

  data_.append(header.data(), header.size());
  data_.append(contents);
  data_.append((kBlockSize - contents.size() % kBlockSize) % kBlockSize, '\0');
  return Status::Ok();
}

std::string TarWriter::Finish() const {
  std::string archive = data_;
  archive.append(2 * kBlockSize, '\0');
  return archive;
}

Result<std::string> GzipCompress(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    return Status::Internal("gzip: deflate did not finish (zlib status " + std::to_string(result) +
                            ")");
  }
  return out;
}

}  // namespace devpick
