// query_rum_events through the MCP engine against the fake AWS sample account: every action with
// facts from the incident story (JS errors and slow /checkout loads from the incident start, the
// payments faults behind them), every validation error, and a query timeout that stops the query.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "tool_harness.h"
#include "tools/rum/rum_tools.h"

namespace appsignals::testing {
namespace {

using fakeaws::FaultKind;
using fakeaws::FaultSpec;

ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::rum_tools>; }

// The tool with a 1 s query timeout (the timeout test).
void register_fast(mcp::Registry& registry, std::shared_ptr<const tools::ToolEnv> env) {
  tools::rum::RumOptions options;
  options.query_timeout = std::chrono::seconds(1);
  std::vector<tools::ToolEntry> entries;
  entries.push_back(tools::rum::query_rum_events_tool(options));
  tools::register_entries(registry, std::move(env), entries);
}

// The tool running one query at a time (the parallelism test).
void register_serial(mcp::Registry& registry, std::shared_ptr<const tools::ToolEnv> env) {
  tools::rum::RumOptions options;
  options.max_parallel_queries = 1;
  std::vector<tools::ToolEntry> entries;
  entries.push_back(tools::rum::query_rum_events_tool(options));
  tools::register_entries(registry, std::move(env), entries);
}

// The Logs operations in the order the fake received them: "S" StartQuery, "G" GetQueryResults.
std::string logs_sequence(const ToolHarness& h) {
  std::string out;
  for (const auto& r : h.requests()) {
    if (r.operation == "StartQuery") out += 'S';
    else if (r.operation == "GetQueryResults") out += 'G';
  }
  return out;
}

const json::object& structured(const ToolCallResult& r) { return r.result.at("structuredContent").as_object(); }
bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

json::object window_args(const std::string& action, const std::string& monitor = "shop-web") {
  return json::object{{"action", action}, {"app_monitor_name", monitor}, {"start_time", "now-3h"}, {"end_time", "now"}};
}

std::vector<fakeaws::RequestRecord> requests_for(const ToolHarness& h, std::string_view op) {
  std::vector<fakeaws::RequestRecord> out;
  for (auto& r : h.requests())
    if (r.operation == op) out.push_back(r);
  return out;
}

const json::object* find_by(const json::array& items, std::string_view key, std::string_view value) {
  for (const auto& v : items)
    if (v.as_object().contains(key) && v.as_object().at(key) == json::value(value)) return &v.as_object();
  return nullptr;
}

class QueryRumEvents : public ::testing::Test {
 protected:
  void SetUp() override { tools::rum::clear_monitor_cache(); }
  ToolCallResult call(json::object args) { return h_.call("query_rum_events", std::move(args)); }
  ToolHarness h_{registrar()};
};

// ---- account and configuration ----

TEST_F(QueryRumEvents, ListMonitorsNamesTheThreeMonitorsAndHonoursMaxResults) {
  auto r = call(json::object{{"action", "list_monitors"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("count").as_int64(), 3);
  const auto& list = s.at("app_monitors").as_array();
  ASSERT_NE(find_by(list, "name", "shop-web"), nullptr);
  EXPECT_EQ(find_by(list, "name", "shop-android")->at("platform"), "Android");
  EXPECT_NE(find_by(list, "name", "marketing-site"), nullptr);
  auto one = call(json::object{{"action", "list_monitors"}, {"max_results", 1}});
  EXPECT_EQ(structured(one).at("count").as_int64(), 1) << one.text;
}

TEST_F(QueryRumEvents, GetMonitorReturnsItsConfigurationAndIsCachedPerMonitor) {
  auto r = call(json::object{{"action", "get_monitor"}, {"app_monitor_name", "shop-web"}});
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& m = structured(r).at("app_monitor").as_object();
  EXPECT_EQ(m.at("Platform"), "Web");
  EXPECT_EQ(m.at("DataStorage").at("CwLog").at("CwLogGroup"), "/aws/vendedlogs/RUMService_shop-web3f6b2c1e");
  EXPECT_TRUE(m.at("AppMonitorConfiguration").at("EnableXRay").as_bool());
  auto again = call(window_args("page_views"));
  ASSERT_FALSE(again.is_error) << again.text;
  EXPECT_EQ(requests_for(h_, "GetAppMonitor").size(), 1u) << "the second call reads the cache";
}

TEST_F(QueryRumEvents, CheckDataAccessFlagsTheMonitorWithLogsOff) {
  auto r = call(json::object{{"action", "check_data_access"}, {"app_monitor_name", "marketing-site"}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_FALSE(s.at("cloudwatch_logs_enabled").as_bool());
  EXPECT_FALSE(s.at("ready_for_analytics").as_bool());
  const auto& findings = s.at("findings").as_array();
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].at("severity"), "HIGH");
  EXPECT_TRUE(contains(json::serialize(findings[0]), "--cw-log-enabled")) << r.text;
  EXPECT_TRUE(contains(r.text, "X-Ray tracing is off")) << r.text;
  EXPECT_TRUE(contains(r.text, "'performance' telemetry")) << r.text;
  EXPECT_TRUE(contains(r.text, "SessionSampleRate is 5%")) << r.text;
  EXPECT_TRUE(contains(r.text, "cookies are off")) << r.text;

  auto ok = call(json::object{{"action", "check_data_access"}, {"app_monitor_name", "shop-web"}});
  ASSERT_FALSE(ok.is_error) << ok.text;
  EXPECT_TRUE(structured(ok).at("findings").as_array().empty()) << ok.text;
}

TEST_F(QueryRumEvents, ListTagsAndResourcePolicy) {
  auto tags = call(json::object{{"action", "list_tags"},
                                {"resource_arn", "arn:aws:rum:us-east-1:123456789012:appmonitor/shop-web"}});
  ASSERT_FALSE(tags.is_error) << tags.text;
  EXPECT_EQ(structured(tags).at("tags").at("team"), "shop");
  auto unknown = call(json::object{{"action", "list_tags"},
                                   {"resource_arn", "arn:aws:rum:us-east-1:123456789012:appmonitor/nope"}});
  EXPECT_TRUE(unknown.is_error);
  EXPECT_TRUE(contains(unknown.text, "appmonitor/nope")) << unknown.text;

  auto policy = call(json::object{{"action", "get_policy"}, {"app_monitor_name", "shop-web"}});
  ASSERT_FALSE(policy.is_error) << policy.text;
  EXPECT_EQ(structured(policy).at("policy").at("Statement").at(0).at("Action"), "rum:PutRumEvents");
  auto none = call(json::object{{"action", "get_policy"}, {"app_monitor_name", "shop-android"}});
  ASSERT_FALSE(none.is_error) << none.text;
  EXPECT_TRUE(structured(none).at("policy").is_null());
}

TEST_F(QueryRumEvents, MetricsReadAwsRumByApplicationName) {
  auto args = window_args("metrics");
  args["metric_names"] = R"(["JsErrorCount","PerformanceNavigationDuration"])";
  args["statistic"] = "Sum";
  args["period"] = 3600;
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& js = s.at("metrics").at("JsErrorCount").as_object();
  EXPECT_GT(js.at("points").as_int64(), 0) << r.text;
  EXPECT_GE(js.at("maximum").to_number<double>(), 5.0) << "the incident hour has the payment errors";
  auto reqs = requests_for(h_, "GetMetricData");
  ASSERT_EQ(reqs.size(), 1u);
  const auto& metric = reqs[0].input.at("MetricDataQueries").at(0).at("MetricStat").at("Metric");
  EXPECT_EQ(metric.at("Namespace"), "AWS/RUM");
  EXPECT_EQ(metric.at("Dimensions").at(0).at("Name"), "application_name");
  EXPECT_EQ(metric.at("Dimensions").at(0).at("Value"), "shop-web");

  auto bad = window_args("metrics");
  bad["metric_names"] = "[]";
  EXPECT_TRUE(call(bad).is_error);
}

TEST_F(QueryRumEvents, SloHealthAsksForTheMonitorsSlos) {
  auto r = call(window_args("slo_health"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("slo_count").as_int64(), 0);
  EXPECT_TRUE(contains(r.text, "AWS::RUM::AppMonitor")) << r.text;
  auto reqs = requests_for(h_, "ListServiceLevelObjectives");
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].input.at("KeyAttributes").at("ResourceType"), "AWS::RUM::AppMonitor");
  EXPECT_EQ(reqs[0].input.at("KeyAttributes").at("Identifier"), "shop-web");
}

// ---- Logs Insights actions (web) ----

TEST_F(QueryRumEvents, QueryRunsVerbatimAndCapsMaxResults) {
  auto args = window_args("query");
  args["query_string"] = "filter event_type = \"com.amazon.rum.js_error_event\" | stats count(*) as n by event_details.type";
  args["max_results"] = 500;
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "above 200")) << r.text;
  auto s = structured(r);
  EXPECT_TRUE(contains(json::serialize(s.at("rows")), "PaymentError")) << r.text;
  auto starts = requests_for(h_, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].input.at("limit").as_int64(), 200);
  EXPECT_EQ(starts[0].input.at("queryString"), args["query_string"]);
}

TEST_F(QueryRumEvents, HealthSummarisesAndComparesWithThePreviousWindow) {
  auto args = window_args("health");
  args["compare_previous"] = true;
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& cur = s.at("current").as_object();
  EXPECT_EQ(cur.at("slowest_pages").at(0).at("page"), "/checkout");
  EXPECT_GT(cur.at("total_errors").as_int64(), 10);
  EXPECT_TRUE(s.contains("previous"));
  // The incident is in the current window only: errors went up.
  EXPECT_GT(s.at("error_change").as_int64(), 0) << r.text;
  EXPECT_EQ(requests_for(h_, "StartQuery").size(), 6u);
}

TEST_F(QueryRumEvents, ErrorsPutThePaymentErrorOnCheckoutFirst) {
  auto r = call(window_args("errors"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& top = s.at("js_errors").at(0).as_object();
  EXPECT_EQ(top.at("type"), "PaymentError");
  EXPECT_EQ(top.at("page"), "/checkout");
  EXPECT_GE(top.at("count").as_int64(), 8);
  EXPECT_EQ(s.at("http_errors").at(0).at("status").as_int64(), 500);
  EXPECT_TRUE(contains(s.at("http_errors").at(0).at("url").as_string().c_str(), "/api/checkout"));

  auto args = window_args("errors");
  args["group_by"] = "Country";
  args["page_url"] = "/checkout";
  auto grouped = call(args);
  ASSERT_FALSE(grouped.is_error) << grouped.text;
  auto g = structured(grouped);
  EXPECT_EQ(g.at("group_by"), "country");
  EXPECT_TRUE(g.at("js_errors").at(0).as_object().contains("country")) << grouped.text;
  for (const auto& e : g.at("js_errors").as_array()) EXPECT_EQ(e.at("page"), "/checkout");
}

TEST_F(QueryRumEvents, UserTextIsEscapedInQueries) {
  auto args = window_args("errors");
  args["page_url"] = "/x\" | stats count(*) by @log | filter \"a\\\nb";
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto starts = requests_for(h_, "StartQuery");
  ASSERT_FALSE(starts.empty());
  std::string q(starts[0].input.at("queryString").as_string());
  EXPECT_TRUE(contains(q, R"(metadata.pageId = "/x\" | stats count(*) by @log | filter \"a\\\nb")")) << q;
  EXPECT_EQ(structured(r).at("js_error_total").as_int64(), 0);
}

TEST_F(QueryRumEvents, PerformanceRatesTheCheckoutLcpPoor) {
  auto r = call(window_args("performance"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& pages = s.at("pages").as_array();
  const auto* checkout = find_by(pages, "page", "/checkout");
  ASSERT_NE(checkout, nullptr) << r.text;
  EXPECT_EQ(pages.at(0).at("page"), "/checkout") << "slowest first";
  const auto& lcp = checkout->at("web_vitals").at("LCP").as_object();
  EXPECT_GT(lcp.at("p90").to_number<double>(), 4000.0);
  EXPECT_EQ(lcp.at("p90_rating"), "poor");
  EXPECT_EQ(find_by(pages, "page", "/")->at("web_vitals").at("LCP").at("p90_rating"), "good");

  // Before the incident the checkout page is slow but not poor.
  auto before = json::object{{"action", "performance"}, {"app_monitor_name", "shop-web"}, {"start_time", "now-8h"},
                             {"end_time", "now-4h"}, {"page_url", "/checkout"}};
  auto b = call(before);
  ASSERT_FALSE(b.is_error) << b.text;
  const auto& bp = structured(b).at("pages").as_array();
  ASSERT_EQ(bp.size(), 1u) << b.text;
  EXPECT_EQ(bp[0].at("web_vitals").at("LCP").at("p90_rating"), "needs_improvement") << b.text;
}

TEST_F(QueryRumEvents, SessionsAndSessionDetail) {
  auto r = call(window_args("sessions"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  const auto& list = s.at("sessions").as_array();
  ASSERT_FALSE(list.empty());
  std::set<std::string> countries, browsers;
  for (const auto& v : list) {
    countries.insert(std::string(v.at("country").as_string()));
    browsers.insert(std::string(v.at("browser").as_string()));
  }
  EXPECT_GE(countries.size(), 3u) << r.text;
  EXPECT_GE(browsers.size(), 3u) << r.text;

  // The sessions with most errors are the failed checkouts.
  auto health = structured(call(window_args("health")));
  std::string id(health.at("current").at("sessions_with_most_errors").at(0).at("session_id").as_string());
  auto args = window_args("session_detail");
  args["session_id"] = id;
  auto d = call(args);
  ASSERT_FALSE(d.is_error) << d.text;
  EXPECT_TRUE(contains(d.text, "com.amazon.rum.js_error_event")) << d.text;
  EXPECT_TRUE(contains(d.text, "/checkout")) << d.text;

  args["session_id"] = "sess-does-not-exist";
  auto missing = call(args);
  EXPECT_TRUE(missing.is_error);
  EXPECT_TRUE(contains(missing.text, "action='sessions'")) << missing.text;
}

TEST_F(QueryRumEvents, PageViewsAndPageFlows) {
  auto views = call(window_args("page_views"));
  ASSERT_FALSE(views.is_error) << views.text;
  EXPECT_NE(find_by(structured(views).at("pages").as_array(), "page", "/checkout"), nullptr) << views.text;
  auto flows = call(window_args("page_flows"));
  ASSERT_FALSE(flows.is_error) << flows.text;
  const auto* cart_to_checkout = find_by(structured(flows).at("flows").as_array(), "to", "/checkout");
  ASSERT_NE(cart_to_checkout, nullptr) << flows.text;
  EXPECT_EQ(cart_to_checkout->at("from"), "/cart");
}

TEST_F(QueryRumEvents, TimeseriesBinsAndValidatesTheBucket) {
  auto args = window_args("timeseries");
  args["metric"] = "performance";
  args["bucket"] = "30m";
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_GE(s.at("points").as_array().size(), 5u) << r.text;
  EXPECT_TRUE(contains(std::string(requests_for(h_, "StartQuery").back().input.at("queryString").as_string()),
                       "bin(30m)"));

  args["metric"] = "sessions";
  EXPECT_FALSE(call(args).is_error);
  args["metric"] = "errors";
  EXPECT_FALSE(call(args).is_error);

  for (const char* bad : {"1h) | display @message | stats count(*) by bin(1h", "0m", "15", "1w", "-1h"}) {
    args["bucket"] = bad;
    auto e = call(args);
    EXPECT_TRUE(e.is_error) << bad;
    EXPECT_TRUE(contains(e.text, "bucket")) << e.text;
  }
  args["bucket"] = "1s";
  auto many = call(args);
  EXPECT_TRUE(many.is_error);
  EXPECT_TRUE(contains(many.text, "larger bucket")) << many.text;
}

TEST_F(QueryRumEvents, LocationsHttpRequestsAndResources) {
  auto loc = call(window_args("locations"));
  ASSERT_FALSE(loc.is_error) << loc.text;
  EXPECT_GE(structured(loc).at("country_count").as_int64(), 3) << loc.text;

  auto http = call(window_args("http_requests"));
  ASSERT_FALSE(http.is_error) << http.text;
  const auto* checkout = find_by(structured(http).at("requests").as_array(), "url", "https://shop.example.com/api/checkout");
  ASSERT_NE(checkout, nullptr) << http.text;
  EXPECT_GE(checkout->at("http_5xx").as_int64(), 8);

  auto res = call(window_args("resources"));
  ASSERT_FALSE(res.is_error) << res.text;
  EXPECT_EQ(structured(res).at("resources").at(0).at("file_type"), "image") << "the hero image is slowest";
}

TEST_F(QueryRumEvents, AnalyzeFindsTheCheckoutErrorAnomaly) {
  auto r = call(window_args("analyze"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("anomaly_count").as_int64(), 1);
  EXPECT_TRUE(contains(r.text, "Checkout failed")) << r.text;
  auto det = requests_for(h_, "ListLogAnomalyDetectors");
  ASSERT_EQ(det.size(), 1u);
  EXPECT_EQ(det[0].input.at("filterLogGroupArn"),
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/RUMService_shop-web3f6b2c1e");
  EXPECT_EQ(requests_for(h_, "GetCallerIdentity").size(), 1u);
}

TEST_F(QueryRumEvents, CorrelateNamesPaymentsAndItsFaults) {
  auto args = window_args("correlate");
  args["page_url"] = "/checkout";
  args["max_traces"] = 7;
  auto r = call(args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto s = structured(r);
  EXPECT_EQ(s.at("trace_ids").as_array().size(), 7u);
  EXPECT_EQ(s.at("traces_found").as_int64(), 7);
  const auto& services = s.at("backend_services").as_array();
  const auto* payments = find_by(services, "service", "payments");
  ASSERT_NE(payments, nullptr) << r.text;
  EXPECT_GT(payments->at("faults").as_int64(), 0);
  EXPECT_TRUE(payments->at("exceptions").as_object().contains("ProvisionedThroughputExceededException")) << r.text;
  // 7 ids: two BatchGetTraces calls of at most 5; the query oversampled 5 times.
  auto batches = requests_for(h_, "BatchGetTraces");
  ASSERT_EQ(batches.size(), 2u);
  for (const auto& b : batches) EXPECT_LE(b.input.at("TraceIds").as_array().size(), 5u);
  EXPECT_EQ(requests_for(h_, "StartQuery").at(0).input.at("limit").as_int64(), 35);
}

// ---- mobile ----

TEST_F(QueryRumEvents, MobileCrashesLaunchesAndSessions) {
  auto r = call(window_args("crashes", "shop-android"));
  ASSERT_FALSE(r.is_error) << r.text;
  const auto& top = structured(r).at("crashes").at(0).as_object();
  EXPECT_EQ(top.at("exception_type"), "java.lang.IllegalStateException");
  EXPECT_EQ(top.at("crashes").as_int64(), 3);
  auto day = json::object{{"action", "crashes"}, {"app_monitor_name", "shop-android"}, {"start_time", "now-24h"},
                          {"end_time", "now"}, {"platform", "android"}};
  auto d = call(day);
  ASSERT_FALSE(d.is_error) << d.text;
  EXPECT_EQ(structured(d).at("count").as_int64(), 2) << d.text;

  auto launches = call(window_args("app_launches", "shop-android"));
  ASSERT_FALSE(launches.is_error) << launches.text;
  const auto& l = structured(launches).at("launches").as_array();
  ASSERT_FALSE(l.empty());
  EXPECT_GT(l[0].at("p50_ms").to_number<double>(), 100.0);

  auto sessions = call(window_args("sessions", "shop-android"));
  ASSERT_FALSE(sessions.is_error) << sessions.text;
  EXPECT_GE(structured(sessions).at("session_count").as_int64(), 15);
  auto args = window_args("timeseries", "shop-android");
  args["metric"] = "sessions";
  EXPECT_FALSE(call(args).is_error);
  args["metric"] = "errors";
  EXPECT_TRUE(call(args).is_error);
}

// ---- validation ----

TEST_F(QueryRumEvents, UnknownActionListsTheActions) {
  auto r = call(json::object{{"action", "crash_report"}});
  EXPECT_TRUE(r.is_error);
  for (const char* a : {"check_data_access", "correlate", "slo_health", "page_flows"})
    EXPECT_TRUE(contains(r.text, a)) << r.text;
  EXPECT_TRUE(h_.requests().empty());
}

TEST_F(QueryRumEvents, AnArgumentTheActionDoesNotTakeIsRefusedWithWhatItAccepts) {
  auto args = window_args("performance");
  args["group_by"] = "country";
  auto r = call(args);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "does not take group_by")) << r.text;
  EXPECT_TRUE(contains(r.text, "optional: page_url")) << r.text;
  auto lm = call(json::object{{"action", "list_monitors"}, {"app_monitor_name", "shop-web"}});
  EXPECT_TRUE(lm.is_error);
  EXPECT_TRUE(contains(lm.text, "does not take app_monitor_name")) << lm.text;
  // An argument no action takes is not silently dropped either.
  auto typo = call(json::object{{"action", "list_monitors"}, {"monitor", "shop-web"}});
  EXPECT_TRUE(typo.is_error);
  EXPECT_TRUE(contains(typo.text, "does not take monitor")) << typo.text;
  EXPECT_TRUE(h_.requests().empty());
}

TEST_F(QueryRumEvents, MissingArgumentsAreNamedWithAnExample) {
  auto r = call(window_args("correlate"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "needs page_url")) << r.text;
  EXPECT_TRUE(contains(r.text, "query_rum_events(action=\"correlate\"")) << r.text;
  auto no_window = call(json::object{{"action", "errors"}, {"app_monitor_name", "shop-web"}});
  EXPECT_TRUE(no_window.is_error);
  EXPECT_TRUE(contains(no_window.text, "start_time, end_time")) << no_window.text;
  auto no_monitor = call(json::object{{"action", "get_monitor"}});
  EXPECT_TRUE(contains(no_monitor.text, "needs app_monitor_name")) << no_monitor.text;
  auto no_arn = call(json::object{{"action", "list_tags"}});
  EXPECT_TRUE(contains(no_arn.text, "needs resource_arn")) << no_arn.text;
  auto no_query = call(window_args("query"));
  EXPECT_TRUE(contains(no_query.text, "needs query_string")) << no_query.text;
  auto no_session = call(window_args("session_detail"));
  EXPECT_TRUE(contains(no_session.text, "needs session_id")) << no_session.text;
  auto no_names = call(window_args("metrics"));
  EXPECT_TRUE(contains(no_names.text, "needs metric_names")) << no_names.text;
}

TEST_F(QueryRumEvents, BadValuesAreRefused) {
  auto args = window_args("errors");
  args["start_time"] = "now";
  args["end_time"] = "now-1h";
  auto r = call(args);
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "end_time")) << r.text;
  auto g = window_args("errors");
  g["group_by"] = "planet";
  EXPECT_TRUE(call(g).is_error);
  auto p = window_args("crashes", "shop-android");
  p["platform"] = "windows";
  EXPECT_TRUE(call(p).is_error);
}

TEST_F(QueryRumEvents, UnknownMonitorIsNotFound) {
  auto r = call(window_args("errors", "shop-webb"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "'shop-webb' was not found")) << r.text;
  EXPECT_TRUE(contains(r.text, "list_monitors")) << r.text;
}

TEST_F(QueryRumEvents, LogsOffSaysHowToTurnThemOn) {
  auto r = call(window_args("errors", "marketing-site"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "aws rum update-app-monitor --name marketing-site --cw-log-enabled")) << r.text;
  EXPECT_TRUE(requests_for(h_, "StartQuery").empty());
}

TEST_F(QueryRumEvents, TheWrongPlatformIsRefusedWithTheReason) {
  auto web_on_mobile = call(window_args("performance", "shop-android"));
  EXPECT_TRUE(web_on_mobile.is_error);
  EXPECT_TRUE(contains(web_on_mobile.text, "works on web app monitors")) << web_on_mobile.text;
  EXPECT_TRUE(contains(web_on_mobile.text, "Android")) << web_on_mobile.text;
  auto mobile_on_web = call(window_args("crashes"));
  EXPECT_TRUE(mobile_on_web.is_error);
  EXPECT_TRUE(contains(mobile_on_web.text, "works on mobile app monitors")) << mobile_on_web.text;
  auto args = window_args("crashes", "shop-android");
  args["platform"] = "ios";
  auto ios = call(args);
  EXPECT_TRUE(ios.is_error);
  EXPECT_TRUE(contains(ios.text, "platform='android'")) << ios.text;
  EXPECT_TRUE(requests_for(h_, "StartQuery").empty());
}

TEST_F(QueryRumEvents, AccessDeniedNamesTheIamAction) {
  h_.arm_fault(FaultSpec{"GetAppMonitor", FaultKind::kAccessDenied, -1});
  auto r = call(window_args("errors"));
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "rum:GetAppMonitor")) << r.text;
}

TEST(QueryRumEventsParallelism, HealthRunsItsQueriesTogetherUpToTheBound) {
  tools::rum::clear_monitor_cache();
  {
    ToolHarness h(registrar());
    auto r = h.call("query_rum_events", window_args("health"));
    ASSERT_FALSE(r.is_error) << r.text;
    EXPECT_EQ(logs_sequence(h).substr(0, 3), "SSS") << "three queries started before the first poll";
  }
  {
    ToolHarness h(&register_serial);
    auto r = h.call("query_rum_events", window_args("health"));
    ASSERT_FALSE(r.is_error) << r.text;
    auto seq = logs_sequence(h);
    EXPECT_EQ(seq.find("SS"), std::string::npos) << "one query at a time: " << seq;
    EXPECT_EQ(std::count(seq.begin(), seq.end(), 'S'), 3) << seq;
  }
}

TEST(QueryRumEventsTimeout, ASlowQueryIsStopped) {
  tools::rum::clear_monitor_cache();
  ToolHarness h(&register_fast);
  // Every poll takes 1.5 s, so the 1 s query timeout passes while the query still runs.
  FaultSpec slow{"GetQueryResults", FaultKind::kLatency, -1};
  slow.latency_ms = 1500;
  h.arm_fault(slow);
  auto started = std::chrono::steady_clock::now();
  auto r = h.call("query_rum_events", window_args("page_views"));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "StopQuery")) << r.text;
  auto stops = requests_for(h, "StopQuery");
  ASSERT_EQ(stops.size(), 1u);
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_TRUE(contains(r.text, std::string(stops[0].input.at("queryId").as_string()))) << r.text;
  EXPECT_LT(took, std::chrono::seconds(10));
}

}  // namespace
}  // namespace appsignals::testing
