#include "aws/http/url.h"

#include <cctype>

#include "aws/http/http_client.h"

namespace appsignals::aws {

std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n.size() != name.size()) continue;
    bool eq = true;
    for (std::size_t i = 0; i < n.size() && eq; ++i)
      eq = std::tolower(static_cast<unsigned char>(n[i])) ==
           std::tolower(static_cast<unsigned char>(name[i]));
    if (eq) return std::string_view(v);
  }
  return std::nullopt;
}

std::string UrlParts::host_header() const {
  bool default_port = port.empty() || (scheme == "https" && port == "443") ||
                      (scheme == "http" && port == "80");
  return default_port ? host : host + ":" + port;
}

std::string UrlParts::origin() const {
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

Result<UrlParts> parse_url(std::string_view url) {
  UrlParts u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0)
    return Error(ErrorCode::kInvalidArgument, "URL must be absolute (scheme://host)");
  u.scheme = std::string(url.substr(0, sep));
  for (char& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme != "http" && u.scheme != "https")
    return Error(ErrorCode::kInvalidArgument, "URL scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos)
    return Error(ErrorCode::kInvalidArgument, "URL must not carry user information");
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return Error(ErrorCode::kInvalidArgument, "bad IPv6 host");
    u.host = std::string(authority.substr(0, close + 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Error(ErrorCode::kInvalidArgument, "bad URL port");
      u.port = std::string(authority.substr(close + 2));
    }
  } else {
    auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) u.port = std::string(authority.substr(colon + 1));
  }
  if (u.host.empty()) return Error(ErrorCode::kInvalidArgument, "URL has no host");
  for (char c : u.port)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return Error(ErrorCode::kInvalidArgument, "bad URL port");
  std::string_view tail = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  auto q = tail.find('?');
  u.path = std::string(tail.substr(0, q));
  if (u.path.empty()) u.path.assign(1, '/');
  if (q != std::string_view::npos) u.query = std::string(tail.substr(q + 1));
  auto frag = u.query.find('#');
  if (frag != std::string::npos) u.query.resize(frag);
  return u;
}

}  // namespace appsignals::aws
