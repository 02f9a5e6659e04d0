#include "mcp/request_context.h"

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include "mcp/jsonrpc.h"
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

std::string RequestContext::protocol_version() const { return session_->protocol_version(); }

bool RequestContext::client_supports(std::string_view capability) const {
  return session_->client_supports(capability);
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
  if (level < session_->log_level()) return;
  json::object p;
  p["level"] = log_level_name(level);
  if (!logger.empty()) p["logger"] = logger;
  p["data"] = std::move(data);
  send(jsonrpc::make_notification("notifications/message", std::move(p)));
}

boost::asio::awaitable<Result<json::value>> RequestContext::request_client(std::string method,
                                                                          json::object params,
                                                                          std::chrono::milliseconds timeout) {
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
