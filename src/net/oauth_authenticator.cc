#include "net/oauth_authenticator.h"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

#include "common/encoding.h"
#include "common/text.h"
#include "net/origin_policy.h"

namespace appsignals::net {
namespace json = boost::json;
namespace {

AuthOutcome missing() {
  AuthOutcome out;
  out.reason = "no access token";
  return out;
}

AuthOutcome rejected(std::string reason) {
  AuthOutcome out;
  out.failure = AuthFailure::kRejected;
  out.reason = std::move(reason);
  return out;
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
std::string metadata_url(const std::string& issuer, std::string_view well_known) {
  auto scheme_end = issuer.find("://");
  auto path_start = scheme_end == std::string::npos ? std::string::npos : issuer.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? issuer : issuer.substr(0, path_start);
  std::string path = path_start == std::string::npos ? std::string() : issuer.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return origin + "/.well-known/" + std::string(well_known) + path;
}

// OpenID Connect Discovery §4: appended to the issuer.
std::string openid_url(std::string issuer) {
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  return issuer + "/.well-known/openid-configuration";
}

bool has_kid(const std::vector<jose::Jwk>& keys, const std::string& kid) {
  for (const auto& k : keys)
    if (k.kid == kid) return true;
  return false;
}

}  // namespace

std::optional<std::string_view> bearer_token(const Request& request) {
  auto t = trim_space(request.header("Authorization"));
  if (t.size() > 7 && boost::beast::iequals(t.substr(0, 7), "Bearer ")) {
    auto token = trim_space(t.substr(7));
    if (!token.empty()) return token;
  }
  return std::nullopt;
}

OAuthAuthenticator::OAuthAuthenticator(OAuthOptions options, Fetcher fetcher)
    : options_(std::move(options)), fetcher_(std::move(fetcher)) {
  if (std::find(options_.audiences.begin(), options_.audiences.end(), options_.resource) == options_.audiences.end())
    options_.audiences.insert(options_.audiences.begin(), options_.resource);
  state_.introspection_url = options_.introspection_url;
  introspected_ = std::make_shared<TokenCache>(options_.introspection_cache_entries,
                                               options_.introspection_positive_seconds,
                                               options_.introspection_negative_seconds);
}

std::int64_t OAuthAuthenticator::now() const {
  if (options_.now) return options_.now();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<jose::Jwk> OAuthAuthenticator::cached_keys() const {
  std::lock_guard lock(mu_);
  return state_.keys;
}

AuthOutcome OAuthAuthenticator::accept(jose::TokenClaims claims) const {
  for (const auto& required : options_.required_scopes) {
    if (std::find(claims.scopes.begin(), claims.scopes.end(), required) == claims.scopes.end()) {
      AuthOutcome out;
      out.failure = AuthFailure::kInsufficientScope;
      out.reason = required;
      return out;
    }
  }
  AuthOutcome out;
  out.ok = true;
  out.failure = AuthFailure::kNone;
  // Bounded: the principal lands in logs and session keys.
  out.principal = "oauth:" + claims.issuer.substr(0, 256) + "#" + claims.subject.substr(0, 256);
  out.scopes = std::move(claims.scopes);
  out.claims = std::move(claims.claims);
  return out;
}

AuthOutcome OAuthAuthenticator::check_jws(const jose::Jws& jws, const std::vector<jose::Jwk>& keys) const {
  bool verified = false;
  for (const auto& key : keys) {
    if (!jws.kid.empty() && !key.kid.empty() && key.kid != jws.kid) continue;
    if (jose::verify(jws, key)) {
      verified = true;
      break;
    }
  }
  if (!verified) return rejected("token signature does not verify with the issuer's keys");
  jose::ClaimPolicy policy;
  policy.issuer = options_.issuer;
  policy.audiences = options_.audiences;
  policy.skew = options_.skew;
  auto claims = jose::check_claims(jws.claims, policy, now());
  if (!claims) return rejected(claims.error().message);
  return accept(std::move(*claims));
}

AuthOutcome OAuthAuthenticator::authenticate(const Request& request) const {
  auto token = bearer_token(request);
  if (!token) return missing();
  auto jws = jose::parse_jws(*token);
  if (!jws) return rejected(jws.error().message);
  return check_jws(*jws, cached_keys());
}

boost::asio::awaitable<AuthOutcome> OAuthAuthenticator::authenticate_async(const Request& request) const {
  auto token = bearer_token(request);
  if (!token) co_return missing();
  std::string copy(*token);
  co_return co_await validate(std::move(copy));
}

boost::asio::awaitable<AuthOutcome> OAuthAuthenticator::validate(std::string token) const {
  auto jws = jose::parse_jws(token);
  if (!jws) {
    // Not a JWS at all: an opaque token, for introspection if configured.
    const bool opaque = token.find('.') == std::string::npos;
    bool can_introspect = false;
    {
      std::lock_guard lock(mu_);
      can_introspect = !state_.introspection_url.empty();
    }
    if (opaque && can_introspect) co_return co_await introspect(std::move(token));
    co_return rejected(jws.error().message);
  }
  bool fetch = false;
  {
    std::lock_guard lock(mu_);
    const auto t = now();
    const bool stale = state_.fetched_at == 0 || t - state_.fetched_at >= options_.jwks_lifetime.count();
    const bool unknown_kid = !jws->kid.empty() && !has_kid(state_.keys, jws->kid);
    const bool may_refresh =
        state_.last_attempt < 0 || t - state_.last_attempt >= options_.jwks_min_refresh.count();
    if ((stale || unknown_kid) && may_refresh) {
      state_.last_attempt = t;
      fetch = true;
    }
  }
  if (fetch) (void)co_await refresh_keys();
  co_return check_jws(*jws, cached_keys());
}

namespace {

// https://, or http:// to a loopback host (tests and a local authorization server).
bool jwks_uri_acceptable(const std::string& uri) {
  if (uri.rfind("https://", 0) == 0) return uri.size() > 8;
  if (uri.rfind("http://", 0) != 0) return false;
  std::string host = uri.substr(7);
  host = host.substr(0, host.find('/'));
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.find(']') == std::string::npos ? 0 : host.find(']') - 1);
  else host = host.substr(0, host.find(':'));
  return !host.empty() && is_loopback_host(host);
}

}  // namespace

boost::asio::awaitable<Result<std::string>> OAuthAuthenticator::discover_jwks_uri() const {
  {
    std::lock_guard lock(mu_);
    if (!state_.jwks_uri.empty()) co_return state_.jwks_uri;
  }
  std::string last_error;
  for (int i = 0; i < 2; ++i) {
    FetchRequest req;
    req.url = i == 0 ? metadata_url(options_.issuer, "oauth-authorization-server") : openid_url(options_.issuer);
    req.headers.emplace_back("Accept", "application/json");
    auto res = co_await fetcher_(std::move(req));
    if (!res) {
      last_error = res.error().message;
      continue;
    }
    if (res->status != 200) {
      last_error = "metadata answered HTTP " + std::to_string(res->status);
      continue;
    }
    boost::system::error_code ec;
    auto doc = json::parse(res->body, ec);
    if (ec || !doc.is_object()) {
      last_error = "metadata is not a JSON object";
      continue;
    }
    const auto& o = doc.as_object();
    if (str(o, "issuer") != options_.issuer) {
      // RFC 8414 §3.3: the issuer in the document must be the one it was fetched for.
      last_error = "metadata names issuer '" + str(o, "issuer") + "', not MCP_OAUTH_ISSUER";
      continue;
    }
    auto jwks_uri = str(o, "jwks_uri");
    if (jwks_uri.empty()) {
      last_error = "metadata has no jwks_uri";
      continue;
    }
    if (!jwks_uri_acceptable(jwks_uri)) {
      // The signing keys decide who gets in: never fetched over plain HTTP off loopback.
      last_error = "metadata's jwks_uri must be an https:// URL (http only on loopback)";
      continue;
    }
    std::lock_guard lock(mu_);
    state_.jwks_uri = jwks_uri;
    co_return jwks_uri;
  }
  co_return Error{ErrorCode::kUnavailable, "OAuth issuer metadata: " + last_error};
}

boost::asio::awaitable<Result<std::size_t>> OAuthAuthenticator::refresh_keys() const {
  auto uri = co_await discover_jwks_uri();
  if (!uri) co_return uri.error();
  FetchRequest req;
  req.url = *uri;
  req.headers.emplace_back("Accept", "application/json");
  auto res = co_await fetcher_(std::move(req));
  if (!res) co_return Error{ErrorCode::kUnavailable, "JWKS " + *uri + ": " + res.error().message};
  if (res->status != 200)
    co_return Error{ErrorCode::kUnavailable, "JWKS " + *uri + " answered HTTP " + std::to_string(res->status)};
  auto keys = jose::parse_jwks(res->body);
  if (!keys) co_return Error{ErrorCode::kUnavailable, "JWKS " + *uri + ": " + keys.error().message};
  const std::size_t n = keys->size();
  std::lock_guard lock(mu_);
  state_.keys = std::move(*keys);
  state_.fetched_at = now();
  if (state_.last_attempt < 0) state_.last_attempt = state_.fetched_at;
  co_return n;
}

boost::asio::awaitable<AuthOutcome> OAuthAuthenticator::introspect(std::string token) const {
  const std::int64_t t = now();
  if (auto cached = introspected_->get(token, t)) co_return std::move(*cached);
  std::int64_t expires_at = 0;
  bool cacheable = false;
  auto outcome = co_await introspect_uncached(token, expires_at, cacheable);
  if (cacheable) introspected_->put(token, outcome, expires_at, t);
  co_return outcome;
}

boost::asio::awaitable<AuthOutcome> OAuthAuthenticator::introspect_uncached(std::string token,
                                                                           std::int64_t& expires_at,
                                                                           bool& cacheable) const {
  FetchRequest req;
  req.method = "POST";
  {
    std::lock_guard lock(mu_);
    req.url = state_.introspection_url;
  }
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  if (!options_.introspection_client_id.empty())
    req.headers.emplace_back("Authorization", "Basic " + base64_encode(percent_encode(options_.introspection_client_id) +
                                                                       ":" +
                                                                       percent_encode(options_.introspection_client_secret)));
  req.body = "token=" + percent_encode(token) + "&token_type_hint=access_token";
  auto res = co_await fetcher_(std::move(req));
  if (!res || res->status != 200) co_return rejected("token introspection failed");
  boost::system::error_code ec;
  auto doc = json::parse(res->body, ec);
  if (ec || !doc.is_object()) co_return rejected("token introspection answer is not JSON");
  // From here on the answer is about this token: cache what it says.
  cacheable = true;
  auto& o = doc.as_object();
  auto* active = o.if_contains("active");
  if (!active || !active->is_bool() || !active->as_bool()) co_return rejected("token is not active (introspection)");
  // RFC 7662 §2.2: the members are optional; those present must fit. iss defaults to ours.
  if (!o.contains("iss")) o["iss"] = options_.issuer;
  if (!o.contains("aud")) co_return rejected("introspected token has no audience");
  jose::ClaimPolicy policy;
  policy.issuer = options_.issuer;
  policy.audiences = options_.audiences;
  policy.skew = options_.skew;
  auto claims = jose::check_claims(o, policy, now());
  if (!claims) co_return rejected(claims.error().message);
  expires_at = claims->expires_at.value_or(0);
  co_return accept(std::move(*claims));
}

AuthChallenge OAuthAuthenticator::challenge(AuthFailure failure) const {
  std::string header = "Bearer resource_metadata=\"" + options_.resource_metadata_url + "\"";
  if (failure == AuthFailure::kRejected) {
    return {"invalid access token: sign in again (OAuth 2.1; the authorization server is named in the "
            "protected resource metadata)",
            header + ", error=\"invalid_token\""};
  }
  return {"access token required: this server is an OAuth 2.1 protected resource (see its protected resource metadata)",
          header};
}

std::string OAuthAuthenticator::insufficient_scope_challenge(std::string_view scope) const {
  return "Bearer error=\"insufficient_scope\", scope=\"" + std::string(scope) + "\", resource_metadata=\"" +
         options_.resource_metadata_url + "\"";
}

AuthOutcome EitherAuthenticator::authenticate(const Request& request) const {
  auto by_key = keys_->authenticate(request);
  if (by_key.ok) return by_key;
  return oauth_->authenticate(request);
}

boost::asio::awaitable<AuthOutcome> EitherAuthenticator::authenticate_async(const Request& request) const {
  auto by_key = keys_->authenticate(request);
  if (by_key.ok) co_return by_key;
  co_return co_await oauth_->authenticate_async(request);
}

}  // namespace appsignals::net
