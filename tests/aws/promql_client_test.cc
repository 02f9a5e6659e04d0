// PromqlClient: the query parameters are signed (SigV4 canonical query string), the CloudWatch
// endpoint override is used, Prometheus error bodies map to our codes, literals are escaped.
#include "aws/services/promql_client.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "aws/credentials/providers.h"
#include "aws/http/curl_http_client.h"
#include "aws/sigv4/signer.h"
#include "test_http_server.h"

namespace appsignals::aws {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;

std::shared_ptr<ClientContext> make_ctx(asio::io_context& ioc, const std::string& cloudwatch_url,
                                        const std::string& global_url) {
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = std::make_shared<CurlHttpClient>(ioc.get_executor());
  ctx->credentials = std::make_shared<StaticCredentialsProvider>(
      Credentials{"AKIDTEST", "SECRETTEST", "", std::nullopt, ""}, "test");
  EndpointSettings s;
  s.per_service["CLOUDWATCH"] = cloudwatch_url;  // AWS_ENDPOINT_URL_CLOUDWATCH
  s.global_url = global_url;                     // AWS_ENDPOINT_URL
  ctx->endpoints = std::make_shared<EndpointResolver>(s);
  ctx->retry.transient_base = std::chrono::milliseconds(1);
  ctx->retry.throttling_base = std::chrono::milliseconds(1);
  ctx->total_timeout = std::chrono::milliseconds(2000);
  ctx->random01 = [] { return 0.5; };
  return ctx;
}

std::string credential_service(const TestRequest& r) {
  auto parsed = sigv4::parse_authorization(r.header("Authorization"));
  return parsed.ok() ? parsed->service : "";
}

bool signature_ok(const TestRequest& r) {
  sigv4::Headers headers(r.headers.begin(), r.headers.end());
  auto q = r.target.find('?');
  std::string path = r.target.substr(0, q);
  std::string query = q == std::string::npos ? "" : r.target.substr(q + 1);
  auto v = sigv4::verify({r.method, path, query, &headers, r.body},
                         [](std::string_view) { return std::optional<std::string>("SECRETTEST"); }, {});
  return v.ok();
}

TEST(PromqlLiterals, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(promql_string("plain.name"), "\"plain.name\"");
  EXPECT_EQ(promql_string("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(promql_string("c:\\x"), "\"c:\\\\x\"");
  EXPECT_EQ(promql_string("l1\nl2\t"), "\"l1\\nl2\\t\"");
}

TEST(PromqlLiterals, SelectorQuotesDottedNames) {
  EXPECT_EQ(promql_selector("service.function.duration", {{"@resource.service.name", "svc"}}),
            R"({"service.function.duration","@resource.service.name"="svc"})");
  EXPECT_EQ(promql_selector("count", {}), R"({"count"})");
  EXPECT_EQ(promql_selector("m", {{"function.name", "say \"hi\""}}), R"({"m","function.name"="say \"hi\""})");
}

TEST(PromqlClient, QueryParametersAreSignedWithTheMonitoringScope) {
  TestHttpServer wrong([](const TestRequest&) { return TestResponse::json(500, "{}"); });
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  });
  asio::io_context ioc;
  PromqlClient c(make_ctx(ioc, server.url(), wrong.url()), "us-east-1");
  std::string expr = promql_selector("service.function.duration", {{"@resource.service.name", "svc"}});
  auto r = test::run_sync(ioc, c.query(expr, 1767225600));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(json::serialize(*r), R"({"resultType":"vector","result":[]})");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(wrong.seen().empty());  // the per-service override wins over AWS_ENDPOINT_URL
  EXPECT_EQ(seen[0].method, "GET");
  // SigV4 query encoding: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, upper-case hex.
  const std::string expected_query =
      "query=%7B%22service.function.duration%22%2C%22%40resource.service.name%22%3D%22svc%22%7D&time=1767225600";
  EXPECT_EQ(seen[0].target, "/api/v1/query?" + expected_query);
  EXPECT_EQ(sigv4::canonical_query(expected_query), expected_query);
  EXPECT_EQ(credential_service(seen[0]), "monitoring");
  EXPECT_TRUE(signature_ok(seen[0]));
}

TEST(PromqlClient, RepeatedMatchParametersAndLabelPathsAreSigned) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(200, R"({"status":"success","data":["payments.ledger.write_entry"]})");
  });
  asio::io_context ioc;
  PromqlClient c(make_ctx(ioc, server.url(), server.url()), "us-east-1");
  std::vector<std::string> match = {R"({"count"})", R"({"a.b"})"};
  auto r = test::run_sync(ioc, c.label_values("function.name", match, 100, 200));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->is_array());
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target,
            "/api/v1/label/function.name/values?match%5B%5D=%7B%22count%22%7D&match%5B%5D=%7B%22a.b%22%7D"
            "&start=100&end=200");
  EXPECT_TRUE(signature_ok(seen[0]));
  // A parameter changed after signing breaks the signature (the query is part of it).
  TestRequest tampered = seen[0];
  tampered.target.replace(tampered.target.find("start=100"), 9, "start=101");
  EXPECT_FALSE(signature_ok(tampered));
}

TEST(PromqlClient, BadDataIsInvalidArgumentAndNotRetried) {
  std::atomic<int> n{0};
  TestHttpServer server([&](const TestRequest&) {
    ++n;
    return TestResponse::json(400, R"({"status":"error","errorType":"bad_data","error":"parse error at char 3"})");
  });
  asio::io_context ioc;
  PromqlClient c(make_ctx(ioc, server.url(), server.url()), "us-east-1");
  auto r = test::run_sync(ioc, c.query("sum(", 0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().details, "bad_data");
  EXPECT_NE(r.error().message.find("parse error at char 3"), std::string::npos);
  EXPECT_EQ(n.load(), 1);
}

TEST(PromqlClient, TimeoutAndUnavailableAreRetriedThenMapped) {
  std::atomic<int> n{0};
  TestHttpServer server([&](const TestRequest&) {
    ++n;
    return TestResponse::json(503, R"({"status":"error","errorType":"timeout","error":"query timed out"})");
  });
  asio::io_context ioc;
  PromqlClient c(make_ctx(ioc, server.url(), server.url()), "us-east-1");
  auto r = test::run_sync(ioc, c.query("x", 0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(n.load(), 3);  // standard retries on 5xx
}

TEST(PromqlClient, AwsStyleAccessDeniedIsPermissionDenied) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(403, R"({"message":"not authorized to perform: cloudwatch:QueryMetrics"})",
                              {{"x-amzn-ErrorType", "AccessDeniedException"}});
  });
  asio::io_context ioc;
  PromqlClient c(make_ctx(ioc, server.url(), server.url()), "us-east-1");
  auto r = test::run_sync(ioc, c.labels({}, 0, 0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(r.error().details, "AccessDeniedException");
}

TEST(PromqlErrors, ErrorTypesMapToCanonicalCodes) {
  EXPECT_EQ(prometheus_error_code("bad_data"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(prometheus_error_code("execution"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(prometheus_error_code("timeout"), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(prometheus_error_code("canceled"), ErrorCode::kCancelled);
  EXPECT_EQ(prometheus_error_code("not_found"), ErrorCode::kNotFound);
  EXPECT_EQ(prometheus_error_code("unavailable"), ErrorCode::kUnavailable);
  EXPECT_EQ(prometheus_error_code("internal"), ErrorCode::kInternal);
  EXPECT_EQ(prometheus_error_code("AccessDeniedException"), std::nullopt);
}

}  // namespace
}  // namespace appsignals::aws
