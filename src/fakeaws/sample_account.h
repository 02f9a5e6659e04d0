#pragma once
// The sample account: a pet-clinic-like shop on EKS, ECS, EC2 and Lambda with a story.
//
// Nearly three hours before "now" the payments service (ECS) was deployed and, forty minutes
// later (130 minutes before now), its DynamoDB table started throttling: POST /payments/charge shows a latency spike and a fault
// burst for 30 minutes, checkout (which calls payments) degrades with it, the request-based
// availability SLO of payments is breached and checkout's latency SLO is in warning. Sampled
// traces and spans show the ProvisionedThroughputExceededException from DynamoDB as the root
// cause. Change events: that deployment is the newest event of payments (an older deployment
// and a configuration change precede it); checkout's configuration changed after the incident.
// Services are grouped by Team (a tag) and BusinessUnit (an OTel resource attribute): the
// payments team (payments, billing) and the shop team (checkout, inventory, ...) both belong to
// the commerce business unit, and checkout → payments crosses teams. Three canaries: one passing, one failing its last 3 runs on a navigation timeout
// (artifacts in S3; checkout-flow, a dependent of checkout), one failing on permissions (its IAM role lacks s3:PutObject).
//
// All times are offsets from the anchor (now, floored to 5 minutes), so "the last 24 hours"
// always holds the incident. The data is immutable; noise comes from a seed (metrics_model.h).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace appsignals::fakeaws {

struct SampleOperation {
  std::string name;           // "POST /payments/charge"
  double latency_ms = 50;     // baseline average latency
  double requests_per_min = 60;
  double fault_rate = 0.001;  // baseline share of 5xx
  double error_rate = 0.005;  // baseline share of 4xx
};

struct SampleDependency {
  std::string operation;         // local operation making the call
  std::string type;              // "Service" or "AWS::Resource"
  std::string name;              // service name or resource identifier
  std::string environment;       // for services
  std::string resource_type;     // "AWS::DynamoDB::Table", "AWS::SQS::Queue"
  std::string remote_operation;  // "PutItem", "POST /payments/charge"
};

struct SampleService {
  std::string name;
  std::string environment;  // "eks:petclinic/default", "ecs:shop-cluster", "ec2:default", "lambda:default"
  std::string platform;     // "AWS::EKS", "AWS::ECS", "AWS::EC2", "AWS::Lambda"
  std::string language;     // telemetry SDK language
  bool instrumented = true;
  std::string instrumentation_type = "INSTRUMENTED";  // or UNINSTRUMENTED / AWS_NATIVE
  std::vector<SampleOperation> operations;
  std::vector<SampleDependency> dependencies;
  std::map<std::string, std::string> groups;  // GroupName → GroupValue ("Team" → "payments")
  std::vector<std::string> canaries;          // Synthetics canaries that exercise it (its dependents)
  std::int64_t last_seen_offset = 0;          // seconds before the anchor it last reported (0: live)
  std::map<std::string, std::string> platform_attributes;
};

struct SampleSlo {
  std::string name;
  std::string description;
  std::string service;
  std::string operation;          // empty: service-level
  std::string metric_type;        // "LATENCY" or "AVAILABILITY"
  std::string evaluation;         // "PeriodBased" or "RequestBased"
  double threshold = 0;           // latency ms (LATENCY) or % (AVAILABILITY, period-based)
  std::string comparison;         // "LessThan", "GreaterThanOrEqualTo", ...
  double goal = 99.9;
  double warning = 30;            // % of budget remaining that triggers WARNING
  std::string status;             // "BREACHED", "WARNING", "OK"
  double attainment = 99.95;
  std::int64_t created_offset = 0;  // seconds before the anchor
};

struct SampleCanary {
  std::string name;
  std::string runtime;
  std::string schedule;       // "rate(5 minutes)"
  std::string handler;
  std::string role_name;
  std::string artifact_prefix;  // "cw-syn-results-.../canary/us-east-1/<name>"
  std::string target_url;
  int failing_runs = 0;        // the latest N runs failed
  std::string failure_reason;  // for failing runs
  std::string failure_kind;    // "navigation_timeout", "permissions", ""
};

// A grouping attribute definition: services carry a value of it in their ServiceGroups.
struct SampleGrouping {
  std::string name;                      // "Team"
  std::string source;                    // GroupSource of the values: "TAG" or "OTEL"
  std::vector<std::string> source_keys;  // tag keys or OTel resource attributes read
  std::string default_value;
};

struct SampleRole {
  std::string name;
  std::string path = "/service-role/";
  std::vector<std::string> policy_arns;
};

struct SamplePolicy {
  std::string arn;
  std::string name;
  std::string document;  // JSON policy text
};

struct SampleAccount {
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  std::vector<SampleService> services;
  std::vector<SampleSlo> slos;
  std::vector<SampleCanary> canaries;
  std::vector<SampleGrouping> groupings;
  std::vector<SampleRole> roles;
  std::vector<SamplePolicy> policies;
  std::string artifact_bucket;

  // The incident window and the deployment, as offsets before the anchor (seconds).
  static constexpr std::int64_t kIncidentStart = 130 * 60;
  static constexpr std::int64_t kIncidentEnd = 100 * 60;
  static constexpr std::int64_t kDeployment = 170 * 60;  // forty minutes before the incident
  static constexpr std::string_view kIncidentService = "payments";
  static constexpr std::string_view kIncidentOperation = "POST /payments/charge";

  const SampleService* find_service(std::string_view name, std::string_view environment = {}) const;
  const SampleSlo* find_slo(std::string_view name_or_arn) const;
  const SampleCanary* find_canary(std::string_view name) const;
  const SampleGrouping* find_grouping(std::string_view name) const;
  std::string slo_arn(const SampleSlo& slo) const;
};

// The one sample account (built on first use, immutable).
const SampleAccount& sample_account();

}  // namespace appsignals::fakeaws
