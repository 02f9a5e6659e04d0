#include "fakeaws/handler.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "aws/sigv4/signer.h"
#include "fakeaws/listener.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/service_events_data.h"
#include "fakeaws/services/services.h"
#include "fakeaws/validation.h"
#include "fakeaws/wire.h"

namespace appsignals::fakeaws {
namespace json = boost::json;
namespace http = boost::beast::http;
namespace sigv4 = aws::sigv4;

namespace {

std::span<const OpEntry> operations_of(std::string_view signing_name) {
  if (signing_name == "application-signals") return application_signals_operations();
  if (signing_name == "monitoring") return cloudwatch_operations();
  if (signing_name == "logs") return logs_operations();
  if (signing_name == "xray") return xray_operations();
  if (signing_name == "synthetics") return synthetics_operations();
  if (signing_name == "s3") return s3_operations();
  if (signing_name == "iam") return iam_operations();
  if (signing_name == "sts") return sts_operations();
  if (signing_name == "lambda") return lambda_operations();
  if (signing_name == "rum") return rum_operations();
  return {};
}

OpHandler find_handler(std::string_view signing_name, std::string_view op) {
  for (const auto& e : operations_of(signing_name))
    if (e.operation == op) return e.handler;
  return nullptr;
}

bool is_form(const net::Request& r) {
  return r.header("Content-Type").starts_with("application/x-www-form-urlencoded");
}

std::string form_value(const net::Request& r, std::string_view key) {
  std::string_view text = r.message.method() == http::verb::post ? std::string_view(r.message.body()) : r.query();
  for (auto& [k, v] : parse_form(text))
    if (k == key) return v;
  return {};
}

net::Response plain_json(http::status status, json::object body) {
  return net::json_response(status, json::serialize(body));
}

}  // namespace

FakeAwsHandler::FakeAwsHandler(ModelSet models, HandlerOptions options)
    : models_(std::move(models)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
}

std::vector<RequestRecord> FakeAwsHandler::requests() const {
  std::lock_guard lock(log_mu_);
  return {log_.begin(), log_.end()};
}

void FakeAwsHandler::reset() {
  faults_.clear();
  clear_log();
  std::lock_guard lock(state_.mu);
  state_.queries.clear();
}

void FakeAwsHandler::clear_log() {
  std::lock_guard lock(log_mu_);
  log_.clear();
  arrivals_.clear();
}

void FakeAwsHandler::record(RequestRecord r) {
  {
    std::lock_guard lock(log_mu_);
    if (log_.size() >= 10000) log_.pop_front();
    log_.push_back(std::move(r));
  }
  log_changed_.notify_all();
}

void FakeAwsHandler::arrived(const std::string& operation) {
  {
    std::lock_guard lock(log_mu_);
    ++arrivals_[operation];
  }
  log_changed_.notify_all();
}

std::size_t FakeAwsHandler::arrivals(std::string_view operation) const {
  std::lock_guard lock(log_mu_);
  auto it = arrivals_.find(operation);
  return it == arrivals_.end() ? 0 : it->second;
}

bool FakeAwsHandler::wait_for_arrivals(std::string_view operation, std::size_t count,
                                       std::chrono::steady_clock::duration timeout) const {
  std::unique_lock lock(log_mu_);
  return log_changed_.wait_for(lock, timeout, [&] {
    auto it = arrivals_.find(operation);
    return it != arrivals_.end() && it->second >= count;
  });
}

bool FakeAwsHandler::wait_for_logged(std::string_view operation, std::size_t count,
                                     std::chrono::steady_clock::duration timeout) const {
  std::unique_lock lock(log_mu_);
  return log_changed_.wait_for(lock, timeout, [&] {
    std::size_t n = 0;
    for (const auto& r : log_)
      if (r.operation == operation) ++n;
    return n >= count;
  });
}

std::string FakeAwsHandler::next_request_id() {
  std::uint64_t n;
  {
    std::lock_guard lock(state_.mu);
    n = state_.next_id++;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "fa4e0000-0000-4000-8000-%012llx", static_cast<unsigned long long>(n));
  return buf;
}

std::optional<std::string> FakeAwsHandler::secret_for(std::string_view akid) const {
  if (akid == options_.access_key_id) return options_.secret_access_key;
  std::lock_guard lock(state_.mu);
  if (auto it = state_.issued_credentials.find(std::string(akid)); it != state_.issued_credentials.end())
    return it->second.first;
  return std::nullopt;
}

std::string FakeAwsHandler::identify_service(const net::Request& r) const {
  if (auto auth = r.header("Authorization"); !auth.empty()) {
    if (auto parsed = sigv4::parse_authorization(auth)) return parsed->service;
  }
  if (auto target = r.header("X-Amz-Target"); !target.empty()) {
    auto prefix = target.substr(0, target.find('.'));
    for (const auto& m : models_.all())
      if (m->target_prefix == prefix) return m->signing_name;
  }
  if (is_form(r)) {
    auto version = form_value(r, "Version");
    for (const auto& m : models_.all())
      if (m->protocol == Protocol::kQuery && m->api_version == version) return m->signing_name;
    if (version == "2010-08-01") return "monitoring";
  }
  if (r.path().starts_with("/2015-03-31/functions")) return "lambda";
  auto host = r.header("Host");
  auto label = host.substr(0, host.find('.'));
  for (const auto& m : models_.all())
    if (m->endpoint_prefix == label) return m->signing_name;
  return {};
}

net::Response FakeAwsHandler::control(const net::Request& r) {
  auto path = r.path();
  auto method = r.message.method();
  if (path == "/__fault" || path == "/__faults") {
    if (method == http::verb::post) {
      boost::system::error_code ec;
      auto v = json::parse(r.message.body(), ec);
      if (ec || (!v.is_object() && !v.is_array()))
        return net::error_response(http::status::bad_request, "body must be a JSON object or array");
      json::array items = v.is_array() ? v.as_array() : json::array{v};
      for (const auto& item : items) {
        std::string err;
        auto spec = item.is_object() ? fault_from_json(item.as_object(), &err) : std::nullopt;
        if (!spec) return net::error_response(http::status::bad_request, err.empty() ? "fault must be an object" : err);
        faults_.add(*spec);
      }
      return plain_json(http::status::ok, {{"armed", items.size()}});
    }
    if (method == http::verb::delete_) {
      faults_.clear();
      return plain_json(http::status::ok, {{"cleared", true}});
    }
    json::array list;
    for (const auto& f : faults_.list()) list.push_back(fault_to_json(f));
    return plain_json(http::status::ok, {{"faults", std::move(list)}});
  }
  if (path == "/__requests") {
    if (method == http::verb::delete_) {
      clear_log();
      return plain_json(http::status::ok, {{"cleared", true}});
    }
    json::array list;
    for (const auto& rec : requests())
      list.push_back(json::object{{"service", rec.service}, {"operation", rec.operation}, {"status", rec.status},
                                  {"fault", rec.fault}, {"input", rec.input}});
    return plain_json(http::status::ok, {{"requests", std::move(list)}});
  }
  if (path == "/__reset" && method == http::verb::post) {
    reset();
    return plain_json(http::status::ok, {{"reset", true}});
  }
  if (path == "/__health") return plain_json(http::status::ok, {{"status", "ok"}});
  return net::error_response(http::status::not_found, "unknown control endpoint");
}

boost::asio::awaitable<net::Reply> FakeAwsHandler::handle(net::Request request) {
  if (request.path().starts_with("/__")) co_return control(request);

  const auto now = options_.clock();
  const std::string request_id = next_request_id();
  RequestRecord rec;
  rec.service = identify_service(request);
  const ServiceModel* model = models_.find(rec.service);
  if (model == nullptr) {
    rec.status = 400;
    record(rec);
    json::object body{{"__type", "UnrecognizedClientException"},
                      {"message", rec.service.empty() ? "Cannot tell which AWS service this request is for."
                                                      : "The fake AWS does not serve " + rec.service + "."}};
    auto res = net::json_response(http::status::bad_request, json::serialize(body));
    res.set("x-amzn-RequestId", request_id);
    co_return res;
  }
  const auto& traits = traits_for(model->signing_name);
  Protocol protocol = model->protocol;
  if (model->accepts_query && is_form(request)) protocol = Protocol::kQuery;
  auto fail = [&](const ApiError& err) {
    rec.status = err.status;
    record(rec);
    return render_error(*model, protocol, err, request_id);
  };

  // ---- operation ----
  std::map<std::string, std::string> labels;
  // CloudWatch's Prometheus-compatible query API: GET /api/v1/..., outside the CloudWatch model.
  const bool promql = model->signing_name == "monitoring" && request.path().starts_with("/api/v1/");
  if (promql) {
    rec.operation = promql_operation(request.path());
  } else if (protocol == Protocol::kJson) {
    auto target = request.header("X-Amz-Target");
    auto dot = target.find('.');
    if (dot != std::string_view::npos && target.substr(0, dot) == model->target_prefix)
      rec.operation = std::string(target.substr(dot + 1));
  } else if (protocol == Protocol::kQuery) {
    rec.operation = form_value(request, "Action");
  } else {
    std::string method(request.message.method_string());
    if (auto m = model->match_rest(method, request.path(), request.query())) {
      rec.operation = m->operation;
      labels = std::move(m->labels);
    }
  }

  // ---- SigV4 ----
  if (options_.verify_signatures) {
    if (request.header("Authorization").empty()) co_return fail(make_error(traits.missing_auth,
        protocol == Protocol::kRestXml ? "Access Denied" : "Missing Authentication Token"));
    sigv4::Headers headers;
    for (const auto& f : request.message)
      headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    sigv4::IncomingRequest in;
    std::string method(request.message.method_string());
    in.method = method;
    in.path = request.path();
    in.query = request.query();
    in.headers = &headers;
    in.body = request.message.body();
    sigv4::VerifyOptions vo;
    // Signatures are checked against the wall clock; options_.clock only moves the sample data.
    vo.now = std::chrono::system_clock::now();
    vo.normalize_path = model->signing_name != "s3";
    vo.double_encode = model->signing_name != "s3";
    auto verified = sigv4::verify(in, [this](std::string_view k) { return secret_for(k); }, vo);
    if (!verified) {
      const auto& d = verified.error().details;
      if (d == "InvalidClientTokenId")
        co_return fail(make_error(traits.unknown_key, protocol == Protocol::kRestXml
            ? "The AWS Access Key Id you provided does not exist in our records."
            : "The security token included in the request is invalid."));
      if (d == "RequestExpired")
        co_return fail(make_error(traits.expired_request, "Signature expired: the request time is more than 15 minutes "
                                                          "away from the server time."));
      if (d == "SignatureDoesNotMatch")
        co_return fail(make_error(traits.bad_signature,
            "The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method."));
      co_return fail(make_error(traits.missing_auth, verified.error().message));
    }
    if (verified->auth.access_key_id != options_.access_key_id) {
      // Temporary credentials must come with their session token.
      std::string token(request.header("X-Amz-Security-Token"));
      std::lock_guard lock(state_.mu);
      auto it = state_.issued_credentials.find(verified->auth.access_key_id);
      if (it == state_.issued_credentials.end() || it->second.second != token) {
        rec.status = traits.unknown_key.status;
        record(rec);
        co_return render_error(*model, protocol, make_error(traits.unknown_key,
            "The security token included in the request is invalid."), request_id);
      }
    }
  }

  OpHandler op_handler = rec.operation.empty() ? nullptr : find_handler(model->signing_name, rec.operation);
  if (promql ? rec.operation.empty() : (op_handler == nullptr || model->operation(rec.operation) == nullptr)) {
    std::string what = rec.operation.empty() ? std::string(request.message.method_string()) + " " + std::string(request.path())
                                             : rec.operation;
    co_return fail(make_error(traits.unknown_operation, "Unknown operation " + what));
  }

  // ---- faults ----
  arrived(rec.operation);
  std::string socket_action;
  if (auto fault = faults_.take(model->signing_name, rec.operation)) {
    rec.fault = std::string(fault_kind_name(fault->kind));
    switch (fault->kind) {
      case FaultKind::kThrottle:
        co_return fail(make_error(traits.throttling, "Rate exceeded"));
      case FaultKind::kInternal:
        co_return fail(make_error(traits.internal, "An internal error occurred (injected)."));
      case FaultKind::kUnavailable:
        co_return fail(make_error(traits.unavailable, "The service is unavailable (injected)."));
      case FaultKind::kExpiredToken:
        co_return fail(make_error(traits.expired_token, "The security token included in the request is expired"));
      case FaultKind::kAccessDenied: {
        ErrorKind denied = protocol == Protocol::kQuery || protocol == Protocol::kRestXml
                               ? ErrorKind{"AccessDenied", 403}
                               : ErrorKind{"AccessDeniedException", model->signing_name == "logs" ? 400 : 403,
                                           "AccessDenied"};
        std::string action = model->signing_name == "monitoring" ? "cloudwatch" : model->signing_name;
        co_return fail(make_error(denied, "User: arn:aws:iam::" + sample_account().account_id +
                                              ":user/demo is not authorized to perform: " + action + ":" +
                                              rec.operation + " because no identity-based policy allows the " +
                                              action + ":" + rec.operation + " action"));
      }
      case FaultKind::kMalformed: {
        rec.status = 200;
        record(rec);
        net::Response res{http::status::ok, 11};
        res.set("x-amzn-RequestId", request_id);
        res.set(http::field::content_type, protocol == Protocol::kQuery || protocol == Protocol::kRestXml
                                               ? "text/xml" : "application/json");
        res.body() = malformed_body(protocol);
        co_return res;
      }
      case FaultKind::kLatency: {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
        timer.expires_after(std::chrono::milliseconds(fault->latency_ms));
        co_await timer.async_wait(boost::asio::use_awaitable);
        break;
      }
      case FaultKind::kReset: socket_action = "reset"; break;
      case FaultKind::kTruncate: socket_action = "truncate"; break;
    }
  }

  if (promql) {
    Call pcall{*model, rec.operation, rec.input, now, options_.seed, sample_account(), state_, request, options_.region};
    int status = 200;
    auto res = promql_reply(rec.operation, request, pcall.anchor(), sample_account(), rec.input, status);
    rec.status = status;
    record(rec);
    res.set("x-amzn-RequestId", request_id);
    if (!socket_action.empty()) res.set(kSocketActionHeader, socket_action);
    co_return res;
  }

  // ---- input and validation ----
  auto input = extract_input(*model, protocol, rec.operation, request, labels);
  if (auto* err = std::get_if<ApiError>(&input)) co_return fail(*err);
  rec.input = std::get<json::object>(input);
  if (options_.validate_requests) {
    if (auto bad = validate(*model, model->input_shape(rec.operation), rec.input))
      co_return fail(make_error(bad->missing ? traits.missing_member : traits.validation, bad->message));
  }

  Call call{*model, rec.operation, rec.input, now, options_.seed, sample_account(), state_, request, options_.region};
  OpResult result = op_handler(call);
  if (auto* err = std::get_if<ApiError>(&result)) rec.status = err->status;
  else if (auto* raw = std::get_if<RawReply>(&result)) rec.status = raw->status;
  else rec.status = 200;
  record(rec);
  auto res = render_result(*model, protocol, rec.operation, std::move(result), request_id);
  if (!socket_action.empty()) res.set(kSocketActionHeader, socket_action);
  co_return res;
}

}  // namespace appsignals::fakeaws
