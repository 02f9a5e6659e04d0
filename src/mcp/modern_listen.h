#pragma once
// ListenHub: 2026-07-28 `subscriptions/listen` on Streamable HTTP, the modern era's replacement
// for the GET stream and resources/subscribe. Each listen request gets its own SSE stream whose
// first message is notifications/subscriptions/acknowledged (the honored subset of what was
// asked); after it, only the notification types the client asked for, each carrying
// _meta["io.modelcontextprotocol/subscriptionId"] = the listen request's id. The stream lives
// until the client closes it (bounded queue; a consumer that falls behind is closed).
//
// Change sources: the Registry (tools, prompts, resources registered) and resource_updated().
// Thread-safe: one mutex guards the listener list; notifications are queued, never awaited.
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mcp/jsonrpc.h"
#include "mcp/request_context.h"
#include "net/event_stream.h"
#include "net/http_types.h"

namespace appsignals::mcp {

class Registry;
class McpServer;

class ListenHub : public std::enable_shared_from_this<ListenHub> {
 public:
  ListenHub(std::shared_ptr<McpServer> server, std::size_t max_frames, std::size_t max_bytes);
  // Registers with the server's registry for change events; call once after construction.
  void start();

  // Answers a validated subscriptions/listen request with its stream.
  net::StreamReply open(jsonrpc::Message request, std::shared_ptr<const ModernCall> call, unsigned version);

  // "tools", "prompts" or "resources": the list changed.
  void list_changed(std::string_view what);
  void resource_updated(const std::string& uri);
  std::size_t listeners() const;

 private:
  struct Listener {
    std::weak_ptr<net::EventStream> stream;
    json::value id;
    bool tools = false;
    bool prompts = false;
    bool resources = false;
    std::set<std::string> uris;
  };
  void publish(const std::function<bool(const Listener&)>& wants, std::string_view method, const json::object& params);

  std::shared_ptr<McpServer> server_;
  std::size_t max_frames_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::vector<Listener> listeners_;
};

}  // namespace appsignals::mcp
