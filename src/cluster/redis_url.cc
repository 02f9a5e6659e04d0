#include "cluster/redis_url.h"

#include <charconv>

#include "common/encoding.h"

namespace appsignals::cluster {

namespace {

Error bad(std::string why) {
  return Error{ErrorCode::kInvalidArgument, "MCP_REDIS_URL: " + why + " (expected redis://[user:password@]host:port/db)"};
}

bool parse_int(std::string_view s, int lo, int hi, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= lo && out <= hi;
}

}  // namespace

std::string RedisUrl::display() const {
  std::string s = "redis://";
  if (!password.empty()) s += (username.empty() ? std::string() : username) + ":***@";
  s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  s += ":" + std::to_string(port) + "/" + std::to_string(db);
  return s;
}

Result<RedisUrl> parse_redis_url(std::string_view url) {
  if (url.starts_with("rediss://"))
    return bad("rediss:// (TLS) is not supported: Debian's hiredis 0.14 has no TLS; reach Redis over a private "
               "network or a local TLS tunnel and use redis://");
  if (!url.starts_with("redis://")) return bad("the scheme must be redis://");
  url.remove_prefix(8);
  RedisUrl r;
  auto slash = url.find('/');
  auto authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    auto path = url.substr(slash + 1);
    if (auto q = path.find('?'); q != std::string_view::npos) return bad("query parameters are not supported");
    if (!path.empty() && !parse_int(path, 0, 1'000'000, r.db)) return bad("the database must be a number");
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon), false);
    if (!user) return bad("the user name is not valid percent-encoding");
    r.username = *user;
    if (colon != std::string_view::npos) {
      auto pass = percent_decode(userinfo.substr(colon + 1), false);
      if (!pass) return bad("the password is not valid percent-encoding");
      r.password = *pass;
    } else {
      // redis://password@host is a common spelling: a lone userinfo is the password.
      r.password = r.username;
      r.username.clear();
    }
  }
  std::string_view host = authority, port;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("junk after the host");
      port = rest.substr(1);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad("the host is missing");
  r.host = std::string(host);
  if (!port.empty() && !parse_int(port, 1, 65535, r.port)) return bad("the port must be 1..65535");
  return r;
}

}  // namespace appsignals::cluster
