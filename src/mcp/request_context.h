#pragma once
// RequestContext: what a tool, resource, prompt or completion handler may do while it serves
// one client request: report progress, send log messages, ask the client (sampling,
// elicitation, roots), and read the negotiated protocol facts. Lives for the duration of the
// request; handlers receive it by reference and must not keep it.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.h"

namespace appsignals::mcp {

namespace json = boost::json;

class Session;
class Outbound;

enum class LogLevel { kDebug = 0, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::optional<LogLevel> parse_mcp_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

class RequestContext {
 public:
  RequestContext(std::shared_ptr<Session> session, std::shared_ptr<Outbound> related,
                 json::value request_id, json::value progress_token,
                 boost::asio::any_io_executor executor);

  std::string protocol_version() const;
  // Whether the client declared a capability ("sampling", "elicitation", "roots").
  bool client_supports(std::string_view capability) const;
  const json::value& request_id() const { return request_id_; }
  bool has_progress_token() const { return !progress_token_.is_null(); }
  boost::asio::any_io_executor executor() const { return executor_; }
  Session& session() { return *session_; }

  // notifications/progress with the request's progress token (no-op without one). Progress
  // must increase between calls.
  void progress(double progress, std::optional<double> total = std::nullopt,
                std::string_view message = {});
  // notifications/message if `level` passes the session's logging/setLevel threshold.
  void log(LogLevel level, json::value data, std::string_view logger = {});

  // Sends a server-to-client request (sampling/createMessage, elicitation/create, roots/list)
  // on the request's channel and waits for the client's response. Errors: kUnimplemented if
  // the channel cannot carry it, kDeadlineExceeded on timeout, kCancelled, or the client's
  // JSON-RPC error as kFailedPrecondition with its message.
  boost::asio::awaitable<Result<json::value>> request_client(
      std::string method, json::object params,
      std::chrono::milliseconds timeout = std::chrono::minutes(5));

 private:
  bool send(std::string message);

  std::shared_ptr<Session> session_;
  std::shared_ptr<Outbound> related_;
  json::value request_id_;
  json::value progress_token_;
  boost::asio::any_io_executor executor_;
};

}  // namespace appsignals::mcp
