#pragma once
// DeferredReply: answers one HTTP POST that carries a JSON-RPC request with either a plain JSON
// body or an SSE stream, decided lazily. If the request finishes before it emits anything
// (the common case: tools/list, most tool calls) the reply is one application/json response,
// the cheapest form. If it sends a notification or a server-to-client request first
// (progress, logging, sampling, elicitation), the reply becomes text/event-stream: buffered
// messages are flushed, later ones stream, and the response ends the stream.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "mcp/one_shot.h"
#include "mcp/outbound.h"
#include "net/event_stream.h"
#include "net/http_types.h"

namespace appsignals::mcp {

class DeferredReply final : public Outbound, public std::enable_shared_from_this<DeferredReply> {
 public:
  // `waiter` is the strand of the HTTP connection awaiting reply(). With sse_allowed false
  // (the client does not accept text/event-stream) messages other than the response are
  // refused, so callers fall back to the session's standalone stream.
  DeferredReply(boost::asio::any_io_executor waiter, bool sse_allowed, std::size_t max_frames,
                std::size_t max_bytes);

  bool send(std::string message) override;
  // The final response, or nullopt if the request was cancelled.
  void complete(std::optional<std::string> response);
  // Called if the client goes away while streaming (cancels the request).
  void set_on_abandon(std::function<void()> fn);

  // Awaits the decision and produces the HTTP reply. `version` is the HTTP version.
  boost::asio::awaitable<net::Reply> reply(unsigned version);

 private:
  enum class State { kPending, kStreaming, kDone };
  std::mutex mu_;
  State state_ = State::kPending;
  bool sse_allowed_;
  std::size_t max_frames_;
  std::size_t max_bytes_;
  std::vector<std::string> buffered_;
  std::optional<std::string> response_;
  bool completed_ = false;
  std::shared_ptr<net::EventStream> stream_;
  std::uint64_t next_id_ = 0;
  std::function<void()> on_abandon_;
  std::shared_ptr<OneShot<bool>> decided_;
};

}  // namespace appsignals::mcp
