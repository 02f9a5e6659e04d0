#include "aws/services/promql_client.h"

#include <cstdio>

#include <boost/json/parse.hpp>

#include "aws/service.h"

namespace appsignals::aws {
namespace json = boost::json;
namespace asio = boost::asio;

std::string promql_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string promql_selector(std::string_view metric, const LabelMatchers& equal_matchers) {
  std::string out = "{" + promql_string(metric);
  for (const auto& m : equal_matchers) out += "," + promql_string(m.first) + "=" + promql_string(m.second);
  return out + "}";
}

std::optional<ErrorCode> prometheus_error_code(std::string_view t) {
  if (t == "bad_data" || t == "execution") return ErrorCode::kInvalidArgument;
  if (t == "timeout") return ErrorCode::kDeadlineExceeded;
  if (t == "canceled") return ErrorCode::kCancelled;
  if (t == "not_found") return ErrorCode::kNotFound;
  if (t == "unavailable") return ErrorCode::kUnavailable;
  if (t == "too_many_requests") return ErrorCode::kResourceExhausted;
  if (t == "internal") return ErrorCode::kInternal;
  return std::nullopt;
}

AwsError parse_prometheus_error(const HttpResponse& response) {
  boost::system::error_code ec;
  json::value v = json::parse(response.body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    const auto* status = o.if_contains("status");
    const auto* type = o.if_contains("errorType");
    if (status && status->is_string() && status->as_string() == "error" && type && type->is_string()) {
      AwsError e;
      e.http_status = response.status;
      e.code = std::string(type->as_string());
      if (const auto* msg = o.if_contains("error"); msg && msg->is_string()) e.message = std::string(msg->as_string());
      if (auto id = response.header("x-amzn-RequestId")) e.request_id = std::string(*id);
      return e;
    }
  }
  return parse_aws_error(Protocol::kRestJson1, response);
}

PromqlClient::PromqlClient(std::shared_ptr<const ClientContext> ctx, std::string region)
    : client_(std::move(ctx), services::kCloudWatch, std::move(region)) {}

OperationRequest PromqlClient::request(std::string_view path, QueryParams params) {
  OperationRequest r;
  r.method = "GET";
  r.path = std::string(path);
  r.query = std::move(params);
  return r;
}

namespace {

void add_times(QueryParams& q, std::int64_t start, std::int64_t end) {
  if (start > 0) q.emplace_back("start", std::to_string(start));
  if (end > 0) q.emplace_back("end", std::to_string(end));
}

// A Prometheus error (errorType in Error::details) re-coded by its type.
Error recode(Error e) {
  if (auto code = prometheus_error_code(e.details)) e.code = *code;
  return e;
}

}  // namespace

asio::awaitable<Result<json::value>> PromqlClient::get(const Op& op, std::string path, QueryParams params) const {
  OperationRequest req = request(path, std::move(params));
  CallOptions options;
  options.parse_error = &parse_prometheus_error;
  std::string name(op.name);
  auto res = co_await client_.call(name, std::move(req), options);
  if (!res.ok()) co_return recode(std::move(res).error());
  boost::system::error_code ec;
  json::value body = json::parse(res->http.body, ec);
  if (ec || !body.is_object())
    co_return Error(ErrorCode::kInternal, std::string(op.name) + ": the reply is not a Prometheus JSON document");
  auto& o = body.as_object();
  const auto* status = o.if_contains("status");
  if (!status || !status->is_string() || status->as_string() != "success") {
    AwsError e;
    e.http_status = res->http.status;
    if (const auto* t = o.if_contains("errorType"); t && t->is_string()) e.code = std::string(t->as_string());
    if (const auto* m = o.if_contains("error"); m && m->is_string()) e.message = std::string(m->as_string());
    if (e.code.empty()) e.code = "internal";
    co_return recode(to_error(e));
  }
  json::value data;
  if (auto* d = o.if_contains("data")) data = std::move(*d);
  co_return data;
}

asio::awaitable<Result<json::value>> PromqlClient::query(std::string expr, std::int64_t time) const {
  QueryParams q;
  q.emplace_back("query", std::move(expr));
  if (time > 0) q.emplace_back("time", std::to_string(time));
  std::string path = "/api/v1/query";
  co_return co_await get(ops::kQueryMetrics, std::move(path), std::move(q));
}

asio::awaitable<Result<json::value>> PromqlClient::query_range(std::string expr, std::int64_t start,
                                                               std::int64_t end, std::int64_t step) const {
  QueryParams q;
  q.emplace_back("query", std::move(expr));
  add_times(q, start, end);
  q.emplace_back("step", std::to_string(step > 0 ? step : 60));
  std::string path = "/api/v1/query_range";
  co_return co_await get(ops::kQueryMetrics, std::move(path), std::move(q));
}

asio::awaitable<Result<json::value>> PromqlClient::series(std::vector<std::string> match, std::int64_t start,
                                                          std::int64_t end) const {
  QueryParams q;
  for (auto& m : match) q.emplace_back("match[]", std::move(m));
  add_times(q, start, end);
  std::string path = "/api/v1/series";
  co_return co_await get(ops::kGetSeries, std::move(path), std::move(q));
}

asio::awaitable<Result<json::value>> PromqlClient::labels(std::vector<std::string> match, std::int64_t start,
                                                          std::int64_t end) const {
  QueryParams q;
  for (auto& m : match) q.emplace_back("match[]", std::move(m));
  add_times(q, start, end);
  std::string path = "/api/v1/labels";
  co_return co_await get(ops::kGetLabels, std::move(path), std::move(q));
}

asio::awaitable<Result<json::value>> PromqlClient::label_values(std::string label, std::vector<std::string> match,
                                                                std::int64_t start, std::int64_t end) const {
  QueryParams q;
  for (auto& m : match) q.emplace_back("match[]", std::move(m));
  add_times(q, start, end);
  std::string path = "/api/v1/label/" + encode_label(label) + "/values";
  co_return co_await get(ops::kGetLabels, std::move(path), std::move(q));
}

}  // namespace appsignals::aws
