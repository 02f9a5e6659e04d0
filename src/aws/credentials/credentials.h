#pragma once
// AWS credentials and the provider interface.
// Secrets: Credentials never appear in logs or error strings; describe() names the source
// only (e.g. "environment", "profile dev (assume role arn:aws:iam::1:role/R)").
#include <chrono>
#include <optional>
#include <string>

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

// Thread-safe; get() may be awaited concurrently from any executor.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // kUnauthenticated when this source has no credentials (the chain moves on); other codes
  // for failures of a configured source.
  virtual boost::asio::awaitable<Result<Credentials>> get() = 0;
  // The source, without secrets.
  virtual std::string describe() const = 0;
};

// Parses RFC 3339 / ISO-8601 UTC timestamps ("2026-01-01T00:00:00Z", fractional seconds and
// "+00:00" accepted).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);
std::string format_iso8601(std::chrono::system_clock::time_point t);

}  // namespace appsignals::aws
