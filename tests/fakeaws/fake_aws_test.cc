// The front of the fake: service identification, SigV4 verification, error shapes per
// protocol, model validation, pagination tokens and time windows.
#include <cstdlib>

#include "fakeaws/fake_client.h"
#include "common/encoding.h"
#include "fakeaws/model.h"

namespace appsignals::fakeaws::testing {
namespace {

using json = boost::json::value;

class FakeAwsFront : public FakeAwsFixture {};

TEST_F(FakeAwsFront, SignedRequestIsServed) {
  auto r = rest_json("application-signals", "GET", "/services", window_query(24));
  ASSERT_EQ(r.status, 200) << r.body << r.error.message();
  EXPECT_FALSE(r.header("x-amzn-RequestId").empty());
  EXPECT_GE(r.json().at("ServiceSummaries").as_array().size(), 12u);
}

TEST_F(FakeAwsFront, UnknownAccessKeyIsRejectedPerProtocol) {
  Outgoing o;
  o.service = "application-signals";
  o.method = "GET";
  o.path = "/services";
  o.query = window_query(1);
  o.access_key_id = "AKIDSOMEBODYELSE";
  auto r = send(o);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.header("x-amzn-ErrorType"), "UnrecognizedClientException");

  auto q = [&] {
    Outgoing x;
    x.service = "sts";
    x.body = "Action=GetCallerIdentity&Version=2011-06-15";
    x.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    x.access_key_id = "AKIDSOMEBODYELSE";
    return send(x);
  }();
  EXPECT_EQ(q.status, 403);
  EXPECT_NE(q.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos) << q.body;
  EXPECT_NE(q.body.find("<ErrorResponse"), std::string::npos);

  Outgoing s3;
  s3.service = "s3";
  s3.method = "GET";
  s3.path = "/cw-syn-results-123456789012-us-east-1";
  s3.query = "list-type=2";
  s3.access_key_id = "AKIDSOMEBODYELSE";
  auto s = send(s3);
  EXPECT_EQ(s.status, 403);
  EXPECT_NE(s.body.find("<Code>InvalidAccessKeyId</Code>"), std::string::npos) << s.body;
}

TEST_F(FakeAwsFront, WrongSecretIsASignatureMismatch) {
  Outgoing o;
  o.service = "iam";
  o.body = "Action=GetRole&Version=2010-05-08&RoleName=order-processor-role";
  o.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  o.secret = "not-the-secret";
  auto r = send(o);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos) << r.body;

  auto j = [&] {
    Outgoing x;
    x.service = "logs";
    x.body = "{}";
    x.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Logs_20140328.DescribeLogGroups"}};
    x.secret = "not-the-secret";
    return send(x);
  }();
  EXPECT_EQ(j.json().at("__type").as_string(), "InvalidSignatureException");
}

TEST_F(FakeAwsFront, TamperedBodyFailsVerification) {
  Outgoing o;
  o.service = "logs";
  o.body = R"({"logGroupNamePrefix":"/aws"})";
  o.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Logs_20140328.DescribeLogGroups"}};
  auto creds = FakeAws::demo_credentials();
  aws::sigv4::SignableRequest req{"POST", "127.0.0.1:" + std::to_string(fake_->port()), "/", "", o.headers, o.body};
  aws::sigv4::SigningParams p;
  p.access_key_id = creds.access_key_id;
  p.secret_access_key = creds.secret_access_key;
  p.region = "us-east-1";
  p.service = "logs";
  p.time = std::chrono::system_clock::now();
  aws::sigv4::Signer signer;
  signer.sign(req, p);
  std::string tampered = R"({"logGroupNamePrefix":"/tmp"})";
  req.body = tampered;
  auto r = raw(req);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("__type").as_string(), "InvalidSignatureException");
}

TEST_F(FakeAwsFront, ClockSkewBeyondFifteenMinutesIsRejected) {
  Outgoing o;
  o.service = "xray";
  o.path = "/GetTraceSegmentDestination";
  o.body = "{}";
  o.headers = {{"Content-Type", "application/json"}};
  o.time = std::chrono::system_clock::now() - std::chrono::minutes(20);
  auto r = send(o);
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Signature expired"), std::string::npos) << r.body;
  o.time = std::chrono::system_clock::now() - std::chrono::minutes(10);
  EXPECT_EQ(send(o).status, 200);
}

TEST_F(FakeAwsFront, MissingAuthorizationIsRejected) {
  Outgoing o;
  o.service = "logs";
  o.sign = false;
  o.body = "{}";
  o.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Logs_20140328.DescribeLogGroups"}};
  auto r = send(o);
  EXPECT_EQ(r.json().at("__type").as_string(), "MissingAuthenticationTokenException");
}

TEST_F(FakeAwsFront, MissingRequiredMemberIsTheModelsValidationError) {
  // GetService requires KeyAttributes (body) and StartTime/EndTime (query).
  auto r = rest_json("application-signals", "POST", "/service", window_query(1), "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("x-amzn-ErrorType"), "ValidationException");
  EXPECT_NE(r.json().at("message").as_string().find("KeyAttributes"), std::string::npos);

  auto cw = cloudwatch("GetMetricStatistics", R"({"Namespace":"ApplicationSignals","MetricName":"Latency"})");
  EXPECT_EQ(cw.status, 400);
  EXPECT_EQ(cw.header("x-amzn-query-error"), "MissingParameter;Sender");
  EXPECT_EQ(cw.json().at("__type").as_string(), "com.amazonaws.cloudwatch#MissingRequiredParameterException");

  auto iam = query("iam", "Action=GetRole&Version=2010-05-08");
  EXPECT_EQ(iam.status, 400);
  EXPECT_NE(iam.body.find("<Code>ValidationError</Code>"), std::string::npos);
  EXPECT_NE(iam.body.find("RoleName"), std::string::npos);

  auto lg = logs("StartQuery", R"({"queryString":"fields @timestamp"})");
  EXPECT_EQ(lg.json().at("__type").as_string(), "InvalidParameterException");
}

TEST_F(FakeAwsFront, WrongTypeAndBadEnumAreRejected) {
  auto r = rest_json("application-signals", "POST", "/service", window_query(1), R"({"KeyAttributes":"payments"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json().at("message").as_string().find("KeyAttributes"), std::string::npos);
  auto e = rest_json("application-signals", "POST", "/slos", "", R"({"MetricSourceTypes":["NotAType"]})");
  EXPECT_EQ(e.status, 400);
  EXPECT_NE(e.json().at("message").as_string().find("enum"), std::string::npos);
  auto range = rest_json("application-signals", "GET", "/services", window_query(1) + "&MaxResults=500");
  EXPECT_EQ(range.status, 400);
  auto cw = cloudwatch("GetMetricData", R"({"MetricDataQueries":[],"StartTime":1,"EndTime":"yesterday"})");
  EXPECT_EQ(cw.header("x-amzn-query-error"), "InvalidParameterValue;Sender");
}

TEST_F(FakeAwsFront, UnknownOperationIsRejected) {
  auto r = json_rpc("logs", "Logs_20140328.DeleteLogGroup", "{}", "1.1");
  EXPECT_EQ(r.json().at("__type").as_string(), "UnknownOperationException");
  auto q = query("sts", "Action=DecodeAuthorizationMessage&Version=2011-06-15");
  EXPECT_NE(q.body.find("<Code>InvalidAction</Code>"), std::string::npos);
  auto rest = rest_json("xray", "POST", "/NoSuchThing", "", "{}");
  EXPECT_EQ(rest.status, 404);
}

TEST_F(FakeAwsFront, PaginationTokensAreOpaqueAndHonourPageSize) {
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    std::string q = window_query(24) + "&MaxResults=5";
    if (!token.empty()) q += "&NextToken=" + percent_encode(token);
    auto r = rest_json("application-signals", "GET", "/services", q);
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = r.json().as_object();
    EXPECT_LE(page.at("ServiceSummaries").as_array().size(), 5u);
    for (const auto& s : page.at("ServiceSummaries").as_array())
      names.emplace_back(s.at("KeyAttributes").at("Name").as_string());
    token = page.contains("NextToken") ? std::string(page.at("NextToken").as_string()) : "";
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_GE(pages, 3);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
  EXPECT_EQ(names.size(), 13u);  // 11 live instrumented + 2 uninstrumented; the retired one is older

  auto bad = rest_json("application-signals", "GET", "/services", window_query(24) + "&NextToken=Zm9vYmFy");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(FakeAwsFront, TimeWindowFiltersServices) {
  auto day = rest_json("application-signals", "GET", "/services", window_query(24));
  auto week = rest_json("application-signals", "GET", "/services", window_query(24 * 7));
  auto has = [](const Reply& r, const char* name) {
    auto body = r.json();
    for (const auto& s : body.at("ServiceSummaries").as_array())
      if (s.at("KeyAttributes").at("Name").as_string() == name) return true;
    return false;
  };
  EXPECT_FALSE(has(day, "recommendations"));
  EXPECT_TRUE(has(week, "recommendations"));
}

TEST(FakeAwsModels, DirectoryAndEmbeddedTablesAgree) {
  const char* src = std::getenv("APPSIGNALS_SOURCE_DIR");
  auto embedded = ModelSet::load_embedded();
  ASSERT_TRUE(embedded.ok());
  EXPECT_NE(embedded->find("monitoring"), nullptr);
  EXPECT_NE(embedded->find("lambda"), nullptr);
  if (!src) GTEST_SKIP() << "APPSIGNALS_SOURCE_DIR not set";
  auto dir = ModelSet::load_directory(std::string(src) + "/../shared/aws-models");
  if (!dir.ok()) GTEST_SKIP() << dir.error().message;
  for (const auto& m : embedded->all()) {
    const auto* other = dir->find(m->signing_name);
    ASSERT_NE(other, nullptr) << m->signing_name;
    EXPECT_EQ(m->operations.size(), other->operations.size()) << m->signing_name;
    EXPECT_EQ(m->shapes.size(), other->shapes.size()) << m->signing_name;
  }
}

}  // namespace
}  // namespace appsignals::fakeaws::testing
