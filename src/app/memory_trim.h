// Gives memory back to the system after a burst.
//
// glibc keeps freed heap memory in its arenas: after a burst of tool calls (thousands of AWS
// responses parsed at once) the process would sit at its high-water mark for ever. A timer
// reads the resident set size every `period` (one read of /proc/self/statm) and, once it has
// grown by `threshold` since the last trim (or since the lowest value seen), calls
// malloc_trim(0), which returns every free page, not only the top of the heap, to the kernel.
// Trimming walks the arenas' free lists under their locks (milliseconds on a fragmented heap),
// so it runs once per burst, not on every tick: glibc's own free-bytes count does not drop
// after a trim, so it cannot be the trigger.
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

// Resident set size of this process, in bytes (0 if /proc is unreadable).
std::size_t resident_bytes();

class MemoryTrimmer {
 public:
  MemoryTrimmer(boost::asio::any_io_executor ex, std::chrono::milliseconds period, std::size_t threshold);
  ~MemoryTrimmer();
  void start();
  void stop();
  std::size_t checks() const;  // timer ticks so far
  std::size_t trims() const;   // of which trimmed (resident memory had grown by the threshold)

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace appsignals::app
