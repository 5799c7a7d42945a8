#include "devpick/status.h"

#include <cerrno>
#include <cstring>

namespace devpick {

Status Status::FromErrno(const std::string& context, int errno_value) {
  StatusCode code = StatusCode::kIoError;
  switch (errno_value) {
    case ENOENT:
    case ENOTDIR:
      code = StatusCode::kNotFound;
      break;
    case EACCES:
    case EPERM:
      code = StatusCode::kPermissionDenied;
      break;
    case ETIMEDOUT:
      code = StatusCode::kTimeout;
      break;
    default:
      break;
  }
  Status status(code, context + ": " + std::strerror(errno_value));
  status.errno_ = errno_value;
  return status;
}

}  // namespace devpick
