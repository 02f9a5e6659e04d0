#pragma once
// The outbound HTTP seam of the aws layer. CurlHttpClient is the production implementation;
// tests inject fakes.
//
// Contract: send() runs on the caller's executor, never blocks the calling thread, and
// completes with either a response (any status, including 4xx/5xx) or a transport error:
//   kUnavailable       connection refused/reset, DNS failure, TLS handshake failure, empty
//                      reply, proxy failure (details "ConnectionError", retried); an untrusted
//                      certificate or unusable CA bundle (details "TlsError", not retried)
//   kDeadlineExceeded  connect or total timeout expired (details "Timeout")
//   kCancelled         the awaiting coroutine's cancellation slot fired
//   kInvalidArgument   malformed request (bad URL)
//   kFailedPrecondition the response body exceeds the request's (or client's) size cap
//                      (details "ResponseTooLarge", not retried; the transfer is aborted)
// Cancellation: emitting on the awaiting coroutine's cancellation slot aborts the transfer.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"

namespace appsignals::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; the first match.
std::optional<std::string_view> find_header(const HeaderList& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path[?query], path already percent-encoded
  HeaderList headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds total_timeout{30000};
  // Opaque fair-share key (the caller's principal, for instance; "" is a key like any other):
  // a client with a limit on running requests shares it between keys (see CurlHttpClient).
  std::string fairness_key;
  // The largest response body (after content decoding) this request accepts; 0: the client's
  // default (CurlHttpClient::Options::max_response_bytes). Beyond it the transfer is aborted.
  std::size_t max_response_bytes = 0;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request) = 0;
};

}  // namespace appsignals::aws
