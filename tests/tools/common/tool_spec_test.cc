#include "tools/common/tool_spec.h"

#include <gtest/gtest.h>

#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace appsignals::tools {
namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1796346000));  // 2026-12-04T01:00:00Z

ToolSpec sample_spec() {
  ToolSpec spec;
  spec.name = "sample_tool";
  spec.title = "Sample";
  spec.description = "A tool for tests.";
  spec.args = {
      arg::string("service_name", "The service.").require().eg("\"payments\""),
      arg::integer("max_results", "How many.", 50, 1, 50),
      arg::number("threshold", "A percentage.", 1.5, 0, 100),
      arg::hours("hours", "Window in hours.", 24, 1, 168),
      arg::boolean("include_linked_accounts", "Linked accounts too.", true),
      arg::enumeration("metric_type", "Which metric.", {"Latency", "Availability", "Error"}),
      arg::time("start_time", "Start."),
      arg::json_text("key_attributes", "Key attributes as a JSON object.", "object").eg("{\"Name\":\"payments\"}"),
      arg::region(),
  };
  return spec;
}

Result<Args> read(json::object raw) { return read_args(sample_spec(), raw, kNow); }

TEST(ToolSpec, MissingRequiredArgumentNamesItAndShowsAValidCall) {
  auto r = read(json::object{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("missing required argument 'service_name'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("sample_tool(service_name=\"payments\")"), std::string::npos) << r.error().message;
  // Blank is missing too.
  EXPECT_FALSE(read(json::object{{"service_name", "   "}}).ok());
}

TEST(ToolSpec, DefaultsAreFilledAndUnknownArgumentsDropped) {
  auto r = read(json::object{{"service_name", " payments "}, {"bogus", 1}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->str("service_name"), "payments");
  EXPECT_EQ(r->integer("max_results"), 50);
  EXPECT_TRUE(r->boolean("include_linked_accounts"));
  EXPECT_FALSE(r->has("bogus"));
  EXPECT_EQ(r->unknown(), std::vector<std::string>{"bogus"});
  EXPECT_FALSE(r->has("start_time"));
  EXPECT_TRUE(r->notes().empty());
}

TEST(ToolSpec, NumbersAcceptStringsAndClampWithANote) {
  auto r = read(json::object{{"service_name", "x"}, {"max_results", "100"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->integer("max_results"), 50);
  ASSERT_EQ(r->notes().size(), 1u);
  EXPECT_EQ(r->notes()[0], "max_results 100 is above the limit 50: using 50.");
  auto low = read(json::object{{"service_name", "x"}, {"max_results", 0}});
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low->integer("max_results"), 1);
  EXPECT_NE(low->notes().at(0).find("below the minimum 1"), std::string::npos);
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"max_results", 20.0}})->integer("max_results"), 20);
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"max_results", " 7 "}})->integer("max_results"), 7);
  auto bad = read(json::object{{"service_name", "x"}, {"max_results", "many"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'max_results' must be a whole number"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(read(json::object{{"service_name", "x"}, {"max_results", 2.5}}).ok());
}

TEST(ToolSpec, HoursReadUnits) {
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"hours", "1h"}})->integer("hours"), 1);
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"hours", "2d"}})->integer("hours"), 48);
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"hours", "90m"}})->integer("hours"), 2);
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"hours", "6 hours"}})->integer("hours"), 6);
  auto capped = read(json::object{{"service_name", "x"}, {"hours", 500}});
  EXPECT_EQ(capped->integer("hours"), 168);
  EXPECT_EQ(capped->notes().at(0), "hours 500 is above the limit 168: using 168.");
}

TEST(ToolSpec, BooleansAndEnumsAreReadInAnyCase) {
  EXPECT_FALSE(read(json::object{{"service_name", "x"}, {"include_linked_accounts", "False"}})->boolean("include_linked_accounts", true));
  EXPECT_FALSE(read(json::object{{"service_name", "x"}, {"include_linked_accounts", "no"}})->boolean("include_linked_accounts", true));
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"metric_type", " latency "}})->str("metric_type"), "Latency");
  auto bad = read(json::object{{"service_name", "x"}, {"metric_type", "speed"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Latency, Availability, Error"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(read(json::object{{"service_name", "x"}, {"include_linked_accounts", "maybe"}}).ok());
}

TEST(ToolSpec, RegionIsLowerCasedAndChecked) {
  EXPECT_EQ(read(json::object{{"service_name", "x"}, {"region", " US-EAST-1 "}})->str("region"), "us-east-1");
  auto bad = read(json::object{{"service_name", "x"}, {"region", "mars"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("region"), std::string::npos);
}

TEST(ToolSpec, TimesBecomeEpochSecondsFromAnyAcceptedForm) {
  EXPECT_EQ(*read(json::object{{"service_name", "x"}, {"start_time", "3 hours ago"}})->time("start_time"),
            kNow - std::chrono::hours(3));
  EXPECT_EQ(*read(json::object{{"service_name", "x"}, {"start_time", 1796346000}})->time("start_time"), kNow);
  EXPECT_EQ(*read(json::object{{"service_name", "x"}, {"start_time", 1796346000000}})->time("start_time"), kNow);
  auto bad = read(json::object{{"service_name", "x"}, {"start_time", "whenever"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Accepted forms"), std::string::npos);
}

TEST(ToolSpec, JsonArgumentsArriveAsValuesOrText) {
  auto a = read(json::object{{"service_name", "x"}, {"key_attributes", "{\"Name\":\"payments\"}"}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->json("key_attributes").as_object().at("Name"), "payments");
  auto b = read(json::object{{"service_name", "x"}, {"key_attributes", json::object{{"Name", "payments"}}}});
  EXPECT_EQ(b->json("key_attributes").as_object().at("Name"), "payments");
  auto bad = read(json::object{{"service_name", "x"}, {"key_attributes", "[1,2]"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("JSON object"), std::string::npos);
}

TEST(ToolSpec, DecimalsAcceptStringsRefuseNonNumbersAndClampWithANote) {
  EXPECT_DOUBLE_EQ(read(json::object{{"service_name", "x"}})->number("threshold"), 1.5);
  EXPECT_DOUBLE_EQ(read(json::object{{"service_name", "x"}, {"threshold", 2.25}})->number("threshold"), 2.25);
  EXPECT_DOUBLE_EQ(read(json::object{{"service_name", "x"}, {"threshold", " 0.5 "}})->number("threshold"), 0.5);
  EXPECT_DOUBLE_EQ(read(json::object{{"service_name", "x"}, {"threshold", 3}})->number("threshold"), 3.0);
  auto high = read(json::object{{"service_name", "x"}, {"threshold", "250.5"}});
  ASSERT_TRUE(high.ok());
  EXPECT_DOUBLE_EQ(high->number("threshold"), 100.0);
  ASSERT_EQ(high->notes().size(), 1u);
  EXPECT_EQ(high->notes()[0], "threshold 250.5 is above the limit 100: using 100.");
  for (const char* bad : {"high", "nan", "inf", "1.5%", ""}) {
    auto r = read(json::object{{"service_name", "x"}, {"threshold", bad}});
    if (std::string_view(bad).empty()) {  // "" is "not given": the default
      ASSERT_TRUE(r.ok());
      EXPECT_DOUBLE_EQ(r->number("threshold"), 1.5);
      continue;
    }
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("'threshold' must be a number"), std::string::npos) << r.error().message;
  }
  auto schema = input_schema(sample_spec());
  EXPECT_EQ(schema.at("properties").at("threshold").at("type"), "number");
  EXPECT_EQ(schema.at("properties").at("threshold").at("minimum").to_number<double>(), 0.0);
  EXPECT_EQ(schema.at("properties").at("threshold").at("default").to_number<double>(), 1.5);
}

TEST(ToolSpec, JsonResultsReadAsAModelWritesNumbers) {
  json::object o;
  o["avg_ms"] = 156.9;
  o["rate"] = 0.5;
  o["whole"] = 3.0;
  o["calls"] = 57600;
  o["bad"] = std::nan("");
  auto r = mcp::ToolResult::structured(o);
  const std::string text(r.content.at(0).at("text").as_string());
  EXPECT_EQ(text, R"({"avg_ms":156.9,"rate":0.5,"whole":3,"calls":57600,"bad":null})");
  EXPECT_EQ(text.find('E'), std::string::npos) << text;
  // The budget's re-rendering keeps the same form.
  json::object big;
  json::array items;
  for (int i = 0; i < 200; ++i) items.emplace_back(json::object{{"latency", 1.25 + i}});
  big["items"] = std::move(items);
  auto cut = mcp::ToolResult::structured(big);
  apply_budget(cut, 1000, "narrow it");
  const std::string cut_text(cut.content.at(0).at("text").as_string());
  EXPECT_NE(cut_text.find("\"latency\":1.25"), std::string::npos) << cut_text;
  EXPECT_NE(cut_text.find("truncated"), std::string::npos) << cut_text;
}

TEST(ToolSpec, SchemaIsPortableOneTypePerProperty) {
  auto schema = input_schema(sample_spec());
  for (const auto& [name, prop] : schema.at("properties").as_object()) {
    ASSERT_TRUE(prop.as_object().at("type").is_string()) << name;
    EXPECT_FALSE(prop.as_object().at("description").as_string().empty()) << name;
  }
  EXPECT_EQ(schema.at("properties").at("key_attributes").at("type"), "string");
  EXPECT_EQ(schema.at("properties").at("max_results").at("maximum"), 50);
  EXPECT_EQ(schema.at("required"), json::array{"service_name"});
}

TEST(ToolSpec, AnnotationsFollowTheWriteFlags) {
  auto spec = sample_spec();
  auto ro = annotations(spec);
  EXPECT_EQ(ro.at("readOnlyHint"), true);
  spec.writes = true;
  spec.destructive = true;
  auto rw = annotations(spec);
  EXPECT_EQ(rw.at("readOnlyHint"), false);
  EXPECT_EQ(rw.at("destructiveHint"), true);
}

TEST(ToolSpec, BudgetCutsTextAtALineAndSaysHowToNarrow) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "line " + std::to_string(i) + " with some words in it\n";
  auto r = mcp::ToolResult::text(text);
  apply_budget(r, 500, "ask for fewer rows");
  std::string out(r.content.at(0).as_object().at("text").as_string());
  EXPECT_LT(out.size(), 700u);
  EXPECT_NE(out.find("[Output cut at 500 of"), std::string::npos) << out;
  EXPECT_NE(out.find("ask for fewer rows"), std::string::npos);
}

TEST(ToolSpec, BudgetDropsItemsFromTheLargestJsonArray) {
  json::object o;
  json::array rows;
  for (int i = 0; i < 200; ++i) rows.push_back(json::object{{"id", i}, {"name", "row number " + std::to_string(i)}});
  o["results"] = std::move(rows);
  o["status"] = "Complete";
  auto r = mcp::ToolResult::structured(o);
  apply_budget(r, 2000, "add a limit");
  ASSERT_TRUE(r.structured_content.has_value());
  auto text = json::serialize(*r.structured_content);
  EXPECT_LE(text.size(), 2000u);
  EXPECT_EQ(r.structured_content->at("status"), "Complete");
  EXPECT_NE(std::string(r.structured_content->at("truncated").as_string()).find("add a limit"), std::string::npos);
  // The text block mirrors the structured content.
  EXPECT_EQ(std::string(r.content.at(0).as_object().at("text").as_string()), text);
}

TEST(ToolSpec, NotesArePrefixedToText) {
  auto r = mcp::ToolResult::text("Body");
  prefix_notes(r, {"max_results 100 is above the limit 50: using 50."});
  EXPECT_EQ(r.content.at(0).as_object().at("text"), "Note: max_results 100 is above the limit 50: using 50.\n\nBody");
  auto j = mcp::ToolResult::structured(json::object{{"a", 1}});
  prefix_notes(j, {"x"});
  ASSERT_EQ(j.content.size(), 2u);
  EXPECT_EQ(j.content.at(1).as_object().at("text"), "{\"a\":1}");
}

}  // namespace
}  // namespace appsignals::tools
