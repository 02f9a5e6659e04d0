#pragma once
// Minimal absolute-URL splitting for the URLs this layer builds (http/https, optional port,
// IPv6 literals in brackets). Not a general URL parser.
#include <string>
#include <string_view>

#include "common/result.h"

namespace appsignals::aws {

struct UrlParts {
  std::string scheme;  // "https"
  std::string host;    // "logs.us-east-1.amazonaws.com" or "[::1]"
  std::string port;    // empty when not given
  std::string path;    // "/" at least; as written (percent-encoded)
  std::string query;   // without '?'
  // Host header value: host, plus ":port" when a port is given and is not the default one.
  std::string host_header() const;
  // scheme://host[:port]
  std::string origin() const;
};

Result<UrlParts> parse_url(std::string_view url);

}  // namespace appsignals::aws
