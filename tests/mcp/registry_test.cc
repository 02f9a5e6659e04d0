#include "mcp/registry.h"

#include <gtest/gtest.h>

namespace appsignals::mcp {
namespace {

ToolDef tool(std::string name, std::string description) {
  ToolDef t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.input_schema = json::object{{"type", "object"}};
  return t;
}

TEST(MatchUriTemplate, ExtractsVariables) {
  auto vars = match_uri_template("test://template/{id}/data", "test://template/42/data");
  ASSERT_TRUE(vars);
  EXPECT_EQ(vars->at("id"), "42");
  auto two = match_uri_template("svc://{region}/{name}", "svc://us-east-1/checkout");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->at("region"), "us-east-1");
  EXPECT_EQ(two->at("name"), "checkout");
}

TEST(MatchUriTemplate, LiteralTemplateMatchesOnlyItself) {
  EXPECT_TRUE(match_uri_template("a://b", "a://b"));
  EXPECT_FALSE(match_uri_template("a://b", "a://bc"));
  EXPECT_FALSE(match_uri_template("a://b", "a://"));
}

TEST(MatchUriTemplate, RejectsEmptyVariablesAndMismatchedLiterals) {
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template//data"));
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template/42/info"));
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template/42/data/more"));
  EXPECT_FALSE(match_uri_template("test://template/{id}", "test://template/"));
}

TEST(MatchUriTemplate, VariableDoesNotSpanPathSegments) {
  EXPECT_FALSE(match_uri_template("test://t/{id}", "test://t/a/b"));
}

TEST(MatchUriTemplate, UnclosedBraceNeverMatches) {
  EXPECT_FALSE(match_uri_template("test://t/{id", "test://t/{id"));
}

TEST(Registry, AddingAToolWithAnExistingNameReplacesIt) {
  Registry r;
  r.add_tool(tool("a", "first"));
  r.add_tool(tool("b", "other"));
  r.add_tool(tool("a", "second"));
  ASSERT_EQ(r.tool_count(), 2u);
  EXPECT_EQ(r.find_tool("a")->description, "second");
  EXPECT_EQ(r.tools()[0]->name, "a");  // keeps its position
  EXPECT_EQ(r.find_tool("missing"), nullptr);
}

TEST(Registry, SnapshotsSurviveLaterRegistration) {
  Registry r;
  r.add_tool(tool("a", "first"));
  auto snapshot = r.tools();
  r.add_tool(tool("a", "second"));
  EXPECT_EQ(snapshot[0]->description, "first");
}

TEST(Registry, TemplatesMatchByPatternAndTheFirstWins) {
  Registry r;
  EXPECT_FALSE(r.has_resources());
  ResourceTemplateDef t1;
  t1.uri_template = "x://{a}/one";
  t1.name = "first";
  ResourceTemplateDef t2;
  t2.uri_template = "x://{a}/{b}";
  t2.name = "second";
  r.add_resource_template(t1);
  r.add_resource_template(t2);
  EXPECT_TRUE(r.has_resources());
  EXPECT_EQ(r.match_template("x://k/one")->name, "first");
  EXPECT_EQ(r.match_template("x://k/two")->name, "second");
  EXPECT_EQ(r.match_template("y://k/two"), nullptr);
  t1.name = "replaced";
  r.add_resource_template(t1);
  EXPECT_EQ(r.resource_templates().size(), 2u);
  EXPECT_EQ(r.match_template("x://k/one")->name, "replaced");
}

TEST(Registry, ResourcesAndPromptsAreFoundByKey) {
  Registry r;
  ResourceDef res;
  res.uri = "docs://readme";
  res.name = "readme";
  r.add_resource(res);
  PromptDef p;
  p.name = "summarise";
  r.add_prompt(p);
  EXPECT_TRUE(r.has_resources());
  EXPECT_TRUE(r.has_prompts());
  EXPECT_EQ(r.find_resource("docs://readme")->name, "readme");
  EXPECT_EQ(r.find_resource("docs://other"), nullptr);
  EXPECT_EQ(r.find_prompt("summarise")->name, "summarise");
  EXPECT_EQ(r.find_prompt("x"), nullptr);
}

}  // namespace
}  // namespace appsignals::mcp
