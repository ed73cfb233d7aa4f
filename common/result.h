// The one way to fail across modules: Result<T> holds a value or an Error.
// No exceptions cross a module boundary; nothing below the CLI exits.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace infra {

/// What went wrong. `code` is a stable machine-readable name (an AWS error
/// code such as "InvalidVpcID.NotFound", or one of ours such as
/// "StateLocked"); `message` is a full sentence for people. AWS errors fill
/// the service/operation/request fields. Never holds a secret.
struct Error {
  enum class Kind {
    kInvalid,      // bad input from the user
    kNotFound,     // the thing does not exist (AWS *NotFound*, NoSuch*)
    kThrottled,    // rate exceeded; retried by the client before surfacing
    kQuota,        // a service quota/limit; never retried
    kTransport,    // network fault, timeout, reset
    kServer,       // 5xx from the service
    kAuth,         // credentials missing, invalid or denied
    kConflict,     // already exists / dependency violation / state conflict
    kCancelled,    // stopped by a signal or the user
    kInternal,     // [this is a bug]
    kOther,
  };
  Kind kind = Kind::kOther;
  std::string code;
  std::string message;
  // Filled for AWS API errors.
  int http_status = 0;
  std::string service;
  std::string operation;
  std::string request_id;

  /// "code: message" plus "(service Operation, HTTP 400, request id X)" when known.
  std::string ToString() const;
};

/// Convenience constructor.
Error MakeError(Error::Kind kind, std::string code, std::string message);

/// A value of type T or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  Error& error() { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace infra
