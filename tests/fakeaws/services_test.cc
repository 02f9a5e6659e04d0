// Every operation of the sample account, driven with signed requests; asserts the story's facts.
#include "common/encoding.h"
#include "fakeaws/fake_client.h"

namespace appsignals::fakeaws::testing {
namespace {

namespace js = boost::json;

class FakeAwsServices : public FakeAwsFixture {
 protected:
  std::string payments_body() {
    return R"({"KeyAttributes":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"}})";
  }
};

TEST_F(FakeAwsServices, ApplicationSignalsServices) {
  auto svc = rest_json("application-signals", "POST", "/service", window_query(24), payments_body());
  ASSERT_EQ(svc.status, 200) << svc.body;
  EXPECT_EQ(svc.json().at("Service").at("MetricReferences").as_array().size(), 3u);
  auto ops = rest_json("application-signals", "POST", "/service-operations", window_query(24), payments_body());
  ASSERT_EQ(ops.status, 200) << ops.body;
  EXPECT_EQ(ops.json().at("ServiceOperations").at(0).at("Name").as_string(), "POST /payments/charge");
  auto deps = rest_json("application-signals", "POST", "/service-dependencies", window_query(24), payments_body());
  ASSERT_EQ(deps.status, 200) << deps.body;
  EXPECT_NE(deps.body.find("AWS::DynamoDB::Table"), std::string::npos);
  EXPECT_NE(deps.body.find("AWS::SQS::Queue"), std::string::npos);
  auto dependents = rest_json("application-signals", "POST", "/service-dependents", window_query(24), payments_body());
  EXPECT_NE(dependents.body.find("checkout"), std::string::npos);
  auto missing = rest_json("application-signals", "POST", "/service", window_query(24),
                           R"({"KeyAttributes":{"Type":"Service","Name":"nope","Environment":"x"}})");
  EXPECT_EQ(missing.status, 404);
  auto groups = rest_json("application-signals", "POST", "/grouping-attribute-definitions", "", "");
  EXPECT_EQ(groups.status, 200) << groups.body;
}

TEST_F(FakeAwsServices, SlosOneBreachedOneWarning) {
  auto list = rest_json("application-signals", "POST", "/slos", "MaxResults=50", "{}");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("SloSummaries").as_array().size(), 6u);
  auto slo = rest_json("application-signals", "GET", "/slo/payments-charge-availability");
  ASSERT_EQ(slo.status, 200) << slo.body;
  EXPECT_TRUE(slo.json().at("Slo").as_object().contains("RequestBasedSli"));
  auto report = rest_json("application-signals", "POST", "/budget-report", "",
                          R"({"Timestamp":1767225600,"SloIds":["payments-charge-availability","checkout-latency-p99","frontend-availability","nope"]})");
  ASSERT_EQ(report.status, 200) << report.body;
  auto reports = report.json().at("Reports").as_array();
  EXPECT_EQ(reports[0].at("BudgetStatus").as_string(), "BREACHED");
  EXPECT_EQ(reports[1].at("BudgetStatus").as_string(), "WARNING");
  EXPECT_EQ(reports[2].at("BudgetStatus").as_string(), "OK");
  EXPECT_EQ(report.json().at("Errors").as_array().size(), 1u);
  EXPECT_EQ(rest_json("application-signals", "GET", "/slo/nope").status, 404);
}

TEST_F(FakeAwsServices, AuditFindingsForTheBreachedServiceAndOperation) {
  std::string body = R"({"AuditTargets":[
    {"Type":"service","Data":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"}}},
    {"Type":"service_operation","Data":{"ServiceOperation":{"Service":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"},"Operation":"POST /payments/charge","MetricType":"Availability"}}},
    {"Type":"service","Data":{"Service":{"Type":"Service","Name":"vets","Environment":"eks:petclinic/default"}}}]})";
  auto r = rest_json("application-signals", "POST", "/auditFindings", window_query(24), body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto findings = r.json().at("AuditFindings").as_array();
  ASSERT_EQ(findings.size(), 2u);  // vets is healthy
  EXPECT_NE(r.body.find("CRITICAL"), std::string::npos);
  EXPECT_NE(r.body.find("ProvisionedThroughputExceededException"), std::string::npos);
  EXPECT_EQ(findings[1].at("Operation").as_string(), "POST /payments/charge");
}

TEST_F(FakeAwsServices, ChangeEventsIncludeTheDeploymentBeforeTheIncident) {
  auto now = epoch(std::chrono::system_clock::now());
  auto states = rest_json("application-signals", "POST", "/service/states", "",
                          R"({"StartTime":)" + std::to_string(now - 3 * 3600) + R"(,"EndTime":)" + std::to_string(now) + "}");
  ASSERT_EQ(states.status, 200) << states.body;
  EXPECT_NE(states.body.find("payments"), std::string::npos);
  EXPECT_NE(states.body.find("DEPLOYMENT"), std::string::npos);
  auto events = rest_json("application-signals", "POST", "/events", "",
                          R"({"Entity":{"Type":"Service","Name":"payments","Environment":"ecs:shop-cluster"},"StartTime":)" +
                              std::to_string(now - 86400) + R"(,"EndTime":)" + std::to_string(now) + "}");
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_EQ(events.json().at("ChangeEvents").as_array().size(), 1u);
}

TEST_F(FakeAwsServices, MetricsShowTheIncidentTwoHoursAgo) {
  auto now = epoch(std::chrono::system_clock::now());
  std::string dims = R"([{"Name":"Service","Value":"payments"},{"Name":"Environment","Value":"ecs:shop-cluster"},{"Name":"Operation","Value":"POST /payments/charge"}])";
  auto stats = cloudwatch("GetMetricStatistics",
                          R"({"Namespace":"ApplicationSignals","MetricName":"Fault","Dimensions":)" + dims +
                              R"(,"StartTime":)" + std::to_string(now - 3 * 3600) + R"(,"EndTime":)" + std::to_string(now) +
                              R"(,"Period":300,"Statistics":["Average","Sum"],"ExtendedStatistics":["p99"]})");
  ASSERT_EQ(stats.status, 200) << stats.body;
  double peak = 0, last = 1;
  auto stats_body = stats.json();
  for (const auto& dp : stats_body.at("Datapoints").as_array()) {
    peak = std::max(peak, dp.at("Average").to_number<double>());
    last = dp.at("Average").to_number<double>();
  }
  EXPECT_GT(peak, 0.2);
  EXPECT_LT(last, 0.05);

  auto data = cloudwatch("GetMetricData",
                         R"({"MetricDataQueries":[{"Id":"lat","MetricStat":{"Metric":{"Namespace":"ApplicationSignals","MetricName":"Latency","Dimensions":)" +
                             dims + R"(},"Period":300,"Stat":"p99"}},{"Id":"breached","MetricStat":{"Metric":{"Namespace":"AWS/ApplicationSignals","MetricName":"BreachedCount","Dimensions":[{"Name":"SloName","Value":"payments-charge-availability"}]},"Period":3600,"Stat":"Maximum"}}],"StartTime":)" +
                             std::to_string(now - 24 * 3600) + R"(,"EndTime":)" + std::to_string(now) + R"(,"ScanBy":"TimestampAscending"})");
  ASSERT_EQ(data.status, 200) << data.body;
  auto results = data.json().at("MetricDataResults").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_GE(results[0].at("Values").as_array().size(), 280u);
  EXPECT_EQ(results[1].at("Values").as_array().back().to_number<double>(), 1.0);

  // MaxDatapoints pages.
  auto paged = cloudwatch("GetMetricData",
                          R"({"MetricDataQueries":[{"Id":"lat","MetricStat":{"Metric":{"Namespace":"ApplicationSignals","MetricName":"Latency","Dimensions":)" +
                              dims + R"(},"Period":300,"Stat":"Average"}}],"StartTime":)" + std::to_string(now - 3600) +
                              R"(,"EndTime":)" + std::to_string(now) + R"(,"MaxDatapoints":5})");
  ASSERT_EQ(paged.status, 200) << paged.body;
  EXPECT_EQ(paged.json().at("MetricDataResults").at(0).at("Values").as_array().size(), 5u);
  EXPECT_TRUE(paged.json().as_object().contains("NextToken"));
}

TEST_F(FakeAwsServices, CloudWatchLegacyQueryForm) {
  auto now = std::chrono::system_clock::now();
  auto r = query("monitoring", "Action=GetMetricStatistics&Version=2010-08-01&Namespace=ApplicationSignals&MetricName=Latency"
                               "&Dimensions.member.1.Name=Service&Dimensions.member.1.Value=checkout"
                               "&Dimensions.member.2.Name=Environment&Dimensions.member.2.Value=ecs%3Ashop-cluster"
                               "&StartTime=" + iso(now - std::chrono::hours(1)) + "&EndTime=" + iso(now) +
                               "&Period=300&Statistics.member.1=Average");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<GetMetricStatisticsResult><Label>Latency</Label><Datapoints><member>"), std::string::npos) << r.body;
}

TEST_F(FakeAwsServices, TracesAndTransactionSearch) {
  auto dest = rest_json("xray", "POST", "/GetTraceSegmentDestination", "", "{}");
  EXPECT_EQ(dest.json().at("Destination").as_string(), "CloudWatchLogs");
  EXPECT_EQ(dest.json().at("Status").as_string(), "ACTIVE");
  auto now = epoch(std::chrono::system_clock::now());
  auto sums = rest_json("xray", "POST", "/TraceSummaries", "",
                        R"({"StartTime":)" + std::to_string(now - 3 * 3600) + R"(,"EndTime":)" + std::to_string(now) +
                            R"(,"FilterExpression":"fault = true"})");
  ASSERT_EQ(sums.status, 200) << sums.body;
  auto list = sums.json().at("TraceSummaries").as_array();
  ASSERT_FALSE(list.empty());
  EXPECT_NE(sums.body.find("ProvisionedThroughputExceededException"), std::string::npos);
  std::string id(list[0].at("Id").as_string());
  auto traces = rest_json("xray", "POST", "/Traces", "", R"({"TraceIds":[")" + id + R"(","1-00000000-000000000000000000000000"]})");
  ASSERT_EQ(traces.status, 200) << traces.body;
  EXPECT_EQ(traces.json().at("UnprocessedTraceIds").as_array().size(), 1u);
  auto segs = traces.json().at("Traces").at(0).at("Segments").as_array();
  ASSERT_GE(segs.size(), 2u);
  auto doc = boost::json::parse(segs[1].at("Document").as_string());
  EXPECT_TRUE(doc.as_object().contains("trace_id"));
  EXPECT_NE(traces.body.find("payments-ledger"), std::string::npos);

  // Pages of 100, newest first.
  auto day = rest_json("xray", "POST", "/TraceSummaries", "",
                       R"({"StartTime":)" + std::to_string(now - 6 * 3600) + R"(,"EndTime":)" + std::to_string(now) + "}");
  EXPECT_EQ(day.json().at("TraceSummaries").as_array().size(), 100u);
  EXPECT_TRUE(day.json().as_object().contains("NextToken"));
}

TEST_F(FakeAwsServices, SpansInLogsInsights) {
  auto now = epoch(std::chrono::system_clock::now());
  auto start = logs("StartQuery", R"({"queryString":"SOURCE logGroups() | filterIndex @data_format = \"AWS-OTEL-TRACE-V1\" | filter attributes.aws.local.service = \"payments\" | limit 20","startTime":)" +
                                      std::to_string(now - 3 * 3600) + R"(,"endTime":)" + std::to_string(now) + "}");
  ASSERT_EQ(start.status, 200) << start.body;
  std::string id(start.json().at("queryId").as_string());
  auto first = logs("GetQueryResults", R"({"queryId":")" + id + R"("})");
  EXPECT_EQ(first.json().at("status").as_string(), "Running");
  auto second = logs("GetQueryResults", R"({"queryId":")" + id + R"("})");
  ASSERT_EQ(second.json().at("status").as_string(), "Complete");
  auto rows = second.json().at("results").as_array();
  EXPECT_EQ(rows.size(), 20u);
  EXPECT_NE(second.body.find("attributes.code.function"), std::string::npos);
  EXPECT_NE(second.body.find("attributes.code.lineno"), std::string::npos);

  auto another = logs("StartQuery", R"({"queryString":"fields @timestamp","logGroupName":"aws/spans","startTime":)" +
                                        std::to_string(now - 3600) + R"(,"endTime":)" + std::to_string(now) + "}");
  std::string id2(another.json().at("queryId").as_string());
  EXPECT_TRUE(logs("StopQuery", R"({"queryId":")" + id2 + R"("})").json().at("success").as_bool());
  EXPECT_EQ(logs("GetQueryResults", R"({"queryId":")" + id2 + R"("})").json().at("status").as_string(), "Cancelled");
  EXPECT_EQ(logs("GetQueryResults", R"({"queryId":"nope"})").json().at("__type").as_string(), "ResourceNotFoundException");
}

TEST_F(FakeAwsServices, CanariesRunsAndArtifacts) {
  auto all = rest_json("synthetics", "POST", "/canaries", "", "{}");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json().at("Canaries").as_array().size(), 3u);
  auto canary = rest_json("synthetics", "GET", "/canary/checkout-flow");
  ASSERT_EQ(canary.status, 200) << canary.body;
  std::string engine(canary.json().at("Canary").at("EngineArn").as_string());
  auto runs = rest_json("synthetics", "POST", "/canary/checkout-flow/runs", "", R"({"MaxResults":5})");
  ASSERT_EQ(runs.status, 200) << runs.body;
  auto list = runs.json().at("CanaryRuns").as_array();
  ASSERT_EQ(list.size(), 5u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(list[static_cast<std::size_t>(i)].at("Status").at("State").as_string(), "FAILED");
  EXPECT_EQ(list[3].at("Status").at("State").as_string(), "PASSED");
  EXPECT_NE(runs.body.find("Navigation timeout"), std::string::npos);

  // Artifacts of the latest (failed) run in S3.
  std::string loc(list[0].at("ArtifactS3Location").as_string());
  auto slash = loc.find('/');
  std::string bucket = loc.substr(0, slash), prefix = loc.substr(slash + 1) + "/";
  Outgoing o;
  o.service = "s3";
  o.method = "GET";
  o.path = "/" + bucket;
  o.query = "list-type=2&max-keys=50&prefix=" + percent_encode(prefix);
  auto listing = send(o);
  ASSERT_EQ(listing.status, 200) << listing.body;
  EXPECT_NE(listing.body.find(".har.html</Key>"), std::string::npos) << listing.body;
  EXPECT_NE(listing.body.find(".png</Key>"), std::string::npos);
  Outgoing g;
  g.service = "s3";
  g.method = "GET";
  g.path = "/" + bucket + "/" + prefix + "checkout-flow.har.html";
  auto har = send(g);
  ASSERT_EQ(har.status, 200) << har.body;
  EXPECT_NE(har.body.find("net::ERR_TIMED_OUT"), std::string::npos);
  g.path = "/" + bucket + "/" + prefix + "missing.txt";
  auto missing = send(g);
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("<Code>NoSuchKey</Code>"), std::string::npos);

  // Paging the whole bucket with MaxKeys.
  o.path = "/" + bucket;
  o.query = "list-type=2&max-keys=7";
  auto page = send(o);
  EXPECT_NE(page.body.find("<IsTruncated>true</IsTruncated>"), std::string::npos);
  EXPECT_NE(page.body.find("<NextContinuationToken>"), std::string::npos);

  // The canary's Lambda and its logs.
  std::string fn = engine.substr(engine.find(":function:") + 10);
  fn = fn.substr(0, fn.find(':'));
  auto function = rest_json("lambda", "GET", "/2015-03-31/functions/" + fn);
  ASSERT_EQ(function.status, 200) << function.body;
  EXPECT_EQ(function.json().at("Configuration").at("FunctionName").as_string(), fn);
  auto events = logs("FilterLogEvents", R"({"logGroupName":"/aws/lambda/)" + fn + R"(","filterPattern":"ERROR","limit":10})");
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_EQ(events.json().at("events").as_array().size(), 6u);  // 2 ERROR lines × 3 failed runs
}

TEST_F(FakeAwsServices, PermissionsCanaryAndItsRole) {
  auto runs = rest_json("synthetics", "POST", "/canary/inventory-api-check/runs", "", R"({"MaxResults":1})");
  ASSERT_EQ(runs.status, 200);
  EXPECT_NE(runs.body.find("s3:PutObject"), std::string::npos);
  auto role = query("iam", "Action=GetRole&Version=2010-05-08&RoleName=CloudWatchSyntheticsRole-inventory-api-check");
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_NE(role.body.find("<GetRoleResult><Role>"), std::string::npos) << role.body;
  auto attached = query("iam", "Action=ListAttachedRolePolicies&Version=2010-05-08&RoleName=CloudWatchSyntheticsRole-inventory-api-check");
  ASSERT_EQ(attached.status, 200) << attached.body;
  EXPECT_NE(attached.body.find("<AttachedPolicies><member>"), std::string::npos) << attached.body;
  std::string arn = "arn:aws:iam::123456789012:policy/service-role/CloudWatchSyntheticsPolicy-inventory-api-check";
  auto policy = query("iam", "Action=GetPolicy&Version=2010-05-08&PolicyArn=" + percent_encode(arn));
  ASSERT_EQ(policy.status, 200) << policy.body;
  auto version = query("iam", "Action=GetPolicyVersion&Version=2010-05-08&VersionId=v1&PolicyArn=" + percent_encode(arn));
  ASSERT_EQ(version.status, 200) << version.body;
  auto doc = percent_decode(version.body.substr(version.body.find("<Document>") + 10,
                                                version.body.find("</Document>") - version.body.find("<Document>") - 10));
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->find("s3:PutObject"), std::string::npos);
  auto missing = query("iam", "Action=GetRole&Version=2010-05-08&RoleName=nobody");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("<Code>NoSuchEntity</Code>"), std::string::npos);
}

TEST_F(FakeAwsServices, StsIdentityAndAssumedCredentialsWork) {
  auto id = query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
  ASSERT_EQ(id.status, 200) << id.body;
  EXPECT_NE(id.body.find("<Account>123456789012</Account>"), std::string::npos);
  auto assumed = query("sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=test&RoleArn=" +
                                  percent_encode("arn:aws:iam::123456789012:role/order-processor-role"));
  ASSERT_EQ(assumed.status, 200) << assumed.body;
  auto field = [&](const char* tag) {
    std::string open = std::string("<") + tag + ">", close = std::string("</") + tag + ">";
    auto a = assumed.body.find(open) + open.size();
    return assumed.body.substr(a, assumed.body.find(close) - a);
  };
  Outgoing o;
  o.service = "sts";
  o.body = "Action=GetCallerIdentity&Version=2011-06-15";
  o.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  o.access_key_id = field("AccessKeyId");
  o.secret = field("SecretAccessKey");
  o.session_token = field("SessionToken");
  EXPECT_EQ(send(o).status, 200);
  o.session_token = "wrong";
  EXPECT_EQ(send(o).status, 403);
}

TEST_F(FakeAwsServices, CheckoutHasTheCheckoutFlowCanaryAsADependent) {
  auto r = rest_json("application-signals", "POST", "/service-dependents", window_query(3),
                     R"({"KeyAttributes":{"Type":"Service","Name":"checkout","Environment":"ecs:shop-cluster"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  bool canary = false;
  auto body = r.json();
  for (const auto& d : body.at("ServiceDependents").as_array()) {
    const auto& keys = d.at("DependentKeyAttributes").as_object();
    if (keys.contains("ResourceType") && keys.at("ResourceType") == "AWS::Synthetics::Canary")
      canary = keys.at("Identifier") == "checkout-flow";
  }
  EXPECT_TRUE(canary) << r.body;
}

TEST_F(FakeAwsServices, GroupingAttributesComeFromATagAndAnOtelAttribute) {
  auto defs = rest_json("application-signals", "POST", "/grouping-attribute-definitions", "", "{}");
  ASSERT_EQ(defs.status, 200) << defs.body;
  EXPECT_EQ(defs.json().at("GroupingAttributeDefinitions").as_array().size(), 2u);
  EXPECT_NE(defs.body.find("BusinessUnit"), std::string::npos);
  auto svc = rest_json("application-signals", "POST", "/service", window_query(24), payments_body());
  ASSERT_EQ(svc.status, 200) << svc.body;
  EXPECT_NE(svc.body.find(R"("GroupName":"BusinessUnit","GroupValue":"commerce","GroupSource":"OTEL")"), std::string::npos)
      << svc.body;
}

}  // namespace
}  // namespace appsignals::fakeaws::testing
