#pragma once
// Outbound proxy selection, read from the environment the way the AWS SDKs (botocore, which
// follows Python's urllib) read it. Pure data and functions: no I/O, thread-safe to share.
//
// Variables: `http_proxy` / `HTTP_PROXY` for http:// URLs, `https_proxy` / `HTTPS_PROXY` for
// https:// URLs, `no_proxy` / `NO_PROXY` for exceptions. The lowercase name wins when both are
// set (also when it is set to "", which then means "no proxy"), as in urllib and libcurl.
// ALL_PROXY is not read (no AWS SDK uses it). A proxy URL without a scheme is http://.
//
// NO_PROXY: "*" alone bypasses the proxy for every host; otherwise a comma-separated list
// (spaces ignored, case-insensitive) where each entry
//   - equal to the URL's host bypasses it ("127.0.0.1", "[::1]", "localhost"),
//   - with a port ("host:8080") bypasses only that host and port,
//   - is also a domain suffix: "example.com", ".example.com" and "*.example.com" all bypass
//     "example.com" and "api.example.com" (never "badexample.com").
// CIDR ranges are not supported (neither botocore nor libcurl 7.88 support them).
#include <string>
#include <string_view>

#include "aws/env.h"

namespace appsignals::aws {

struct ProxySettings {
  std::string http_proxy;   // for http:// URLs; empty: connect directly
  std::string https_proxy;  // for https:// URLs (tunnelled with CONNECT); empty: directly
  std::string no_proxy;     // the raw NO_PROXY list

  static ProxySettings from_env(const Env& env);

  bool empty() const { return http_proxy.empty() && https_proxy.empty(); }
  // The proxy URL to use for `url`; "" for a direct connection (no proxy for its scheme, the
  // host is listed in NO_PROXY, or the URL cannot be parsed).
  std::string proxy_for(std::string_view url) const;
  // True when NO_PROXY exempts `host` (as in a URL: IPv6 literals in brackets) on `port`
  // (digits, or "" when the URL has none).
  bool bypasses(std::string_view host, std::string_view port) const;
};

// `proxy` with any user information replaced by "***" (for logs and error messages).
std::string redact_proxy_url(std::string_view proxy);

}  // namespace appsignals::aws
