#include "net/event_stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

namespace appsignals::net {
namespace {

// ---- format_sse_event ----

TEST(FormatSseEvent, SingleLineDataIsOneDataLineAndABlankLine) {
  EXPECT_EQ(format_sse_event("{\"a\":1}"), "data: {\"a\":1}\n\n");
}

TEST(FormatSseEvent, EachLineOfMultiLineDataBecomesItsOwnDataLine) {
  EXPECT_EQ(format_sse_event("one\ntwo\nthree"), "data: one\ndata: two\ndata: three\n\n");
}

TEST(FormatSseEvent, CrLfLineEndsAreSplitWithoutKeepingTheCarriageReturn) {
  EXPECT_EQ(format_sse_event("one\r\ntwo"), "data: one\ndata: two\n\n");
}

// SSE (WHATWG HTML, "Parsing an event stream") treats a lone CR as a line end too, so a lone
// CR left inside a data: line lets the rest of the payload be read as a separate field.
// BUG (src/net/event_stream.cc, format_sse_event): only '\n' splits lines. Disabled until fixed.
TEST(FormatSseEvent, BareCarriageReturnStartsANewDataLine) {
  EXPECT_EQ(format_sse_event("one\rtwo"), "data: one\ndata: two\n\n");
}

TEST(FormatSseEvent, MixedLineEndsEachEndOneLine) {
  EXPECT_EQ(format_sse_event("a\r\nb\nc\rd\n\ne\r"), "data: a\ndata: b\ndata: c\ndata: d\ndata: \ndata: e\ndata: \n\n");
}

TEST(FormatSseEvent, EmptyDataStillProducesADataLine) {
  EXPECT_EQ(format_sse_event(""), "data: \n\n");
}

TEST(FormatSseEvent, EventIdAndRetryFieldsPrecedeTheData) {
  EXPECT_EQ(format_sse_event("x", "message", "7", 3000),
            "event: message\nid: 7\nretry: 3000\ndata: x\n\n");
}

TEST(FormatSseEvent, NegativeRetryIsOmitted) {
  EXPECT_EQ(format_sse_event("x", "", "1"), "id: 1\ndata: x\n\n");
}

// ---- EventStream ----

TEST(EventStream, SentEventsAreTakenInOrderAsOneBatch) {
  EventStream es;
  ASSERT_TRUE(es.send_event("a"));
  ASSERT_TRUE(es.send_event("b", "message", "2"));
  auto batch = es.take();
  EXPECT_EQ(batch.data, "data: a\n\nevent: message\nid: 2\ndata: b\n\n");
  EXPECT_FALSE(batch.closed);
  EXPECT_TRUE(es.take().data.empty());
}

TEST(EventStream, OverflowInFramesEndsTheStreamWithOverflow) {
  EventStream es(/*max_frames=*/2, /*max_bytes=*/1024);
  std::vector<EndReason> reasons;
  es.set_on_end([&](EndReason r) { reasons.push_back(r); });
  EXPECT_TRUE(es.send_event("1"));
  EXPECT_TRUE(es.send_event("2"));
  EXPECT_FALSE(es.send_event("3"));
  EXPECT_TRUE(es.ended());
  EXPECT_FALSE(es.is_open());
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], EndReason::kOverflow);
}

TEST(EventStream, OverflowInBytesEndsTheStream) {
  EventStream es(/*max_frames=*/100, /*max_bytes=*/32);
  std::vector<EndReason> reasons;
  es.set_on_end([&](EndReason r) { reasons.push_back(r); });
  EXPECT_TRUE(es.send_frame("data: 0123456789\n\n"));  // 18 bytes
  EXPECT_FALSE(es.send_frame("data: 0123456789\n\n"));  // 36 > 32
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], EndReason::kOverflow);
}

TEST(EventStream, SendsAfterOverflowReturnFalseAndQueueNothing) {
  EventStream es(1, 1024);
  EXPECT_TRUE(es.send_event("1"));
  EXPECT_FALSE(es.send_event("2"));
  EXPECT_FALSE(es.send_event("3"));
  EXPECT_FALSE(es.send_frame("data: 4\n\n"));
  EXPECT_TRUE(es.take().data.empty());  // ending drops what was queued
}

TEST(EventStream, CloseThenTakeDeliversQueuedFramesAndReportsClosed) {
  EventStream es;
  ASSERT_TRUE(es.send_event("last"));
  es.close();
  EXPECT_FALSE(es.is_open());
  EXPECT_FALSE(es.ended());  // closing, not ended: the consumer still drains
  auto batch = es.take();
  EXPECT_EQ(batch.data, "data: last\n\n");
  EXPECT_TRUE(batch.closed);
}

TEST(EventStream, SendAfterCloseReturnsFalse) {
  EventStream es;
  es.close();
  EXPECT_FALSE(es.send_event("late"));
  auto batch = es.take();
  EXPECT_TRUE(batch.data.empty());
  EXPECT_TRUE(batch.closed);
}

TEST(EventStream, OnEndFiresExactlyOnceWithTheFirstReason) {
  EventStream es;
  int calls = 0;
  EndReason seen = EndReason::kClosed;
  es.set_on_end([&](EndReason r) {
    ++calls;
    seen = r;
  });
  es.end(EndReason::kPeerGone);
  es.end(EndReason::kShutdown);
  es.end(EndReason::kClosed);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(seen, EndReason::kPeerGone);
  EXPECT_TRUE(es.ended());
  EXPECT_FALSE(es.send_event("x"));
}

TEST(EventStream, OnEndMayEndTheStreamAgainWithoutDeadlockOrSecondCall) {
  EventStream es;
  int calls = 0;
  es.set_on_end([&](EndReason) {
    ++calls;
    es.end(EndReason::kShutdown);  // re-entrant: must be a no-op
  });
  es.end(EndReason::kClosed);
  EXPECT_EQ(calls, 1);
}

TEST(EventStream, WakerIsInvokedOnSendAndOnClose) {
  EventStream es;
  std::atomic<int> wakes{0};
  es.set_waker([&] { ++wakes; });
  EXPECT_EQ(wakes.load(), 0);  // nothing pending yet
  es.send_event("a");
  EXPECT_EQ(wakes.load(), 1);
  es.close();
  EXPECT_EQ(wakes.load(), 2);
}

TEST(EventStream, SettingAWakerWithPendingFramesWakesAtOnce) {
  EventStream es;
  es.send_event("queued before the consumer attached");
  int wakes = 0;
  es.set_waker([&] { ++wakes; });
  EXPECT_EQ(wakes, 1);
}

TEST(EventStream, OverflowWakesTheConsumerSoItNoticesTheEnd) {
  EventStream es(1, 1024);
  int wakes = 0;
  es.set_waker([&] { ++wakes; });
  es.send_event("1");
  const int before = wakes;
  EXPECT_FALSE(es.send_event("2"));
  EXPECT_GT(wakes, before);
}

}  // namespace
}  // namespace appsignals::net

namespace appsignals::net {
namespace {

// Issue #20 finding 2: streams sharing a budget cannot hold more than it together, the batch
// being written stays charged until the next take, and everything is returned at the end.
TEST(EventStream, SharedBudgetBoundsAllStreamsAndIsReturned) {
  auto budget = std::make_shared<StreamBudget>(1000);
  auto a = std::make_shared<EventStream>(1024, 800, budget);
  auto b = std::make_shared<EventStream>(1024, 800, budget);
  const std::string frame(300, 'x');
  EXPECT_TRUE(a->send_frame(frame));
  EXPECT_TRUE(a->send_frame(frame));
  EXPECT_TRUE(b->send_frame(frame));
  EXPECT_EQ(budget->used(), 900u);
  EXPECT_TRUE(budget->nearly_full());
  EXPECT_TRUE(a->backlogged());
  EXPECT_FALSE(b->send_frame(frame)) << "over the shared budget";
  EXPECT_TRUE(b->ended());
  EXPECT_EQ(budget->used(), 600u);
  auto batch = a->take();  // being written: still charged
  EXPECT_EQ(batch.data.size(), 600u);
  EXPECT_EQ(budget->used(), 600u);
  a->take();  // the write finished
  EXPECT_EQ(budget->used(), 0u);
  EXPECT_TRUE(a->send_frame(frame));
  a.reset();
  b.reset();
  EXPECT_EQ(budget->used(), 0u);
}

TEST(EventStream, OneLargeFramePassesWhenNothingElseIsPending) {
  EventStream es(1024, 100);
  EXPECT_TRUE(es.send_frame(std::string(500, 'x')));
  EXPECT_FALSE(es.send_frame(std::string(10, 'y'))) << "nothing more while the large one is pending";
}

}  // namespace
}  // namespace appsignals::net
