#pragma once
// The small interface between the HTTP server (this layer) and whatever serves requests
// (the MCP transports, /health, ...). Handlers never see sockets: they get a parsed request and
// return either a complete response or a stream of server-sent events.
#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace appsignals::net {

namespace http = boost::beast::http;

class EventStream;

struct Request {
  http::request<http::string_body> message;
  std::string remote_address;  // "ip:port" of the peer, for logs
  bool secure = false;         // arrived over TLS
  // Set by the router after authentication: an opaque, non-secret identity of the credential
  // that was presented (empty when auth is off). Transports bind sessions to it.
  std::string principal;
  // Set with the principal: the scopes an OAuth token grants; nullopt when not restricted by
  // scope (API keys, auth off). Transports put it on each JSON-RPC message of the request
  // (mcp::grants_of -> jsonrpc::Message::grants).
  std::optional<std::vector<std::string>> scopes;
  // Set with the principal when MCP_AWS_PROFILE_MAP is configured (net::ProfileMap): the AWS
  // profiles this principal may use, its default first (empty: none); nullopt: unrestricted.
  // Travels with the scopes (mcp::Grants).
  std::optional<std::vector<std::string>> aws_profiles;

  // The path part of the target, without the query string.
  std::string_view path() const;
  // The raw query string (after '?'), or empty.
  std::string_view query() const;
  // A header's value, or empty if absent.
  std::string_view header(std::string_view name) const;
};

using Response = http::response<http::string_body>;

// A response whose body is a stream of server-sent events. The server writes `head` (status
// 200 and the SSE headers are filled in if the handler left them out), then every frame pushed
// into `stream` as one HTTP/1.1 chunk, keep-alive comments while idle, and the final chunk once
// the producer closes the stream.
struct StreamReply {
  http::response<http::empty_body> head;
  std::shared_ptr<EventStream> stream;
  // Long-lived streams (GET /sse, GET /mcp) are watched for the peer closing the connection
  // and end the connection when they end. Request-scoped streams (a POST answered with SSE)
  // detect a vanished peer by write failure and keep the connection alive afterwards.
  bool long_lived = false;
};

using Reply = std::variant<Response, StreamReply>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Called on the connection's strand. Must not block; may suspend. Exceptions are fenced by
  // the server and become a 500.
  virtual boost::asio::awaitable<Reply> handle(Request request) = 0;
};

// Builds a response with a JSON body and the usual headers.
Response json_response(http::status status, std::string body, unsigned version = 11);
// A JSON body of the form {"error": message}.
Response error_response(http::status status, std::string_view message, unsigned version = 11);

}  // namespace appsignals::net
