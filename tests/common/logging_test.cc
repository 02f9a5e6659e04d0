#include "common/logging.h"

#include <gtest/gtest.h>

namespace appsignals {
namespace {

TEST(Logging, ParsesPythonStyleLevelNames) {
  EXPECT_EQ(parse_log_level("INFO"), spdlog::level::info);
  EXPECT_EQ(parse_log_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("Debug"), spdlog::level::debug);
  EXPECT_EQ(parse_log_level("CRITICAL"), spdlog::level::critical);
  EXPECT_FALSE(parse_log_level("LOUD").has_value());
}

TEST(Logging, MaskSecretNeverShowsAnyPartOfTheSecret) {
  EXPECT_EQ(mask_secret(""), "unset");
  EXPECT_EQ(mask_secret("sk-abcdef"), "set");
}

}  // namespace
}  // namespace appsignals

#include <sstream>

#include <boost/json/parse.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include "common/log_context.h"

namespace appsignals {
namespace {

// Logs through a private logger with the given format; returns what it wrote.
std::string log_line(LogFormat format, const LogFields* fields, const std::string& message) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  logger.set_formatter(make_log_formatter(format));
  if (fields) {
    ScopedLogFields scope(*fields);
    logger.warn("{}", message);
  } else {
    logger.warn("{}", message);
  }
  return out.str();
}

TEST(Logging, ParsesLogFormat) {
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_EQ(parse_log_format("TEXT"), LogFormat::kText);
  EXPECT_FALSE(parse_log_format("xml").has_value());
}

TEST(Logging, JsonLineIsOneObjectWithTheContextAndAnEscapedMessage) {
  LogFields f;
  f.request_id = "rid-1";
  f.principal = "api-key:00ff";
  f.tool = "list_monitored_services";
  f.session = "s\"1";
  f.outcome = "ok";
  f.duration_ms = 12.5;
  const std::string message = "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f utf8 \xc3\xa9";
  auto line = log_line(LogFormat::kJson, &f, message);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  auto v = boost::json::parse(line);
  auto& o = v.as_object();
  EXPECT_EQ(o.at("message").as_string(), message);
  EXPECT_EQ(o.at("level").as_string(), "warning");
  EXPECT_EQ(o.at("request_id").as_string(), "rid-1");
  EXPECT_EQ(o.at("principal").as_string(), "api-key:00ff");
  EXPECT_EQ(o.at("tool").as_string(), "list_monitored_services");
  EXPECT_EQ(o.at("session").as_string(), "s\"1");
  EXPECT_EQ(o.at("outcome").as_string(), "ok");
  EXPECT_DOUBLE_EQ(o.at("duration_ms").to_number<double>(), 12.5);
  const std::string time(o.at("time").as_string());
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-04T15:00:00.123Z
  EXPECT_EQ(time.back(), 'Z');
}

TEST(Logging, JsonLineWithoutContextHasNoContextMembers) {
  auto v = boost::json::parse(log_line(LogFormat::kJson, nullptr, "plain"));
  EXPECT_EQ(v.as_object().size(), 3u);  // time, level, message
}

TEST(Logging, TextLineCarriesTheContextInABracket) {
  LogFields f;
  f.request_id = "abc";
  f.tool = "get_slo";
  auto line = log_line(LogFormat::kText, &f, "hello");
  EXPECT_NE(line.find("[rid=abc tool=get_slo] hello"), std::string::npos) << line;
  EXPECT_EQ(log_line(LogFormat::kText, nullptr, "hello").find('['), std::string::npos);
}

TEST(Logging, ScopedFieldsEndWithTheirScope) {
  EXPECT_EQ(current_log_fields(), nullptr);
  {
    LogFields f;
    ScopedLogFields scope(f);
    EXPECT_EQ(current_log_fields(), &f);
  }
  EXPECT_EQ(current_log_fields(), nullptr);
}

// Invalid UTF-8 becomes U+FFFD (one per bad byte) and C1 controls are escaped: a JSON log line
// always parses, whatever a client sent.
TEST(Logging, JsonEscapingReplacesInvalidUtf8AndEscapesC1Controls) {
  auto esc = [](std::string_view in) {
    std::string out;
    append_json_escaped(out, in);
    return out;
  };
  EXPECT_EQ(esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(esc("a\xff" "b"), "a\\ufffdb");
  EXPECT_EQ(esc("\xc3"), "\\ufffd");                    // truncated sequence
  EXPECT_EQ(esc("\xc0\xaf"), "\\ufffd\\ufffd");          // overlong
  EXPECT_EQ(esc("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");  // surrogate
  EXPECT_EQ(esc("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // above U+10FFFF
  EXPECT_EQ(esc("x\xc2\x85y\xc2\x9f"), "x\\u0085y\\u009f");  // C1 controls
  EXPECT_EQ(esc("\xc2\xa0"), "\xc2\xa0");                // U+00A0 is not a control
  EXPECT_EQ(esc("\x01\x7f\"\\"), "\\u0001\\u007f\\\"\\\\");
  auto line = log_line(LogFormat::kJson, nullptr, "bad \xfe\xc2\x80 bytes");
  auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("message").as_string(), "bad \xef\xbf\xbd\xc2\x80 bytes");
}

}  // namespace
}  // namespace appsignals
