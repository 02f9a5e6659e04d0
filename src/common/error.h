#pragma once
// Errors as values: a short list of canonical codes, each with a written meaning and retry
// semantics. One table (see error_mapping in each wire layer) maps them to JSON-RPC codes,
// HTTP statuses and MCP tool errors.
#include <string>
#include <string_view>

namespace appsignals {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed; do not retry as is
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // a create collided with an existing thing
  kPermissionDenied,    // authenticated but not allowed (e.g. missing IAM action)
  kUnauthenticated,     // no or bad credentials
  kResourceExhausted,   // throttled or over a limit; retry with backoff
  kFailedPrecondition,  // the system is not in a state to do this (e.g. feature disabled)
  kUnavailable,         // transient: connection failure, 5xx; retry with backoff
  kDeadlineExceeded,    // a timeout expired; may be retried
  kCancelled,           // the caller cancelled
  kUnimplemented,       // method or feature not supported
  kInternal,            // a bug or an unexpected state; not retried
};

// Stable name for logs and tool error texts, e.g. "InvalidArgument".
std::string_view error_code_name(ErrorCode code) noexcept;

// Whether a failure with this code may succeed when retried unchanged.
bool is_retryable(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // human-readable; never contains secrets
  std::string details;  // optional machine detail (e.g. AWS error code); never secrets

  Error() = default;
  Error(ErrorCode c, std::string msg, std::string det = {})
      : code(c), message(std::move(msg)), details(std::move(det)) {}

  std::string to_string() const;
};

}  // namespace appsignals
