#include "fakeaws/services/canary_data.h"

#include <cstdio>
#include <ctime>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {

std::int64_t canary_interval(const SampleCanary& c) { return c.schedule == "rate(10 minutes)" ? 600 : 300; }

std::string canary_id(const SampleCanary& c) {
  char buf[40];
  auto h = static_cast<unsigned long long>(unit_noise(7, c.name, 1) * 1e15);
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-8%03llx-%012llx", h % 0xffffffffULL, h % 0xffffULL,
                h % 0xfffULL, (h / 7) % 0xfffULL, (h * 31) % 0xffffffffffffULL);
  return buf;
}

std::string canary_function_name(const SampleCanary& c) { return "cwsyn-" + c.name + "-" + canary_id(c).substr(0, 8); }

namespace {
std::string key_time(std::int64_t t) {
  auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y/%m/%d/%H/%M-%S-000", &tm);
  return buf;
}
constexpr int kRunsWithArtifacts = 6;
}  // namespace

std::vector<CanaryRunData> canary_runs(const SampleCanary& c, std::int64_t anchor) {
  std::vector<CanaryRunData> runs;
  std::int64_t step = canary_interval(c);
  std::int64_t last = anchor - anchor % step;
  for (int i = 0; i < 24 * 3600 / step; ++i) {
    CanaryRunData r;
    r.started = last - i * step;
    r.passed = i >= c.failing_runs;
    r.completed = r.started + (r.passed ? 12 : (c.failure_kind == "navigation_timeout" ? 34 : 4));
    r.id = canary_id(c).substr(0, 24) + std::to_string(r.started % 1000000000000LL);
    r.id.resize(36, '0');
    for (std::size_t p : {8u, 13u, 18u, 23u}) r.id[p] = '-';
    r.reason = r.passed ? "" : c.failure_reason;
    r.artifact_key_prefix = c.artifact_prefix.substr(c.artifact_prefix.find('/') + 1) + "/" + key_time(r.started);
    // A role that cannot write to S3 leaves no artifacts.
    r.has_artifacts = i < kRunsWithArtifacts && (r.passed || c.failure_kind != "permissions");
    runs.push_back(std::move(r));
  }
  return runs;
}

namespace {

std::string har(const SampleCanary& c, const CanaryRunData& r) {
  std::string status = r.passed ? "200" : "0";
  std::string time = r.passed ? "812" : "30000";
  std::string entries =
      R"({"startedDateTime":")" + rfc3339(static_cast<double>(r.started)) + R"(","time":)" + time +
      R"(,"request":{"method":"GET","url":")" + c.target_url + R"("},"response":{"status":)" + status +
      R"(,"statusText":")" + (r.passed ? "OK" : "") + R"("},"timings":{"blocked":2,"dns":5,"connect":20,"send":1,"wait":)" +
      (r.passed ? "640" : "30000") + R"(,"receive":)" + (r.passed ? "144" : "0") + "}}";
  entries += R"(,{"startedDateTime":")" + rfc3339(static_cast<double>(r.started) + 1) +
             R"(","time":95,"request":{"method":"GET","url":"https://shop.example.com/static/app.js"},"response":{"status":200,"statusText":"OK"},"timings":{"blocked":1,"dns":0,"connect":0,"send":1,"wait":60,"receive":33}})";
  if (!r.passed)
    entries += R"(,{"startedDateTime":")" + rfc3339(static_cast<double>(r.started) + 2) +
               R"(","time":30000,"request":{"method":"POST","url":"https://shop.example.com/api/checkout"},"response":{"status":0,"statusText":"","_error":"net::ERR_TIMED_OUT"},"timings":{"blocked":1,"dns":0,"connect":0,"send":1,"wait":29998,"receive":0}})";
  return "<html><head><title>HAR</title></head><body><script>var harOutput = {\"log\":{\"version\":\"1.2\","
         "\"creator\":{\"name\":\"CloudWatch Synthetics\",\"version\":\"9.1\"},\"entries\":[" +
         entries + "]}};</script></body></html>";
}

std::string report(const SampleCanary& c, const CanaryRunData& r) {
  return R"({"canaryName":")" + c.name + R"(","status":")" + (r.passed ? "PASSED" : "FAILED") +
         R"(","startTime":")" + rfc3339(static_cast<double>(r.started)) + R"(","endTime":")" +
         rfc3339(static_cast<double>(r.completed)) + R"(","steps":[{"stepName":"loadPage","status":")" +
         (r.passed ? "PASSED" : "FAILED") + R"(","failureReason":")" + r.reason + R"("}]})";
}

std::vector<std::string> run_log_lines(const SampleCanary& c, const CanaryRunData& r) {
  std::vector<std::string> lines = {"INFO: Start Canary", "INFO: Navigating to " + c.target_url};
  if (r.passed) {
    lines.push_back("INFO: Page loaded successfully in 812 ms");
    lines.push_back("INFO: Canary successful");
  } else if (c.failure_kind == "navigation_timeout") {
    lines.push_back("WARN: Request https://shop.example.com/api/checkout still pending after 25000 ms");
    lines.push_back("ERROR: Canary error: TimeoutError: " + c.failure_reason);
    lines.push_back("ERROR: Navigation failed: waiting for selector #checkout-confirmation");
    lines.push_back("INFO: Canary failed");
  } else {
    lines.push_back("INFO: Response status 200 from " + c.target_url);
    lines.push_back("ERROR: Failed to upload artifacts to S3: AccessDenied: " + c.failure_reason);
    lines.push_back("ERROR: Canary error: " + c.failure_reason);
    lines.push_back("INFO: Canary failed");
  }
  return lines;
}

}  // namespace

std::vector<S3ObjectData> artifact_objects(const SampleAccount& a, std::int64_t anchor) {
  std::vector<S3ObjectData> out;
  for (const auto& c : a.canaries) {
    for (const auto& r : canary_runs(c, anchor)) {
      if (!r.has_artifacts) continue;
      std::string p = r.artifact_key_prefix + "/";
      std::string result = r.passed ? "PASSED" : "FAILED";
      out.push_back({p + "SyntheticsReport-" + result + ".json", "application/json", report(c, r), r.completed});
      out.push_back({p + c.name + ".har.html", "text/html", har(c, r), r.completed});
      std::string log;
      for (const auto& l : run_log_lines(c, r)) log += rfc3339(static_cast<double>(r.started)) + " " + l + "\n";
      out.push_back({p + "logs-" + result + ".txt", "text/plain", log, r.completed});
      out.push_back({p + "01-page-loaded" + (r.passed ? "" : "-failed") + ".png", "image/png",
                     std::string("\x89PNG\r\n\x1a\n", 8) + "fake screenshot of " + c.target_url, r.completed});
    }
  }
  return out;
}

void canary_log_records(const SampleCanary& c, std::int64_t anchor, std::vector<LogRecord>& out) {
  auto runs = canary_runs(c, anchor);
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
    std::string stream = key_time(it->started).substr(0, 10) + "/[$LATEST]" + canary_id(c).substr(0, 8);
    int n = 0;
    for (const auto& l : run_log_lines(c, *it)) out.push_back({it->started * 1000 + 150 * n++, stream, l, {}});
  }
}

}  // namespace appsignals::fakeaws
