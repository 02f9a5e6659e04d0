// Gives memory back to the system after a burst.
//
// glibc keeps freed heap memory in its arenas: after a burst of tool calls (thousands of AWS
// responses parsed at once) the process would sit at its high-water mark for ever. A timer
// looks, every `period`, at the slack: resident memory (/proc/self/statm) minus what malloc has
// handed out (mallinfo2). A burst that ends leaves slack behind (in-use falls, resident does
// not); once slack exceeds its floor (its value after the last trim, or the lowest seen) by
// `threshold`, malloc_trim(0) returns every free page, not only the top of the heap, to the
// kernel. The trim walks the arenas' free lists under their locks (milliseconds on a
// fragmented heap), hence once per burst; mallinfo2 walks them too (sub-millisecond), once per
// period. What a trim cannot return (partly used pages) raises the floor, so it is not retried.
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
  std::size_t trims() const;   // of which trimmed (slack had grown by the threshold)

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace appsignals::app
