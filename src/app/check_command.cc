#include "app/check_command.h"

// GCC 12 reports a false -Wmismatched-new-delete on Asio coroutine frames.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "aws/aws_setup.h"
#include "aws/credentials/credentials.h"
#include "aws/services/promql_client.h"
#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"
#include "app/permission_probes.h"
#include "tools/toolsets.h"

namespace appsignals {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using aws::ServiceClient;

std::string field(const json::value& v, std::string_view key) {
  if (auto* o = v.if_object())
    if (auto* f = o->if_contains(key); f && f->is_string()) return std::string(f->as_string());
  return "?";
}

using Status = std::optional<Error>;

// `tag` starts every line of a profile's checks ("[profile prod] "); "" for the server's own.
void report(const std::string& tag, std::string_view action, const Status& error, const PermissionProbe& probe,
            int& failures, std::string extra = {}) {
  const bool ok = !error || (probe.not_found_ok && error->code == ErrorCode::kNotFound) ||
                  (probe.invalid_ok && error->code == ErrorCode::kInvalidArgument);
  if (ok) {
    std::printf("%s  OK      %.*s%s\n", tag.c_str(), static_cast<int>(action.size()), action.data(), extra.c_str());
  } else if (error->code == ErrorCode::kPermissionDenied) {
    std::printf("%s  DENIED  %.*s%s: missing IAM permission\n", tag.c_str(), static_cast<int>(action.size()),
                action.data(), extra.c_str());
    ++failures;
  } else {
    std::printf("%s  FAILED  %.*s%s: %s\n", tag.c_str(), static_cast<int>(action.size()), action.data(),
                extra.c_str(), error->message.c_str());
    ++failures;
  }
}

// The bucket of the first canary that stores artifacts in S3 ("" when none).
asio::awaitable<std::string> artifact_bucket(const aws::AwsClients& clients) {
  json::object input;
  input["MaxResults"] = 20;
  auto r = co_await clients.synthetics.call(aws::ops::kDescribeCanaries, input);
  if (!r || !r->is_object()) co_return std::string();
  if (const auto* list = r->get_object().if_contains("Canaries"); list && list->is_array())
    for (const auto& c : list->get_array()) {
      std::string location = field(c, "ArtifactS3Location");
      if (location.rfind("s3://", 0) == 0) location = location.substr(5);
      if (location == "?" || location.empty()) continue;
      co_return location.substr(0, location.find('/'));
    }
  co_return std::string();
}

// Every source of the credential chain in order, with what it said (never a secret).
void print_credential_attempts(const std::string& tag, const std::vector<aws::CredentialAttempt>& attempts) {
  if (attempts.empty()) return;
  std::printf("%sCredential sources, in the order the chain tries them:\n", tag.c_str());
  for (const auto& a : attempts) {
    std::printf("%s  %-15s %s: %s\n", tag.c_str(), std::string(aws::outcome_label(a.outcome)).c_str(),
                a.source.c_str(), a.detail.c_str());
  }
}

Status status_of(const Result<json::value>& r) { return r.ok() ? Status{} : Status{r.error()}; }

// Proves a PromQL query API action with a harmless read: the selector names a metric that no
// account has, so a granted action answers an empty result.
asio::awaitable<Status> promql_probe(std::shared_ptr<aws::ClientContext> ctx, std::string region, aws::Op op,
                                     std::int64_t now) {
  aws::PromqlClient promql(std::move(ctx), std::move(region));
  aws::LabelMatchers none;
  std::string selector = aws::promql_selector(kProbeName, none);
  if (op == aws::ops::kQueryMetrics) {
    auto r = co_await promql.query(selector, now);
    co_return status_of(r);
  }
  std::vector<std::string> match;
  match.push_back(selector);
  const std::int64_t from = now - 300;
  if (op == aws::ops::kGetSeries) {
    auto r = co_await promql.series(std::move(match), from, now);
    co_return status_of(r);
  }
  auto r = co_await promql.labels(std::move(match), from, now);
  co_return status_of(r);
}

asio::awaitable<int> run_checks(std::shared_ptr<aws::ClientContext> ctx, std::string region,
                                std::string region_source, std::vector<aws::Op> ops, std::string selection_label,
                                std::string tag) {
  int failures = 0;
  const char* t = tag.c_str();
  std::printf("%sRegion:            %s (from %s)\n", t, region.c_str(), region_source.c_str());
  auto creds = co_await ctx->credentials->get();
  auto attempts = ctx->credentials->attempts();
  print_credential_attempts(tag, attempts);
  if (!creds.ok()) {
    // The list above already says why each source gave nothing.
    if (!attempts.empty() && creds.error().code == ErrorCode::kUnauthenticated)
      std::printf("%sCredentials:       FAILED (none of the sources above supplied credentials)\n", t);
    else
      std::printf("%sCredentials:       FAILED (%s)\n", t, creds.error().message.c_str());
    co_return 1;
  }
  std::printf("%sCredential source: %s\n", t, ctx->credentials->describe().c_str());
  auto clients = aws::AwsClients::make(ctx, region);
  std::string who_op = "GetCallerIdentity";
  json::object no_input;
  auto who = co_await clients.sts.call(who_op, no_input);
  if (who.ok()) {
    std::printf("%sCaller identity:   %s (account %s)\n", t, field(*who, "Arn").c_str(), field(*who, "Account").c_str());
  } else {
    std::printf("%sCaller identity:   FAILED (%s)\n", t, who.error().message.c_str());
    ++failures;
  }
  std::printf("\n%sIAM actions the enabled tools use (%s):\n", t, selection_label.c_str());
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  bool s3_needed = false;
  for (const auto& op : ops) {
    if (op.service == "s3") {
      s3_needed = true;
      continue;
    }
    if (op == aws::ops::kQueryMetrics || op == aws::ops::kGetSeries || op == aws::ops::kGetLabels) {
      // The Prometheus-compatible query API is GET /api/v1/... outside the CloudWatch model:
      // each action is proved by a read of a metric that does not exist (an empty answer).
      auto r = co_await promql_probe(ctx, region, op, now);
      PermissionProbe empty_ok;
      report(tag, op.iam_action, r, empty_ok, failures);
      continue;
    }
    auto probe = permission_probe(op, now);
    const ServiceClient* client = clients.for_op(op);
    if (!probe || !client) {
      // Never silently: an action the tools need that check cannot prove is said to be unchecked.
      std::printf("%s  SKIPPED %.*s: no harmless request proves it; grant it with the others\n", t,
                  static_cast<int>(op.iam_action.size()), op.iam_action.data());
      continue;
    }
    auto r = co_await client->call(op, probe->input);
    report(tag, op.iam_action, r.ok() ? Status{} : r.error(), *probe, failures);
  }
  if (s3_needed) {
    // S3 reads are granted per bucket: test them on a canary's artifact bucket, the one the
    // canary tools read.
    std::string bucket = co_await artifact_bucket(clients);
    if (bucket.empty()) {
      std::printf("%s  SKIPPED s3:ListBucket, s3:GetObject: no canary with an artifact bucket to test them on\n", t);
    } else {
      aws::S3Client s3(ctx, region);
      std::string prefix;
      std::string no_token;
      int one_key = 1;
      auto listed = co_await s3.list_objects_v2(bucket, prefix, no_token, one_key);
      PermissionProbe plain;
      report(tag, aws::ops::kListObjectsV2.iam_action, listed.ok() ? Status{} : listed.error(), plain, failures,
             " (bucket " + bucket + ")");
      std::string key = kProbeName;
      auto got = co_await s3.get_object(bucket, key);
      PermissionProbe missing_ok;
      missing_ok.not_found_ok = true;
      report(tag, aws::ops::kGetObject.iam_action, got.ok() ? Status{} : got.error(), missing_ok, failures,
             " (bucket " + bucket + ")");
    }
  }
  std::printf("\n%s%s\n", t, failures == 0 ? "All checks passed." : "Some checks failed.");
  co_return failures == 0 ? 0 : 1;
}

// The server's own credentials, then every profile of MCP_AWS_PROFILES with its own region
// (`region` when given) and credentials; the worst result.
asio::awaitable<std::optional<int>> wrap(std::shared_ptr<aws::ClientContext> ctx, std::string region,
                                         std::string region_source, std::vector<aws::Op> ops, std::string label,
                                         std::vector<aws::ProfileSetup> profiles, bool region_given) {
  std::string no_tag;
  int rc = co_await run_checks(ctx, region, std::move(region_source), ops, label, no_tag);
  for (auto& p : profiles) {
    std::string tag = "[profile " + p.name + "] ";
    std::printf("\n");
    std::string r = region_given ? region : p.region;
    std::string source = region_given ? "--region" : p.region_source;
    int one = co_await run_checks(p.context, r, source, ops, label, tag);
    rc = std::max(rc, one);
  }
  co_return rc;
}

}  // namespace

int run_check_command(const std::optional<std::string>& region, const std::vector<std::string>& profiles) {
  asio::io_context ioc;
  auto setup = aws::make_aws_setup(ioc.get_executor(), aws::ProcessEnv::instance(), region);
  if (!setup.ok()) {
    std::fprintf(stderr, "check: %s\n", setup.error().message.c_str());
    return 1;
  }
  // The tools the server would serve (MCP_TOOLSETS, MCP_READ_ONLY): their declared operations.
  const char* toolsets_env = std::getenv("MCP_TOOLSETS");
  const char* read_only_env = std::getenv("MCP_READ_ONLY");
  std::string toolsets_text = toolsets_env && *toolsets_env ? toolsets_env : "all";
  bool read_only = read_only_env && (std::string_view(read_only_env) == "1" || std::string_view(read_only_env) == "true");
  auto selection = tools::parse_toolsets(toolsets_text, read_only);
  if (!selection.ok()) {
    std::fprintf(stderr, "check: MCP_TOOLSETS: %s\n", selection.error().message.c_str());
    return 1;
  }
  auto ops = tools::selected_ops(*selection);
  std::vector<aws::ProfileSetup> profile_setups;
  if (!profiles.empty()) {
    const auto& env = aws::ProcessEnv::instance();
    auto shared = aws::SharedConfig::load(env);
    for (const auto& name : profiles) {
      auto p = aws::make_profile_setup(*setup->context, env, shared, name, setup->region);
      if (!p) {
        std::fprintf(stderr, "check: %s\n", p.error().message.c_str());
        return 1;
      }
      profile_setups.push_back(std::move(*p));
    }
  }
  int rc = 1;
  asio::co_spawn(ioc,
                 wrap(setup->context, setup->region, setup->region_source, std::move(ops), "toolsets " + toolsets_text,
                      std::move(profile_setups), region.has_value()),
                 [&rc](std::exception_ptr e, std::optional<int> r) {
                   if (!e && r) rc = *r;
                 });
  ioc.run();
  return rc;
}

}  // namespace appsignals
