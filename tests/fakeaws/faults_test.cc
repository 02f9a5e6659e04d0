// Fault injection: every fault kind, per operation and "*", through the control endpoint and
// start options; the request log.
#include "fakeaws/fake_client.h"

namespace appsignals::fakeaws::testing {
namespace {

class FakeAwsFaults : public FakeAwsFixture {
 protected:
  void arm(const std::string& json) { ASSERT_EQ(control("POST", "/__fault", json).status, 200); }
  Reply destination() { return rest_json("xray", "POST", "/GetTraceSegmentDestination", "", "{}"); }
};

TEST_F(FakeAwsFaults, ThrottleUsesEachServicesCode) {
  arm(R"([{"operation":"GetTraceSegmentDestination","fault":"throttle"},
          {"operation":"logs:DescribeLogGroups","fault":"throttle"},
          {"operation":"GetRole","fault":"throttle"},
          {"operation":"GetMetricData","fault":"throttle"}])");
  auto x = destination();
  EXPECT_EQ(x.status, 429);
  EXPECT_EQ(x.header("x-amzn-ErrorType"), "ThrottledException");
  EXPECT_EQ(destination().status, 200);  // count 1: consumed
  EXPECT_EQ(logs("DescribeLogGroups", "{}").json().at("__type").as_string(), "ThrottlingException");
  auto iam = query("iam", "Action=GetRole&Version=2010-05-08&RoleName=order-processor-role");
  EXPECT_NE(iam.body.find("<Code>Throttling</Code>"), std::string::npos);
  auto cw = cloudwatch("GetMetricData", R"({"MetricDataQueries":[{"Id":"m1","Expression":"1"}],"StartTime":1,"EndTime":2})");
  EXPECT_EQ(cw.header("x-amzn-query-error"), "Throttling;Sender");
}

TEST_F(FakeAwsFaults, ServerErrorsAndCounts) {
  arm(R"({"operation":"*","fault":"500","count":2})");
  EXPECT_EQ(destination().status, 500);
  EXPECT_EQ(destination().status, 500);
  EXPECT_EQ(destination().status, 200);
  arm(R"({"operation":"GetTraceSegmentDestination","fault":"503"})");
  EXPECT_EQ(destination().status, 503);
}

TEST_F(FakeAwsFaults, ExpiredTokenAndAccessDenied) {
  arm(R"([{"operation":"GetTraceSegmentDestination","fault":"expired_token"},
          {"operation":"GetCallerIdentity","fault":"access_denied"}])");
  EXPECT_EQ(destination().json().at("__type").as_string(), "ExpiredTokenException");
  auto sts = query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(sts.status, 403);
  EXPECT_NE(sts.body.find("<Code>AccessDenied</Code>"), std::string::npos);
  EXPECT_NE(sts.body.find("sts:GetCallerIdentity"), std::string::npos);
}

TEST_F(FakeAwsFaults, MalformedBodies) {
  arm(R"([{"operation":"GetTraceSegmentDestination","fault":"malformed"},{"operation":"GetCallerIdentity","fault":"malformed"}])");
  auto j = destination();
  EXPECT_EQ(j.status, 200);
  boost::system::error_code ec;
  boost::json::parse(j.body, ec);
  EXPECT_TRUE(ec);
  auto x = query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(x.status, 200);
  EXPECT_EQ(x.body.find("</GetCallerIdentityResponse>"), std::string::npos);
}

TEST_F(FakeAwsFaults, ConnectionResetAndTruncatedBody) {
  arm(R"([{"operation":"GetTraceSegmentDestination","fault":"reset"}])");
  auto r = destination();
  EXPECT_TRUE(r.error);
  arm(R"([{"operation":"GetTraceSegmentDestination","fault":"truncate"}])");
  auto t = destination();
  EXPECT_TRUE(t.error);  // the body ends before Content-Length
  EXPECT_EQ(destination().status, 200);
}

TEST_F(FakeAwsFaults, LatencyDelaysThenAnswers) {
  arm(R"({"operation":"GetTraceSegmentDestination","fault":"latency","latency_ms":150})");
  auto t0 = std::chrono::steady_clock::now();
  auto r = destination();
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds(150));
}

TEST_F(FakeAwsFaults, UnknownFaultIsABadRequest) {
  EXPECT_EQ(control("POST", "/__fault", R"({"fault":"gremlins"})").status, 400);
}

TEST_F(FakeAwsFaults, RequestLogAndReset) {
  destination();
  logs("DescribeLogGroups", "{}");
  auto log = control("GET", "/__requests").json().at("requests").as_array();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("service").as_string(), "xray");
  EXPECT_EQ(log[0].at("operation").as_string(), "GetTraceSegmentDestination");
  EXPECT_EQ(log[1].at("operation").as_string(), "DescribeLogGroups");
  arm(R"({"operation":"*","fault":"500","count":-1})");
  EXPECT_EQ(control("POST", "/__reset").status, 200);
  EXPECT_TRUE(control("GET", "/__requests").json().at("requests").as_array().empty());
  EXPECT_EQ(destination().status, 200);
}

class FakeAwsStartFaults : public FakeAwsFixture {
 protected:
  void SetUp() override {
    FakeAwsOptions o;
    o.faults.push_back({"GetTraceSegmentDestination", FaultKind::kUnavailable, 1, 0});
    start(o);
  }
};

TEST_F(FakeAwsStartFaults, FaultsFromStartOptions) {
  EXPECT_EQ(rest_json("xray", "POST", "/GetTraceSegmentDestination", "", "{}").status, 503);
  EXPECT_EQ(rest_json("xray", "POST", "/GetTraceSegmentDestination", "", "{}").status, 200);
}

}  // namespace
}  // namespace appsignals::fakeaws::testing
