// Retries, errors and protocol round trips of AwsClient/ServiceClient against a loopback
// server that verifies every signature with sigv4::verify.
#include "aws/aws_client.h"

#include <gtest/gtest.h>

#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "aws/credentials/providers.h"
#include "aws/http/curl_http_client.h"
#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"
#include "test_http_server.h"

namespace appsignals::aws {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using test::TestHttpServer;
using test::TestRequest;
using test::TestResponse;

std::shared_ptr<ClientContext> make_ctx(asio::io_context& ioc, const std::string& url) {
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = std::make_shared<CurlHttpClient>(ioc.get_executor());
  ctx->credentials = std::make_shared<StaticCredentialsProvider>(
      Credentials{"AKIDTEST", "SECRETTEST", "TOKEN", std::nullopt, ""}, "test");
  EndpointSettings s;
  s.global_url = url;
  ctx->endpoints = std::make_shared<EndpointResolver>(s);
  ctx->retry.transient_base = std::chrono::milliseconds(1);
  ctx->retry.throttling_base = std::chrono::milliseconds(1);
  ctx->total_timeout = std::chrono::milliseconds(2000);
  ctx->random01 = [] { return 0.5; };
  return ctx;
}

// Verifies the SigV4 signature of a request the test server received.
bool signature_ok(const TestRequest& r, bool s3 = false) {
  sigv4::Headers headers(r.headers.begin(), r.headers.end());
  auto q = r.target.find('?');
  std::string path = r.target.substr(0, q);
  std::string query = q == std::string::npos ? "" : r.target.substr(q + 1);
  sigv4::VerifyOptions opts;
  opts.normalize_path = !s3;
  opts.double_encode = !s3;
  auto v = sigv4::verify({r.method, path, query, &headers, r.body},
                         [](std::string_view) { return std::optional<std::string>("SECRETTEST"); }, opts);
  return v.ok();
}

TEST(AwsClientRetry, ThrottlingIsRetriedThenSucceeds) {
  std::atomic<int> n{0};
  TestHttpServer server([&](const TestRequest&) {
    if (++n < 3) return TestResponse::json(429, R"({"Message":"Rate exceeded"})", {{"x-amzn-ErrorType", "ThrottlingException"}});
    return TestResponse::json(200, R"({"ServiceSummaries":[]})");
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kApplicationSignals, "us-east-1");
  auto r = test::run_sync(ioc, c.call("ListServices", json::object{{"StartTime", 1767225600}, {"EndTime", 1767229200}}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[2].header("amz-sdk-request"), "attempt=3; max=3");
  EXPECT_EQ(seen[0].header("amz-sdk-invocation-id"), seen[2].header("amz-sdk-invocation-id"));
  // A UUID v4: version nibble 4, variant 10xx.
  EXPECT_TRUE(std::regex_match(std::string(seen[0].header("amz-sdk-invocation-id")),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << seen[0].header("amz-sdk-invocation-id");
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/services?StartTime=2026-01-01T00%3A00%3A00Z&EndTime=2026-01-01T01%3A00%3A00Z");
  EXPECT_TRUE(signature_ok(seen[0]));
  EXPECT_EQ(seen[0].header("X-Amz-Security-Token"), "TOKEN");
  EXPECT_EQ(seen[0].header("User-Agent").rfind("appsignals-mcp", 0), 0u);
}

TEST(AwsClientRetry, ServerErrorsExhaustAttempts) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(503, R"({"__type":"ServiceUnavailableException","message":"down"})");
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kLogs, "us-east-1");
  auto r = test::run_sync(ioc, c.call("DescribeLogGroups", {}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().details, "ServiceUnavailableException");
  EXPECT_EQ(server.requests(), 3);
}

TEST(AwsClientRetry, ConnectionResetAndTimeoutAreRetried) {
  std::atomic<int> n{0};
  TestHttpServer server([&](const TestRequest&) {
    int i = ++n;
    if (i == 1) return TestResponse::reset();
    if (i == 2) return TestResponse::hang();
    return TestResponse::json(200, "{}");
  });
  asio::io_context ioc;
  auto ctx = make_ctx(ioc, server.url());
  ctx->total_timeout = std::chrono::milliseconds(300);
  ServiceClient c(ctx, services::kXRay, "us-east-1");
  auto r = test::run_sync(ioc, c.call("GetTraceSegmentDestination", {}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(n.load(), 3);
  EXPECT_LT(ctx->quota->available(), RetryQuota::kInitial);
}

TEST(AwsClientRetry, AccessDeniedIsNotRetriedAndMapsToPermissionDenied) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(400, R"({"__type":"com.amazon#AccessDeniedException","Message":"not allowed"})");
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kLogs, "us-east-1");
  auto r = test::run_sync(ioc, c.call("StartQuery", json::object{{"queryString", "fields @message"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(r.error().details, "AccessDeniedException");
  EXPECT_EQ(r.error().message, "AccessDeniedException: not allowed");
  EXPECT_EQ(server.requests(), 1);
}

TEST(AwsClientRetry, ClockSkewIsCorrectedFromTheDateHeader) {
  std::atomic<int> n{0};
  TestHttpServer server([&](const TestRequest&) {
    if (++n == 1)
      return TestResponse::json(403, R"({"__type":"InvalidSignatureException","message":"Signature expired: 20200101T000000Z is now earlier than ..."})",
                                {{"Date", "Wed, 01 Jan 2020 00:00:00 GMT"}});
    return TestResponse::json(200, "{}");
  });
  asio::io_context ioc;
  auto ctx = make_ctx(ioc, server.url());
  ServiceClient c(ctx, services::kLogs, "us-east-1");
  auto r = test::run_sync(ioc, c.call("DescribeLogGroups", {}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].header("X-Amz-Date").substr(0, 6), "202001");
  EXPECT_LT(ctx->clock_offset_ms->load(), 0);
}

TEST(Protocols, AwsJson11LogsRoundTrip) {
  TestHttpServer server([](const TestRequest& r) {
    EXPECT_TRUE(signature_ok(r));
    EXPECT_EQ(r.header("X-Amz-Target"), "Logs_20140328.GetQueryResults");
    EXPECT_EQ(r.header("Content-Type"), "application/x-amz-json-1.1");
    EXPECT_EQ(r.body, R"({"queryId":"q-1"})");
    return TestResponse::json(200, R"({"status":"Complete","results":[[{"field":"@message","value":"x"}]]})");
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kLogs, "us-east-1");
  auto r = test::run_sync(ioc, c.call("GetQueryResults", json::object{{"queryId", "q-1"}}));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->at("status").as_string(), "Complete");
}

TEST(Protocols, AwsJson10QueryCompatibleCloudWatch) {
  TestHttpServer server([](const TestRequest& r) {
    EXPECT_TRUE(signature_ok(r));
    EXPECT_EQ(r.header("X-Amz-Target"), "GraniteServiceVersion20100801.GetMetricData");
    EXPECT_EQ(r.header("x-amzn-query-mode"), "true");
    return TestResponse::json(400, R"({"__type":"com.amazonaws.cloudwatch#InvalidParameterValueException","message":"bad"})",
                              {{"x-amzn-query-error", "InvalidParameterValue;Sender"}});
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kCloudWatch, "us-east-1");
  auto r = test::run_sync(ioc, c.call("GetMetricData", json::object{{"MetricDataQueries", json::array{}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().details, "InvalidParameterValue");
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(Protocols, RestJsonSyntheticsUriLabelAndNotFound) {
  TestHttpServer server([](const TestRequest& r) {
    EXPECT_TRUE(signature_ok(r));
    EXPECT_EQ(r.target, "/canary/my%20canary/runs");
    EXPECT_EQ(r.body, R"({"MaxResults":5})");
    return TestResponse::json(404, R"({"Message":"no such canary"})", {{"x-amzn-ErrorType", "ResourceNotFoundException:http://internal"}});
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kSynthetics, "us-east-1");
  auto r = test::run_sync(ioc, c.call("GetCanaryRuns", json::object{{"Name", "my canary"}, {"MaxResults", 5}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().details, "ResourceNotFoundException");
}

TEST(Protocols, AwsQueryStsAndIamXml) {
  TestHttpServer server([](const TestRequest& r) {
    EXPECT_TRUE(signature_ok(r));
    if (r.body.find("Action=GetCallerIdentity&Version=2011-06-15") == 0)
      return TestResponse{TestResponse::Action::kRespond, 200, {{"Content-Type", "text/xml"}},
                          "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                          "<Arn>arn:aws:iam::123456789012:user/me</Arn><UserId>AID</UserId><Account>123456789012</Account>"
                          "</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"};
    EXPECT_NE(r.body.find("Action=ListAttachedRolePolicies&Version=2010-05-08&RoleName=role1"), std::string::npos);
    return TestResponse{TestResponse::Action::kRespond, 404, {{"Content-Type", "text/xml"}},
                        "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>no role</Message></Error><RequestId>r2</RequestId></ErrorResponse>"};
  });
  asio::io_context ioc;
  auto ctx = make_ctx(ioc, server.url());
  ServiceClient sts(ctx, services::kSts, "us-east-1");
  auto who = test::run_sync(ioc, sts.call("GetCallerIdentity", {}));
  ASSERT_TRUE(who.ok()) << who.error().to_string();
  EXPECT_EQ(who->at("Account").as_string(), "123456789012");
  ServiceClient iam(ctx, services::kIam, "us-east-1");
  auto r = test::run_sync(ioc, iam.call("ListAttachedRolePolicies", json::object{{"RoleName", "role1"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().details, "NoSuchEntity");
}

TEST(Protocols, RestXmlS3ListAndGetAndError) {
  TestHttpServer server([](const TestRequest& r) {
    EXPECT_TRUE(signature_ok(r, true)) << r.method << " " << r.target;
    EXPECT_FALSE(r.header("x-amz-content-sha256").empty());
    if (r.target.rfind("/bucket-1?", 0) == 0)
      return TestResponse{TestResponse::Action::kRespond, 200, {{"Content-Type", "application/xml"}},
                          "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bucket-1</Name>"
                          "<Contents><Key>a/b.json</Key><Size>3</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>"};
    if (r.target == "/bucket-1/a/b%20c.json") return TestResponse{TestResponse::Action::kRespond, 200, {{"Content-Type", "application/json"}}, "{}"};
    return TestResponse{TestResponse::Action::kRespond, 404, {{"Content-Type", "application/xml"}},
                        "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"};
  });
  asio::io_context ioc;
  S3Client s3(make_ctx(ioc, server.url()), "us-east-1");
  auto list = test::run_sync(ioc, s3.list_objects_v2("bucket-1", "a/"));
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->at("Contents").as_array().size(), 1u);
  EXPECT_EQ(list->at("Contents").as_array()[0].at("Key").as_string(), "a/b.json");
  auto obj = test::run_sync(ioc, s3.get_object("bucket-1", "a/b c.json"));
  ASSERT_TRUE(obj.ok()) << obj.error().to_string();
  EXPECT_EQ(obj->body, "{}");
  auto missing = test::run_sync(ioc, s3.get_object("bucket-1", "nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().details, "NoSuchKey");
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(Pagination, FollowsNextTokenUpToTheCap) {
  TestHttpServer server([](const TestRequest& r) {
    auto body = json::parse(r.body.empty() ? "{}" : r.body).as_object();
    int page = body.contains("NextToken") ? std::stoi(std::string(body["NextToken"].as_string())) : 0;
    json::object out{{"Canaries", json::array{json::object{{"Name", "c" + std::to_string(page)}}}}};
    out["NextToken"] = std::to_string(page + 1);
    return TestResponse::json(200, json::serialize(out));
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kSynthetics, "us-east-1");
  auto r = test::run_sync(ioc, c.paginate("DescribeCanaries", {}, 3));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->next_token, "3");
}

// A JSON answer is parsed into an arena of its own (response_arena): shared by reference count
// with every value built in it, so the value owns it, and two answers never share one.
TEST(ResponseArena, EachJsonAnswerOwnsItsOwnArena) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse::json(200, R"({"status":"Complete","results":[[{"field":"@message","value":"a message long enough"}]]})");
  });
  json::value first, second;
  {
    asio::io_context ioc;
    ServiceClient c(make_ctx(ioc, server.url()), services::kLogs, "us-east-1");
    auto a = test::run_sync(ioc, c.call("GetQueryResults", json::object{{"queryId", "q-1"}}));
    auto b = test::run_sync(ioc, c.call("GetQueryResults", json::object{{"queryId", "q-2"}}));
    ASSERT_TRUE(a.ok() && b.ok());
    first = std::move(a).value();   // assignment into a default-resource value copies...
    EXPECT_FALSE(first.storage().is_shared());
    json::value kept(std::move(b).value());  // ...construction moves and keeps the arena
    EXPECT_TRUE(kept.storage().is_shared());
    EXPECT_TRUE(kept.storage().is_deallocate_trivial());
    EXPECT_NE(kept.storage().get(), json::storage_ptr().get());
    second = json::value(kept, json::storage_ptr());  // the deep copy a cache makes
    EXPECT_FALSE(second.storage().is_shared());
  }
  // The client and its io_context are gone; the values are intact.
  EXPECT_EQ(first.at("results").at(0).at(0).at("value").as_string(), "a message long enough");
  EXPECT_EQ(second.at("status").as_string(), "Complete");
}

TEST(ResponseArena, TwoAnswersGetDistinctArenasAndXmlUsesTheDefaultResource) {
  TestHttpServer server([](const TestRequest& r) {
    if (r.header("X-Amz-Target").empty())  // STS (awsQuery, XML)
      return TestResponse{TestResponse::Action::kRespond, 200, {{"Content-Type", "text/xml"}},
                          "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>"
                          "</GetCallerIdentityResult></GetCallerIdentityResponse>"};
    return TestResponse::json(200, R"({"status":"Complete"})");
  });
  asio::io_context ioc;
  auto ctx = make_ctx(ioc, server.url());
  ServiceClient logs(ctx, services::kLogs, "us-east-1");
  ServiceClient sts(ctx, services::kSts, "us-east-1");
  auto a = test::run_sync(ioc, logs.call("GetQueryResults", json::object{{"queryId", "q-1"}}));
  auto b = test::run_sync(ioc, logs.call("GetQueryResults", json::object{{"queryId", "q-2"}}));
  auto x = test::run_sync(ioc, sts.call("GetCallerIdentity", json::object{}));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(x.ok()) << x.error().to_string();
  EXPECT_TRUE(a->storage().is_shared());
  EXPECT_NE(a->storage().get(), b->storage().get());
  EXPECT_FALSE(x->storage().is_shared());
  EXPECT_EQ(x->at("Account").as_string(), "123456789012");
}

// paginate() parses every page into one arena, the Page's: its items and last page share it.
TEST(ResponseArena, PagesShareThePagesArena) {
  TestHttpServer server([](const TestRequest& r) {
    auto body = json::parse(r.body.empty() ? "{}" : r.body).as_object();
    int page = body.contains("NextToken") ? std::stoi(std::string(body["NextToken"].as_string())) : 0;
    json::object out{{"Canaries", json::array{json::object{{"Name", "canary-with-a-long-name-" + std::to_string(page)}}}}};
    if (page < 2) out["NextToken"] = std::to_string(page + 1);
    return TestResponse::json(200, json::serialize(out));
  });
  asio::io_context ioc;
  ServiceClient c(make_ctx(ioc, server.url()), services::kSynthetics, "us-east-1");
  auto r = test::run_sync(ioc, c.paginate("DescribeCanaries", {}, 10));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_TRUE(r->items.storage().is_shared());
  EXPECT_EQ(r->items.storage().get(), r->last_page.storage().get());
  for (const auto& item : r->items) EXPECT_EQ(item.storage().get(), r->items.storage().get());
  EXPECT_EQ(r->items.at(2).at("Name").as_string(), "canary-with-a-long-name-2");
}

}  // namespace
}  // namespace appsignals::aws
