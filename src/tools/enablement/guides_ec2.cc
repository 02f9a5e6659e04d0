// The EC2 guide: the CloudWatch agent on the instance receives OTLP from the ADOT SDK.
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kEc2 = R"guide(## What changes

| Piece | On EC2 with {{LANG}} |
| --- | --- |
| Telemetry agent | the CloudWatch agent on each instance, with `application_signals` enabled for metrics and traces |
| Instrumentation | {{SDK}} |
| Configuration | `OTEL_*` environment variables on the application's process |
| IAM | `CloudWatchAgentServerPolicy` on the instance profile's role |
| Code | `{{IAC_DIR}}` (instance role, user data) and the way the app in `{{APP_DIR}}` is installed and started |

## Step 1 — Prerequisites

- The instances can reach the CloudWatch, X-Ray and CloudWatch Logs endpoints (internet or VPC endpoints), and you can change the instance role and user data through the IaC in `{{IAC_DIR}}`.
- You know the name to give the service and its environment (for example `checkout` / `prod`). Without `deployment.environment` the service is reported in `ec2:default` (or `ec2:<auto-scaling-group>`).

{{ACCOUNT_ENABLEMENT}}

## Step 2 — Install and configure the CloudWatch agent

1. Install a recent CloudWatch agent on every instance (use a current release: older agents do not know the `application_signals` sections), for example on Amazon Linux `sudo yum install -y amazon-cloudwatch-agent`, or through the SSM document `AWS-ConfigureAWSPackage` with the package `AmazonCloudWatchAgent`.
2. Write an agent configuration with Application Signals enabled for both metrics and traces, e.g. `/opt/aws/amazon-cloudwatch-agent/etc/app-signals.json` (merge these keys into an existing configuration instead if you have one):
   ```json
   {
     "traces": { "traces_collected": { "application_signals": {} } },
     "logs": { "metrics_collected": { "application_signals": {} } }
   }
   ```
3. Load it and (re)start the agent:
   ```bash
   sudo /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
     -c file:/opt/aws/amazon-cloudwatch-agent/etc/app-signals.json
   ```
   The agent now listens on `localhost:4316` (OTLP over HTTP for metrics and traces) and `localhost:2000` (X-Ray sampling).

## Step 3 — Instrument the {{LANG}} application

{{HOST_STEPS}}

## Step 4 — Environment variables

Set these on the application's process (for a systemd service, in an `EnvironmentFile`; see the IaC below):

{{ENV_TABLE}}

For a quick manual test in a shell:

```bash
{{ENV_SHELL}}
```

## Step 5 — IAM

Attach the AWS managed policy **`CloudWatchAgentServerPolicy`** to the IAM role of the instance profile. It lets the agent publish the Application Signals metrics, logs and traces. Keep `AmazonSSMManagedInstanceCore` too if you manage the agent through Systems Manager.

## Step 6 — Infrastructure as code (in `{{IAC_DIR}}`)

Find the stack or module that defines the instances (or their launch template / Auto Scaling group) and apply the equivalent of the snippets below. Both write the agent configuration and the service environment through user data.

### CDK (TypeScript)

```typescript
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

// The instance role: add the agent's permissions.
role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'));

const agentConfig = JSON.stringify({
  traces: { traces_collected: { application_signals: {} } },
  logs: { metrics_collected: { application_signals: {} } },
});
const serviceEnv = [
{{ENV_CDK_LINES}}
].join('\n');

userData.addCommands(
  'yum install -y amazon-cloudwatch-agent',
  `cat > /opt/aws/amazon-cloudwatch-agent/etc/app-signals.json <<'EOF'\n${agentConfig}\nEOF`,
  '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/app-signals.json',
  `cat > /etc/default/my-service-otel <<'EOF'\n${serviceEnv}\nEOF`,
);
// The app's systemd unit: EnvironmentFile=/etc/default/my-service-otel
// and ExecStart={{HOST_EXEC}} (WorkingDirectory = where the app from {{APP_DIR}} is deployed).
```

### Terraform

```hcl
resource "aws_iam_role_policy_attachment" "cw_agent" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
}

resource "aws_iam_instance_profile" "app" {
  name = "app-instance-profile"
  role = aws_iam_role.instance.name
}

locals {
  cw_agent_config = jsonencode({
    traces = { traces_collected = { application_signals = {} } }
    logs   = { metrics_collected = { application_signals = {} } }
  })
  service_env = <<-EOT
{{ENV_FILE_INDENTED}}
  EOT
}

resource "aws_instance" "app" {
  # ... existing arguments ...
  iam_instance_profile = aws_iam_instance_profile.app.name
  user_data = <<-EOT
    #!/bin/bash
    yum install -y amazon-cloudwatch-agent
    echo '${local.cw_agent_config}' > /opt/aws/amazon-cloudwatch-agent/etc/app-signals.json
    /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/app-signals.json
    cat > /etc/default/my-service-otel <<'ENVEOF'
    ${local.service_env}
    ENVEOF
  EOT
}
```

The application's systemd unit then uses:

```ini
[Service]
EnvironmentFile=/etc/default/my-service-otel
ExecStart={{HOST_EXEC}}
```

User data only runs at first boot: replace the instances (or roll the Auto Scaling group) after changing it.

## Step 7 — Verify

{{VERIFY}}

If nothing appears after about 15 minutes: check the agent is running (`amazon-cloudwatch-agent-ctl -a status`) and its log `/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log`, that the process really has the variables (`cat /proc/<pid>/environ | tr '\0' '\n' | grep OTEL`), and that the instance role has `CloudWatchAgentServerPolicy`.
)guide";

}  // namespace

std::string_view ec2_template() { return kEc2; }

}  // namespace appsignals::tools::enablement
