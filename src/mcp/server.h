#pragma once
// McpServer: the transport-independent MCP engine. Lifecycle and version negotiation, the
// method table, cancellation, progress and logging notifications, server-to-client requests.
// Transports (Streamable HTTP, legacy SSE, stdio) parse frames, find the Session, and hand each
// message to dispatch()/accept(); they decide how responses travel back.
//
// Thread safety: all members are thread-safe. Each request runs as its own coroutine on a
// fresh strand of the server's executor.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <mutex>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "mcp/jsonrpc.h"
#include "mcp/modern.h"
#include "mcp/outbound.h"
#include "mcp/registry.h"
#include "mcp/request_state.h"
#include "mcp/scope_policy.h"
#include "mcp/session.h"

namespace appsignals::mcp {

struct ServerInfo {
  std::string name;
  std::string title;
  std::string version;
  std::string description;
  std::string instructions;
  std::string website_url;
};

class McpServer : public std::enable_shared_from_this<McpServer> {
 public:
  McpServer(boost::asio::any_io_executor executor, std::shared_ptr<Registry> registry, ServerInfo info);

  // Runs one request. `on_response` is called exactly once with the serialized response, or
  // with nullopt if the client cancelled the request (no response is due then).
  using ResponseCallback = std::function<void(std::optional<std::string>)>;
  // `modern` (from prepare_modern) serves the request under the 2026-07-28 rules.
  void dispatch(std::shared_ptr<Session> session, jsonrpc::Message request,
                std::shared_ptr<Outbound> related, ResponseCallback on_response,
                std::shared_ptr<const ModernCall> modern = nullptr);

  // ---- 2026-07-28 (server_modern.cc) ----
  // Reads a validated modern request's round: inputResponses (an object, or absent) and
  // requestState (verified against the request it was issued for). Failures are -32602.
  std::variant<std::shared_ptr<const ModernCall>, jsonrpc::Failure> prepare_modern(
      const jsonrpc::Message& request, modern::Envelope envelope) const;
  // The key that seals requestState (MCP_STATE_KEY); empty: a random per-process key.
  void set_state_key(std::string key);
  // Set by a transport that serves subscriptions/listen: discover then offers list changes
  // and resource subscriptions.
  void set_listen_supported(bool on) { listen_supported_ = on; }
  json::object modern_capabilities() const;
  json::object server_info_meta() const;

  // Convenience for transports that answer inline: dispatch and await the response.
  // Must be awaited on a strand.
  boost::asio::awaitable<std::optional<std::string>> call(std::shared_ptr<Session> session,
                                                          jsonrpc::Message request,
                                                          std::shared_ptr<Outbound> related);

  // Notifications and client responses (to server-to-client requests). Never produce output.
  void accept(const std::shared_ptr<Session>& session, const jsonrpc::Message& message);

  json::object capabilities() const;
  const ServerInfo& info() const { return info_; }
  Registry& registry() { return *registry_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  // OAuth scopes per tool (scope_policy.h); unset: scopes are not checked. Set before serving.
  void set_scope_policy(ScopePolicy policy) { scope_policy_ = std::move(policy); }
  const std::optional<ScopePolicy>& scope_policy() const { return scope_policy_; }
  // Items per page for the list methods.
  void set_page_size(std::size_t n) { page_size_ = n; }
  // The longest a tools/call may run (MCP_TOOL_TIMEOUT); at the deadline the tool is cancelled
  // (with its AWS requests) and the call answers an isError saying it timed out. 0: no limit.
  // Set before serving.
  void set_tool_timeout(std::chrono::milliseconds timeout) { tool_timeout_ = timeout; }
  // Fail closed on a transport that forgot a request's grants (jsonrpc::Message::grants): every
  // HTTP transport attaches them (mcp::grants_of, never null), so a request without them is
  // answered -32603 and logged instead of running unrestricted. Set by `serve`; stdio and tests
  // that dispatch messages themselves leave it off. Set before serving.
  void set_require_grants(bool require) { require_grants_ = require; }

  // A tools/call answered without running the tool's handler, so the handler wrappers (metrics)
  // cannot see it: an unknown tool (-32602), a refused tool (isError), arguments that fail the
  // input schema (isError). `tool` is the requested name (unbounded for kUnknown). Set before
  // serving; called on the request's strand.
  enum class ToolRejection { kUnknown, kRefused, kInvalidArguments };
  using ToolRejectionHook = std::function<void(RequestContext&, std::string_view tool, ToolRejection)>;
  void set_tool_rejection_hook(ToolRejectionHook hook) { tool_rejection_hook_ = std::move(hook); }

 // What a method produces: a result, a JSON-RPC failure, or an already serialized result.
  struct RawJson {  // already-serialized result, shared with the cache (never copied per request)
    std::shared_ptr<const std::string> text;
  };
  using Outcome = std::variant<json::value, jsonrpc::Failure, RawJson>;

 private:
  using Method = boost::asio::awaitable<Outcome> (McpServer::*)(RequestContext&, const json::object&);

  boost::asio::awaitable<std::string> run(std::shared_ptr<Session> session, jsonrpc::Message request,
                                          std::shared_ptr<Outbound> related,
                                          boost::asio::any_io_executor strand,
                                          std::shared_ptr<const ModernCall> modern);
  // The modern era's method dispatch and result shape (resultType, serverInfo, cache hints,
  // input_required). `ctx` and `request` are owned by run(), which awaits this in place.
  boost::asio::awaitable<std::string> run_modern(RequestContext& ctx, const jsonrpc::Message& request);
  json::value discover() const;

  boost::asio::awaitable<Outcome> initialize(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> ping(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> tools_list(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> tools_call(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> resources_list(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> resources_templates_list(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> resources_read(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> resources_subscribe(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> resources_unsubscribe(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> prompts_list(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> prompts_get(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> completion_complete(RequestContext& ctx, const json::object& params);
  boost::asio::awaitable<Outcome> logging_set_level(RequestContext& ctx, const json::object& params);

  json::object tool_json(const ToolDef& tool, std::string_view version) const;
  // Runs a tool under tool_timeout_. `tool` and `ctx` are owned by the awaiting caller.
  boost::asio::awaitable<ToolResult> run_tool(const ToolDef& tool, RequestContext& ctx, json::object args);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<Registry> registry_;
  ServerInfo info_;
  std::size_t page_size_ = 100;
  std::chrono::milliseconds tool_timeout_{30000};
  bool require_grants_ = false;
  ToolRejectionHook tool_rejection_hook_;
  std::unordered_map<std::string_view, Method> methods_;
  std::shared_ptr<const RequestStateCodec> state_codec_ = std::make_shared<RequestStateCodec>();
  bool listen_supported_ = false;
  std::optional<ScopePolicy> scope_policy_;
  // tools/list pages by (protocol version, cursor), valid for one registry generation: the
  // list only changes when tools are registered, and serializing it is most of its cost.
  mutable std::mutex tools_cache_mu_;
  std::unordered_map<std::string, std::pair<std::uint64_t, std::shared_ptr<const std::string>>> tools_cache_;
};

}  // namespace appsignals::mcp
