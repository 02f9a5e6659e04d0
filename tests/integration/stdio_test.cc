// `appsignals-mcp stdio` as a desktop client spawns it: newline-delimited JSON-RPC on stdin and
// stdout, logs on stderr only, a clean exit at end of input.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <sstream>

#include "subprocess.h"

namespace appsignals::testing {
namespace {

TEST(Stdio, AnswersEachLineOnStdoutAndExitsZeroAtEof) {
  Subprocess p(bin_path("appsignals-mcp"), {"stdio", "--log-level", "DEBUG"}, {{"AWS_REGION", "us-east-1"}},
               /*with_stdin=*/true, /*separate_stderr=*/true);
  ASSERT_TRUE(p.started());
  p.write_stdin(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})" "\n");
  p.write_stdin(R"({"jsonrpc":"2.0","method":"notifications/initialized"})" "\n");
  p.write_stdin(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})" "\n");
  p.write_stdin("this is not json\n");
  p.close_stdin();
  const std::string out = p.drain();
  EXPECT_EQ(p.wait(), 0);

  // Every stdout line is one JSON-RPC message: no log line leaks onto stdout.
  std::istringstream lines(out);
  std::string line;
  int responses = 0;
  bool saw_parse_error = false;
  while (std::getline(lines, line)) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON on stdout: " << line;
    ASSERT_TRUE(v.is_object());
    auto& o = v.as_object();
    EXPECT_EQ(o.at("jsonrpc"), "2.0");
    if (o.contains("error") && o.at("error").at("code") == -32700) {
      saw_parse_error = true;
      EXPECT_FALSE(o.contains("id")) << "an unreadable request gets no id";
    }
    ++responses;
  }
  EXPECT_EQ(responses, 3) << out;
  EXPECT_TRUE(saw_parse_error);
  EXPECT_NE(out.find(R"("protocolVersion":"2024-11-05")"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::testing
