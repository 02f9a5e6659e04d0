#include "app/oauth_config.h"

#include <charconv>

#include "net/authenticator.h"
#include "net/origin_policy.h"

namespace appsignals::app {
namespace {

using EnvMap = std::map<std::string, std::string>;

std::optional<std::string> get(const EnvMap& env, const std::string& key) {
  auto it = env.find(key);
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<std::chrono::seconds> seconds(const std::string& text, const std::string& what, long min, long max) {
  long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max)
    return Error{ErrorCode::kInvalidArgument, what + " must be a whole number of seconds from " + std::to_string(min) +
                                                  " to " + std::to_string(max) + " (got '" + text + "')"};
  return std::chrono::seconds(v);
}

bool is_scope_token(const std::string& s) {
  // RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E.
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) return false;
  return true;
}

}  // namespace

std::string url_origin(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  auto path = url.find('/', scheme_end + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

std::string url_path(const std::string& url) {
  auto origin = url_origin(url);
  return url.substr(origin.size());
}

std::string protected_resource_metadata_url(const std::string& resource) {
  std::string path = url_path(resource);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return url_origin(resource) + "/.well-known/oauth-protected-resource" + path;
}

Result<void> check_oauth_url(const std::string& url, const std::string& what) {
  auto bad = [&](const std::string& why) {
    return Error{ErrorCode::kInvalidArgument, what + " " + why + " (got '" + url + "')"};
  };
  if (url.find_first_of(" \"\r\n\t#?") != std::string::npos) return bad("must be a URL without spaces, quotes, query or fragment");
  std::string host;
  if (url.rfind("https://", 0) == 0) {
    host = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    host = url.substr(7);
  } else {
    return bad("must be an https:// URL");
  }
  host = host.substr(0, host.find('/'));
  if (host.empty()) return bad("has no host");
  if (url.rfind("http://", 0) == 0) {
    std::string name = host;
    if (!name.empty() && name.front() == '[') name = name.substr(1, name.find(']') - 1);
    else name = name.substr(0, name.find(':'));
    if (!net::is_loopback_host(name)) return bad("must use https (http only on loopback)");
  }
  return {};
}

Result<OAuthConfig> oauth_config_from_env(const EnvMap& env) {
  OAuthConfig c;
  if (auto v = get(env, "MCP_OAUTH_ISSUER")) {
    c.issuer = *v;
    if (auto ok = check_oauth_url(c.issuer, "MCP_OAUTH_ISSUER"); !ok) return ok.error();
  }
  if (auto v = get(env, "MCP_OAUTH_RESOURCE")) {
    c.resource = *v;
    if (auto ok = check_oauth_url(c.resource, "MCP_OAUTH_RESOURCE"); !ok) return ok.error();
  }
  if (auto v = get(env, "MCP_OAUTH_AUDIENCES")) c.audiences = net::split_list(*v);
  if (auto v = get(env, "MCP_OAUTH_REQUIRED_SCOPES")) {
    c.required_scopes = net::split_list(*v);
    for (const auto& s : c.required_scopes)
      if (!is_scope_token(s))
        return Error{ErrorCode::kInvalidArgument, "MCP_OAUTH_REQUIRED_SCOPES holds an invalid scope '" + s + "'"};
  }
  for (auto [name, field] : {std::pair{"MCP_OAUTH_READ_SCOPE", &c.read_scope}, std::pair{"MCP_OAUTH_WRITE_SCOPE", &c.write_scope}}) {
    if (auto v = get(env, name)) {
      if (!is_scope_token(*v))
        return Error{ErrorCode::kInvalidArgument, std::string(name) + " must be one scope token (got '" + *v + "')"};
      *field = *v;
    }
  }
  if (auto v = get(env, "MCP_OAUTH_JWKS_CACHE_SECONDS")) {
    auto s = seconds(*v, "MCP_OAUTH_JWKS_CACHE_SECONDS", 60, 86400);
    if (!s) return s.error();
    c.jwks_lifetime = *s;
  }
  if (auto v = get(env, "MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS")) {
    auto s = seconds(*v, "MCP_OAUTH_JWKS_MIN_REFRESH_SECONDS", 0, 3600);
    if (!s) return s.error();
    c.jwks_min_refresh = *s;
  }
  if (auto v = get(env, "MCP_OAUTH_INTROSPECTION_URL")) {
    c.introspection_url = *v;
    if (auto ok = check_oauth_url(c.introspection_url, "MCP_OAUTH_INTROSPECTION_URL"); !ok) return ok.error();
  }
  if (auto v = get(env, "MCP_OAUTH_CLIENT_ID")) c.client_id = *v;
  if (auto v = get(env, "MCP_OAUTH_CLIENT_SECRET")) c.client_secret = *v;
  if (auto v = get(env, "MCP_OAUTH_CA_BUNDLE")) c.ca_bundle = *v;
  const bool any = !c.resource.empty() || !c.audiences.empty() || !c.required_scopes.empty() ||
                   !c.introspection_url.empty();
  if (!c.enabled() && any)
    return Error{ErrorCode::kInvalidArgument, "MCP_OAUTH_* settings need MCP_OAUTH_ISSUER (the authorization server)"};
  if (!c.introspection_url.empty() && (c.client_id.empty() || c.client_secret.empty()))
    return Error{ErrorCode::kInvalidArgument,
                 "MCP_OAUTH_INTROSPECTION_URL needs MCP_OAUTH_CLIENT_ID and MCP_OAUTH_CLIENT_SECRET"};
  return c;
}

}  // namespace appsignals::app
