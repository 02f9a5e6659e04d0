#include "aws/http/proxy.h"

#include <cctype>

#include "aws/http/url.h"
#include "common/text.h"

namespace appsignals::aws {
namespace {

std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

// The lowercase name wins when set at all (urllib's second pass, libcurl).
std::string read_var(const Env& env, std::string_view lower_name, std::string_view upper_name) {
  if (auto v = env.get(lower_name)) return std::string(trim_space(*v));
  return std::string(trim_space(env.get(upper_name).value_or("")));
}

struct Entry {
  std::string host;  // lowercase, no brackets, no leading "*." or "."
  std::string port;  // "" when the entry has none
};

Entry parse_entry(std::string_view e) {
  Entry out;
  if (!e.empty() && e.front() == '[') {
    auto close = e.find(']');
    if (close == std::string_view::npos) {
      out.host = ascii_lower(e);
      return out;
    }
    out.host = ascii_lower(e.substr(1, close - 1));
    if (close + 1 < e.size() && e[close + 1] == ':') out.port = std::string(e.substr(close + 2));
    return out;
  }
  auto colon = e.find(':');
  if (colon != std::string_view::npos && e.find(':', colon + 1) == std::string_view::npos) {
    out.port = std::string(e.substr(colon + 1));
    e = e.substr(0, colon);
  }
  if (e.starts_with("*.")) e.remove_prefix(1);
  while (!e.empty() && e.front() == '.') e.remove_prefix(1);
  out.host = ascii_lower(e);
  return out;
}

}  // namespace

ProxySettings ProxySettings::from_env(const Env& env) {
  ProxySettings p;
  p.http_proxy = read_var(env, "http_proxy", "HTTP_PROXY");
  p.https_proxy = read_var(env, "https_proxy", "HTTPS_PROXY");
  p.no_proxy = read_var(env, "no_proxy", "NO_PROXY");
  return p;
}

bool ProxySettings::bypasses(std::string_view host, std::string_view port) const {
  std::string_view list = trim_space(no_proxy);
  if (list.empty()) return false;
  if (list == "*") return true;
  std::string h = ascii_lower(strip_brackets(host));
  while (!h.empty() && h.back() == '.') h.pop_back();  // "example.com." is "example.com"
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = trim_space(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    Entry e = parse_entry(item);
    if (e.host.empty()) continue;
    if (!e.port.empty() && e.port != port) continue;
    if (h == e.host) return true;
    if (h.size() > e.host.size() && h.ends_with(e.host) && h[h.size() - e.host.size() - 1] == '.') return true;
  }
  return false;
}

std::string ProxySettings::proxy_for(std::string_view url) const {
  if (empty()) return {};
  auto parts = parse_url(url);
  if (!parts.ok()) return {};
  const std::string& proxy = parts->scheme == "https" ? https_proxy : http_proxy;
  if (proxy.empty()) return {};
  std::string port = parts->port;
  if (port.empty()) port = parts->scheme == "https" ? "443" : "80";
  if (bypasses(parts->host, port)) return {};
  if (proxy.find("://") == std::string::npos) return "http://" + proxy;
  return proxy;
}

std::string redact_proxy_url(std::string_view proxy) {
  auto scheme_end = proxy.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  // The last '@' ends the user information: passwords are often written with raw '@' or '/'
  // in them, and a proxy URL has no path that could hold an '@' of its own.
  auto at = proxy.rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(proxy);
  return std::string(proxy.substr(0, start)) + "***@" + std::string(proxy.substr(at + 1));
}

}  // namespace appsignals::aws
