// The Lambda guide: the AWS Lambda Layer for OpenTelemetry (ADOT, Application Signals) wraps the
// handler; there is no agent, the layer sends data directly.
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kLambda = R"guide(## What changes

| Piece | On Lambda with {{LANG}} |
| --- | --- |
| Telemetry agent | none: the **AWS Lambda Layer for OpenTelemetry** (ADOT with Application Signals, layer `{{LAMBDA_LAYER}}`) sends the data itself |
| Instrumentation | {{SDK}}, packaged in the layer and started by the `/opt/otel-instrument` wrapper |
| Configuration | `AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument`, X-Ray active tracing |
| IAM | `CloudWatchLambdaApplicationSignalsExecutionRolePolicy` and `AWSXrayWriteOnlyAccess` on the execution role |
| Code | the function definition in `{{IAC_DIR}}`; the handler code in `{{APP_DIR}}` is unchanged |

## Step 1 — Prerequisites

- The function uses a managed {{LANG}} runtime and is deployed as a .zip archive (layers cannot be added to container-image functions; for those, copy the layer's content into the image under `/opt` instead).
- The function reports as service `<function name>` in environment `lambda:default` unless you set `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`.

{{ACCOUNT_ENABLEMENT}}

## Step 2 — Add the Application Signals layer

The quickest path is the console: Lambda → the function → **Configuration** → **Monitoring and operations tools** → **Edit** → turn on **Application Signals** (under CloudWatch Application Signals and X-Ray) and save. That adds the layer and the wrapper variable, turns on X-Ray tracing and grants the permissions for you. The CloudWatch console (**Application Signals → Services → Enable Application Signals → Lambda**) offers the same for several functions.

To do it yourself (and in IaC), add the layer matching the runtime:

```
arn:aws:lambda:<region>:615299751070:layer:{{LAMBDA_LAYER}}:<version>
```

615299751070 publishes the layer in most commercial Regions; opt-in Regions use other publishing accounts, and versions differ by Region — copy the exact ARN for your Region from the layer table in the Application Signals for Lambda documentation. The layer is architecture-neutral (x86_64 and arm64).

## Step 3 — Instrument the {{LANG}} function

The layer contains the auto-instrumentation; it is activated by the wrapper variable in step 4.

{{LAMBDA_NOTES}}

## Step 4 — Environment variables and tracing

| Variable / setting | Value | Purpose |
| --- | --- | --- |
| `AWS_LAMBDA_EXEC_WRAPPER` | `/opt/otel-instrument` | starts the runtime through the layer's wrapper, which loads the instrumentation |
| X-Ray tracing | `Active` | lets the function's spans reach X-Ray and Application Signals |
| `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` | leave unset (the layer defaults to `true`) | set to `false` only to keep tracing without Application Signals |
| `OTEL_SERVICE_NAME` (optional) | `<your-service-name>` | a service name other than the function name |

No agent endpoints are needed: on Lambda the layer exports directly (spans to X-Ray, Application Signals data to the `/aws/application-signals/data` log group).

## Step 5 — IAM

On the function's **execution role**, attach:

- **`CloudWatchLambdaApplicationSignalsExecutionRolePolicy`** — lets the layer write spans (`xray:PutTraceSegments`) and Application Signals data to the `/aws/application-signals/data` log group. This is what the console attaches.
- **`AWSXrayWriteOnlyAccess`** — X-Ray write access for the traces the function sends directly with active tracing (CDK grants an equivalent inline policy by itself when `tracing` is `ACTIVE`).

## Step 6 — Infrastructure as code (in `{{IAC_DIR}}`)

Find the function definition and add the layer, the variable, active tracing and the policies.

### CDK (TypeScript)

```typescript
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';

const adotLayer = lambda.LayerVersion.fromLayerVersionArn(
  this, 'ApplicationSignalsLayer',
  `arn:aws:lambda:${this.region}:615299751070:layer:{{LAMBDA_LAYER}}:<version>`,
);

const fn = new lambda.Function(this, 'Function', {
  runtime: {{LAMBDA_CDK_RUNTIME}},
  handler: '{{LAMBDA_HANDLER}}',
  code: lambda.Code.fromAsset('{{APP_DIR}}'), // your existing code asset
  layers: [adotLayer],
  tracing: lambda.Tracing.ACTIVE,
  environment: {
    AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument',
  },
});
fn.role?.addManagedPolicy(
  iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchLambdaApplicationSignalsExecutionRolePolicy'));
fn.role?.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSXrayWriteOnlyAccess'));
```

### Terraform

```hcl
data "aws_region" "current" {}

resource "aws_lambda_function" "app" {
  # ... existing function_name, role, filename / s3_key, memory_size ...
  runtime = "{{LAMBDA_TF_RUNTIME}}"
  handler = "{{LAMBDA_HANDLER}}"
  layers  = ["arn:aws:lambda:${data.aws_region.current.name}:615299751070:layer:{{LAMBDA_LAYER}}:<version>"]

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = {
      AWS_LAMBDA_EXEC_WRAPPER = "/opt/otel-instrument"
    }
  }
}

resource "aws_iam_role_policy_attachment" "lambda_application_signals" {
  role       = aws_iam_role.lambda_exec.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy"
}

resource "aws_iam_role_policy_attachment" "lambda_xray" {
  role       = aws_iam_role.lambda_exec.name
  policy_arn = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
}
```

Merge `AWS_LAMBDA_EXEC_WRAPPER` into the function's existing variables rather than replacing them.

## Step 7 — Verify

{{VERIFY}}

If nothing appears after about 15 minutes: check in the function's configuration that the layer and `AWS_LAMBDA_EXEC_WRAPPER` are present and tracing is Active, look for errors from the wrapper at the start of the function's CloudWatch Logs, and confirm both policies are on the execution role.
)guide";

}  // namespace

std::string_view lambda_template() { return kLambda; }

}  // namespace appsignals::tools::enablement
