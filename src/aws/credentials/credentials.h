#pragma once
// AWS credentials and the provider interface.
// Secrets: Credentials never appear in logs or error strings; describe() names the source
// only (e.g. "environment", "profile dev (assume role arn:aws:iam::1:role/R)").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"

namespace appsignals::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // nullopt: never expires
  std::string account_id;

  bool expires_within(std::chrono::seconds margin,
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const {
    return expiration && *expiration - margin <= now;
  }
};

// One source the credential chain considered, for diagnostics (`appsignals-mcp check`, the
// start-up log). Never holds a secret: `detail` is a reason or an error message.
struct CredentialAttempt {
  enum class Outcome {
    kSkipped,   // not configured: the chain did not ask it (detail says which settings are missing)
    kNone,      // asked; it had no credentials (detail: why)
    kFailed,    // asked; it is configured but failed, which ends the chain (detail: the error)
    kResolved,  // supplied the credentials (detail: the source as describe() names it)
    kNotTried,  // after the source that resolved or failed
  };
  std::string source;  // "environment", "web identity", "profile dev", "container", "EC2 instance metadata"
  Outcome outcome = Outcome::kSkipped;
  std::string detail;
};

// "skipped", "no credentials", "FAILED", "OK", "not tried".
std::string_view outcome_label(CredentialAttempt::Outcome outcome);

// Thread-safe; get() may be awaited concurrently from any executor.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // kUnauthenticated when this source has no credentials (the chain moves on); other codes
  // for failures of a configured source.
  virtual boost::asio::awaitable<Result<Credentials>> get() = 0;
  // The source, without secrets.
  virtual std::string describe() const = 0;
  // The sources considered the last time the chain was walked, in chain order (empty before
  // the first get() completes; chains only, other providers have none).
  virtual std::vector<CredentialAttempt> attempts() const { return {}; }
};

// Parses RFC 3339 / ISO-8601 UTC timestamps ("2026-01-01T00:00:00Z", fractional seconds and
// "+00:00" accepted).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);
std::string format_iso8601(std::chrono::system_clock::time_point t);

}  // namespace appsignals::aws
