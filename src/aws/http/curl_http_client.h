#pragma once
// HttpClient over libcurl's multi interface, driven by an Asio executor.
//
// Mechanism: CURLMOPT_SOCKETFUNCTION maps each curl socket to a posix::stream_descriptor whose
// async_wait() calls curl_multi_socket_action(); CURLMOPT_TIMERFUNCTION maps curl's timeout to
// a steady_timer. Every touch of the multi handle runs on one strand, so the client is safe
// to use from any number of threads running the same io_context; an awaiting coroutine holds
// no thread. The multi handle keeps a connection cache, so connections are reused
// (keep-alive) across requests to the same host. At most Options::max_in_flight transfers run
// at once; the others wait in queues holding no curl state (a fan-out burst of thousands of
// requests costs memory only for what runs), and finished easy handles are reset and pooled.
// Fair share: requests carry an opaque HttpRequest::fairness_key (the principal); one key holds
// at most Options::max_in_flight_per_key of the running slots, and queued requests start in
// turns between keys (FIFO within a key), so one flooding caller cannot take every slot while
// others wait.
//
// Per request: the proxy Options::proxy picks for the URL (libcurl never reads the proxy
// variables itself: with no proxy chosen, CURLOPT_PROXY is "" so a stray http_proxy cannot
// reroute traffic), the system CA store or Options::ca_bundle instead of it, Accept-Encoding
// with every supported encoding (gzip, deflate), connect and total timeouts from HttpRequest,
// no "Expect: 100-continue", no signals; a response body larger than the request's cap
// (HttpRequest::max_response_bytes, else Options::max_response_bytes) aborts the transfer: a
// declared Content-Length over it at once, otherwise when the decoded body passes it.
//
// TLS trust failures (certificate not trusted, CA bundle unreadable) complete with
// kUnavailable and details "TlsError" (not retried: retrying cannot fix trust); the message
// names the endpoint and, when no bundle is set, says that AWS_CA_BUNDLE is the remedy. When a
// proxy was used, connection errors name it (user information redacted).
//
// Lifetime: the client may be destroyed while requests are in flight; they complete with
// kCancelled. Internal state is reference-counted, so pending handlers never dangle. The client
// may also outlive its io_context (e.g. the last owner is a coroutine frame the context's
// destructor destroys, or an object destroyed after it): the context's shutdown makes every
// client on it drop its Asio objects (strand, timers, descriptors), abandon its waiters (being
// destroyed with the context) and never post again; only curl state is freed later.
#include <cstddef>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "aws/http/http_client.h"
#include "aws/http/proxy.h"

namespace appsignals::aws {

class CurlHttpClient final : public HttpClient {
 public:
  // AWS answers are paged and small; 16 MiB leaves room for the largest (GetMetricData, logs).
  static constexpr std::size_t kDefaultMaxResponseBytes = 16 * 1024 * 1024;

  struct Options {
    long max_total_connections = 0;  // 0: unlimited (curl default)
    long max_host_connections = 0;   // 0: unlimited
    // Transfers running at once; more wait in a FIFO queue (their total timeout runs while
    // they wait). Bounds memory and sockets under fan-out bursts. 0: unlimited.
    std::size_t max_in_flight = 64;
    // Running transfers one HttpRequest::fairness_key may hold; 0: three quarters of
    // max_in_flight (at least 1). Queued transfers start in turns between keys (round robin).
    std::size_t max_in_flight_per_key = 0;
    bool verbose = false;            // curl debug output to stderr (never in production)
    ProxySettings proxy;             // default: every connection direct
    std::string ca_bundle;           // PEM file of trusted CAs replacing the system store; "": system
    // Default cap on a response body (after content decoding; HttpRequest::max_response_bytes
    // overrides it per request). 0: unlimited. A larger body aborts the transfer
    // (kFailedPrecondition, details "ResponseTooLarge"): a hostile or broken endpoint cannot
    // make the server buffer without bound.
    std::size_t max_response_bytes = kDefaultMaxResponseBytes;
  };

  explicit CurlHttpClient(boost::asio::any_io_executor executor);
  CurlHttpClient(boost::asio::any_io_executor executor, Options options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  boost::asio::awaitable<Result<HttpResponse>> send(HttpRequest request) override;

  // Number of transfers running (started and not yet completed; queued ones excluded).
  std::size_t in_flight() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace appsignals::aws
