#include "mcp/deferred_reply.h"

#include <chrono>

namespace appsignals::mcp {

DeferredReply::DeferredReply(boost::asio::any_io_executor waiter, bool sse_allowed, std::size_t max_frames,
                             std::size_t max_bytes)
    : sse_allowed_(sse_allowed), max_frames_(max_frames), max_bytes_(max_bytes),
      decided_(std::make_shared<OneShot<bool>>(waiter)) {}

bool DeferredReply::send(std::string message) {
  std::shared_ptr<net::EventStream> stream;
  std::string id;
  {
    std::lock_guard lock(mu_);
    if (!sse_allowed_ || completed_) return false;
    if (state_ == State::kPending) {
      if (buffered_.size() >= max_frames_) return false;
      buffered_.push_back(std::move(message));
      decided_->set(true);  // the reply becomes a stream
      return true;
    }
    if (!stream_) return false;
    stream = stream_;
    id = std::to_string(++next_id_);
  }
  return stream->send_event(message, "message", id);
}

void DeferredReply::complete(std::optional<std::string> response) {
  std::shared_ptr<net::EventStream> stream;
  std::string id;
  {
    std::lock_guard lock(mu_);
    if (completed_) return;
    completed_ = true;
    response_ = std::move(response);
    if (state_ != State::kStreaming || !stream_) {
      decided_->set(true);
      return;
    }
    stream = stream_;
    id = std::to_string(++next_id_);
  }
  if (response_) stream->send_event(*response_, "message", id);
  stream->close();
}

void DeferredReply::set_on_abandon(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  on_abandon_ = std::move(fn);
}

boost::asio::awaitable<net::Reply> DeferredReply::reply(unsigned version) {
  co_await decided_->wait(std::chrono::hours(24 * 365));
  std::unique_lock lock(mu_);
  if (completed_ && buffered_.empty()) {
    state_ = State::kDone;
    if (!response_) {
      // Cancelled before anything was sent: there is no response to give.
      net::Response res{net::http::status::accepted, version};
      co_return res;
    }
    co_return net::json_response(net::http::status::ok, std::move(*response_), version);
  }
  // Stream: flush what was buffered, then let send()/complete() write directly.
  auto stream = std::make_shared<net::EventStream>(max_frames_, max_bytes_);
  for (auto& m : buffered_) stream->send_event(m, "message", std::to_string(++next_id_));
  buffered_.clear();
  if (completed_) {
    if (response_) stream->send_event(*response_, "message", std::to_string(++next_id_));
    stream->close();
    state_ = State::kDone;
  } else {
    state_ = State::kStreaming;
    stream_ = stream;
    std::weak_ptr<DeferredReply> weak = shared_from_this();
    stream->set_on_end([weak](net::EndReason reason) {
      if (reason == net::EndReason::kClosed) return;
      if (auto self = weak.lock()) {
        std::function<void()> abandon;
        {
          std::lock_guard l(self->mu_);
          abandon = self->on_abandon_;
        }
        if (abandon) abandon();
      }
    });
  }
  lock.unlock();
  net::StreamReply sr;
  sr.head = net::http::response<net::http::empty_body>{net::http::status::ok, version};
  sr.stream = std::move(stream);
  co_return sr;
}

}  // namespace appsignals::mcp
