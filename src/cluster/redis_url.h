#pragma once
// MCP_REDIS_URL: redis://[[user]:password@]host[:port][/db]. `rediss://` (TLS) is refused:
// Debian's hiredis 0.14 has no TLS (put Redis on a private network, or a TLS tunnel such as
// stunnel on loopback, and use redis://).
#include <string>
#include <string_view>

#include "common/result.h"

namespace appsignals::cluster {

struct RedisUrl {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;  // empty: AUTH <password> (Redis before 6 or the default user)
  std::string password;  // secret: never logged
  int db = 0;
  // "redis://host:port/db" with the credentials masked, for logs and /info.
  std::string display() const;
};

Result<RedisUrl> parse_redis_url(std::string_view url);

}  // namespace appsignals::cluster
