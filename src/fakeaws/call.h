#pragma once
// What an operation handler sees (Call) and returns (OpResult), plus the small helpers every
// service shares: typed argument access, timestamps, opaque pagination tokens.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "fakeaws/model.h"
#include "fakeaws/service_traits.h"
#include "net/http_types.h"

namespace appsignals::fakeaws {

struct SampleAccount;

// A modeled or front-end error, rendered in the service's protocol by wire.cc.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  std::string query_code;  // CloudWatch JSON mode
  bool server = false;
  boost::json::object extra;  // additional body members (S3: Key, BucketName, ...)
};
ApiError make_error(const ErrorKind& kind, std::string message);

// A non-modeled body (S3 objects, S3 XML listings).
struct RawReply {
  int status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

using OpResult = std::variant<boost::json::object, RawReply, ApiError>;

// A running Logs Insights query.
struct LogQuery {
  std::string query;
  std::vector<std::string> log_groups;
  std::int64_t start = 0;  // epoch seconds
  std::int64_t end = 0;
  std::int64_t limit = 1000;
  std::int64_t anchor = 0;
  int polls = 0;
  std::string status = "Scheduled";
};

// A dynamic instrumentation configuration (Application Signals CreateInstrumentationConfiguration),
// kept per account and region in FakeState (services/instrumentation.cc).
struct InstrumentationConfig {
  std::string type;         // BREAKPOINT | PROBE
  std::string service;
  std::string environment;
  boost::json::object code_location;  // the request's Location.CodeLocation
  boost::json::object capture;        // the request's CaptureConfiguration
  boost::json::value attribute_filters;  // null when absent
  std::string description;
  std::optional<double> expires_at;   // epoch seconds
  double created_at = 0;
  std::string location_hash;          // 16 lower-case hex
  std::string arn;
};

// Mutable state shared by all requests. Thread-safe through `mu`.
struct FakeState {
  std::mutex mu;
  std::map<std::string, LogQuery> queries;
  // Temporary credentials issued by sts:AssumeRole: access key id → (secret, session token).
  std::map<std::string, std::pair<std::string, std::string>> issued_credentials;
  std::uint64_t next_id = 1;
  // Instrumentation configurations by "<account>|<region>" (seeded on first use).
  std::map<std::string, std::vector<InstrumentationConfig>> instrumentation;
};

struct Call {
  const ServiceModel& model;
  std::string operation;
  boost::json::object input;
  std::chrono::system_clock::time_point now;
  std::uint64_t seed = 0;
  const SampleAccount& account;
  FakeState& state;
  const net::Request& request;
  std::string region;

  const ServiceTraits& traits() const { return traits_for(model.signing_name); }
  // The account's "now" for generated data: now floored to 5 minutes, so consecutive pages of a
  // listing see the same data.
  std::int64_t anchor() const;
};

using OpHandler = OpResult (*)(Call&);
struct OpEntry {
  std::string_view operation;
  OpHandler handler;
};

// ---- argument access (members are model names; absent → fallback) ----
std::string str_arg(const boost::json::object& o, std::string_view key, std::string_view fallback = {});
std::int64_t int_arg(const boost::json::object& o, std::string_view key, std::int64_t fallback);
bool bool_arg(const boost::json::object& o, std::string_view key, bool fallback);
// A timestamp member: epoch seconds (number or numeric string) or RFC 3339 text.
std::optional<double> time_arg(const boost::json::object& o, std::string_view key);
const boost::json::object* obj_arg(const boost::json::object& o, std::string_view key);
const boost::json::array* arr_arg(const boost::json::object& o, std::string_view key);
std::map<std::string, std::string> string_map(const boost::json::object* o);

// Parses RFC 3339 ("2026-01-01T00:00:00Z", fractions and offsets allowed) to epoch seconds.
std::optional<double> parse_rfc3339(std::string_view text);
// "2026-01-01T00:00:00Z" (with ".123" when millis != 0).
std::string rfc3339(double epoch_seconds);

// ---- pagination ----
// Tokens are opaque to clients: base64 of "<operation>|<anchor>|<offset>|<check>". A token from
// another operation or a tampered one is rejected.
std::string make_token(std::string_view operation, std::int64_t anchor, std::size_t offset);
struct PageToken {
  std::int64_t anchor = 0;
  std::size_t offset = 0;
};
std::optional<PageToken> parse_token(std::string_view operation, std::string_view token);

// Pages `total` items: offset from the input's token member, size from the size member (clamped
// to [1, max_size], default def_size). On a bad token returns the service's invalid-token error.
struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::int64_t anchor = 0;
  std::optional<std::string> next_token;
};
std::variant<Page, ApiError> paginate(const Call& call, std::size_t total, std::string_view token_key,
                                      std::string_view size_key, std::size_t def_size,
                                      std::size_t max_size);
// The anchor to use for this call: from the input token if any, else call.anchor().
std::int64_t anchor_for(const Call& call, std::string_view token_key);

// Deterministic pseudo-random value in [0, 1) from a seed and a key.
double unit_noise(std::uint64_t seed, std::string_view key, std::int64_t n);

}  // namespace appsignals::fakeaws
