#include "tools/common/time_args.h"

#include <gtest/gtest.h>

namespace appsignals::tools {
namespace {

namespace json = boost::json;

TEST(TimeArgs, AcceptsUnixSecondsIsoAndSpaceSeparatedUtc) {
  EXPECT_EQ(epoch_seconds(*parse_time("1763330864", "t")), 1763330864);
  EXPECT_EQ(epoch_seconds(*parse_time("1763330864000", "t")), 1763330864);  // milliseconds
  EXPECT_EQ(epoch_seconds(*parse_time("2025-11-16T22:07:44Z", "t")), 1763330864);
  EXPECT_EQ(epoch_seconds(*parse_time("2025-11-16 22:07:44", "t")), 1763330864);
  EXPECT_EQ(epoch_seconds(*parse_time("2025-11-17T00:07:44+02:00", "t")), 1763330864);
  EXPECT_EQ(epoch_seconds(*parse_time("2025-11-16T22:07:44.250Z", "t")), 1763330864);
}

TEST(TimeArgs, UnparsableTimeNamesTheArgumentAndTheAcceptedForms) {
  auto r = parse_time("the day before the incident", "start_time");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("start_time"), std::string::npos);
  EXPECT_NE(r.error().message.find("ISO-8601"), std::string::npos);
  EXPECT_FALSE(parse_time("2025-13-01 00:00:00", "t").ok());
  EXPECT_FALSE(parse_time("2025-11-16T22:07:44Zjunk", "t").ok());
}

TEST(TimeArgs, AcceptsEveryDocumentedForm) {
  const auto now = TimePoint(std::chrono::seconds(1796346000));  // 2026-12-04T01:00:00Z
  auto at = [&](std::string_view text) {
    auto r = parse_time(text, "t", now);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? epoch_seconds(*r) : -1;
  };
  EXPECT_EQ(at("now"), 1796346000);
  EXPECT_EQ(at("NOW"), 1796346000);
  EXPECT_EQ(at(" now "), 1796346000);
  EXPECT_EQ(at("1h"), 1796346000 - 3600);
  EXPECT_EQ(at("30m"), 1796346000 - 1800);
  EXPECT_EQ(at("2d"), 1796346000 - 2 * 86400);
  EXPECT_EQ(at("90s"), 1796346000 - 90);
  EXPECT_EQ(at("now-3h"), 1796346000 - 3 * 3600);
  EXPECT_EQ(at("now - 30m"), 1796346000 - 1800);
  EXPECT_EQ(at("now+1h"), 1796346000 + 3600);
  EXPECT_EQ(at("-3h"), 1796346000 - 3 * 3600);
  EXPECT_EQ(at("3 hours ago"), 1796346000 - 3 * 3600);
  EXPECT_EQ(at("an hour ago"), 1796346000 - 3600);
  EXPECT_EQ(at("last 24 hours"), 1796346000 - 86400);
  EXPECT_EQ(at("past 2 days"), 1796346000 - 2 * 86400);
  EXPECT_EQ(at("last hour"), 1796346000 - 3600);
  EXPECT_EQ(at("today"), 1796342400);  // 2026-12-04T00:00:00Z
  EXPECT_EQ(at("yesterday"), 1796342400 - 86400);
  EXPECT_EQ(at("2026-12-04T01:00"), 1796346000);  // no seconds, no zone = UTC
  EXPECT_EQ(at("2026-12-04 01:00"), 1796346000);
  EXPECT_EQ(at("2026-12-04"), 1796342400);  // date alone = 00:00 UTC
  EXPECT_EQ(at("2026-12-04T01:00:00"), 1796346000);
  EXPECT_EQ(at("2026-12-04T03:00:00+02:00"), 1796346000);
  EXPECT_EQ(at("2026-12-04T03:00+0200"), 1796346000);
  EXPECT_EQ(at("2026-12-04 01:00:00 UTC"), 1796346000);
  EXPECT_EQ(at("1796346000"), 1796346000);
  EXPECT_EQ(at("1796346000000"), 1796346000);  // milliseconds
  EXPECT_EQ(at("1796346000.75"), 1796346000);
}

TEST(TimeArgs, RejectedFormsListTheAcceptedOnesWithExamples) {
  for (std::string_view bad : {"soon", "3 fortnights ago", "now*2", "2026-12-04T25:00", "12/04/2026", "", "last",
                               // Out of the representable range (nanoseconds in an int64): refused, not wrapped.
                               "99999999999", "9999-01-01", "99999999 weeks ago", "now-9999999999d"}) {
    auto r = parse_time(bad, "end_time");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("end_time"), std::string::npos);
    EXPECT_NE(r.error().message.find("3 hours ago"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("2026-12-04T01:00:00Z"), std::string::npos) << r.error().message;
  }
}

TEST(TimeArgs, WindowDefaultsToTheLastHoursAndRejectsReversedRanges) {
  auto now = TimePoint(std::chrono::seconds(1'800'000'000));
  auto w = time_window(json::object{}, "start_time", "end_time", std::chrono::hours(24), std::nullopt, now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->end, now);
  EXPECT_EQ(w->length(), std::chrono::hours(24));

  json::object reversed{{"start_time", "1800000000"}, {"end_time", "1799999000"}};
  auto bad = time_window(reversed, "start_time", "end_time", std::chrono::hours(24), std::nullopt, now);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("must be after"), std::string::npos);
}

TEST(TimeArgs, WindowLongerThanTheMaximumIsAnError) {
  auto now = TimePoint(std::chrono::seconds(1'800'000'000));
  json::object args{{"start_time", "1799900000"}, {"end_time", "1800000000"}};
  auto w = time_window(args, "start_time", "end_time", std::chrono::hours(3), std::chrono::hours(6), now);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("6 hours"), std::string::npos);
}

// Found by fuzzing (tests/fuzz/corpus/time_args/crash-out-of-range-double): a JSON number
// outside int64 was converted to int64 (undefined behaviour); it is an argument error.
TEST(TimeArgs, NumbersOutsideTheRangeOfTimesAreArgumentErrors) {
  auto now = TimePoint(std::chrono::seconds(1'800'000'000));
  for (double d : {1.76e21, -1e300, 9.3e18}) {
    json::object args{{"start_time", d}};
    auto w = time_window(args, "start_time", "end_time", std::chrono::hours(3), std::nullopt, now);
    ASSERT_FALSE(w.ok()) << d;
    EXPECT_NE(w.error().message.find("start_time"), std::string::npos);
  }
}

TEST(TimeArgs, FormatsUtc) {
  auto t = TimePoint(std::chrono::seconds(1763330864));
  EXPECT_EQ(format_iso(t), "2025-11-16T22:07:44Z");
  EXPECT_EQ(format_utc(t), "2025-11-16 22:07:44 UTC");
}

}  // namespace
}  // namespace appsignals::tools
