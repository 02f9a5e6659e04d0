// Fragments every platform's guide shares: turning Application Signals on in the account, the
// OpenTelemetry variables the ADOT SDKs read, and how to check the result.
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kAccountEnablement = R"guide(### Turn Application Signals on (once per account and Region)

Nothing shows up in Application Signals until it has been switched on in the account and Region. Use one of:

- **Console:** CloudWatch → **Application Signals** → **Services** → **Start discovering your services**, tick the acknowledgement and confirm. This creates the service-linked role `AWSServiceRoleForCloudWatchApplicationSignals`.
- **CloudFormation / CDK:** declare a single `AWS::ApplicationSignals::Discovery` resource (it has no properties). In CDK: `import { aws_applicationsignals as applicationsignals } from 'aws-cdk-lib';` then `new applicationsignals.CfnDiscovery(this, 'AppSignalsDiscovery', {});`. Keep it in exactly one stack per account and Region.
- **CLI / Terraform:** `aws application-signals start-discovery` (from Terraform, for example a `terraform_data` resource with a `local-exec` provisioner running that command).

If services are already listed on the Application Signals **Services** page, this was done earlier: skip it.)guide";

constexpr std::string_view kVerification = R"guide(1. Deploy the changes, restart the application so the instrumentation loads, and send it some traffic: a service only appears once it handles or makes requests.
2. **Console:** CloudWatch → **Application Signals** → **Services**. The service is listed under its service name, usually within 5–10 minutes of the first requests. Open it for its operations (latency, faults, errors) and dependencies; the **Application Map** shows who calls whom.
3. **With this MCP server:**
   - `list_monitored_services` — the service should now be listed (as instrumented, with its environment).
   - `get_service_detail` with `service_name` set to your service name — confirms the key attributes and platform and lists the metrics Application Signals records for it.
   - Later, `audit_services` checks its health and `list_slis` shows SLO status once you create SLOs.)guide";

constexpr EnvVar kCommonEnv[] = {
    {"OTEL_RESOURCE_ATTRIBUTES", "service.name=<your-service-name>,deployment.environment=<your-environment>",
     "names the service and environment shown in Application Signals"},
    {"OTEL_AWS_APPLICATION_SIGNALS_ENABLED", "true", "turns on the Application Signals metrics in the ADOT SDK"},
    {"OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT", "http://localhost:4316/v1/metrics",
     "where the SDK sends Application Signals metrics (the CloudWatch agent)"},
    {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://localhost:4316/v1/traces", "where spans go (the CloudWatch agent)"},
    {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "port 4316 accepts OTLP over HTTP"},
    {"OTEL_METRICS_EXPORTER", "none", "no other metrics exporter"},
    {"OTEL_LOGS_EXPORTER", "none", "no OTLP log exporter"},
    {"OTEL_TRACES_SAMPLER", "xray", "sample with the X-Ray sampling rules"},
    {"OTEL_TRACES_SAMPLER_ARG", "endpoint=http://localhost:2000", "the agent's X-Ray sampling proxy"},
};

}  // namespace

std::string_view account_enablement_fragment() { return kAccountEnablement; }
std::string_view verification_fragment() { return kVerification; }
std::span<const EnvVar> common_otel_env() { return kCommonEnv; }

}  // namespace appsignals::tools::enablement
