// Logs Insights queries and X-Ray filter expressions through the fake's HTTP front: the sample
// account answers what the query asks (projection, filters, stats, limit) and rejects what is
// outside the subset as the real services do (MalformedQueryException, InvalidRequestException).
#include <set>

#include "fakeaws/fake_client.h"

namespace appsignals::fakeaws::testing {
namespace {

namespace js = boost::json;

class FakeAwsQueries : public FakeAwsFixture {
 protected:
  // StartQuery over the last `hours`; `extra` adds members ("logGroupNames", "limit").
  Reply start_query(const std::string& query, const std::string& extra = R"("logGroupNames":["aws/spans"])",
                    int hours = 3) {
    auto now = epoch(std::chrono::system_clock::now());
    js::object body;
    body["queryString"] = query;
    body["startTime"] = now - hours * 3600;
    body["endTime"] = now;
    std::string text = js::serialize(body);
    if (!extra.empty()) text = text.substr(0, text.size() - 1) + "," + extra + "}";
    return logs("StartQuery", text);
  }

  // Runs the query to completion (the fake answers Running once, then Complete).
  js::object results(const std::string& query, const std::string& extra = R"("logGroupNames":["aws/spans"])",
                     int hours = 3) {
    auto started = start_query(query, extra, hours);
    EXPECT_EQ(started.status, 200) << query << ": " << started.body;
    if (started.status != 200) return {};
    std::string poll = R"({"queryId":")" + std::string(started.json().at("queryId").as_string()) + R"("})";
    EXPECT_EQ(logs("GetQueryResults", poll).json().at("status"), "Running");
    auto done = logs("GetQueryResults", poll);
    EXPECT_EQ(done.json().at("status"), "Complete") << done.body;
    return done.json().as_object();
  }

  static std::vector<std::string> fields_of(const js::value& row) {
    std::vector<std::string> out;
    for (const auto& cell : row.as_array()) out.emplace_back(cell.at("field").as_string());
    return out;
  }
  static std::string value_of(const js::value& row, const std::string& field) {
    for (const auto& cell : row.as_array())
      if (cell.at("field").as_string() == field) return std::string(cell.at("value").as_string());
    return "<absent>";
  }

  Reply summaries(const std::string& filter, int hours = 3) {
    auto now = epoch(std::chrono::system_clock::now());
    js::object body{{"StartTime", now - hours * 3600}, {"EndTime", now}};
    if (!filter.empty()) body["FilterExpression"] = filter;
    return rest_json("xray", "POST", "/TraceSummaries", "", js::serialize(body));
  }
};

TEST_F(FakeAwsQueries, MalformedQueryFailsAtStartQueryLikeLogs) {
  auto r = start_query("fields @timestamp | parse @message 'x=*' as x");
  EXPECT_EQ(r.status, 400);
  auto body = r.json().as_object();
  EXPECT_EQ(body.at("__type"), "MalformedQueryException");
  EXPECT_NE(std::string(body.at("message").as_string()).find("parse command is not supported"), std::string::npos)
      << r.body;
  const auto& compile = body.at("queryCompileError").as_object();
  EXPECT_EQ(compile.at("location").at("startCharOffset").to_number<std::int64_t>(), 20);
  EXPECT_EQ(compile.at("location").at("endCharOffset").to_number<std::int64_t>(), 25);
  EXPECT_EQ(compile.at("message"), body.at("message"));
  for (const char* bad : {"filter attributes.aws.local.service = ", "stats count(*) by", "fields a | limit 0",
                          "filter (fault", "SELECT * FROM `aws/spans`"}) {
    auto e = start_query(bad);
    EXPECT_EQ(e.status, 400) << bad;
    EXPECT_EQ(e.json().at("__type"), "MalformedQueryException") << bad;
  }
}

TEST_F(FakeAwsQueries, StatsCountByServiceReturnsOnlyTheAggregatedColumns) {
  auto out = results("stats count(*) by attributes.aws.local.service");
  const auto& rows = out.at("results").as_array();
  ASSERT_GE(rows.size(), 3u);
  std::set<std::string> services;
  std::int64_t total = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(fields_of(row), (std::vector<std::string>{"attributes.aws.local.service", "count(*)"}));
    services.insert(value_of(row, "attributes.aws.local.service"));
    total += std::stoll(value_of(row, "count(*)"));
  }
  EXPECT_TRUE(services.count("payments"));
  EXPECT_TRUE(services.count("checkout"));
  const auto& stats = out.at("statistics").as_object();
  EXPECT_EQ(total, stats.at("recordsMatched").to_number<std::int64_t>());
  EXPECT_EQ(total, stats.at("recordsScanned").to_number<std::int64_t>());
  EXPECT_GT(stats.at("bytesScanned").to_number<double>(), 400.0 * static_cast<double>(total));
}

TEST_F(FakeAwsQueries, FieldsProjectsTheNamedFieldsAndPtr) {
  auto out = results("fields @timestamp, traceId, attributes.http.response.status_code as status | limit 5");
  const auto& rows = out.at("results").as_array();
  ASSERT_EQ(rows.size(), 5u);
  std::string previous = "9999";
  for (const auto& row : rows) {
    EXPECT_EQ(fields_of(row), (std::vector<std::string>{"@timestamp", "traceId", "status", "@ptr"}));
    EXPECT_EQ(value_of(row, "traceId").size(), 32u);
    EXPECT_LE(value_of(row, "@timestamp"), previous);  // newest first
    previous = value_of(row, "@timestamp");
  }
  // Without fields, a span row has every field of its JSON message and the system fields.
  auto all = results("limit 1");
  auto names = fields_of(all.at("results").at(0));
  for (const char* f : {"@timestamp", "@message", "@logStream", "@log", "@ptr", "@data_format", "traceId", "spanId",
                        "name", "kind", "durationNano", "status.code", "attributes.aws.local.service",
                        "attributes.code.function.name", "resource.attributes.service.name"})
    EXPECT_NE(std::find(names.begin(), names.end(), f), names.end()) << f;
}

TEST_F(FakeAwsQueries, FiltersWithComparisonsLikeAndIn) {
  auto out = results(
      "filter attributes.aws.local.service in [\"payments\", \"checkout\"] and attributes.http.response.status_code >= "
      "500 and name like \"POST\" | fields attributes.aws.local.service, attributes.http.response.status_code, name");
  const auto& rows = out.at("results").as_array();
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    auto svc = value_of(row, "attributes.aws.local.service");
    EXPECT_TRUE(svc == "payments" || svc == "checkout") << svc;
    EXPECT_GE(std::stoi(value_of(row, "attributes.http.response.status_code")), 500);
    EXPECT_NE(value_of(row, "name").find("POST"), std::string::npos);
  }
  auto throttled = results("filter attributes.exception.type like /Throughput(Exceeded)?Exception$/ | "
                           "fields attributes.aws.remote.resource.identifier, kind");
  const auto& t = throttled.at("results").as_array();
  ASSERT_FALSE(t.empty());
  for (const auto& row : t) {
    EXPECT_EQ(value_of(row, "attributes.aws.remote.resource.identifier"), "payments-ledger");
    EXPECT_EQ(value_of(row, "kind"), "CLIENT");
  }
  EXPECT_EQ(throttled.at("statistics").at("recordsMatched").to_number<std::int64_t>(),
            static_cast<std::int64_t>(t.size()));
  auto none = results("filter attributes.aws.local.service = \"no-such-service\"");
  EXPECT_TRUE(none.at("results").as_array().empty());
  EXPECT_EQ(none.at("statistics").at("recordsMatched").to_number<std::int64_t>(), 0);
}

TEST_F(FakeAwsQueries, LimitCommandAndLimitParameter) {
  EXPECT_EQ(results("fields spanId | limit 7").at("results").as_array().size(), 7u);
  EXPECT_EQ(results("fields spanId | limit 7", R"("logGroupNames":["aws/spans"],"limit":3)").at("results").as_array().size(),
            3u);
  auto sorted = results("fields durationNano | sort durationNano desc | limit 3");
  const auto& rows = sorted.at("results").as_array();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_GE(std::stoll(value_of(rows[0], "durationNano")), std::stoll(value_of(rows[1], "durationNano")));
  EXPECT_GE(std::stoll(value_of(rows[1], "durationNano")), std::stoll(value_of(rows[2], "durationNano")));
}

TEST_F(FakeAwsQueries, SourceSelectsLogGroupsAndFilterIndexFilters) {
  // Every group: spans and the other groups' records.
  auto everything = results("SOURCE logGroups() | stats count(*) as n by @log", "");
  EXPECT_GE(everything.at("results").as_array().size(), 3u);
  // filterIndex keeps only the spans.
  auto spans = results("SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | stats count(*) as n by @log", "");
  ASSERT_EQ(spans.at("results").as_array().size(), 1u);
  EXPECT_EQ(value_of(spans.at("results").at(0), "@log"), "123456789012:aws/spans");
  // A name prefix, and JSON-less records.
  auto lambda = results("SOURCE logGroups(namePrefix: [\"/aws/lambda/order\"]) | filter @message like /^START/ | "
                        "stats count(*) as n",
                        "", 1);
  // One invocation every 5 minutes: 12 in the hour, or 11 when the hour does not start on one.
  auto n = value_of(lambda.at("results").at(0), "n");
  EXPECT_TRUE(n == "11" || n == "12") << n;
}

TEST_F(FakeAwsQueries, JsonMessageFieldsAreAddressableInEveryGroup) {
  auto out = results("filter status = 500 and ispresent(exception) | stats count(*) as n by service",
                     R"("logGroupNames":["/aws/application-signals/data"])");
  const auto& rows = out.at("results").as_array();
  ASSERT_FALSE(rows.empty());
  std::set<std::string> services;
  for (const auto& row : rows) services.insert(value_of(row, "service"));
  EXPECT_TRUE(services.count("payments"));
}

TEST_F(FakeAwsQueries, StatsByBinGivesInsightsTimestamps) {
  auto out = results("filter attributes.aws.local.service = \"payments\" and status.code = \"ERROR\" | "
                     "stats count(*) as faults by bin(10m)");
  const auto& rows = out.at("results").as_array();
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    auto bin = value_of(row, "bin(10m)");
    ASSERT_EQ(bin.size(), 23u) << bin;
    EXPECT_EQ(bin.substr(15), "0:00.000") << bin;
  }
}

TEST_F(FakeAwsQueries, InvalidFilterExpressionIsInvalidRequestException) {
  for (const char* bad : {"service(payments)", "fault = maybe", "http.status = \"500\"", "(fault", "user = \"x\""}) {
    auto r = summaries(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.header("x-amzn-ErrorType"), "InvalidRequestException") << bad;
    auto body = r.json().as_object();
    EXPECT_EQ(body.at("__type"), "InvalidRequestException");
    EXPECT_EQ(std::string(body.at("Message").as_string()).rfind("Invalid filter expression", 0), 0u) << r.body;
  }
}

TEST_F(FakeAwsQueries, ServiceAndFaultReturnsOnlyPaymentsFaultTraces) {
  auto r = summaries("service(\"payments\") AND fault");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = r.json();
  const auto& list = body.at("TraceSummaries").as_array();
  ASSERT_FALSE(list.empty());
  for (const auto& s : list) {
    EXPECT_TRUE(s.at("HasFault").as_bool());
    bool payments = false;
    for (const auto& id : s.at("ServiceIds").as_array()) payments = payments || id.at("Name") == "payments";
    EXPECT_TRUE(payments) << js::serialize(s);
  }
  auto all_payments = summaries("service(\"payments\")");
  EXPECT_GT(all_payments.json().at("TraceSummaries").as_array().size(), list.size());
  const auto ok = summaries("ok AND !service(\"payments\")").json();
  ASSERT_FALSE(ok.at("TraceSummaries").as_array().empty());
  for (const auto& s : ok.at("TraceSummaries").as_array()) {
    EXPECT_FALSE(s.at("HasFault").as_bool());
    EXPECT_FALSE(s.at("HasError").as_bool());
  }
  auto inside = summaries("service(\"payments\") { fault AND http.status = 500 }");
  EXPECT_EQ(inside.json().at("TraceSummaries").as_array().size(), list.size());
}

TEST_F(FakeAwsQueries, AnnotationFiltersMatchSegmentAnnotations) {
  auto r = summaries("annotation[aws.local.operation] = \"GET /search\"");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = r.json();
  const auto& list = body.at("TraceSummaries").as_array();
  ASSERT_FALSE(list.empty());
  for (const auto& s : list)
    EXPECT_EQ(s.at("Annotations").at("aws.local.operation").at(0).at("AnnotationValue").at("StringValue"), "GET /search");
  const auto dotted = summaries("annotation.aws.local.service = \"payments\" AND http.url CONTAINS \"/checkout\"").json();
  const auto& d = dotted.at("TraceSummaries").as_array();
  ASSERT_FALSE(d.empty());
  for (const auto& s : d) EXPECT_EQ(s.at("Http").at("HttpURL"), "https://shop.example.com/checkout");
  EXPECT_TRUE(summaries("annotation.aws.local.service = \"nobody\"").json().at("TraceSummaries").as_array().empty());
}

}  // namespace
}  // namespace appsignals::fakeaws::testing
