#pragma once
// The operation tables of every service the fake serves (one file per service).
#include <span>

#include "fakeaws/call.h"

namespace appsignals::fakeaws {

std::span<const OpEntry> application_signals_operations();
std::span<const OpEntry> cloudwatch_operations();
std::span<const OpEntry> logs_operations();
std::span<const OpEntry> xray_operations();
std::span<const OpEntry> synthetics_operations();
std::span<const OpEntry> s3_operations();
std::span<const OpEntry> iam_operations();
std::span<const OpEntry> sts_operations();
std::span<const OpEntry> lambda_operations();
std::span<const OpEntry> rum_operations();

// ListAuditFindings (services/audit.cc), shared by application-signals.
OpResult list_audit_findings(Call& call);

// Dynamic instrumentation configurations (services/instrumentation.cc), shared by application-signals.
OpResult create_instrumentation_configuration(Call& call);
OpResult list_instrumentation_configurations(Call& call);
OpResult get_instrumentation_configuration(Call& call);
OpResult delete_instrumentation_configuration(Call& call);
OpResult batch_delete_instrumentation_configurations(Call& call);
OpResult get_instrumentation_configuration_status(Call& call);

// Temporary credentials issued by sts:AssumeRole (services/sts.cc): access key id → secret.
struct IssuedCredentials {
  std::string secret;
  std::string session_token;
};

}  // namespace appsignals::fakeaws
