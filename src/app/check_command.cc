#include "app/check_command.h"

// GCC 12 reports a false -Wmismatched-new-delete on Asio coroutine frames.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <cstdio>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "aws/aws_setup.h"
#include "aws/credentials/credentials.h"
#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"

namespace appsignals {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using aws::ServiceClient;

struct Probe {
  const char* label;
  const char* iam_action;
  ServiceClient aws::AwsClients::*client;
  const char* operation;
  json::object (*input)();
  // Probes by a name that does not exist: "not found" proves the permission is granted.
  bool not_found_ok = false;
};

json::object empty_input() { return {}; }
json::object window_input() {
  auto now = std::chrono::system_clock::now();
  auto end = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return json::object{{"StartTime", end - 3600}, {"EndTime", end}, {"MaxResults", 1}};
}
json::object slo_input() { return json::object{{"MaxResults", 1}}; }
json::object logs_input() { return json::object{{"limit", 1}}; }
json::object traces_input() {
  auto now = std::chrono::system_clock::now();
  auto end = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return json::object{{"StartTime", end - 300}, {"EndTime", end}};
}
json::object canaries_input() { return json::object{{"MaxResults", 1}}; }
json::object metric_input() {
  auto now = std::chrono::system_clock::now();
  auto end = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return json::object{{"Namespace", "ApplicationSignals"}, {"MetricName", "Latency"}, {"StartTime", end - 3600},
                      {"EndTime", end}, {"Period", 3600}, {"Statistics", json::array{"Average"}}};
}
constexpr const char* kProbeName = "appsignals-mcp-permission-probe";
json::object role_input() { return json::object{{"RoleName", kProbeName}}; }
json::object function_input() { return json::object{{"FunctionName", kProbeName}}; }

const std::vector<Probe>& probes() {
  static const std::vector<Probe> p = {
      {"Application Signals ListServices", "application-signals:ListServices",
       &aws::AwsClients::application_signals, "ListServices", &window_input},
      {"Application Signals ListServiceLevelObjectives", "application-signals:ListServiceLevelObjectives",
       &aws::AwsClients::application_signals, "ListServiceLevelObjectives", &slo_input},
      {"CloudWatch GetMetricStatistics", "cloudwatch:GetMetricStatistics", &aws::AwsClients::cloudwatch,
       "GetMetricStatistics", &metric_input},
      {"CloudWatch Logs DescribeLogGroups", "logs:DescribeLogGroups", &aws::AwsClients::logs, "DescribeLogGroups",
       &logs_input},
      {"X-Ray GetTraceSegmentDestination", "xray:GetTraceSegmentDestination", &aws::AwsClients::xray,
       "GetTraceSegmentDestination", &empty_input},
      {"X-Ray GetTraceSummaries", "xray:GetTraceSummaries", &aws::AwsClients::xray, "GetTraceSummaries",
       &traces_input},
      {"Synthetics DescribeCanaries", "synthetics:DescribeCanaries", &aws::AwsClients::synthetics,
       "DescribeCanaries", &canaries_input},
      {"IAM GetRole", "iam:GetRole", &aws::AwsClients::iam, "GetRole", &role_input, true},
      {"Lambda GetFunction", "lambda:GetFunction", &aws::AwsClients::lambda, "GetFunction", &function_input, true},
  };
  return p;
}

std::string field(const json::value& v, std::string_view key) {
  if (auto* o = v.if_object())
    if (auto* f = o->if_contains(key); f && f->is_string()) return std::string(f->as_string());
  return "?";
}

// Every source of the credential chain in order, with what it said (never a secret).
void print_credential_attempts(const std::vector<aws::CredentialAttempt>& attempts) {
  if (attempts.empty()) return;
  std::printf("Credential sources, in the order the chain tries them:\n");
  for (const auto& a : attempts) {
    std::printf("  %-15s %s: %s\n", std::string(aws::outcome_label(a.outcome)).c_str(), a.source.c_str(),
                a.detail.c_str());
  }
}

asio::awaitable<int> run_checks(std::shared_ptr<aws::ClientContext> ctx, std::string region,
                                std::string region_source) {
  int failures = 0;
  std::printf("Region:            %s (from %s)\n", region.c_str(), region_source.c_str());
  auto creds = co_await ctx->credentials->get();
  auto attempts = ctx->credentials->attempts();
  print_credential_attempts(attempts);
  if (!creds.ok()) {
    // The list above already says why each source gave nothing.
    if (!attempts.empty() && creds.error().code == ErrorCode::kUnauthenticated)
      std::printf("Credentials:       FAILED (none of the sources above supplied credentials)\n");
    else
      std::printf("Credentials:       FAILED (%s)\n", creds.error().message.c_str());
    co_return 1;
  }
  std::printf("Credential source: %s\n", ctx->credentials->describe().c_str());
  auto clients = aws::AwsClients::make(ctx, region);
  std::string who_op = "GetCallerIdentity";
  json::object no_input;
  auto who = co_await clients.sts.call(who_op, no_input);
  if (who.ok()) {
    std::printf("Caller identity:   %s (account %s)\n", field(*who, "Arn").c_str(), field(*who, "Account").c_str());
  } else {
    std::printf("Caller identity:   FAILED (%s)\n", who.error().message.c_str());
    ++failures;
  }
  std::printf("\n");
  for (const auto& p : probes()) {
    const ServiceClient& client = clients.*(p.client);
    std::string op = p.operation;
    json::object input = p.input();
    auto r = co_await client.call(op, input);
    if (r.ok() || (p.not_found_ok && r.error().code == ErrorCode::kNotFound)) {
      std::printf("  OK      %s\n", p.label);
    } else if (r.error().code == ErrorCode::kPermissionDenied) {
      std::printf("  DENIED  %s: missing IAM permission %s\n", p.label, p.iam_action);
      ++failures;
    } else {
      std::printf("  FAILED  %s: %s\n", p.label, r.error().message.c_str());
      ++failures;
    }
  }
  aws::S3Client s3(ctx, region);
  (void)s3;  // bucket names are only known per canary; analyze_canary_failures reports S3 access
  std::printf("\n%s\n", failures == 0 ? "All checks passed." : "Some checks failed.");
  co_return failures == 0 ? 0 : 1;
}

asio::awaitable<std::optional<int>> wrap(std::shared_ptr<aws::ClientContext> ctx, std::string region,
                                         std::string region_source) {
  co_return co_await run_checks(std::move(ctx), std::move(region), std::move(region_source));
}

}  // namespace

int run_check_command(const std::optional<std::string>& region) {
  asio::io_context ioc;
  auto setup = aws::make_aws_setup(ioc.get_executor(), aws::ProcessEnv::instance(), region);
  if (!setup.ok()) {
    std::fprintf(stderr, "check: %s\n", setup.error().message.c_str());
    return 1;
  }
  int rc = 1;
  asio::co_spawn(ioc, wrap(setup->context, setup->region, setup->region_source),
                 [&rc](std::exception_ptr e, std::optional<int> r) {
                   if (!e && r) rc = *r;
                 });
  ioc.run();
  return rc;
}

}  // namespace appsignals
