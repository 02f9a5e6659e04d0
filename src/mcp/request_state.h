#pragma once
// RequestStateCodec: the `requestState` of a 2026-07-28 input_required round (MRTR), sealed so
// that any server instance holding the same key can continue the round and nothing else can
// forge or alter it. The server keeps no memory of rounds.
//
// Token: base64(JSON {"v":1,"b":<hex SHA-256 of the binding>,"exp":<unix ms>,"n":<nonce>,
// "p":<payload>}) "." hex(HMAC-SHA256(key, base64 part)). The binding is the request it belongs
// to (method, tool/prompt/resource name, arguments), so a state cannot be replayed on another
// request; `exp` bounds how long a round may be continued (a retry of the same round inside that
// window is the protocol's normal retry and gives the same answer).
//
// Key: MCP_STATE_KEY (the same value on every instance behind one address); without it a random
// per-process key, which is enough for a single instance. Thread-safe (immutable after
// construction).
#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.h"

namespace appsignals::mcp {

class RequestStateCodec {
 public:
  using Clock = std::chrono::system_clock;
  static constexpr std::chrono::minutes kLifetime{15};

  // An empty key picks 32 random bytes.
  explicit RequestStateCodec(std::string key = {});

  std::string seal(const boost::json::value& payload, std::string_view binding, Clock::time_point now) const;
  // kInvalidArgument when the token is malformed, altered, bound to another request or expired.
  Result<boost::json::value> open(std::string_view token, std::string_view binding, Clock::time_point now) const;

 private:
  std::string key_;
};

}  // namespace appsignals::mcp
