// The Logs Insights subset: every construct of the grammar on a small table of rows, and every
// kind of syntax error (with where it is), plus inputs that must never crash or hang.
#include "fakeaws/query/logs_insights.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace appsignals::fakeaws::insights {
namespace {

Row row(std::initializer_list<std::pair<std::string, std::string>> cells) { return Row(cells); }

std::vector<Row> sample() {
  return {
      row({{"@timestamp", "2026-12-04 01:07:00.000"}, {"service", "search"}, {"status", "404"}, {"duration", "15"},
           {"msg", "not found: /search?q=cat"}, {"@ptr", "p4"}}),
      row({{"@timestamp", "2026-12-04 01:06:00.000"}, {"service", "payments"}, {"status", "200"}, {"duration", "30"},
           {"@ptr", "p3"}}),
      row({{"@timestamp", "2026-12-04 01:04:59.999"}, {"service", "checkout"}, {"status", "200"}, {"duration", "80"},
           {"@ptr", "p2"}}),
      row({{"@timestamp", "2026-12-04 01:03:10.000"}, {"service", "payments"}, {"status", "500"}, {"duration", "120"},
           {"msg", "charge failed: Throttled"}, {"@ptr", "p1"}}),
  };
}

Query parsed(const std::string& text) {
  auto q = parse(text);
  if (auto* e = std::get_if<SyntaxError>(&q)) {
    ADD_FAILURE() << text << " → " << e->message;
    return {};
  }
  return std::get<Query>(q);
}

Evaluation run(const std::string& text, std::size_t max_rows = 1000) {
  return evaluate(parsed(text), sample(), max_rows);
}

// The value of `field` in each result row ("-" when absent).
std::vector<std::string> column(const Evaluation& ev, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& r : ev.rows) {
    std::string v = "-";
    for (const auto& [k, val] : r)
      if (k == field) v = val;
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> names(const Row& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r) out.push_back(k);
  return out;
}

SyntaxError error_of(const std::string& text) {
  auto q = parse(text);
  if (!std::holds_alternative<SyntaxError>(q)) {
    ADD_FAILURE() << "accepted: " << text;
    return {};
  }
  return std::get<SyntaxError>(q);
}

using Strings = std::vector<std::string>;

TEST(FakeAwsLogsInsights, EmptyQueryReturnsEveryRowWithEveryField) {
  auto ev = run("  # nothing but a comment\n");
  ASSERT_EQ(ev.rows.size(), 4u);
  EXPECT_EQ(names(ev.rows[3]), (Strings{"@timestamp", "service", "status", "duration", "msg", "@ptr"}));
  EXPECT_EQ(ev.matched, 4);
}

TEST(FakeAwsLogsInsights, FieldsProjectsInOrderAndKeepsPtr) {
  auto ev = run("fields service, @timestamp");
  ASSERT_EQ(ev.rows.size(), 4u);
  for (const auto& r : ev.rows) EXPECT_EQ(names(r), (Strings{"service", "@timestamp", "@ptr"}));
  // A field a row lacks is left out of that row.
  auto msg = run("fields msg");
  EXPECT_EQ(names(msg.rows[1]), (Strings{"@ptr"}));
  EXPECT_EQ(names(msg.rows[0]), (Strings{"msg", "@ptr"}));
}

TEST(FakeAwsLogsInsights, FieldsAliasIsAColumnLaterCommandsCanUse) {
  auto ev = run("fields service as svc, status | filter svc = \"payments\"");
  ASSERT_EQ(ev.rows.size(), 2u);
  EXPECT_EQ(names(ev.rows[0]), (Strings{"svc", "status", "@ptr"}));
  EXPECT_EQ(column(ev, "svc"), (Strings{"payments", "payments"}));
}

TEST(FakeAwsLogsInsights, DisplayReplacesTheColumns) {
  auto ev = run("fields service, status | display status");
  EXPECT_EQ(names(ev.rows[0]), (Strings{"status", "@ptr"}));
}

TEST(FakeAwsLogsInsights, ComparisonsAreNumericForNumbersAndTextualForQuotedStrings) {
  EXPECT_EQ(column(run("filter status >= 500"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter duration < 80"), "@ptr"), (Strings{"p4", "p3"}));
  EXPECT_EQ(column(run("filter duration <= 80"), "@ptr"), (Strings{"p4", "p3", "p2"}));
  EXPECT_EQ(column(run("filter duration > 100.5"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter status = 500.0"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter duration > -1"), "@ptr").size(), 4u);
  EXPECT_EQ(column(run("filter status = \"500\""), "@ptr"), (Strings{"p1"}));
  // Quoted: a string comparison, so "80" > "5" > "30".
  EXPECT_EQ(column(run("filter duration > '5'"), "@ptr"), (Strings{"p2"}));
  EXPECT_EQ(column(run("filter service != 'payments'"), "@ptr"), (Strings{"p4", "p2"}));
  EXPECT_EQ(column(run("filter service > \"payments\""), "@ptr"), (Strings{"p4"}));
  // A number against a non-number is false either way.
  EXPECT_TRUE(run("filter service = 5").rows.empty());
  EXPECT_TRUE(run("filter service != 5").rows.empty());
  // Field against field.
  EXPECT_EQ(column(run("filter duration > status"), "@ptr").size(), 0u);
  EXPECT_EQ(column(run("filter status > duration"), "@ptr").size(), 4u);
}

TEST(FakeAwsLogsInsights, AbsentFieldsNeverCompareAndNotInvertsThat) {
  EXPECT_EQ(column(run("filter msg != \"x\""), "@ptr"), (Strings{"p4", "p1"}));
  EXPECT_EQ(column(run("filter not msg = \"x\""), "@ptr").size(), 4u);
  EXPECT_TRUE(run("filter nosuch like \"a\"").rows.empty());
}

TEST(FakeAwsLogsInsights, LikeTakesASubstringOrARegex) {
  EXPECT_EQ(column(run("filter msg like \"Throttl\""), "@ptr"), (Strings{"p1"}));
  EXPECT_TRUE(run("filter msg like \"throttl\"").rows.empty());  // case-sensitive
  EXPECT_TRUE(run("filter msg like /THROTTLED/").rows.empty());
  EXPECT_EQ(column(run("filter msg like /(?i)THROTTLED/"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter msg like /^not found: \\/search/"), "@ptr"), (Strings{"p4"}));
  EXPECT_EQ(column(run("filter msg =~ /fail(ed)?:/"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter msg not like \"found\""), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(column(run("filter @timestamp like /01:0[67]/"), "@ptr"), (Strings{"p4", "p3"}));
}

// Fuzz finding (logs_insights): libstdc++'s regex compiler overflows an int on a long number
// (a back-reference or a repetition), undefined behaviour: such patterns are refused first.
TEST(FakeAwsLogsInsights, RegexWithAHugeNumberIsRefusedBeforeCompiling) {
  EXPECT_NE(error_of("filter msg like /a\\99999999999999999999/").message.find("number longer than 6 digits"),
            std::string::npos);
  EXPECT_NE(error_of("filter msg like /a{1,99999999999}/").message.find("number longer than 6 digits"),
            std::string::npos);
}

TEST(FakeAwsLogsInsights, InListsMatchStringsAndNumbers) {
  EXPECT_EQ(column(run("filter service in [\"search\", 'checkout']"), "@ptr"), (Strings{"p4", "p2"}));
  EXPECT_EQ(column(run("filter status in [404, 500]"), "@ptr"), (Strings{"p4", "p1"}));
  EXPECT_EQ(column(run("filter service not in [\"payments\"]"), "@ptr"), (Strings{"p4", "p2"}));
}

TEST(FakeAwsLogsInsights, AndBindsTighterThanOrAndParenthesesRegroup) {
  EXPECT_EQ(column(run("filter service = \"payments\" and status = 200 or service = \"search\""), "@ptr"),
            (Strings{"p4", "p3"}));
  EXPECT_EQ(column(run("filter service = \"payments\" and (status = 200 or service = \"search\")"), "@ptr"),
            (Strings{"p3"}));
  EXPECT_EQ(column(run("filter not (service = \"payments\" or status = 404)"), "@ptr"), (Strings{"p2"}));
  EXPECT_EQ(column(run("filter not not service = \"checkout\""), "@ptr"), (Strings{"p2"}));
}

TEST(FakeAwsLogsInsights, IsPresent) {
  EXPECT_EQ(column(run("filter ispresent(msg)"), "@ptr"), (Strings{"p4", "p1"}));
  EXPECT_EQ(column(run("filter not isPresent(msg)"), "@ptr"), (Strings{"p3", "p2"}));
}

TEST(FakeAwsLogsInsights, StatsCountByFieldHasOnlyTheGroupAndAggregateColumns) {
  auto ev = run("stats count(*) by service");
  ASSERT_EQ(ev.rows.size(), 3u);
  for (const auto& r : ev.rows) EXPECT_EQ(names(r), (Strings{"service", "count(*)"}));
  EXPECT_EQ(column(ev, "service"), (Strings{"checkout", "payments", "search"}));
  EXPECT_EQ(column(ev, "count(*)"), (Strings{"1", "2", "1"}));
  EXPECT_EQ(ev.matched, 4);
}

TEST(FakeAwsLogsInsights, StatsAggregatesWithAliases) {
  auto ev = run(
      "stats count(*) as n, avg(duration), sum(duration) as total, min(duration), max(duration), pct(duration, 50), "
      "pct(duration, 99) as p99, count(msg), count_distinct(service) as services");
  ASSERT_EQ(ev.rows.size(), 1u);
  EXPECT_EQ(names(ev.rows[0]), (Strings{"n", "avg(duration)", "total", "min(duration)", "max(duration)",
                                        "pct(duration, 50)", "p99", "count(msg)", "services"}));
  EXPECT_EQ(column(ev, "n"), (Strings{"4"}));
  EXPECT_EQ(column(ev, "avg(duration)"), (Strings{"61.25"}));
  EXPECT_EQ(column(ev, "total"), (Strings{"245"}));
  EXPECT_EQ(column(ev, "min(duration)"), (Strings{"15"}));
  EXPECT_EQ(column(ev, "max(duration)"), (Strings{"120"}));
  EXPECT_EQ(column(ev, "pct(duration, 50)"), (Strings{"30"}));
  EXPECT_EQ(column(ev, "p99"), (Strings{"120"}));
  EXPECT_EQ(column(ev, "count(msg)"), (Strings{"2"}));
  EXPECT_EQ(column(ev, "services"), (Strings{"3"}));
}

TEST(FakeAwsLogsInsights, StatsByBinFormatsTheBinLikeTimestamps) {
  auto ev = run("stats count() as n by bin(5m)");
  EXPECT_EQ(column(ev, "bin(5m)"), (Strings{"2026-12-04 01:00:00.000", "2026-12-04 01:05:00.000"}));
  EXPECT_EQ(column(ev, "n"), (Strings{"2", "2"}));
  auto two = run("stats max(duration) by bin(1h) as hour, service | sort service desc");
  EXPECT_EQ(names(two.rows[0]), (Strings{"hour", "service", "max(duration)"}));
  EXPECT_EQ(column(two, "service"), (Strings{"search", "payments", "checkout"}));
  EXPECT_EQ(column(two, "hour"), Strings(3, "2026-12-04 01:00:00.000"));
}

TEST(FakeAwsLogsInsights, StatsOverNothing) {
  EXPECT_EQ(column(run("filter status = 1 | stats count(*)"), "count(*)"), (Strings{"0"}));
  EXPECT_TRUE(run("filter status = 1 | stats count(*) by service").rows.empty());
  // avg of no number is absent from the row.
  EXPECT_EQ(names(run("stats avg(msg), count(*)").rows[0]), (Strings{"count(*)"}));
}

TEST(FakeAwsLogsInsights, CommandsAfterStatsSeeTheAggregates) {
  auto ev = run("stats count(*) as n by service | filter n > 1 | fields service");
  ASSERT_EQ(ev.rows.size(), 1u);
  EXPECT_EQ(names(ev.rows[0]), (Strings{"service", "n"}));
  EXPECT_EQ(ev.matched, 4);
}

TEST(FakeAwsLogsInsights, SortUsesNaturalOrderAndPutsAbsentValuesLast) {
  EXPECT_EQ(column(run("sort duration"), "@ptr"), (Strings{"p4", "p3", "p2", "p1"}));
  EXPECT_EQ(column(run("sort duration desc"), "@ptr"), (Strings{"p1", "p2", "p3", "p4"}));
  EXPECT_EQ(column(run("sort msg asc"), "@ptr"), (Strings{"p1", "p4", "p3", "p2"}));
  EXPECT_EQ(column(run("sort msg desc"), "@ptr"), (Strings{"p4", "p1", "p3", "p2"}));
  EXPECT_EQ(column(run("sort service asc, duration desc"), "@ptr"), (Strings{"p2", "p1", "p3", "p4"}));
  EXPECT_EQ(column(run("sort @timestamp asc"), "@ptr"), (Strings{"p1", "p2", "p3", "p4"}));
  // Non-numbers before numbers; digit runs by value.
  std::vector<Row> rows = {row({{"v", "10"}}), row({{"v", "a10"}}), row({{"v", "a9"}}), row({{"v", "2"}}), row({{"v", "B"}})};
  auto ev = evaluate(parsed("sort v"), rows, 10);
  EXPECT_EQ(column(ev, "v"), (Strings{"B", "a9", "a10", "2", "10"}));
}

TEST(FakeAwsLogsInsights, LimitAndTheCallersMaximum) {
  EXPECT_EQ(column(run("limit 2"), "@ptr"), (Strings{"p4", "p3"}));
  EXPECT_EQ(column(run("sort duration desc | limit 1"), "@ptr"), (Strings{"p1"}));
  EXPECT_EQ(run("limit 3", 2).rows.size(), 2u);
  auto ev = run("filter status = 200 | limit 1");
  EXPECT_EQ(ev.rows.size(), 1u);
  EXPECT_EQ(ev.matched, 2);  // records that passed the filter, before limit
}

TEST(FakeAwsLogsInsights, KeywordsAreCaseInsensitiveAndFieldsMayBeBackquoted) {
  auto ev = run("FIELDS service, `status` # the code\n| FILTER `status` = 500 OR service = \"search\" | Sort duration DESC | LIMIT 5");
  EXPECT_EQ(column(ev, "@ptr"), (Strings{"p1", "p4"}));
  EXPECT_TRUE(run("filter Service = \"search\"").rows.empty());  // field names are case-sensitive
  std::vector<Row> odd = {row({{"my field-1", "x"}, {"@ptr", "q"}})};
  EXPECT_EQ(evaluate(parsed("filter `my field-1` = 'x' | fields `my field-1` as f"), odd, 10).rows[0],
            row({{"f", "x"}, {"@ptr", "q"}}));
}

TEST(FakeAwsLogsInsights, StringsUnescape) {
  std::vector<Row> rows = {row({{"v", "say \"hi\"\tnow"}})};
  EXPECT_EQ(evaluate(parsed(R"(filter v = "say \"hi\"\tnow")"), rows, 10).rows.size(), 1u);
  EXPECT_EQ(evaluate(parsed(R"(filter v like 'say "hi')"), rows, 10).rows.size(), 1u);
}

TEST(FakeAwsLogsInsights, SourceAndFilterIndex) {
  auto q = parsed(
      "SOURCE logGroups(namePrefix: ['aws/', \"/aws/lambda\"], class: 'STANDARD') | filterIndex @data_format = "
      "\"AWS-OTEL-TRACE-V1\" | fields traceId");
  EXPECT_TRUE(q.has_source);
  EXPECT_EQ(q.name_prefixes, (Strings{"aws/", "/aws/lambda"}));
  ASSERT_EQ(q.commands.size(), 2u);
  EXPECT_EQ(q.commands[0].kind, Command::Kind::kFilter);
  auto all = parsed("source logGroups()");
  EXPECT_TRUE(all.has_source);
  EXPECT_TRUE(all.name_prefixes.empty());
  EXPECT_TRUE(all.commands.empty());
  std::vector<Row> rows = {row({{"@data_format", "AWS-OTEL-TRACE-V1"}}), row({{"x", "1"}})};
  EXPECT_EQ(evaluate(parsed("filterIndex @data_format = \"AWS-OTEL-TRACE-V1\""), rows, 10).rows.size(), 1u);
  EXPECT_FALSE(parsed("fields a").has_source);
}

// ---- errors ----

TEST(FakeAwsLogsInsights, ErrorsSayWhereTheQueryGoesWrong) {
  auto e = error_of("fields a | filter b >");
  EXPECT_NE(e.message.find("at line 1 and position 22"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("end of query"), std::string::npos) << e.message;
  auto second_line = error_of("fields a\n| filter b ~ 1");
  EXPECT_NE(second_line.message.find("at line 2 and position 12"), std::string::npos) << second_line.message;
  EXPECT_EQ(second_line.start, 20u);
  EXPECT_EQ(second_line.end, 21u);
}

TEST(FakeAwsLogsInsights, EachConstructOutsideTheSubsetIsAnError) {
  const char* bad[] = {
      "fields",                                    // no field
      "fields a,",                                 // dangling comma
      "fields a |",                                // trailing pipe
      "fields a | | fields b",                     // empty command
      "fields a filter b = 1",                     // missing pipe
      "select * from spans",                       // SQL
      "parse @message '* *' as a, b",              // unsupported command
      "fields a | dedup a",                        // unsupported command
      "fields a | source logGroups()",             // SOURCE not first
      "fields concat(a, b) as c",                  // function in fields
      "filter strcontains(msg, \"x\")",            // function in filter
      "filter",                                    // no condition
      "filter a",                                  // no comparison
      "filter a == 1",                             // not an operator
      "filter a = ",                               // missing operand
      "filter (a = 1",                             // unbalanced
      "filter a = 1)",                             // unbalanced
      "filter a + 1 > 2",                          // arithmetic
      "filter a = \"x",                            // unterminated string
      "filter a like /x",                          // unterminated regex
      "filter a like 5",                           // like needs a string or regex
      "filter a =~ \"x\"",                         // =~ needs a regex
      "filter a like /[/",                         // bad regex
      "filter a like /(a)\\1/",                    // back-reference
      "filter a like /(?i)x(?i)/",                 // inline flag in the middle
      "filter a like /a{1000}{1000}/",             // repetition bound
      "filter a in []",                            // empty list
      "filter a in [b]",                           // field in a list
      "filter a in \"x\"",                         // not a list
      "filter ispresent(a",                        // unbalanced
      "stats",                                     // no aggregate
      "stats foo(a)",                              // unsupported aggregate
      "stats count(*) by",                         // no key
      "stats count(*) by bin(5)",                  // period without unit
      "stats count(*) by bin(5x)",                 // unknown unit
      "stats count(*) by bin(0m)",                 // zero period
      "stats pct(a)",                              // no percentile
      "stats pct(a, 101)",                         // percentile out of range
      "stats avg()",                               // no field
      "stats count(*) as",                         // no alias
      "sort",                                      // no field
      "sort a up",                                 // not asc/desc
      "limit",                                     // no number
      "limit 0",                                   // out of range
      "limit 10001",                               // out of range
      "limit 2.5",                                 // not an integer
      "limit abc",                                 // not a number
      "SOURCE",                                    // no logGroups
      "SOURCE logGroups(foo: 'x')",                // unknown option
      "SOURCE logGroups(namePrefix: x)",           // unquoted value
      "SOURCE logGroups(namePrefix: ['a'] | fields a",  // unbalanced
      "fields `a",                                 // unterminated backquote
      "fields a ; fields b",                       // stray character
  };
  for (const char* q : bad) {
    auto e = error_of(q);
    EXPECT_FALSE(e.message.empty()) << q;
    EXPECT_NE(e.message.find("at line"), std::string::npos) << q << " → " << e.message;
    EXPECT_LE(e.start, std::string_view(q).size()) << q;
    EXPECT_GT(e.end, e.start) << q;
  }
}

TEST(FakeAwsLogsInsights, UnsupportedCommandsAndFunctionsAreNamed) {
  EXPECT_NE(error_of("parse @message 'x' as y").message.find("parse command is not supported"), std::string::npos);
  EXPECT_NE(error_of("filter strcontains(a, 'x')").message.find("unsupported function strcontains()"), std::string::npos);
  EXPECT_NE(error_of("stats median(a)").message.find("unsupported function median()"), std::string::npos);
}

TEST(FakeAwsLogsInsights, NestingAndLengthAreBounded) {
  auto nested = [](int n) { return "filter " + std::string(n, '(') + "a = 1" + std::string(n, ')'); };
  EXPECT_TRUE(std::holds_alternative<Query>(parse(nested(kMaxDepth))));
  EXPECT_NE(error_of(nested(kMaxDepth + 1)).message.find("nested too deeply"), std::string::npos);
  EXPECT_NE(error_of(nested(4000)).message.find("nested too deeply"), std::string::npos);
  std::string nots = "filter ";
  for (int i = 0; i < 2000; ++i) nots += "not ";
  EXPECT_NE(error_of(nots + "a = 1").message.find("nested too deeply"), std::string::npos);
  // Long and/or chains are not nesting.
  std::string chain = "filter a = 0";
  for (int i = 1; i < 500; ++i) chain += " or a = " + std::to_string(i);
  EXPECT_EQ(evaluate(parsed(chain), {row({{"a", "499"}})}, 10).rows.size(), 1u);
  std::string longest = "fields a" + std::string(kMaxQueryLength - 8, ' ');
  EXPECT_TRUE(std::holds_alternative<Query>(parse(longest)));
  EXPECT_NE(error_of(longest + " ").message.find("longer than"), std::string::npos);
}

TEST(FakeAwsLogsInsights, RegexesRunInBoundedTime) {
  // Exponential for a backtracking matcher; linear here, and the value is cut at kMaxRegexSubject.
  std::vector<Row> rows = {row({{"m", std::string(100000, 'a')}})};
  EXPECT_TRUE(evaluate(parsed("filter m like /(a|a)*b/"), rows, 10).rows.empty());
  EXPECT_TRUE(evaluate(parsed("filter m like /(a*)*$b/"), rows, 10).rows.empty());
  EXPECT_EQ(evaluate(parsed("filter m like /^a+$/"), rows, 10).rows.size(), 1u);
}

TEST(FakeAwsLogsInsights, ArbitraryTextNeverCrashes) {
  const std::string alphabet = "fields filter stats sort limit by as and or not like in ispresent bin count pct "
                               "(()[],|*=!<>~/`'\"#\n-0123456789.5m@$_ab";
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    const int len = 1 + static_cast<int>(x % 60);
    for (int j = 0; j < len; ++j) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      q += alphabet[x % alphabet.size()];
    }
    auto p = parse(q);
    if (auto* ok = std::get_if<Query>(&p)) (void)evaluate(*ok, sample(), 10);
  }
  for (std::string q : {std::string("\0\xff\xfe", 3), std::string(2000, '('), std::string(2000, '"'),
                        std::string(2000, '|'), std::string(2000, '/')})
    (void)parse(q);
}

TEST(FakeAwsLogsInsights, TimestampsRoundTrip) {
  EXPECT_EQ(format_time(1796346300000), "2026-12-04 01:05:00.000");
  EXPECT_EQ(format_time(1796346300123), "2026-12-04 01:05:00.123");
  std::int64_t ms = 0;
  ASSERT_TRUE(parse_time("2026-12-04 01:05:00.123", ms));
  EXPECT_EQ(ms, 1796346300123);
  EXPECT_FALSE(parse_time("2026-12-04T01:05:00Z", ms));
  EXPECT_FALSE(parse_time("2026-13-04 01:05:00.123", ms));
}

}  // namespace
}  // namespace appsignals::fakeaws::insights
