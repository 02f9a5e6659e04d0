#include "app/memory_trim.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace appsignals::app {
namespace {

// Resident anonymous memory of this process, in KiB (what the kernel holds for the heap).
long rss_anon_kib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "RssAnon:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(1 << 16, '\n');
  }
  return -1;
}

// Leaves tens of megabytes of freed small blocks in the heap, the shape a burst of parsed AWS
// responses leaves behind. Every 64th block stays allocated, so the free space is fragmented and
// the heap top stays pinned: free() alone gives none of it back.
std::vector<std::unique_ptr<char[]>>& churn_small_blocks() {
  static std::vector<std::unique_ptr<char[]>> pinned;
  pinned.clear();
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 200000; ++i) {
    blocks.emplace_back(new char[200]);
    blocks.back()[0] = static_cast<char>(i);  // touch it: resident
  }
  for (std::size_t i = 0; i < blocks.size(); i += 64) pinned.push_back(std::move(blocks[i]));
  blocks.clear();
  return pinned;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SKIP_UNDER_SANITIZERS() GTEST_SKIP() << "sanitizers replace malloc: glibc's arenas are not in use"
#else
#define SKIP_UNDER_SANITIZERS() (void)0
#endif

TEST(MemoryTrim, TrimReturnsFreeHeapToTheKernel) {
  SKIP_UNDER_SANITIZERS();
  churn_small_blocks();
  ASSERT_GT(heap_stats().free, 16u << 20) << "the churn should leave > 16 MiB of free heap";
  long before = rss_anon_kib();
  ASSERT_GT(before, 0);
  std::size_t reported = trim_heap();
  long after = rss_anon_kib();
  EXPECT_GT(reported, 16u << 20);
  EXPECT_GT(before - after, 8 * 1024) << "RssAnon before " << before << " KiB, after " << after << " KiB";
}

TEST(MemoryTrim, TimerTrimsOnceWhenABurstLeavesFreeMemoryResident) {
  SKIP_UNDER_SANITIZERS();
  boost::asio::io_context ioc;
  MemoryTrimmer trimmer(ioc.get_executor(), std::chrono::milliseconds(1), 4u << 20);
  trimmer.start();
  // The guards only turn a hang into a failure. First a baseline, then a burst.
  for (int i = 0; i < 10000 && trimmer.checks() < 2; ++i) ioc.run_one_for(std::chrono::seconds(5));
  EXPECT_EQ(trimmer.trims(), 0u) << "nothing grew yet";
  churn_small_blocks();  // a burst that is over: its memory is free but still resident
  std::size_t at_burst = trimmer.checks();
  for (int i = 0; i < 10000 && trimmer.checks() < at_burst + 1; ++i) ioc.run_one_for(std::chrono::seconds(5));
  EXPECT_EQ(trimmer.trims(), 1u) << "the first tick after the burst trims";
  // After the trim the new baseline holds: later ticks leave the heap alone.
  std::size_t checks = trimmer.checks();
  for (int i = 0; i < 10000 && trimmer.checks() < checks + 3; ++i) ioc.run_one_for(std::chrono::seconds(5));
  EXPECT_EQ(trimmer.trims(), 1u);
  trimmer.stop();
}

TEST(MemoryTrim, ABurstBeforeTheFirstTickIsTrimmedToo) {
  SKIP_UNDER_SANITIZERS();
  boost::asio::io_context ioc;
  MemoryTrimmer trimmer(ioc.get_executor(), std::chrono::milliseconds(1), 4u << 20);
  trimmer.start();       // the floor is taken here, before the burst
  churn_small_blocks();  // (a server that is busy from its first second)
  for (int i = 0; i < 10000 && trimmer.checks() < 1; ++i) ioc.run_one_for(std::chrono::seconds(5));
  EXPECT_EQ(trimmer.trims(), 1u);
  trimmer.stop();
}

TEST(MemoryTrim, TimerLeavesTheHeapAloneBelowTheThreshold) {
  churn_small_blocks();
  boost::asio::io_context ioc;
  MemoryTrimmer trimmer(ioc.get_executor(), std::chrono::milliseconds(1), std::size_t(1) << 50);
  trimmer.start();
  for (int i = 0; i < 10000 && trimmer.checks() < 3; ++i) ioc.run_one_for(std::chrono::seconds(5));
  EXPECT_GE(trimmer.checks(), 3u);
  EXPECT_EQ(trimmer.trims(), 0u);
  trimmer.stop();
}

}  // namespace
}  // namespace appsignals::app
