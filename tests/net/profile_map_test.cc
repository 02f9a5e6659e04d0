#include "net/profile_map.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace appsignals::net {
namespace {

namespace json = boost::json;

const std::vector<std::string> kAllowed = {"prod", "staging", "sandbox"};

ProfileMap parse_ok(std::string_view text) {
  auto m = ProfileMap::parse(text, kAllowed);
  EXPECT_TRUE(m.ok()) << m.error().message;
  return std::move(m).value();
}

std::string parse_error(std::string_view text) {
  auto m = ProfileMap::parse(text, kAllowed);
  EXPECT_FALSE(m.ok()) << text;
  return m.ok() ? std::string() : m.error().message;
}

json::object claims(std::string_view text) { return json::parse(text).as_object(); }

using Names = std::vector<std::string>;

TEST(ProfileMap, ParsesEverySelectorKind) {
  auto m = parse_ok(" groups=payments -> prod|staging ; groups = sre->* ;api-key#2 -> sandbox; api-key -> staging; * -> sandbox;");
  EXPECT_EQ(m.rule_count(), 5u);
}

TEST(ProfileMap, InvalidRulesNameTheVariableTheRuleAndTheProblem) {
  auto e = parse_error("groups=a -> prod; groups=b -> nope");
  EXPECT_NE(e.find("MCP_AWS_PROFILE_MAP rule 2"), std::string::npos) << e;
  EXPECT_NE(e.find("profile 'nope' is not in MCP_AWS_PROFILES"), std::string::npos) << e;
  EXPECT_NE(parse_error("groups=a prod").find("expected '<selector> -> <profiles>'"), std::string::npos);
  EXPECT_NE(parse_error("-> prod").find("selector"), std::string::npos);
  EXPECT_NE(parse_error("groups=a ->").find("no profile"), std::string::npos);
  EXPECT_NE(parse_error("groups -> prod").find("<claim>=<value>"), std::string::npos);
  EXPECT_NE(parse_error("=x -> prod").find("both a claim and a value"), std::string::npos);
  EXPECT_NE(parse_error("api-key#0 -> prod").find("key number from 1"), std::string::npos);
  EXPECT_NE(parse_error("api-key#x -> prod").find("key number from 1"), std::string::npos);
  EXPECT_NE(parse_error("groups=a -> prod||staging").find("empty profile name"), std::string::npos);
  EXPECT_NE(parse_error(" ; ;").find("holds no rule"), std::string::npos);
}

TEST(ProfileMap, ClaimRulesMatchStringsAndArraysAndUniteInRuleOrder) {
  auto m = parse_ok("groups=payments -> staging|prod; groups=sre -> *; tier=gold -> sandbox");
  EXPECT_EQ(m.resolve(claims(R"({"groups":"payments"})"), -1), (Names{"staging", "prod"}));
  EXPECT_EQ(m.resolve(claims(R"({"groups":["x","payments","sre"]})"), -1), (Names{"staging", "prod", "sandbox"}));
  EXPECT_EQ(m.resolve(claims(R"({"groups":["payments"],"tier":"gold"})"), -1), (Names{"staging", "prod", "sandbox"}));
  // Values compare exactly; other claim types never match.
  EXPECT_EQ(m.resolve(claims(R"({"groups":"Payments"})"), -1), Names{});
  EXPECT_EQ(m.resolve(claims(R"({"groups":{"payments":true}})"), -1), Names{});
  EXPECT_EQ(m.resolve(claims(R"({"groups":[1,2]})"), -1), Names{});
}

TEST(ProfileMap, UnmatchedPrincipalsGetTheDefaultRuleOrNothing) {
  auto with_default = parse_ok("groups=payments -> prod; * -> sandbox");
  EXPECT_EQ(with_default.resolve(claims(R"({"groups":"other"})"), -1), Names{"sandbox"});
  EXPECT_EQ(with_default.resolve(claims(R"({"groups":"payments"})"), -1), Names{"prod"}) << "the default is only for the unmatched";
  EXPECT_EQ(with_default.resolve(json::object{}, 0), Names{"sandbox"}) << "an API key no rule names";
  auto without = parse_ok("groups=payments -> prod");
  EXPECT_TRUE(without.resolve(claims(R"({"groups":"other"})"), -1).empty());
  EXPECT_TRUE(without.resolve(json::object{}, 0).empty());
}

TEST(ProfileMap, ApiKeyRulesMatchByPositionOrAnyKeyAndNeverClaims) {
  auto m = parse_ok("api-key#2 -> prod; api-key -> sandbox; groups=x -> staging");
  EXPECT_EQ(m.resolve(json::object{}, 0), Names{"sandbox"});
  EXPECT_EQ(m.resolve(json::object{}, 1), (Names{"prod", "sandbox"}));
  // An OAuth principal is not an API key, whatever its claims say.
  EXPECT_EQ(m.resolve(claims(R"({"groups":"x"})"), -1), Names{"staging"});
  EXPECT_TRUE(m.resolve(json::object{}, -1).empty());
}

TEST(ProfileMap, ResolvesFromAnAuthOutcome) {
  auto m = parse_ok("groups=payments -> prod; api-key#1 -> staging");
  AuthOutcome oauth;
  oauth.ok = true;
  oauth.claims = claims(R"({"sub":"u","groups":["payments"]})");
  EXPECT_EQ(m.resolve(oauth), Names{"prod"});
  AuthOutcome key;
  key.ok = true;
  key.key_index = 0;
  EXPECT_EQ(m.resolve(key), Names{"staging"});
}

}  // namespace
}  // namespace appsignals::net
