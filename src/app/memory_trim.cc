#include "app/memory_trim.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#include <atomic>

#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace appsignals::app {

HeapStats heap_stats() {
  struct mallinfo2 mi = mallinfo2();
  HeapStats s;
  s.in_use = mi.uordblks + mi.hblkhd;
  s.free = mi.fordblks;
  return s;
}

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

std::size_t trim_heap() {
  std::size_t before = heap_stats().free;
  malloc_trim(0);
  return before;
}

struct MemoryTrimmer::State : std::enable_shared_from_this<State> {
  State(boost::asio::any_io_executor ex, std::chrono::milliseconds p, std::size_t t)
      : timer(std::move(ex)), period(p), threshold(t) {}
  boost::asio::steady_timer timer;
  std::chrono::milliseconds period;
  std::size_t threshold;
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> checks{0};
  std::atomic<std::size_t> trims{0};
  std::size_t slack_floor = 0;  // slack after the last trim, or the lowest seen since

  void arm() {
    timer.expires_after(period);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopped) return;
      ++self->checks;
      // Slack: what the process holds beyond what malloc has handed out. It grows when a burst
      // frees its memory (in-use falls, resident stays) and falls when a trim returns it.
      std::size_t rss = resident_bytes();
      std::size_t in_use = heap_stats().in_use;
      std::size_t slack = rss > in_use ? rss - in_use : 0;
      if (slack < self->slack_floor) {
        self->slack_floor = slack;
      } else if (slack >= self->slack_floor + self->threshold) {
        ++self->trims;
        auto start = std::chrono::steady_clock::now();
        std::size_t freed = trim_heap();
        auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        std::size_t after = resident_bytes();
        // What a trim cannot return (partly used pages) must not trigger the next one.
        self->slack_floor = after > in_use ? after - in_use : 0;
        spdlog::debug("memory: resident {} KiB, returned up to {} KiB of free heap to the system in {} us; now {} KiB",
                      rss / 1024, freed / 1024, took.count(), after / 1024);
      }
      self->arm();
    });
  }
};

MemoryTrimmer::MemoryTrimmer(boost::asio::any_io_executor ex, std::chrono::milliseconds period,
                             std::size_t threshold)
    : state_(std::make_shared<State>(std::move(ex), period, threshold)) {}

MemoryTrimmer::~MemoryTrimmer() { stop(); }

void MemoryTrimmer::start() {
  // The floor is the slack now, at start-up, not at the first tick (which may land mid-burst).
  std::size_t rss = resident_bytes(), in_use = heap_stats().in_use;
  state_->slack_floor = rss > in_use ? rss - in_use : 0;
  state_->arm();
}

void MemoryTrimmer::stop() {
  // Called once the io_context has stopped (or from its own thread): the handler checks
  // `stopped` as well, so a wait that completes concurrently does not re-arm.
  state_->stopped = true;
  state_->timer.cancel();
}

std::size_t MemoryTrimmer::checks() const { return state_->checks.load(); }
std::size_t MemoryTrimmer::trims() const { return state_->trims.load(); }

}  // namespace appsignals::app
