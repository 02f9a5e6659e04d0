#pragma once
// EventStream: one server-sent-events stream, bounded.
//
// Producers (any thread) push frames; the HTTP connection that owns the response (the
// consumer) drains them on its strand. The queue is bounded in frames and bytes: a consumer
// that falls behind is disconnected (the stream ends with EndReason::kOverflow), never
// buffered forever. Every push after the stream ended returns false, so producers learn at
// once that the client is gone.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>
#include <functional>
#include <memory>
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

// StreamBudget: the outbound bytes all long-lived streams may hold at once (queued or being
// written), shared by every stream given it. A push that does not fit ends that stream
// (kOverflow) like a full queue does: the bytes are bounded however many streams stop reading.
// Thread-safe.
class StreamBudget {
 public:
  explicit StreamBudget(std::size_t limit) : limit_(limit) {}
  bool try_reserve(std::size_t n);
  void release(std::size_t n) { used_.fetch_sub(n); }
  std::size_t used() const { return used_.load(); }
  std::size_t limit() const { return limit_; }
  // Seven eighths used: new work for a stream should be refused rather than queued.
  bool nearly_full() const { return used() >= limit_ / 8 * 7; }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

class EventStream {
 public:
  static constexpr std::size_t kDefaultMaxFrames = 1024;
  static constexpr std::size_t kDefaultMaxBytes = 16 * 1024 * 1024;

  // `max_bytes` bounds what is queued plus the batch being written; one frame larger than it
  // is still accepted when nothing else is pending (a large reply to a reading client).
  // `budget` (optional) is charged for the same bytes.
  explicit EventStream(std::size_t max_frames = kDefaultMaxFrames,
                       std::size_t max_bytes = kDefaultMaxBytes,
                       std::shared_ptr<StreamBudget> budget = nullptr);
  ~EventStream();
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
  // Bytes queued plus the batch the consumer is writing.
  std::size_t pending_bytes() const;
  // The client is not keeping up: half the per-stream bytes pending, or the shared budget
  // nearly spent. New requests whose replies would go here should be refused (503).
  bool backlogged() const;
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
  std::size_t inflight_ = 0;  // the last batch taken (being written), charged until the next take
  std::shared_ptr<StreamBudget> budget_;
  bool closing_ = false;
  bool ended_ = false;
  std::function<void(EndReason)> on_end_;
  std::function<void()> waker_;
};

}  // namespace appsignals::net
