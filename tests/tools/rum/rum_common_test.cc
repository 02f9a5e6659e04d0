// The pure helpers of the rum toolset: query escaping, the bucket check, Web Vitals ratings and
// the monitor summary read from GetAppMonitor.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "tools/rum/rum_actions.h"
#include "tools/rum/rum_common.h"
#include "aws/aws_client.h"

namespace appsignals::tools::rum {
namespace {

TEST(RumEscape, QuotesBackslashesAndLineBreaksCannotLeaveTheLiteral) {
  EXPECT_EQ(escape("/checkout"), "/checkout");
  EXPECT_EQ(escape(R"(a"b)"), R"(a\"b)");
  EXPECT_EQ(escape(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(escape("a\nb\rc"), R"(a\nb\rc)");
  EXPECT_EQ(escape(R"(\")"), R"(\\\")");
  EXPECT_EQ(and_equals("metadata.pageId", ""), "");
  EXPECT_EQ(and_equals("metadata.pageId", "/x\""), R"( and metadata.pageId = "/x\"")");
}

TEST(RumBucket, OnlyAPositiveCountAndAUnit) {
  for (const char* ok : {"1h", "30m", "15s", "500ms", "1d", "90m"}) EXPECT_TRUE(valid_bucket(ok)) << ok;
  for (const char* bad : {"", "h", "0h", "1w", "1 h", "-1h", "1h)", "1h | limit 1", "1H", "1234567h"})
    EXPECT_FALSE(valid_bucket(bad)) << bad;
}

TEST(RumVitals, RatedAgainstThePublishedThresholds) {
  EXPECT_EQ(rate_vital("LCP", 2500), "good");
  EXPECT_EQ(rate_vital("LCP", 2501), "needs_improvement");
  EXPECT_EQ(rate_vital("LCP", 4000.5), "poor");
  EXPECT_EQ(rate_vital("INP", 200), "good");
  EXPECT_EQ(rate_vital("INP", 501), "poor");
  EXPECT_EQ(rate_vital("CLS", 0.1), "good");
  EXPECT_EQ(rate_vital("CLS", 0.2), "needs_improvement");
  EXPECT_EQ(rate_vital("CLS", 0.26), "poor");
  EXPECT_EQ(rate_vital("FID", 300), "needs_improvement");
  EXPECT_EQ(rate_vital("FID", 301), "poor");
  EXPECT_EQ(rate_vital("TTFB", 1), "");
}

TEST(RumMonitorInfo, PlatformAndLogGroupFromGetAppMonitor) {
  auto web = monitor_info(boost::json::parse(
      R"({"Name":"a","Id":"1","Platform":"Web","DataStorage":{"CwLog":{"CwLogEnabled":true,"CwLogGroup":"/g"}}})")
                              .as_object());
  EXPECT_EQ(web.platform, "web");
  EXPECT_TRUE(web.logs_enabled);
  EXPECT_EQ(web.log_group, "/g");
  auto ios = monitor_info(boost::json::parse(R"({"Name":"b","Platform":"iOS"})").as_object());
  EXPECT_EQ(ios.platform, "mobile");
  EXPECT_FALSE(ios.logs_enabled);
  auto unknown = monitor_info(boost::json::parse(R"({"Name":"c"})").as_object());
  EXPECT_EQ(unknown.platform, "");
}

// The monitor cache outlives the call and is read from other threads: an entry made from an
// AWS answer parsed into its per-response arena (aws::response_arena) must not share it.
TEST(RumMonitorCache, ACachedMonitorDoesNotShareTheAnswersArena) {
  clear_monitor_cache();
  boost::json::storage_ptr arena = aws::response_arena(256);
  boost::json::value answer = boost::json::parse(
      R"({"AppMonitor":{"Name":"shop","Id":"1","Platform":"Web","Tags":{"team":"a-long-enough-value-to-allocate"}}})",
      arena);
  // Copy construction shares the source's resource: the entry as a tool would hand it over.
  MonitorInfo info{"shop", "1", "web", "Web", false, "", answer.at("AppMonitor").as_object()};
  ASSERT_EQ(info.app_monitor.storage().get(), arena.get());
  remember_monitor("us-east-1|shop", info);
  auto hit = cached_monitor("us-east-1|shop");
  ASSERT_TRUE(hit.has_value());
  EXPECT_NE(hit->app_monitor.storage().get(), arena.get());
  EXPECT_FALSE(hit->app_monitor.storage().is_shared());
  EXPECT_EQ(hit->app_monitor.storage().get(), boost::json::storage_ptr().get());
  EXPECT_EQ(hit->app_monitor.at("Tags").at("team").as_string(), "a-long-enough-value-to-allocate");
  EXPECT_EQ(hit->name, "shop");
  clear_monitor_cache();
}

TEST(RumNumbers, IntegersStayIntegers) {
  EXPECT_TRUE(num_value(12.0, 3).is_int64());
  EXPECT_EQ(num_value(7232.6, 0).as_int64(), 7233);
  EXPECT_DOUBLE_EQ(num_value(0.1234, 3).as_double(), 0.123);
}

}  // namespace
}  // namespace appsignals::tools::rum
