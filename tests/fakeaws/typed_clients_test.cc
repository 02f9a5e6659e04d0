// Every operation the tools call, driven through the project's own AWS client (typed
// ServiceClient / S3Client: endpoint resolution, SigV4, retries, wire protocols) against the
// fake AWS, and every fault the fake injects mapped to the canonical error it must become.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <thread>

#include "aws/aws_setup.h"
#include "aws/env.h"
#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"
#include "fakeaws/fake_aws.h"

namespace appsignals::fakeaws {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<Result<json::value>> do_call(aws::ServiceClient client, std::string operation, json::object input) {
  co_return co_await client.call(operation, input);
}

asio::awaitable<Result<json::value>> do_list(aws::S3Client s3, std::string bucket, std::string prefix) {
  co_return co_await s3.list_objects_v2(bucket, prefix);
}

asio::awaitable<std::optional<std::string>> do_get(aws::S3Client s3, std::string bucket, std::string key) {
  auto r = co_await s3.get_object(bucket, key);
  if (!r) co_return std::nullopt;
  co_return r->body;
}

class TypedClients : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_ = std::thread([this] { ioc_.run(); });
    auto fake = FakeAws::start(ioc_, FakeAwsOptions{});
    ASSERT_TRUE(fake.ok()) << fake.error().message;
    fake_ = std::move(*fake);
    setup(FakeAws::demo_credentials().secret_access_key);
  }
  void TearDown() override {
    auto done = asio::post(ioc_, asio::use_future([this] { fake_->stop(); }));
    done.wait_for(std::chrono::seconds(5));
    work_.reset();
    ioc_.stop();
    thread_.join();
  }
  void setup(const std::string& secret) {
    aws::MapEnv env;
    env.set("AWS_ENDPOINT_URL", fake_->endpoint_url());
    env.set("AWS_ACCESS_KEY_ID", FakeAws::demo_credentials().access_key_id);
    env.set("AWS_SECRET_ACCESS_KEY", secret);
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_CONFIG_FILE", "/dev/null");
    env.set("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.set("AWS_EC2_METADATA_DISABLED", "true");
    env.set("AWS_MAX_ATTEMPTS", "2");
    auto s = aws::make_aws_setup(ioc_.get_executor(), env);
    ASSERT_TRUE(s.ok()) << s.error().message;
    context_ = s->context;
    clients_ = std::make_unique<aws::AwsClients>(aws::AwsClients::make(context_, "us-east-1"));
  }
  Result<json::value> call(const aws::ServiceClient& client, const std::string& op, const std::string& input_json) {
    auto input = json::parse(input_json).as_object();
    auto f = asio::co_spawn(asio::make_strand(ioc_), do_call(client, op, input), asio::use_future);
    if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
      return Error{ErrorCode::kDeadlineExceeded, "test timeout"};
    return f.get();
  }
  json::value ok(const aws::ServiceClient& client, const std::string& op, const std::string& input_json) {
    auto r = call(client, op, input_json);
    EXPECT_TRUE(r.ok()) << op << ": " << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? *r : json::value{};
  }
  static std::string window(int hours) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return R"("StartTime":)" + std::to_string(now - hours * 3600) + R"(,"EndTime":)" + std::to_string(now);
  }
  void fault(const std::string& operation, FaultKind kind, int count = -1) {
    FaultSpec spec;
    spec.operation = operation;
    spec.kind = kind;
    spec.count = count;
    fake_->faults().add(spec);
  }

  asio::io_context ioc_{2};
  asio::executor_work_guard<asio::io_context::executor_type> work_{asio::make_work_guard(ioc_)};
  std::thread thread_;
  std::unique_ptr<FakeAws> fake_;
  std::shared_ptr<aws::ClientContext> context_;
  std::unique_ptr<aws::AwsClients> clients_;
};

constexpr const char* kPayments = R"({"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"})";

TEST_F(TypedClients, ApplicationSignalsOperations) {
  auto& as = clients_->application_signals;
  auto services = ok(as, "ListServices", "{" + window(24) + "}");
  EXPECT_GE(services.at("ServiceSummaries").as_array().size(), 13u);
  auto svc = ok(as, "GetService", "{" + window(24) + R"(,"KeyAttributes":)" + kPayments + "}");
  EXPECT_FALSE(svc.at("Service").at("MetricReferences").as_array().empty());
  auto ops = ok(as, "ListServiceOperations", "{" + window(24) + R"(,"KeyAttributes":)" + kPayments + "}");
  EXPECT_NE(json::serialize(ops).find("POST /payments/charge"), std::string::npos);
  auto slos = ok(as, "ListServiceLevelObjectives", "{}");
  EXPECT_EQ(slos.at("SloSummaries").as_array().size(), 6u);
  auto slo = ok(as, "GetServiceLevelObjective", R"({"Id":"payments-charge-availability"})");
  EXPECT_EQ(slo.at("Slo").at("Name"), "payments-charge-availability");
  auto findings = ok(as, "ListAuditFindings", "{" + window(24) + R"(,"AuditTargets":[{"Type":"service","Data":{"Service":)" +
                                                  kPayments + "}}]}");
  EXPECT_FALSE(findings.at("AuditFindings").as_array().empty());
  auto states = ok(as, "ListServiceStates", "{" + window(24) + "}");
  EXPECT_NE(json::serialize(states).find("DEPLOYMENT"), std::string::npos);
}

TEST_F(TypedClients, CloudWatchOperations) {
  auto& cw = clients_->cloudwatch;
  auto stats = ok(cw, "GetMetricStatistics", "{" + window(3) + R"(,"Namespace":"ApplicationSignals","MetricName":"Fault",
      "Dimensions":[{"Name":"Service","Value":"payments"},{"Name":"Environment","Value":"ecs:shop-cluster"}],
      "Period":300,"Statistics":["Average"]})");
  EXPECT_FALSE(stats.at("Datapoints").as_array().empty());
  auto data = ok(cw, "GetMetricData", "{" + window(24) + R"(,"MetricDataQueries":[{"Id":"b","MetricStat":{"Metric":{
      "Namespace":"AWS/ApplicationSignals","MetricName":"BreachedCount","Dimensions":[{"Name":"SloName",
      "Value":"payments-charge-availability"}]},"Period":86400,"Stat":"Maximum"},"ReturnData":true}]})");
  EXPECT_EQ(data.at("MetricDataResults").as_array().size(), 1u);
}

TEST_F(TypedClients, LogsXrayOperations) {
  auto& logs = clients_->logs;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto started = ok(logs, "StartQuery", R"({"logGroupNames":["aws/spans"],"startTime":)" + std::to_string(now - 3 * 3600) +
                                            R"(,"endTime":)" + std::to_string(now) +
                                            R"(,"queryString":"fields @message | limit 5"})");
  std::string id(started.at("queryId").as_string());
  ok(logs, "GetQueryResults", R"({"queryId":")" + id + R"("})");
  ok(logs, "StopQuery", R"({"queryId":")" + id + R"("})");

  auto& xray = clients_->xray;
  auto dest = ok(xray, "GetTraceSegmentDestination", "{}");
  EXPECT_EQ(dest.at("Destination"), "CloudWatchLogs");
  auto summaries = ok(xray, "GetTraceSummaries", "{" + window(3) + R"(,"Sampling":true,"TimeRangeType":"Service"})");
  auto& list = summaries.at("TraceSummaries").as_array();
  ASSERT_FALSE(list.empty());
  std::string trace_id(list.at(0).at("Id").as_string());
  auto traces = ok(xray, "BatchGetTraces", R"({"TraceIds":[")" + trace_id + R"("]})");
  EXPECT_EQ(traces.at("Traces").as_array().size(), 1u);
}

TEST_F(TypedClients, SyntheticsS3IamLambdaStsOperations) {
  auto canaries = ok(clients_->synthetics, "DescribeCanaries", "{}");
  EXPECT_EQ(canaries.at("Canaries").as_array().size(), 3u);
  auto canary = ok(clients_->synthetics, "GetCanary", R"({"Name":"checkout-flow"})");
  auto runs = ok(clients_->synthetics, "GetCanaryRuns", R"({"Name":"checkout-flow","MaxResults":5})");
  EXPECT_EQ(runs.at("CanaryRuns").as_array().size(), 5u);

  // s3://bucket/prefix of the artifacts, listed and read through the S3 client.
  std::string location(canary.at("Canary").at("ArtifactS3Location").as_string());
  if (location.rfind("s3://", 0) == 0) location = location.substr(5);
  auto slash = location.find('/');
  std::string bucket = location.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : location.substr(slash + 1);
  aws::S3Client s3(context_, "us-east-1");
  auto listed = asio::co_spawn(asio::make_strand(ioc_), do_list(s3, bucket, prefix), asio::use_future).get();
  ASSERT_TRUE(listed.ok()) << listed.error().to_string();
  auto& contents = listed->at("Contents").as_array();
  ASSERT_FALSE(contents.empty());
  std::string key(contents.at(0).at("Key").as_string());
  auto body = asio::co_spawn(asio::make_strand(ioc_), do_get(s3, bucket, key), asio::use_future).get();
  ASSERT_TRUE(body.has_value());
  EXPECT_FALSE(body->empty());

  // The permissions canary's role and its policies.
  auto perm = ok(clients_->synthetics, "GetCanary", R"({"Name":"inventory-api-check"})");
  std::string role_arn(perm.at("Canary").at("ExecutionRoleArn").as_string());
  std::string role = role_arn.substr(role_arn.rfind('/') + 1);
  ok(clients_->iam, "GetRole", R"({"RoleName":")" + role + R"("})");
  auto attached = ok(clients_->iam, "ListAttachedRolePolicies", R"({"RoleName":")" + role + R"("})");
  auto policies = aws::as_list(attached.as_object().if_contains("AttachedPolicies"));
  ASSERT_FALSE(policies.empty());
  auto first = policies.at(0).as_object();
  const json::value* arn_value = first.if_contains("PolicyArn");
  ASSERT_NE(arn_value, nullptr) << json::serialize(attached);
  std::string policy_arn(arn_value->as_string());
  auto policy = ok(clients_->iam, "GetPolicy", R"({"PolicyArn":")" + policy_arn + R"("})");
  std::string version(policy.at("Policy").at("DefaultVersionId").as_string());
  auto doc = ok(clients_->iam, "GetPolicyVersion", R"({"PolicyArn":")" + policy_arn + R"(","VersionId":")" + version + R"("})");
  EXPECT_NE(json::serialize(doc).find("Document"), std::string::npos);

  std::string engine(perm.at("Canary").at("EngineArn").as_string());
  std::string function = engine.substr(engine.find(":function:") + 10);
  function = function.substr(0, function.find(':'));
  ok(clients_->lambda, "GetFunction", R"({"FunctionName":")" + function + R"("})");
  auto events = ok(clients_->logs, "FilterLogEvents", R"({"logGroupName":"/aws/lambda/)" + function + R"(","limit":10})");
  EXPECT_FALSE(events.at("events").as_array().empty());

  auto who = ok(clients_->sts, "GetCallerIdentity", "{}");
  EXPECT_EQ(who.at("Account"), "123456789012");
  auto assumed = ok(clients_->sts, "AssumeRole", R"({"RoleArn":"arn:aws:iam::123456789012:role/demo","RoleSessionName":"typed-client-test"})");
  EXPECT_FALSE(assumed.at("Credentials").at("AccessKeyId").as_string().empty());
}

TEST_F(TypedClients, FaultsBecomeCanonicalErrors) {
  auto& as = clients_->application_signals;
  struct Case {
    FaultKind kind;
    ErrorCode expected;
  };
  const Case cases[] = {
      {FaultKind::kThrottle, ErrorCode::kResourceExhausted},
      {FaultKind::kInternal, ErrorCode::kUnavailable},
      {FaultKind::kUnavailable, ErrorCode::kUnavailable},
      {FaultKind::kReset, ErrorCode::kUnavailable},
      {FaultKind::kExpiredToken, ErrorCode::kUnauthenticated},
      {FaultKind::kAccessDenied, ErrorCode::kPermissionDenied},
  };
  for (const auto& c : cases) {
    fake_->faults().clear();
    fault("ListServiceLevelObjectives", c.kind);
    auto r = call(as, "ListServiceLevelObjectives", "{}");
    ASSERT_FALSE(r.ok()) << static_cast<int>(c.kind);
    EXPECT_EQ(r.error().code, c.expected) << r.error().to_string();
  }
  // A truncated or malformed body is an error, never a crash or a half-parsed success.
  for (auto kind : {FaultKind::kTruncate, FaultKind::kMalformed}) {
    fake_->faults().clear();
    fault("ListServiceLevelObjectives", kind);
    auto r = call(as, "ListServiceLevelObjectives", "{}");
    EXPECT_FALSE(r.ok()) << static_cast<int>(kind);
  }
  // Transient faults are retried: one throttle, then success.
  fake_->faults().clear();
  fault("ListServiceLevelObjectives", FaultKind::kThrottle, 1);
  EXPECT_TRUE(call(as, "ListServiceLevelObjectives", "{}").ok());
}

TEST_F(TypedClients, MissingRequiredMemberIsTheModelsValidationError) {
  auto r = call(clients_->application_signals, "GetServiceLevelObjective", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().to_string();
  auto q = call(clients_->iam, "GetRole", "{}");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code, ErrorCode::kInvalidArgument) << q.error().to_string();
}

TEST_F(TypedClients, AWrongSecretIsRejectedAsABadSignature) {
  setup("not-the-demo-secret");
  auto r = call(clients_->application_signals, "ListServiceLevelObjectives", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << r.error().to_string();
  EXPECT_NE(r.error().details.find("Signature"), std::string::npos) << r.error().to_string();
}

}  // namespace
}  // namespace appsignals::fakeaws
