#pragma once
// EventStream: one server-sent-events stream, bounded.
//
// Producers (any thread) push frames; the HTTP connection that owns the response (the
// consumer) drains them on its strand. The queue is bounded in frames and bytes: a consumer
// that falls behind is disconnected (the stream ends with EndReason::kOverflow), never
// buffered forever. Every push after the stream ended returns false, so producers learn at
// once that the client is gone.
#include <cstddef>
#include <cstdint>
#include <vector>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace appsignals::net {

enum class EndReason {
  kClosed,     // the producer closed it: the final chunk was (or will be) written
  kPeerGone,   // the client closed the connection or a write failed
  kOverflow,   // the client read too slowly and the queue filled up
  kShutdown,   // the server is shutting down
};

// Formats one SSE event. `data` may contain newlines: each line becomes its own `data:` line.
std::string format_sse_event(std::string_view data, std::string_view event = {},
                             std::string_view id = {}, int retry_ms = -1);

class EventStream {
 public:
  static constexpr std::size_t kDefaultMaxFrames = 1024;
  static constexpr std::size_t kDefaultMaxBytes = 16 * 1024 * 1024;

  explicit EventStream(std::size_t max_frames = kDefaultMaxFrames,
                       std::size_t max_bytes = kDefaultMaxBytes);
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // ---- producer side (thread-safe) ----
  // Queues an event. False if the stream has ended or is closing; on overflow the stream ends.
  bool send_event(std::string_view data, std::string_view event = {}, std::string_view id = {});
  // Queues a pre-formatted frame (must end with a blank line).
  bool send_frame(std::string frame);
  // Ends the stream gracefully once the queued frames are written.
  void close();
  // True until the stream ends or close() is called.
  bool is_open() const;
  // Called exactly once, from whichever thread ends the stream, outside the internal lock.
  // Set it before handing the stream to the server.
  void set_on_end(std::function<void(EndReason)> on_end);

  // ---- consumer side (the connection) ----
  struct Batch {
    std::string data;   // concatenated frames, possibly empty
    bool closed = false;  // producer closed and everything is drained: write the final chunk
  };
  Batch take();
  // `wake` is invoked (from a producer thread) whenever there is something new to take; it
  // must be cheap and thread-safe (typically a post to the connection's strand).
  void set_waker(std::function<void()> wake);
  // Marks the stream ended for `reason` and fires on_end (idempotent).
  void end(EndReason reason);
  bool ended() const;

 private:
  void wake();

  const std::size_t max_frames_;
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::vector<std::string> frames_;  // (a deque would allocate 576 B up front per stream)
  std::size_t bytes_ = 0;
  bool closing_ = false;
  bool ended_ = false;
  std::function<void(EndReason)> on_end_;
  std::function<void()> waker_;
};

}  // namespace appsignals::net
