// search_transaction_spans against the fake sample account: the incident's spans, query
// composition, the default query and row limit, compact rows (no duplicated attributes, common
// fields once, a size bound with a closing hint), argument leniency, every error path, StopQuery
// on timeout and on MCP cancellation, golden output.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "golden.h"
#include "mcp/jsonrpc.h"
#include "mcp/server.h"
#include "mcp/session.h"
#include "tool_harness.h"
#include "tools/toolsets.h"
#include "tools/traces/search_transaction_spans.h"

namespace appsignals::testing {
namespace {

namespace json = boost::json;
using fakeaws::FaultKind;
using fakeaws::FaultSpec;

// The text and structuredContent hold the same object; the text prints whole doubles without
// a fraction ("20" for 20.0), so compare with every number as a double.
json::value numbers_as_doubles(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_array()) {
    json::array a;
    for (const auto& x : v.get_array()) a.push_back(numbers_as_doubles(x));
    return a;
  }
  if (v.is_object()) {
    json::object o;
    for (const auto& [k, x] : v.get_object()) o[k] = numbers_as_doubles(x);
    return o;
  }
  return v;
}

// The incident: 2h10m to 1h40m before the fixed now (2026-03-02T12:00:00Z).
constexpr const char* kIncidentStart = "2026-03-02T09:50:00Z";
constexpr const char* kIncidentEnd = "2026-03-02T10:20:00Z";
constexpr const char* kPaymentsQuery =
    "fields @timestamp, traceId, name, attributes.aws.local.service, attributes.exception.type, "
    "attributes.aws.remote.resource.identifier, attributes.code.function.name "
    "| filter attributes.aws.local.service = \"payments\" | sort @timestamp desc | limit 20";

json::object incident_args(std::string query = kPaymentsQuery) {
  return json::object{{"query_string", query}, {"start_time", kIncidentStart}, {"end_time", kIncidentEnd}};
}

std::vector<fakeaws::RequestRecord> requests_for(const ToolHarness& h, std::string_view op) {
  std::vector<fakeaws::RequestRecord> out;
  for (auto& r : h.requests())
    if (r.operation == op) out.push_back(r);
  return out;
}

json::object structured(const ToolCallResult& r) {
  EXPECT_TRUE(r.result.contains("structuredContent")) << r.text;
  return r.result.at("structuredContent").as_object();
}

// A row's value of `field`, from the row or from common_fields; null when neither has it.
json::value field_of(const json::object& out, const json::object& row, std::string_view field) {
  if (const auto* v = row.if_contains(field)) return *v;
  if (const auto* common = out.if_contains("common_fields"))
    if (const auto* v = common->as_object().if_contains(field)) return *v;
  return nullptr;
}

// The JSON text block (the last one: notes, when any, come first in their own block).
std::string json_text(const ToolCallResult& r) {
  const auto& content = r.result.at("content").as_array();
  return std::string(content.back().as_object().at("text").as_string());
}

std::size_t text_size(const ToolCallResult& r) {
  std::size_t n = 0;
  for (const auto& c : r.result.at("content").as_array()) n += c.as_object().at("text").as_string().size();
  return n;
}

ToolHarness::Registrar traces() { return &tools::register_toolset<&tools::traces_tools>; }

TEST(SearchTransactionSpans, ReturnsPaymentsSpansWithTheDynamoDbThrottlingDuringTheIncident) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("search_transaction_spans", incident_args());
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_EQ(out.at("status"), "Complete");
  EXPECT_EQ(out.at("transaction_search_status").as_object().at("enabled"), true);
  const auto& rows = out.at("results").as_array();
  ASSERT_FALSE(rows.empty());
  // Every row counted; the rows shown stop at the size bound (the fake returns every span field).
  const auto shown = out.contains("shown_count") ? out.at("shown_count").as_int64() : out.at("result_count").as_int64();
  EXPECT_EQ(shown, static_cast<std::int64_t>(rows.size()));
  EXPECT_LE(out.at("result_count").as_int64(), 20);
  bool payments = false, throttled_ledger = false;
  for (const auto& row : rows) {
    const auto& o = row.as_object();
    EXPECT_FALSE(o.contains("@ptr"));
    if (field_of(out, o, "attributes.aws.local.service") == "payments") payments = true;
    if (field_of(out, o, "attributes.exception.type") == "ProvisionedThroughputExceededException" &&
        field_of(out, o, "attributes.aws.remote.resource.identifier") == "payments-ledger")
      throttled_ledger = true;
  }
  EXPECT_TRUE(payments);
  EXPECT_TRUE(throttled_ledger);
  EXPECT_TRUE(out.at("statistics").as_object().contains("recordsScanned"));
  const auto& code = out.at("code_level_attributes_status").as_object();
  EXPECT_EQ(code.at("detected"), true);
  EXPECT_NE(json::serialize(code.at("attributes_found")).find("code.function.name"), std::string::npos);
  // The text is the same object, as compact JSON.
  EXPECT_EQ(numbers_as_doubles(json::parse(r.text)), numbers_as_doubles(out));
  EXPECT_EQ(r.text.rfind("{\"queryId\":\"", 0), 0u) << r.text.substr(0, 80);
  EXPECT_EQ(r.text.find('\n'), std::string::npos);

  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  const auto& in = starts[0].input;
  EXPECT_EQ(in.at("queryString").as_string(),
            std::string("SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | ") + kPaymentsQuery);
  EXPECT_EQ(in.at("startTime").as_int64(), 1772445000);  // 09:50:00Z
  EXPECT_EQ(in.at("endTime").as_int64(), 1772446800);    // 10:20:00Z
  EXPECT_FALSE(in.contains("logGroupNames"));
  EXPECT_EQ(requests_for(h, "GetTraceSegmentDestination").size(), 1u);
  EXPECT_GE(requests_for(h, "GetQueryResults").size(), 2u);  // Running, then Complete
  EXPECT_TRUE(requests_for(h, "StopQuery").empty());
}

TEST(SearchTransactionSpans, PublishesAnOutputSchemaAndReadOnlyAnnotations) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto tool = h.registry().find_tool("search_transaction_spans");
  ASSERT_TRUE(tool);
  ASSERT_TRUE(tool->output_schema);
  EXPECT_EQ(tool->output_schema->at("type"), "object");
  EXPECT_EQ(tool->annotations.at("readOnlyHint"), true);
  EXPECT_FALSE(tool->input_schema.contains("required"));
  const auto& props = tool->input_schema.at("properties").as_object();
  EXPECT_EQ(props.at("query_string").as_object().at("default"), "");
  EXPECT_EQ(props.at("limit").as_object().at("default"), 50);
  EXPECT_EQ(props.at("max_timeout").as_object().at("default"), 30);
  for (const char* name : {"start_time", "end_time", "limit", "max_timeout", "region"})
    EXPECT_TRUE(props.at(name).as_object().at("type").is_string()) << name;
}

TEST(SearchTransactionSpans, LogGroupGivenIsPassedAsLogGroupNamesWithoutSource) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto args = incident_args();
  args["log_group_name"] = "aws/spans";
  args["limit"] = "5";
  auto r = h.call("search_transaction_spans", args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_EQ(out.at("log_group_names").as_array(), json::array{"aws/spans"});
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].input.at("logGroupNames").as_array(), json::array{"aws/spans"});
  EXPECT_EQ(starts[0].input.at("limit").as_int64(), 5);
  EXPECT_EQ(starts[0].input.at("queryString").as_string(),
            std::string("filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | ") + kPaymentsQuery);
  EXPECT_LE(out.at("results").as_array().size(), 5u);
}

TEST(SearchTransactionSpans, QueryStartingWithSourceIsKeptAndTheLogGroupIgnored) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  std::string query = "SOURCE logGroups(namePrefix: ['aws/spans']) | filter attributes.aws.local.service = \"payments\"";
  auto args = incident_args(query);
  args["log_group_name"] = "aws/spans";
  auto r = h.call("search_transaction_spans", args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_EQ(out.at("log_group_name_ignored"), true);
  EXPECT_NE(std::string(out.at("log_group_note").as_string()).find("aws/spans"), std::string::npos);
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].input.at("queryString").as_string(), query);
  EXPECT_FALSE(starts[0].input.contains("logGroupNames"));
}

TEST(SearchTransactionSpans, ComposesQueries) {
  using tools::traces::compose_span_query;
  auto q = compose_span_query("  fields traceId | limit 3 ", "");
  EXPECT_EQ(q.query, "SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | fields traceId | limit 3");
  EXPECT_TRUE(q.log_group_names.empty());
  q = compose_span_query("filter @data_format = \"AWS-OTEL-TRACE-V1\" | fields traceId", "");
  EXPECT_EQ(q.query, "SOURCE logGroups() | filter @data_format = \"AWS-OTEL-TRACE-V1\" | fields traceId");
  q = compose_span_query("| stats count() by name", "aws/spans");
  EXPECT_EQ(q.query, "filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | stats count() by name");
  EXPECT_EQ(q.log_group_names, std::vector<std::string>{"aws/spans"});
  q = compose_span_query("source logGroups() | fields traceId", "");
  EXPECT_EQ(q.query, "source logGroups() | fields traceId");
  EXPECT_FALSE(q.log_group_ignored);
}

TEST(SearchTransactionSpans, TransactionSearchIsEnabledOnlyForActiveCloudWatchLogsDestination) {
  using tools::traces::transaction_search_status;
  auto on = transaction_search_status(json::parse(R"({"Destination":"CloudWatchLogs","Status":"ACTIVE"})"));
  EXPECT_EQ(on.at("enabled"), true);
  auto xray = transaction_search_status(json::parse(R"({"Destination":"XRay","Status":"ACTIVE"})"));
  EXPECT_EQ(xray.at("enabled"), false);
  EXPECT_EQ(xray.at("destination"), "XRay");
  auto pending = transaction_search_status(json::parse(R"({"Destination":"CloudWatchLogs","Status":"PENDING"})"));
  EXPECT_EQ(pending.at("enabled"), false);
  auto empty = transaction_search_status(json::parse("{}"));
  EXPECT_EQ(empty.at("enabled"), false);
  EXPECT_EQ(empty.at("destination"), "unknown");
}

TEST(SearchTransactionSpans, CodeAttributesAreDetectedInBothNamingsOrAdvised) {
  using tools::traces::code_level_attributes;
  using tools::traces::rows_as_objects;
  auto rows = rows_as_objects(json::parse(
      R"([[{"field":"traceId","value":"abc"},{"field":"attributes.code.lineno","value":"42"},{"field":"@ptr","value":"x"}]])"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].as_object().contains("@ptr"));
  auto found = code_level_attributes(rows, "fields traceId");
  EXPECT_EQ(found.at("detected"), true);
  EXPECT_EQ(found.at("attributes_found").as_array(), json::array{"code.lineno"});
  auto none = code_level_attributes(rows_as_objects(json::parse(R"([[{"field":"traceId","value":"abc"}]])")),
                                    "fields traceId, attributes.code.function.name");
  EXPECT_EQ(none.at("detected"), false);
  EXPECT_EQ(none.at("requested_in_query"), true);
  EXPECT_TRUE(none.contains("suggestion"));
}

TEST(SearchTransactionSpans, WithoutQueryStringTheDefaultQueryListsRecentServerSpans) {
  ToolHarness h(traces());
  for (const char* given : {"", "  "}) {
    json::object args{{"start_time", kIncidentStart}, {"end_time", kIncidentEnd}};
    if (*given) args["query_string"] = given;
    auto r = h.call("search_transaction_spans", args);
    ASSERT_FALSE(r.is_error) << r.text;
    EXPECT_NE(r.text.find("Note: query_string not given"), std::string::npos) << r.text.substr(0, 300);
    EXPECT_EQ(structured(r).at("status"), "Complete");
  }
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 2u);
  // Valid Logs Insights: fields | filter | sort | limit, behind the span-data prefix.
  EXPECT_EQ(std::string(starts[0].input.at("queryString").as_string()),
            "SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | " +
                tools::traces::default_span_query(50));
  EXPECT_EQ(tools::traces::default_span_query(50),
            "fields @timestamp, traceId, name, kind, durationNano, status.code, attributes.aws.local.service, "
            "attributes.aws.local.operation, attributes.http.response.status_code | filter kind = \"SERVER\" | "
            "sort @timestamp desc | limit 50");
}

TEST(SearchTransactionSpans, DefaultRowLimitIsFifty) {
  ToolHarness h(traces());
  auto r = h.call("search_transaction_spans", incident_args("fields traceId, name | sort @timestamp desc"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].input.at("limit").as_int64(), 50);
  auto out = structured(r);
  EXPECT_LE(out.at("result_count").as_int64(), 50);
}

TEST(SearchTransactionSpans, LimitAndMaxTimeoutAreReadLenientlyAndClampedWithANote) {
  ToolHarness h(traces());
  auto args = incident_args();
  args["limit"] = "20000";
  args["max_timeout"] = "900";
  auto r = h.call("search_transaction_spans", args);
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("Note: limit 20000 is above the limit 10000: using 10000."), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Note: max_timeout 900 is above the limit 600: using 600."), std::string::npos);
  args["limit"] = 0;
  args["max_timeout"] = "12";
  auto low = h.call("search_transaction_spans", args);
  ASSERT_FALSE(low.is_error) << low.text;
  EXPECT_NE(low.text.find("Note: limit 0 is below the minimum 1: using 1."), std::string::npos) << low.text;
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[0].input.at("limit").as_int64(), 10000);
  EXPECT_EQ(starts[1].input.at("limit").as_int64(), 1);
}

TEST(SearchTransactionSpans, TimesAreReadInEveryForm) {
  ToolHarness h(traces());
  // Integers (seconds and milliseconds), ISO without a zone, relative forms.
  auto ints = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId | limit 3"},
                                                               {"start_time", 1772445000},
                                                               {"end_time", "1772446800000"}});
  ASSERT_FALSE(ints.is_error) << ints.text;
  auto iso = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId | limit 3"},
                                                              {"start_time", "2026-03-02T09:50"},
                                                              {"end_time", "2026-03-02 10:20:00"}});
  ASSERT_FALSE(iso.is_error) << iso.text;
  auto rel = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId | limit 3"},
                                                              {"start_time", "3 hours ago"},
                                                              {"end_time", "now-2h"}});
  ASSERT_FALSE(rel.is_error) << rel.text;
  auto starts = requests_for(h, "StartQuery");
  ASSERT_EQ(starts.size(), 3u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(starts[i].input.at("startTime").as_int64(), 1772445000);
    EXPECT_EQ(starts[i].input.at("endTime").as_int64(), 1772446800);
  }
  EXPECT_EQ(starts[2].input.at("startTime").as_int64(), 1772452800 - 3 * 3600);
  EXPECT_EQ(starts[2].input.at("endTime").as_int64(), 1772452800 - 2 * 3600);
}

TEST(SearchTransactionSpans, AnAttributeUnderItsOlderAndCurrentNameIsShownOnce) {
  ToolHarness h(traces());
  auto r = h.call("search_transaction_spans",
                  incident_args("fields traceId, attributes.code.function, attributes.code.function.name, "
                                "attributes.code.filepath, attributes.code.file.path, attributes.code.lineno, "
                                "attributes.code.line.number | limit 20"));
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  ASSERT_FALSE(out.at("results").as_array().empty());
  std::vector<const json::object*> objects;
  for (const auto& row : out.at("results").as_array()) objects.push_back(&row.as_object());
  if (out.contains("common_fields")) objects.push_back(&out.at("common_fields").as_object());
  bool current = false;
  for (const auto* o : objects) {
    for (const char* older : {"attributes.code.function", "attributes.code.filepath", "attributes.code.lineno"})
      EXPECT_FALSE(o->contains(older)) << older << " duplicated in " << json::serialize(*o);
    current = current || o->contains("attributes.code.function.name");
  }
  EXPECT_TRUE(current || r.text.find("attributes.code.function.name") != std::string::npos);
  EXPECT_EQ(out.at("merged_fields").as_object().at("attributes.code.function"), "attributes.code.function.name");
  // Both texts agree: the older name appears only in merged_fields and the query.
  const std::string text = json_text(r);
  auto rows_at = text.find("\"results\":");
  auto merged_at = text.find("\"merged_fields\":");
  ASSERT_NE(rows_at, std::string::npos);
  ASSERT_GT(merged_at, rows_at);
  EXPECT_EQ(text.substr(0, merged_at).find("\"attributes.code.function\":\""), std::string::npos);
}

TEST(SearchTransactionSpans, MergeAndHoistAreExactAboutWhatTheyDrop) {
  using tools::traces::hoist_common_fields;
  using tools::traces::merge_duplicate_fields;
  auto rows = json::parse(R"([
    {"traceId":"a","attributes.code.function":"f","attributes.code.function.name":"f","code.lineno":"1","code.line.number":"2","env":"prod"},
    {"traceId":"b","attributes.code.function":"g","attributes.code.function.name":"g","env":"prod"}])").as_array();
  auto merged = merge_duplicate_fields(rows);
  EXPECT_EQ(merged, json::parse(R"({"attributes.code.function":"attributes.code.function.name"})"));
  // Different values under the two names: both kept.
  EXPECT_TRUE(rows[0].as_object().contains("code.lineno"));
  auto common = hoist_common_fields(rows);
  EXPECT_EQ(common, json::parse(R"({"env":"prod"})"));
  EXPECT_FALSE(rows[0].as_object().contains("env"));
  EXPECT_EQ(rows[1].as_object().at("traceId"), "b");
  // One row: nothing is common.
  auto one = json::parse(R"([{"env":"prod"}])").as_array();
  EXPECT_TRUE(hoist_common_fields(one).empty());
  EXPECT_TRUE(one[0].as_object().contains("env"));
}

TEST(SearchTransactionSpans, AWideQueryStaysWithinTheBudgetByDesignAndSaysHowToNarrow) {
  ToolHarness h(traces());
  // Every span field, 500 rows asked for over six hours: far more than fits.
  auto r = h.call("search_transaction_spans",
                  json::object{{"query_string", "sort @timestamp desc"}, {"start_time", "6h"}, {"limit", 500}});
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_LT(text_size(r), tools::kDefaultOutputBudget);
  EXPECT_LT(json::serialize(out).size(), tools::kDefaultOutputBudget - 2000);
  const auto total = out.at("result_count").as_int64();
  EXPECT_GT(total, out.at("shown_count").as_int64());
  EXPECT_EQ(static_cast<std::int64_t>(out.at("results").as_array().size()), out.at("shown_count").as_int64());
  const std::string hint(out.at("truncated").as_string());
  // Our own hint, not the framework's fallback cut.
  EXPECT_EQ(hint.find("Output cut to fit"), std::string::npos) << hint;
  EXPECT_NE(hint.find("of " + std::to_string(total) + " rows"), std::string::npos) << hint;
  EXPECT_NE(hint.find("stats"), std::string::npos);
  // The closing member of the object is the hint.
  EXPECT_EQ(json_text(r).rfind("\"truncated\":"), json_text(r).find("\"truncated\":"));
}

TEST(SearchTransactionSpans, ReachingTheRowLimitIsSaid) {
  ToolHarness h(traces());
  auto args = incident_args("fields traceId, name | sort @timestamp desc");
  args["limit"] = 4;
  auto r = h.call("search_transaction_spans", args);
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_EQ(out.at("result_count").as_int64(), 4);
  EXPECT_NE(std::string(out.at("truncated").as_string()).find("row limit (4)"), std::string::npos);
  EXPECT_EQ(tools::traces::query_limit("fields a | limit 7"), 7);
  EXPECT_EQ(tools::traces::query_limit("fields a | LIMIT  12 "), 12);
  EXPECT_FALSE(tools::traces::query_limit("fields a | sort b"));
}

TEST(SearchTransactionSpans, BadTimesAreArgumentErrors) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto bad = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId"}, {"start_time", "around lunch"}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("start_time"), std::string::npos) << bad.text;
  EXPECT_NE(bad.text.find("ISO"), std::string::npos) << bad.text;
  auto reversed = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId"},
                                                                  {"start_time", kIncidentEnd},
                                                                  {"end_time", kIncidentStart}});
  EXPECT_TRUE(reversed.is_error);
  EXPECT_NE(reversed.text.find("must be after"), std::string::npos) << reversed.text;
  auto limit = h.call("search_transaction_spans", json::object{{"query_string", "fields traceId"}, {"limit", "many"}});
  EXPECT_TRUE(limit.is_error);
  EXPECT_NE(limit.text.find("limit"), std::string::npos);
  EXPECT_TRUE(h.requests().empty());
}

TEST(SearchTransactionSpans, AccessDeniedNamesTheMissingAction) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.arm_fault(FaultSpec{"GetTraceSegmentDestination", FaultKind::kAccessDenied, 1});
  auto r = h.call("search_transaction_spans", incident_args());
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("AWS Error"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("xray:GetTraceSegmentDestination"), std::string::npos) << r.text;

  h.arm_fault(FaultSpec{"StartQuery", FaultKind::kAccessDenied, 1});
  auto s = h.call("search_transaction_spans", incident_args());
  EXPECT_TRUE(s.is_error);
  EXPECT_NE(s.text.find("logs:StartQuery"), std::string::npos) << s.text;
}

TEST(SearchTransactionSpans, ThrottlingAfterRetriesGivesGuidance) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.fake().faults().clear();
  h.arm_fault(FaultSpec{"StartQuery", FaultKind::kThrottle, 10});
  auto r = h.call("search_transaction_spans", incident_args());
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("throttled"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("narrower time window"), std::string::npos) << r.text;
}

TEST(SearchTransactionSpans, UnknownLogGroupIsNotFound) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto args = incident_args();
  args["log_group_name"] = "no/such/group";
  auto r = h.call("search_transaction_spans", args);
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("does not exist"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("no/such/group"), std::string::npos) << r.text;
}

TEST(SearchTransactionSpans, MalformedQueryIsReportedWithTheCompileError) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto r = h.call("search_transaction_spans", incident_args("fields @timestamp | parse @message 'x=*' as x"));
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("MalformedQueryException"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("parse command is not supported"), std::string::npos) << r.text;
  EXPECT_TRUE(requests_for(h, "GetQueryResults").empty());
}

TEST(SearchTransactionSpans, PollingFailureStopsTheQueryAndNamesTheAction) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  h.arm_fault(FaultSpec{"GetQueryResults", FaultKind::kAccessDenied, 1});
  auto r = h.call("search_transaction_spans", incident_args());
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("logs:GetQueryResults"), std::string::npos) << r.text;
  EXPECT_EQ(requests_for(h, "StopQuery").size(), 1u);
}

TEST(SearchTransactionSpans, TimeoutStopsTheQuery) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  // Every poll takes 1.5 s, so a 1 s max_timeout passes while the query still runs.
  FaultSpec slow{"GetQueryResults", FaultKind::kLatency, -1};
  slow.latency_ms = 1500;
  h.arm_fault(slow);
  auto args = incident_args();
  args["max_timeout"] = 1;
  auto started = std::chrono::steady_clock::now();
  auto r = h.call("search_transaction_spans", args);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r.is_error) << r.text;
  auto out = structured(r);
  EXPECT_EQ(out.at("status"), "Polling Timeout");
  EXPECT_NE(std::string(out.at("message").as_string()).find("max_timeout"), std::string::npos);
  auto stops = requests_for(h, "StopQuery");
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].input.at("queryId"), out.at("queryId"));
  EXPECT_LT(took, std::chrono::seconds(10));
}

// How long a test waits for the fake to reach a point: only a guard that turns a hang into a
// failure; the wait ends as soon as the fake signals.
constexpr std::chrono::seconds kReachGuard{30};

// Dispatches a tools/call through an McpServer sharing the harness's registry, blocks in
// `wait_ready` (a wait on the fake AWS; false: never reached), cancels the call as
// notifications/cancelled would (Session::cancel_in_flight) and returns what the server
// answered (nullopt: no response, as for a cancelled request).
std::optional<std::string> call_then_cancel(ToolHarness& h, const std::string& tool, json::object args,
                                            const std::function<bool()>& wait_ready) {
  boost::asio::io_context ioc;
  auto guard = boost::asio::make_work_guard(ioc);
  std::promise<void> drained;
  auto ran_out = drained.get_future();
  std::thread runner([&ioc, &drained] {
    ioc.run();
    drained.set_value();
  });
  std::optional<std::string> answer;
  {
    std::shared_ptr<mcp::Registry> registry(std::shared_ptr<void>(), &h.registry());  // not owned
    mcp::ServerInfo info{"test", "", "0", "", "", ""};
    auto server = std::make_shared<mcp::McpServer>(ioc.get_executor(), registry, info);
    auto session = std::make_shared<mcp::Session>("cancel-session", "");
    session->set_protocol_version("2025-06-18");
    mcp::jsonrpc::Message m;
    m.kind = mcp::jsonrpc::Kind::kRequest;
    m.id = 4242;
    m.method = "tools/call";
    m.params = json::object{{"name", tool}, {"arguments", std::move(args)}};
    auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
    auto future = promise->get_future();
    server->dispatch(session, std::move(m), nullptr,
                     [promise](std::optional<std::string> r) { promise->set_value(std::move(r)); });
    EXPECT_TRUE(wait_ready()) << "the call never reached the awaited state";
    EXPECT_TRUE(session->cancel_in_flight(mcp::jsonrpc::id_key(json::value(4242))));
    if (future.wait_for(kReachGuard) != std::future_status::ready) {
      ADD_FAILURE() << "the cancelled call did not end";
    } else {
      answer = future.get();
    }
  }
  // The AWS client (on the harness's io_context) may still hold work on this io_context for a
  // moment after resuming the call: let run() return once nothing is outstanding instead of
  // stopping it, so the io_context is never destroyed under a completion still releasing it.
  guard.reset();
  if (ran_out.wait_for(kReachGuard) != std::future_status::ready) {
    ADD_FAILURE() << "work was left on the call's io_context";
    ioc.stop();
  }
  runner.join();
  return answer;
}

TEST(SearchTransactionSpans, CancellingTheMcpRequestStopsTheQuery) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  // A query that never completes within the test: every poll hangs for 5 s. The cancellation
  // lands once the first poll has reached the fake, i.e. while that AWS request is in flight.
  FaultSpec slow{"GetQueryResults", FaultKind::kLatency, -1};
  slow.latency_ms = 5000;
  h.arm_fault(slow);
  auto args = incident_args();
  args["max_timeout"] = 120;
  auto started = std::chrono::steady_clock::now();
  auto answer = call_then_cancel(h, "search_transaction_spans", args, [&h] {
    return h.fake().handler()->wait_for_arrivals("GetQueryResults", 1, kReachGuard);
  });
  EXPECT_FALSE(answer.has_value()) << *answer;  // cancelled: no response is due
  auto stops = requests_for(h, "StopQuery");
  ASSERT_EQ(stops.size(), 1u);
  auto start = requests_for(h, "StartQuery");
  ASSERT_EQ(start.size(), 1u);
  EXPECT_FALSE(stops[0].input.at("queryId").as_string().empty());
  EXPECT_EQ(h.fake().handler()->arrivals("GetQueryResults"), 1u);  // no poll after the cancellation
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

TEST(SearchTransactionSpans, CancellingWhileWaitingBetweenPollsStopsTheQuery) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  // The first poll answers Running at once; the tool then waits 500 ms on its backoff timer
  // before the poll that would complete the query. The cancellation is sent as soon as the fake
  // has logged that first answer, so it lands in that wait (or, if quicker still, while the
  // Running reply is on its way): either way no second poll may follow.
  auto answer = call_then_cancel(h, "search_transaction_spans", incident_args(), [&h] {
    return h.fake().handler()->wait_for_logged("GetQueryResults", 1, kReachGuard);
  });
  EXPECT_FALSE(answer.has_value()) << *answer;
  EXPECT_EQ(h.fake().handler()->arrivals("GetQueryResults"), 1u);
  EXPECT_EQ(requests_for(h, "GetQueryResults").size(), 1u);
  EXPECT_EQ(requests_for(h, "StopQuery").size(), 1u);
}

TEST(SearchTransactionSpans, GoldenOutputOnTheSampleAccount) {
  ToolHarness h(&tools::register_toolset<&tools::traces_tools>);
  auto args = incident_args(
      "fields @timestamp, traceId, name, attributes.aws.local.service | filter attributes.aws.local.service = "
      "\"payments\" | limit 3");
  args["limit"] = 3;
  auto r = h.call("search_transaction_spans", args);
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("traces/golden/search_transaction_spans.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing
