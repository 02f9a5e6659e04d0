#pragma once
// JSON-RPC 2.0 codec with the exact error semantics MCP relies on.
//
// - Error responses never carry "id": null: when the request id cannot be read it is omitted.
// - Ids are strings or integers (MCP forbids null ids on requests).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.h"
#include "mcp/grants.h"

namespace appsignals::mcp::jsonrpc {

namespace json = boost::json;

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;  // MCP, up to 2025-11-25
inline constexpr int kRequestCancelled = -32800;  // request cancelled by the client

enum class Kind { kRequest, kNotification, kResponse, kErrorResponse };

struct Message {
  Kind kind = Kind::kRequest;
  json::value id;          // string or int64 for requests and responses; null otherwise
  std::string method;      // requests and notifications
  json::object params;     // requests and notifications ({} when absent)
  json::value result;      // responses
  json::object error;      // error responses
  // Not on the wire: the X-Request-Id of the HTTP request it arrived in (empty on stdio), for
  // the log lines about it (RequestContext::trace_id).
  std::string trace_id;
  // Not on the wire: what the credential of that HTTP request allows (grants.h); set by every
  // HTTP transport, null over stdio. Each request is judged by its own, never the session's.
  std::shared_ptr<const Grants> grants;

  bool is_request() const { return kind == Kind::kRequest; }
  bool is_notification() const { return kind == Kind::kNotification; }
  bool is_response() const { return kind == Kind::kResponse || kind == Kind::kErrorResponse; }
};

// A protocol-level failure to report back: code, message, the id when it was readable.
struct Failure {
  int code = kInvalidRequest;
  std::string message;
  json::value id;  // null when unknown (then omitted on the wire)
  json::value data;
};

// Classifies and validates one message. Errors carry -32600 (or -32602 for non-object params).
std::variant<Message, Failure> parse_message(const json::value& v);

// Parses text into JSON; nullopt on a syntax error (the caller answers -32700).
std::optional<json::value> parse_json(std::string_view text);

std::string make_result(const json::value& id, json::value result);
// A result whose JSON text is already serialized (cached list results).
std::string make_result_raw(const json::value& id, std::string_view result_json);
std::string make_error(const json::value& id, int code, std::string_view message,
                       const json::value& data = nullptr);
std::string make_error(const Failure& f);
std::string make_request(const json::value& id, std::string_view method, json::object params);
std::string make_notification(std::string_view method, json::object params);

// A stable map key for an id ("s:abc" / "i:42").
std::string id_key(const json::value& id);

}  // namespace appsignals::mcp::jsonrpc
