#pragma once
// Session: the state of one MCP client conversation, shared by every HTTP request (or the
// stdio loop) that belongs to it. Thread-safe: requests of one session run concurrently on
// different strands, so every member is guarded by one mutex held for short sections only.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.h"
#include "mcp/one_shot.h"
#include "mcp/outbound.h"
#include "mcp/request_context.h"

namespace appsignals::mcp {

// The tool argument that names an AWS profile (added by the tools layer, MCP_AWS_PROFILES).
inline constexpr std::string_view kAwsProfileArgument = "profile";

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Clock = std::chrono::steady_clock;
  using ClientResponse = Result<json::value>;

  Session(std::string id, std::string principal);

  const std::string& id() const { return id_; }           // empty for stateless requests
  const std::string& principal() const { return principal_; }

  std::string protocol_version() const;
  void set_protocol_version(std::string version);
  bool initialized() const;
  void set_initialized();
  // An initialize request of this session has succeeded (set by McpServer::initialize). The
  // legacy SSE transport refuses other requests (but ping) until then.
  bool negotiated() const;
  void set_negotiated();
  void set_client(json::object capabilities, json::object client_info);
  bool client_supports(std::string_view capability) const;
  json::object client_info() const;
  json::object client_capabilities() const;
  LogLevel log_level() const;
  void set_log_level(LogLevel level);

  // The stream for messages not tied to a request (GET /mcp, the legacy /sse stream, stdout).
  // attach fails (false) if one is already attached.
  bool attach_standalone(std::shared_ptr<Outbound> out);
  void detach_standalone(const Outbound* out);
  std::shared_ptr<Outbound> standalone() const;

  // Server-to-client requests: a fresh id and the slot its response will be delivered to.
  std::pair<json::value, std::shared_ptr<OneShot<ClientResponse>>> begin_client_request(
      boost::asio::any_io_executor waiter);
  // Delivers a client's response; false if no request with that id is waiting.
  bool complete_client_request(const json::value& id, ClientResponse response);
  void abandon_client_request(const json::value& id);

  // In-flight client requests, for notifications/cancelled. `cancel` must be thread-safe.
  void add_in_flight(const std::string& key, std::function<void()> cancel);
  void remove_in_flight(const std::string& key);
  bool cancel_in_flight(const std::string& key);
  // Ends the session: cancels everything in flight. Idempotent.
  void close();
  bool closed() const;

  static constexpr std::size_t kMaxSubscriptions = 100;
  // False (nothing stored) when the session already watches kMaxSubscriptions other URIs.
  bool subscribe(const std::string& uri);
  void unsubscribe(const std::string& uri);
  bool subscribed(const std::string& uri) const;

  void touch();
  Clock::time_point last_activity() const;


 private:
  const std::string id_;
  const std::string principal_;
  mutable std::mutex mu_;
  std::string version_;
  bool initialized_ = false;
  bool negotiated_ = false;
  bool closed_ = false;
  json::object capabilities_;
  json::object client_info_;
  LogLevel log_level_ = LogLevel::kInfo;
  std::shared_ptr<Outbound> standalone_;
  std::unordered_map<std::string, std::shared_ptr<OneShot<ClientResponse>>> outgoing_;
  std::unordered_map<std::string, std::function<void()>> in_flight_;
  std::set<std::string> subscriptions_;
  std::uint64_t next_outgoing_ = 1;
  Clock::time_point last_activity_;
};

}  // namespace appsignals::mcp
