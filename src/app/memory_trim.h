// Gives memory back to the system after a burst.
//
// glibc keeps freed heap memory in its arenas: after a burst of tool calls (thousands of AWS
// responses parsed at once) the process would sit at its high-water mark for ever. A timer
// checks, every `period`, how much free memory the arenas hold and, above `threshold`, calls
// malloc_trim(0), which returns every free page (not only the top of the heap) to the kernel.
// The check is a walk over the arenas' bins: microseconds when there is nothing to do.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace appsignals::app {

struct HeapStats {
  std::size_t in_use = 0;  // bytes handed out by malloc
  std::size_t free = 0;    // bytes the arenas hold but nobody uses
};

HeapStats heap_stats();

// Returns free heap pages to the kernel; returns the bytes of free heap before the call.
std::size_t trim_heap();

class MemoryTrimmer {
 public:
  MemoryTrimmer(boost::asio::any_io_executor ex, std::chrono::milliseconds period, std::size_t threshold);
  ~MemoryTrimmer();
  void start();
  void stop();
  std::size_t checks() const;  // timer ticks so far
  std::size_t trims() const;   // of which trimmed (free heap was above the threshold)

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace appsignals::app
