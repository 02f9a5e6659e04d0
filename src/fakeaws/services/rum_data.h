#pragma once
// The sample account's CloudWatch RUM app monitors and what they collect.
//
//   shop-web          Web, CloudWatch Logs on, X-Ray on. One browser session per sampled
//                     frontend/checkout request of traces_data.h: page views, navigation timing,
//                     Web Vitals, resources, HTTP calls to the shop API (carrying the X-Ray trace
//                     id of that request) and X-Ray trace events. From the incident start the
//                     /checkout page loads slowly (LCP 6-9 s) and failed checkouts throw a JS
//                     error; sessions come from six countries and four browsers.
//   shop-android      Android, Logs on: OpenTelemetry session starts and app launches, and a few
//                     crashes (three in the incident, one older).
//   marketing-site    Web, Logs off, X-Ray off, errors only, 5% sampling, cookies off: what
//                     check_data_access flags.
//
// Records are generated on demand (deterministic in anchor and seed) through the log-group
// registry (log_groups.cc); the AWS/RUM metrics are counted from the same records.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fakeaws/metrics_model.h"
#include "fakeaws/sample_account.h"
#include "fakeaws/services/log_groups.h"

namespace appsignals::fakeaws {

struct RumMonitor {
  std::string name;
  std::string id;        // UUID
  std::string platform;  // "Web", "Android", "iOS"
  std::string domain;
  bool cw_log = true;
  bool xray = true;
  std::vector<std::string> telemetries;  // errors, performance, http
  double sample_rate = 1.0;
  bool cookies = true;
  std::int64_t created_offset = 0;  // seconds before the anchor
  std::map<std::string, std::string> tags;
  std::string policy;  // resource policy JSON; empty: none

  // "/aws/vendedlogs/RUMService_<name><first 8 of id>" (also when Logs is off: the name it
  // would have).
  std::string log_group() const;
};

const std::vector<RumMonitor>& rum_monitors();
const RumMonitor* find_rum_monitor(const std::string& name);

// The log groups of the monitors with CloudWatch Logs on, and their records (registry entry).
std::vector<std::string> rum_log_groups(const SampleAccount& account);
void rum_log_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                     std::int64_t end_ms, std::vector<LogRecord>& out);

// AWS/RUM metrics (dimension application_name): JsErrorCount, HttpErrorCount, SessionCount,
// PageViewCount, PerformanceNavigationDuration, WebVitalsLargestContentfulPaint,
// WebVitalsCumulativeLayoutShift, WebVitalsInteractionToNextPaint.
Series rum_series(const SampleAccount& account, const SeriesQuery& q, std::int64_t anchor, std::uint64_t seed);

}  // namespace appsignals::fakeaws
