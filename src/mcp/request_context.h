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
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.h"
#include "mcp/grants.h"

namespace appsignals::mcp {

namespace json = boost::json;

class Session;
class Outbound;

enum class LogLevel { kDebug = 0, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::optional<LogLevel> parse_mcp_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

// What a 2026-07-28 (modern era) request declared for itself in params._meta, plus its
// input_required round: the client's inputResponses and the verified requestState payload.
struct ModernCall {
  std::string version;
  json::object client_capabilities;
  std::optional<LogLevel> log_level;  // none: no notifications/message for this request
  json::object input_responses;
  json::value state = nullptr;        // payload of a verified requestState, null without one
};

class RequestContext {
 public:
  RequestContext(std::shared_ptr<Session> session, std::shared_ptr<Outbound> related,
                 json::value request_id, json::value progress_token,
                 boost::asio::any_io_executor executor);

  std::string protocol_version() const;
  // Whether the client declared a capability ("sampling", "elicitation", "roots").
  bool client_supports(std::string_view capability) const;
  const json::value& request_id() const { return request_id_; }
  // The X-Request-Id of the HTTP request that carried this JSON-RPC request (jsonrpc::Message::
  // trace_id); "" over stdio. For log lines about the request.
  const std::string& trace_id() const { return trace_id_; }
  void set_trace_id(std::string id) { trace_id_ = std::move(id); }
  // What the credential of the request allows (jsonrpc::Message::grants): its OAuth scopes
  // (nullopt: not restricted by scope) and the AWS profiles its principal may use, its default
  // first (nullopt: unrestricted). Per request, never per session; no grants (stdio): unrestricted.
  void set_grants(std::shared_ptr<const Grants> grants) { grants_ = std::move(grants); }
  std::optional<std::vector<std::string>> scopes() const {
    return grants_ ? grants_->scopes : std::nullopt;
  }
  std::optional<std::vector<std::string>> aws_profiles() const {
    return grants_ ? grants_->aws_profiles : std::nullopt;
  }
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

  // ---- both eras: input from the user or the model ----
  // Asks the client (elicitation/create, sampling/createMessage, roots/list) under `key`.
  // Handshake era: a server-to-client request, awaited. Modern era: the retry's
  // inputResponses[key] if present (an object), else the request is recorded and nullopt is
  // returned; the handler then returns early and the server answers
  // {resultType:"input_required", inputRequests, requestState}. kFailedPrecondition when the
  // client did not declare the capability the method needs.
  boost::asio::awaitable<Result<std::optional<json::value>>> ask(std::string key, std::string method,
                                                                json::object params);
  bool needs_input() const { return !input_requests_.empty(); }
  const json::object& input_requests() const { return input_requests_; }
  // State carried to the next round (sealed into requestState); the previous round's state.
  void keep_state(json::value state) { next_state_ = std::move(state); }
  const json::value& next_state() const { return next_state_; }
  const json::value& state() const;

  // Modern era: fails the request with -32021 naming `capability` unless the client declared
  // it (handshake era: whether the session's client declared it).
  bool require_capability(std::string_view capability);
  // A JSON-RPC error instead of the handler's result (set by require_capability, or by a
  // handler directly).
  void fail(int code, std::string message, json::value data = nullptr);
  struct Failure {
    int code;
    std::string message;
    json::value data;
  };
  const std::optional<Failure>& failure() const { return failure_; }

  void set_modern(std::shared_ptr<const ModernCall> modern) { modern_ = std::move(modern); }
  const ModernCall* modern() const { return modern_.get(); }

 private:
  bool send(std::string message);

  std::shared_ptr<Session> session_;
  std::shared_ptr<Outbound> related_;
  json::value request_id_;
  std::string trace_id_;
  std::shared_ptr<const Grants> grants_;
  json::value progress_token_;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<const ModernCall> modern_;
  json::object input_requests_;
  json::value next_state_ = nullptr;
  std::optional<Failure> failure_;
};

}  // namespace appsignals::mcp
