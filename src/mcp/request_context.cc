#include "mcp/request_context.h"

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include "mcp/jsonrpc.h"
#include "mcp/modern.h"
#include "mcp/outbound.h"
#include "mcp/session.h"

namespace appsignals::mcp {

namespace {
constexpr std::string_view kLevelNames[] = {"debug", "info", "notice", "warning",
                                            "error", "critical", "alert", "emergency"};

// Whole numbers go out as integers ("50", not "5E1").
json::value json_number(double v) {
  if (v > -9e15 && v < 9e15 && v == static_cast<double>(static_cast<std::int64_t>(v)))
    return static_cast<std::int64_t>(v);
  return v;
}
}  // namespace

std::optional<LogLevel> parse_mcp_log_level(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kLevelNames); ++i)
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) { return kLevelNames[static_cast<std::size_t>(level)]; }

RequestContext::RequestContext(std::shared_ptr<Session> session, std::shared_ptr<Outbound> related,
                               json::value request_id, json::value progress_token,
                               boost::asio::any_io_executor executor)
    : session_(std::move(session)), related_(std::move(related)), request_id_(std::move(request_id)),
      progress_token_(std::move(progress_token)), executor_(std::move(executor)) {}

std::string RequestContext::protocol_version() const {
  return modern_ ? modern_->version : session_->protocol_version();
}

bool RequestContext::client_supports(std::string_view capability) const {
  if (modern_) return modern_->client_capabilities.contains(capability);
  return session_->client_supports(capability);
}

const json::value& RequestContext::state() const {
  static const json::value kNone = nullptr;
  return modern_ ? modern_->state : kNone;
}

bool RequestContext::require_capability(std::string_view capability) {
  if (client_supports(capability)) return true;
  if (modern_) {
    json::object required;
    required[capability] = json::object{};
    json::object data;
    data["requiredCapabilities"] = std::move(required);
    fail(-32021, "Missing required client capability: " + std::string(capability), std::move(data));
  }
  return false;
}

void RequestContext::fail(int code, std::string message, json::value data) {
  failure_ = Failure{code, std::move(message), std::move(data)};
}

boost::asio::awaitable<Result<std::optional<json::value>>> RequestContext::ask(std::string key, std::string method,
                                                                              json::object params) {
  const std::string_view capability = modern::capability_for(method);
  if (!capability.empty() && !client_supports(capability))
    co_return Error{ErrorCode::kFailedPrecondition, "the client did not declare the " + std::string(capability) + " capability"};
  if (modern_) {
    if (auto it = modern_->input_responses.find(key); it != modern_->input_responses.end() && it->value().is_object())
      co_return std::optional<json::value>(it->value());
    json::object request;
    request["method"] = method;
    request["params"] = std::move(params);
    input_requests_[key] = std::move(request);
    co_return std::optional<json::value>();
  }
  auto answer = co_await request_client(std::move(method), std::move(params));
  if (!answer) co_return answer.error();
  co_return std::optional<json::value>(std::move(*answer));
}

bool RequestContext::send(std::string message) {
  if (related_ && related_->send(message)) return true;
  if (auto standalone = session_->standalone(); standalone && standalone != related_)
    return standalone->send(std::move(message));
  return false;
}

void RequestContext::progress(double progress, std::optional<double> total, std::string_view message) {
  if (progress_token_.is_null()) return;
  json::object p;
  p["progressToken"] = progress_token_;
  p["progress"] = json_number(progress);
  if (total) p["total"] = json_number(*total);
  if (!message.empty()) p["message"] = message;
  send(jsonrpc::make_notification("notifications/progress", std::move(p)));
}

void RequestContext::log(LogLevel level, json::value data, std::string_view logger) {
  if (modern_) {
    // Modern era: only a request that asked for a level in its _meta gets log messages.
    if (!modern_->log_level || level < *modern_->log_level) return;
  } else if (level < session_->log_level()) {
    return;
  }
  json::object p;
  p["level"] = log_level_name(level);
  if (!logger.empty()) p["logger"] = logger;
  p["data"] = std::move(data);
  send(jsonrpc::make_notification("notifications/message", std::move(p)));
}

boost::asio::awaitable<Result<json::value>> RequestContext::request_client(std::string method,
                                                                          json::object params,
                                                                          std::chrono::milliseconds timeout) {
  if (modern_)  // 2026-07-28: no server-to-client requests; handlers use ask() (input_required)
    co_return Error{ErrorCode::kUnimplemented, "a 2026-07-28 request cannot carry server requests (" + method + ")"};
  auto [id, slot] = session_->begin_client_request(executor_);
  if (!send(jsonrpc::make_request(id, method, std::move(params)))) {
    session_->abandon_client_request(id);
    co_return Error{ErrorCode::kUnimplemented,
                    "the client connection cannot receive server requests (" + method + ")"};
  }
  auto response = co_await slot->wait(timeout);
  if (!response) {
    session_->abandon_client_request(id);
    auto cs = co_await boost::asio::this_coro::cancellation_state;
    if (cs.cancelled() != boost::asio::cancellation_type::none)
      co_return Error{ErrorCode::kCancelled, "cancelled while waiting for the client"};
    co_return Error{ErrorCode::kDeadlineExceeded, "the client did not answer " + method + " in time"};
  }
  co_return std::move(*response);
}

}  // namespace appsignals::mcp
