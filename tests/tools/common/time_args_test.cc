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
  auto r = parse_time("yesterday", "start_time");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("start_time"), std::string::npos);
  EXPECT_NE(r.error().message.find("ISO-8601"), std::string::npos);
  EXPECT_FALSE(parse_time("2025-13-01 00:00:00", "t").ok());
  EXPECT_FALSE(parse_time("2025-11-16T22:07:44Zjunk", "t").ok());
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

TEST(TimeArgs, FormatsUtc) {
  auto t = TimePoint(std::chrono::seconds(1763330864));
  EXPECT_EQ(format_iso(t), "2025-11-16T22:07:44Z");
  EXPECT_EQ(format_utc(t), "2025-11-16 22:07:44 UTC");
}

}  // namespace
}  // namespace appsignals::tools
