#include "aws/aws_client.h"

#include "common/log_context.h"

#include "aws/call_observer.h"

#include <sys/utsname.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>

#include "aws/http/url.h"
#include "common/logging.h"
#include "common/version.h"

namespace appsignals::aws {
namespace asio = boost::asio;

namespace {

std::string ua_clean(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!$%&'*+-.^_`|~,").find(c) != std::string_view::npos;
    out.push_back(ok ? c : '-');
  }
  return out;
}

double default_random01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") -> time point.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  std::tm tm{};
  std::string str(s);
  if (!strptime(str.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// amz-sdk-invocation-id: a UUID v4 naming one call in AWS's logs, not a secret, so a per-thread
// generator seeded once (random_hex's RAND_bytes took a locked DRBG call per id, ~3% of a call).
std::string uuid4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  const std::uint64_t lo = (rng() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  char out[37];
  std::snprintf(out, sizeof out, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff), static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return std::string(out, 36);
}

}  // namespace

std::string make_user_agent(const Env& env, std::string_view retry_mode) {
  std::string ua = std::string(kProductName) + "/" + kVersion + " ua/2.1 os/";
  struct utsname u{};
  if (uname(&u) == 0) {
    ua += "linux#" + ua_clean(u.release);
    ua += " md/arch#" + ua_clean(u.machine);
  } else {
    ua += "other";
  }
  ua += " lang/cpp#20 cfg/retry-mode#" + ua_clean(retry_mode);
  if (auto app = env.get_non_empty("AWS_SDK_UA_APP_ID")) ua += " app/" + ua_clean(app->substr(0, 50));
  if (auto run_from = env.get_non_empty("MCP_RUN_FROM")) ua += " md/MCP_RUN_FROM#" + ua_clean(*run_from);
  if (auto exec_env = env.get_non_empty("AWS_EXECUTION_ENV")) ua += " exec-env/" + ua_clean(*exec_env);
  return ua;
}

namespace {

// Reports the call when the coroutine frame ends, whichever co_return (or cancellation) ends it.
class CallReporter {
 public:
  CallReporter(std::string_view service, std::string_view operation) : start_(std::chrono::steady_clock::now()) {
    report_.service = service;
    report_.operation = operation;
  }
  // The observer is read now, not at the start: a frame destroyed after the observer was
  // cleared (io_context destroyed at exit) reports to nobody.
  ~CallReporter() {
    CallObserver* observer = call_observer();
    if (!observer) return;
    report_.latency = std::chrono::steady_clock::now() - start_;
    observer->on_call(report_);
  }
  CallReporter(const CallReporter&) = delete;
  CallReporter& operator=(const CallReporter&) = delete;
  CallReport& report() { return report_; }

 private:
  std::chrono::steady_clock::time_point start_;
  CallReport report_;
};

}  // namespace

AwsClient::AwsClient(std::shared_ptr<const ClientContext> ctx, const ServiceInfo& service, std::string region)
    : ctx_(std::move(ctx)), service_(&service), region_(std::move(region)) {}

asio::awaitable<Result<AwsResponse>> AwsClient::call(std::string operation, OperationRequest request,
                                                     CallOptions options) const {
  const ClientContext& ctx = *ctx_;
  CallReporter reporter(service_->endpoint_prefix, operation);
  auto endpoint = ctx.endpoints->resolve(*service_, region_);
  if (!endpoint.ok()) co_return std::move(endpoint).error();
  std::string base = options.url_override.empty() ? endpoint->url : options.url_override;
  std::string url = base + request.path;
  if (!request.query.empty()) url += "?" + encode_query(request.query);
  auto parts = parse_url(url);
  if (!parts.ok()) co_return std::move(parts).error();

  const std::string invocation_id = uuid4();
  const int max_attempts = std::max(1, ctx.retry.max_attempts);
  int last_retry_cost = 0;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int attempt = 1;; ++attempt) {
    HttpRequest http;
    http.method = request.method;
    http.connect_timeout = ctx.connect_timeout;
    http.total_timeout = ctx.total_timeout;
    http.fairness_key = ctx.fairness_key;
    sigv4::SignableRequest sreq;
    sreq.method = request.method;
    sreq.host = parts->host_header();
    sreq.path = parts->path;
    sreq.query = parts->query;
    sreq.headers = request.headers;
    sreq.body = request.body;
    if (!options.unsigned_request) {
      auto creds = co_await ctx.credentials->get();
      if (!creds.ok()) co_return std::move(creds).error();
      sigv4::SigningParams sp;
      sp.access_key_id = creds->access_key_id;
      sp.secret_access_key = creds->secret_access_key;
      sp.session_token = creds->session_token;
      sp.region = endpoint->signing_region;
      sp.service = endpoint->signing_name;
      sp.time = ctx.now() + std::chrono::milliseconds(ctx.clock_offset_ms->load());
      sp.normalize_path = !options.s3_signing;
      sp.double_encode = !options.s3_signing;
      sp.add_content_sha256 = options.s3_signing;
      ctx.signer->sign(sreq, sp);
    }
    http.url = url;
    http.headers = std::move(sreq.headers);
    http.headers.emplace_back("User-Agent", ctx.user_agent);
    http.headers.emplace_back("amz-sdk-invocation-id", invocation_id);
    http.headers.emplace_back("amz-sdk-request",
                              "attempt=" + std::to_string(attempt) + "; max=" + std::to_string(max_attempts));
    http.body = request.body;

    auto res = co_await ctx.http->send(std::move(http));
    reporter.report().attempts = attempt;
    RetryClass cls = RetryClass::kNone;
    std::optional<Error> failure;
    std::optional<AwsError> aws_error;
    if (!res.ok()) {
      cls = classify_transport_error(res.error());
      failure = res.error();
    } else if (res->status >= 200 && res->status < 300) {
      ctx.quota->on_success(last_retry_cost);
      AwsResponse out;
      // (No braced initializer lists or structured bindings in coroutines: GCC 12 miscompiles them.)
      if (auto v = res->header("x-amzn-RequestId")) out.request_id = std::string(*v);
      else if (auto v2 = res->header("x-amz-request-id")) out.request_id = std::string(*v2);
      out.http = std::move(res).value();
      out.attempts = attempt;
      reporter.report().outcome = attempt > 1 ? CallOutcome::kRetried : CallOutcome::kOk;
      co_return out;
    } else {
      aws_error = options.parse_error ? options.parse_error(*res) : parse_aws_error(service_->protocol, *res);
      if (is_clock_skew_error(*aws_error)) {
        if (auto date = res->header("Date")) {
          if (auto server_now = parse_http_date(*date)) {
            auto offset = std::chrono::duration_cast<std::chrono::milliseconds>(*server_now - ctx.now());
            ctx.clock_offset_ms->store(offset.count());
            cls = RetryClass::kTransient;
          }
        }
      } else if (is_throttling_code(aws_error->code) || aws_error->http_status == 429) {
        cls = RetryClass::kThrottling;
        ++reporter.report().throttled_attempts;
      } else if (is_transient_error(*aws_error)) {
        cls = RetryClass::kTransient;
      }
      failure = to_error(*aws_error);
      // The caller's principal (the fair-share key the tools set) is the line's context.
      LogFields fields;
      fields.principal = ctx.fairness_key;
      log_with(fields, spdlog::level::debug, "aws {} {} attempt {} failed: {} (request id {})",
               service_->endpoint_prefix, operation, attempt, aws_error->code, aws_error->request_id);
    }
    reporter.report().outcome = cls == RetryClass::kThrottling ? CallOutcome::kThrottled : CallOutcome::kError;
    if (cls == RetryClass::kNone || attempt >= max_attempts) co_return *failure;
    int cost = 0;
    if (!ctx.quota->acquire(cls, &cost)) co_return *failure;
    last_retry_cost = cost;
    double r = ctx.random01 ? ctx.random01() : default_random01();
    timer.expires_after(backoff_delay(ctx.retry, cls, attempt - 1, r));
    std::tuple<boost::system::error_code> waited = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (std::get<0>(waited)) co_return Error(ErrorCode::kCancelled, "AWS call cancelled during retry backoff");
  }
}

boost::json::storage_ptr response_arena(std::size_t body_bytes) {
  // The DOM of an AWS answer (short strings, small objects) takes about twice its text; the
  // resource rounds the first block up to a power of two (so 2-4x the body), allocated on first
  // use; later ones double.
  const std::size_t initial = std::max<std::size_t>(1024, 2 * body_bytes);
  return boost::json::make_shared_resource<boost::json::monotonic_resource>(initial);
}

asio::awaitable<Result<boost::json::value>> AwsClient::call_json(std::string operation, OperationRequest request,
                                                                 CallOptions options) const {
  std::optional<boost::json::storage_ptr> storage = options.json_storage;
  auto res = co_await call(operation, std::move(request), std::move(options));
  if (!res.ok()) co_return std::move(res).error();
  const std::string& body = res->http.body;
  // Only JSON protocols build their DOM here; XML answers are converted into the default resource.
  boost::json::storage_ptr sp;
  if (storage) {
    sp = std::move(*storage);
  } else if (is_json_protocol(service_->protocol)) {
    sp = response_arena(body.size());
  }
  co_return parse_response_body(service_->protocol, operation, body, std::move(sp));
}

}  // namespace appsignals::aws
