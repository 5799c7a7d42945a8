#include "devpick/env.h"

#include <algorithm>
#include <cerrno>

namespace devpick {
namespace {

// Linux's own limit on symlinks followed while resolving one path.
constexpr int kMaxSymlinkHops = 40;

std::vector<std::string> SplitComponents(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

Result<std::string> ResolvePath(std::string_view path, bool follow_last,
                                const LstatFunction& lstat) {
  std::vector<std::string> pending = SplitComponents(path);
  std::reverse(pending.begin(), pending.end());
  std::string resolved;  // always starts with '/' or is empty (= "/")
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      resolved = resolved.empty() ? "" : DirName(resolved);
      if (resolved == "/") resolved.clear();
      continue;
    }
    std::string candidate = resolved + "/" + part;
    Result<PathComponent> component = lstat(candidate);
    if (!component.ok()) return component.status();
    if (component->type == FileType::kSymlink && (follow_last || !pending.empty())) {
      if (++hops > kMaxSymlinkHops) return Status::FromErrno(std::string(path), ELOOP);
      const std::string& target = component->link_target;
      std::vector<std::string> target_parts = SplitComponents(target);
      for (auto it = target_parts.rbegin(); it != target_parts.rend(); ++it) pending.push_back(*it);
      if (!target.empty() && target.front() == '/') resolved.clear();
      continue;
    }
    resolved = std::move(candidate);
  }
  return resolved.empty() ? std::string("/") : resolved;
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string> out;
  for (std::string& part : SplitComponents(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(std::move(part));
  }
  std::string result;
  for (const std::string& part : out) result += "/" + part;
  return result.empty() ? "/" : result;
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

}  // namespace devpick
