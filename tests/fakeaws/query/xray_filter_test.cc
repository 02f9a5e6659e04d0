// The X-Ray filter expression subset: each condition, the boolean operators, service() with and
// without a body, annotations in both spellings, and each kind of invalid expression.
#include "fakeaws/query/xray_filter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace appsignals::fakeaws::xray_filter {
namespace {

Segment segment(std::string service, bool fault, int status, double seconds) {
  Segment s;
  s.service = std::move(service);
  s.fault = fault;
  s.http_status = status;
  s.http_method = "POST";
  s.http_url = "https://shop.example.com/" + s.service;
  s.response_time = s.duration = seconds;
  s.annotations = {{"aws.local.service", s.service}, {"team", s.service == "payments" ? "pay" : "web"}};
  return s;
}

// checkout → payments; payments faults (500) and so does the request (500, 2.5 s); the
// DynamoDB call below payments was throttled.
Trace failing_checkout() {
  Trace t;
  t.segments = {segment("checkout", true, 500, 2.5), segment("payments", true, 500, 2.0)};
  t.summary = t.segments[0];
  t.summary.throttle = true;
  t.summary.annotations = {{"aws.local.service", "checkout"}, {"team", "web"}, {"aws.local.service", "payments"},
                           {"team", "pay"}, {"retries", "3"}, {"cached", "false"}};
  return t;
}

// A quick GET /search that succeeded.
Trace ok_search() {
  Trace t;
  t.segments = {segment("search", false, 200, 0.05)};
  t.segments[0].http_method = "GET";
  t.summary = t.segments[0];
  return t;
}

bool match(const std::string& expr, const Trace& t) {
  auto f = parse(expr);
  if (auto* e = std::get_if<FilterError>(&f)) {
    ADD_FAILURE() << expr << " → " << e->message;
    return false;
  }
  return matches(std::get<Filter>(f), t);
}

// True when `expr` matches the failing checkout and not the quick search.
bool picks_failing(const std::string& expr) { return match(expr, failing_checkout()) && !match(expr, ok_search()); }
bool picks_ok(const std::string& expr) { return !match(expr, failing_checkout()) && match(expr, ok_search()); }

std::string error_of(const std::string& expr) {
  auto f = parse(expr);
  if (!std::holds_alternative<FilterError>(f)) {
    ADD_FAILURE() << "accepted: " << expr;
    return {};
  }
  return std::get<FilterError>(f).message;
}

TEST(FakeAwsXrayFilter, EmptyMatchesEveryTrace) {
  EXPECT_TRUE(match("", failing_checkout()));
  EXPECT_TRUE(match("   ", ok_search()));
}

TEST(FakeAwsXrayFilter, FlagsAloneOrComparedWithBooleans) {
  EXPECT_TRUE(picks_failing("fault"));
  EXPECT_TRUE(picks_failing("fault = true"));
  EXPECT_TRUE(picks_failing("throttle"));
  EXPECT_TRUE(picks_failing("throttle=true"));
  EXPECT_TRUE(picks_ok("fault = false"));
  EXPECT_TRUE(picks_ok("fault != true"));
  EXPECT_TRUE(picks_ok("ok"));
  EXPECT_TRUE(picks_ok("ok = true"));
  EXPECT_TRUE(picks_failing("ok = false"));
  EXPECT_FALSE(match("error", failing_checkout()));
  EXPECT_TRUE(match("error = false", failing_checkout()));
}

TEST(FakeAwsXrayFilter, KeywordsAreCaseInsensitive) {
  EXPECT_TRUE(picks_failing("FAULT = TRUE"));
  EXPECT_TRUE(picks_failing("Service(\"payments\") and Http.Status >= 500"));
  EXPECT_TRUE(picks_failing("http.url contains \"/payments\" Or fault"));
}

TEST(FakeAwsXrayFilter, HttpStatusUrlAndMethod) {
  EXPECT_TRUE(picks_failing("http.status = 500"));
  EXPECT_TRUE(picks_failing("http.status >= 500"));
  EXPECT_TRUE(picks_ok("http.status < 300"));
  EXPECT_TRUE(picks_ok("http.status <= 200"));
  EXPECT_TRUE(picks_ok("http.status != 500"));
  EXPECT_TRUE(picks_failing("http.status > 499"));
  EXPECT_TRUE(picks_failing("http.url CONTAINS \"checkout\""));
  EXPECT_TRUE(picks_failing("http.url = \"https://shop.example.com/checkout\""));
  EXPECT_TRUE(picks_ok("http.url ENDSWITH \"/search\""));
  EXPECT_FALSE(match("http.url BEGINSWITH \"http://\"", ok_search()));
  EXPECT_TRUE(match("http.url BEGINSWITH 'https://'", ok_search()));
  EXPECT_TRUE(picks_ok("http.method = \"GET\""));
  EXPECT_TRUE(picks_failing("http.method != \"GET\""));
}

TEST(FakeAwsXrayFilter, ResponseTimeAndDurationInSeconds) {
  EXPECT_TRUE(picks_failing("responsetime > 2"));
  EXPECT_TRUE(picks_failing("duration > 1"));
  EXPECT_TRUE(picks_ok("duration <= 0.05"));
  EXPECT_TRUE(picks_ok("responsetime < .1"));
}

TEST(FakeAwsXrayFilter, ServiceWithAndWithoutABody) {
  EXPECT_TRUE(picks_failing("service(\"payments\")"));
  EXPECT_TRUE(picks_ok("service(\"search\")"));
  EXPECT_FALSE(match("service(\"Payments\")", failing_checkout()));  // names are case-sensitive
  EXPECT_FALSE(match("service(\"nobody\")", failing_checkout()));
  EXPECT_TRUE(match("service(\"payments\") { fault }", failing_checkout()));
  EXPECT_TRUE(match("service(\"payments\") { responsetime < 2.1 AND http.status = 500 }", failing_checkout()));
  // Inside the braces the conditions are about that service's segment, not the trace.
  EXPECT_FALSE(match("service(\"payments\") { responsetime > 2.1 }", failing_checkout()));
  EXPECT_FALSE(match("service(\"payments\") { throttle }", failing_checkout()));
  EXPECT_FALSE(match("service(\"search\") { fault }", ok_search()));
  EXPECT_TRUE(match("service(\"search\") { ok }", ok_search()));
  EXPECT_TRUE(match("service(\"payments\") { annotation.team = \"pay\" }", failing_checkout()));
  EXPECT_FALSE(match("service(\"checkout\") { annotation.team = \"pay\" }", failing_checkout()));
}

TEST(FakeAwsXrayFilter, AnnotationsInBothSpellingsWithEachValueType) {
  EXPECT_TRUE(picks_failing("annotation.team = \"pay\""));
  EXPECT_TRUE(picks_failing("annotation[team] = \"pay\""));
  EXPECT_TRUE(picks_failing("annotation[aws.local.service] = \"payments\""));
  EXPECT_TRUE(picks_failing("annotation.aws.local.service = \"payments\""));
  EXPECT_TRUE(picks_failing("annotation[aws.local.service] BEGINSWITH \"pay\""));
  EXPECT_TRUE(picks_failing("annotation.retries > 2"));
  EXPECT_TRUE(picks_failing("annotation.retries = 3"));
  EXPECT_FALSE(match("annotation.retries < 3", failing_checkout()));
  EXPECT_TRUE(picks_failing("annotation.cached = false"));
  EXPECT_FALSE(match("annotation.cached = true", failing_checkout()));
  EXPECT_FALSE(match("annotation.nosuch = \"x\"", failing_checkout()));
  EXPECT_FALSE(match("annotation.team = 3", failing_checkout()));  // not a number
}

TEST(FakeAwsXrayFilter, AndBindsTighterThanOrAndNotAndParentheses) {
  EXPECT_TRUE(picks_failing("service(\"payments\") AND fault"));
  EXPECT_FALSE(match("service(\"search\") AND fault", ok_search()));
  EXPECT_TRUE(picks_ok("!fault"));
  EXPECT_TRUE(picks_ok("!(fault OR throttle)"));
  EXPECT_TRUE(picks_failing("!!fault"));
  // fault OR (ok AND http.status = 404): the second part is false for both traces.
  EXPECT_TRUE(picks_failing("fault OR ok AND http.status = 404"));
  EXPECT_TRUE(match("(fault OR ok) AND http.status = 200", ok_search()));
  EXPECT_FALSE(match("(fault OR ok) AND http.status = 200", failing_checkout()));
  EXPECT_TRUE(match("((((fault))))", failing_checkout()));
}

TEST(FakeAwsXrayFilter, EachInvalidExpressionIsAnError) {
  const char* bad[] = {
      "fault = maybe",          "fault = 1",                "fault AND",
      "AND fault",              "(fault",                   "fault)",
      "fault fault",            "fault && error",           "fault || error",
      "NOT fault",              "http.status = \"500\"",    "http.status CONTAINS 5",
      "http.status",            "http.url > \"a\"",         "http.url = 5",
      "http.url",               "responsetime > fast",      "responsetime > 1.2.3",
      "service(payments)",      "service()",                "service(\"a\"",
      "service(\"a\") { fault", "service(\"a\") { }",       "service",
      "user = \"bob\"",         "edge(\"a\", \"b\")",       "annotation[] = 1",
      "annotation[team = 1",    "annotation.team",          "annotation.team > \"a\"",
      "annotation.n CONTAINS 3", "annotation.b > true",     "\"payments\"",
      "http.url = \"x",         "fault = true;",            "5",
      "!",                      "()",
  };
  for (const char* e : bad) {
    auto message = error_of(e);
    EXPECT_EQ(message.rfind("Invalid filter expression: ", 0), 0u) << e << " → " << message;
    EXPECT_NE(message.find("at position"), std::string::npos) << e << " → " << message;
  }
  EXPECT_NE(error_of("user = \"bob\"").find("unsupported keyword 'user'"), std::string::npos);
  EXPECT_NE(error_of("fault AND http.status = \"500\"").find("position 25"), std::string::npos);
}

TEST(FakeAwsXrayFilter, NestingAndLengthAreBounded) {
  auto nested = [](int n) { return std::string(n, '(') + "fault" + std::string(n, ')'); };
  EXPECT_TRUE(std::holds_alternative<Filter>(parse(nested(kMaxDepth))));
  EXPECT_NE(error_of(nested(kMaxDepth + 1)).find("nesting deeper"), std::string::npos);
  EXPECT_NE(error_of(nested(4000)).find("nesting deeper"), std::string::npos);
  EXPECT_NE(error_of(std::string(5000, '!') + "fault").find("nesting deeper"), std::string::npos);
  std::string braces;
  for (int i = 0; i < 200; ++i) braces += "service(\"a\") { ";
  EXPECT_NE(error_of(braces + "fault").find("nesting deeper"), std::string::npos);
  EXPECT_NE(error_of(std::string(kMaxLength + 1, ' ')).find("longer than"), std::string::npos);
}

TEST(FakeAwsXrayFilter, ArbitraryTextNeverCrashes) {
  const std::string alphabet = "fault error ok throttle service annotation http.status http.url responsetime AND OR "
                               "CONTAINS !(){}[]=<>\"'.-0123456789ab _";
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    const int len = 1 + static_cast<int>(x % 50);
    for (int j = 0; j < len; ++j) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      q += alphabet[x % alphabet.size()];
    }
    auto f = parse(q);
    if (auto* ok = std::get_if<Filter>(&f)) (void)matches(*ok, failing_checkout());
  }
  (void)parse(std::string("\0\xff", 2));
}

}  // namespace
}  // namespace appsignals::fakeaws::xray_filter
