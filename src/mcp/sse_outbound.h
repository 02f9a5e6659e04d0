#pragma once
// SseOutbound: an Outbound that writes each message as an SSE `message` event with an id.
#include <atomic>
#include <memory>
#include <string>

#include "mcp/outbound.h"
#include "net/event_stream.h"

namespace appsignals::mcp {

class SseOutbound final : public Outbound {
 public:
  explicit SseOutbound(std::shared_ptr<net::EventStream> stream) : stream_(std::move(stream)) {}
  bool send(std::string message) override {
    auto id = std::to_string(next_id_.fetch_add(1) + 1);
    return stream_->send_event(message, "message", id);
  }
  const std::shared_ptr<net::EventStream>& stream() const { return stream_; }

 private:
  std::shared_ptr<net::EventStream> stream_;
  std::atomic<std::uint64_t> next_id_{0};
};

}  // namespace appsignals::mcp
