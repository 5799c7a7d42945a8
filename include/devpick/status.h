// Status and Result<T>: errors as values with context.
//
// Every fallible call in devpick returns a Status or a Result<T>. The library never throws across
// its public surface, never prints and never exits; a probe's failure becomes data (a diagnostic),
// not an exception. Status messages are complete sentences fragments meant for users, e.g.
// "/sys/bus/pci/devices/0000:03:00.0/class: Permission denied".
//
// Thread-safety: values; safe to copy between threads.
#ifndef DEVPICK_STATUS_H_
#define DEVPICK_STATUS_H_

#include <string>
#include <utility>
#include <variant>

namespace devpick {

enum class StatusCode {
  kOk,
  kNotFound,          // a file, library, symbol or device that is not there
  kInvalidArgument,   // bad input from the user: flag, spec, config, snapshot
  kPermissionDenied,  // EACCES / EPERM
  kIoError,           // any other operating-system failure
  kUnavailable,       // a runtime reported no driver / no device
  kTimeout,           // a bounded operation ran out of time
  kInternal,          // a bug in devpick
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string message) {
    return {StatusCode::kNotFound, std::move(message)};
  }
  static Status InvalidArgument(std::string message) {
    return {StatusCode::kInvalidArgument, std::move(message)};
  }
  static Status PermissionDenied(std::string message) {
    return {StatusCode::kPermissionDenied, std::move(message)};
  }
  static Status IoError(std::string message) { return {StatusCode::kIoError, std::move(message)}; }
  static Status Unavailable(std::string message) {
    return {StatusCode::kUnavailable, std::move(message)};
  }
  static Status Timeout(std::string message) { return {StatusCode::kTimeout, std::move(message)}; }
  static Status Internal(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
  }
  // "<context>: <strerror(errno_value)>", with the code that errno maps to.
  static Status FromErrno(const std::string& context, int errno_value);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The errno this status was made from, or 0.
  int errno_value() const { return errno_; }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int errno_ = 0;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T value_or(T fallback) const { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace devpick

#endif  // DEVPICK_STATUS_H_
