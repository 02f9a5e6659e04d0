// The ECS guide: the CloudWatch agent as a sidecar (or daemon) and an init container that copies
// the ADOT agent into a volume shared with the application container.
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kEcs = R"guide(## What changes

| Piece | On ECS with {{LANG}} |
| --- | --- |
| Telemetry agent | the CloudWatch agent as a sidecar container in the task (ports 4316 and 2000), `application_signals` enabled |
| Instrumentation | {{SDK}}, copied into a shared volume by an init container |
| Configuration | `OTEL_*` environment variables on the application container |
| IAM | `CloudWatchAgentServerPolicy` on the task role |
| Code | the task definition in `{{IAC_DIR}}`; the image built from `{{APP_DIR}}` stays as it is |

## Step 1 — Prerequisites

- The tasks can reach the CloudWatch, X-Ray and CloudWatch Logs endpoints (NAT or VPC endpoints) and pull from Amazon ECR Public.
- You know the service name and environment to report (for example `checkout` / `prod`). Without `deployment.environment` the service is reported in `ecs:<cluster-name>`.
- The sidecar strategy shown here works on Fargate and on the EC2 launch type.

{{ACCOUNT_ENABLEMENT}}

## Step 2 — The CloudWatch agent sidecar

Add a container named `ecs-cwagent` to the task definition, using the image `public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest` (pin a version for production), marked essential. Give it this configuration through the `CW_CONFIG_CONTENT` environment variable (or store it in an SSM parameter and reference it as a secret named `CW_CONFIG_CONTENT`):

```json
{
  "traces": { "traces_collected": { "application_signals": {} } },
  "logs": { "metrics_collected": { "application_signals": {} } }
}
```

Containers of one task share `localhost`, so the application reaches the agent at `localhost:4316` (OTLP over HTTP) and `localhost:2000` (X-Ray sampling); no port mapping to the host is needed.

**Daemon alternative (EC2 launch type only):** run the agent once per container instance as a `DAEMON` service with host networking and ports 4316 and 2000. The task role of that daemon needs `CloudWatchAgentServerPolicy`, and the application's endpoints below must use the instance's address instead of `localhost`.

## Step 3 — Instrument the {{LANG}} application (init container)

1. Add a task volume, e.g. `opentelemetry-auto-instrumentation` (no host path: an empty, task-scoped volume).
2. Add a non-essential init container using `{{INIT_IMAGE}}:<version>` (take the latest tag from the ECR Public gallery) that runs `{{INIT_COMMAND}}`, with the volume mounted at `{{MOUNT_PATH}}`.
3. Mount the same volume at `{{MOUNT_PATH}}` in the application container and make it depend on the init container with condition `SUCCESS`, so the agent is in place before the app starts.

{{CONTAINER_NOTES}}

## Step 4 — Environment variables (application container)

{{ENV_TABLE}}

## Step 5 — IAM

Attach the AWS managed policy **`CloudWatchAgentServerPolicy`** to the **task role** (`taskRoleArn`, not only the execution role): the agent sidecar uses it to publish Application Signals metrics, logs and traces. If the agent configuration comes from SSM, the **execution role** also needs `ssm:GetParameters` on that parameter.

## Step 6 — Infrastructure as code (in `{{IAC_DIR}}`)

Find the task definition of the service and add the sidecar, the init container, the volume, the variables and the policy. The task definition JSON equivalent of the application container's additions:

```json
"environment": [
{{ENV_ECS_JSON}}
],
"mountPoints": [{ "sourceVolume": "opentelemetry-auto-instrumentation", "containerPath": "{{MOUNT_PATH}}", "readOnly": false }],
"dependsOn": [{ "containerName": "init", "condition": "SUCCESS" }]
```

### CDK (TypeScript)

```typescript
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';

// taskDefinition: the service's task definition; appContainer: its application container.
taskDefinition.taskRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'));
taskDefinition.addVolume({ name: 'opentelemetry-auto-instrumentation' });

taskDefinition.addContainer('ecs-cwagent', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest'),
  essential: true,
  memoryLimitMiB: 128,
  environment: {
    CW_CONFIG_CONTENT: JSON.stringify({
      traces: { traces_collected: { application_signals: {} } },
      logs: { metrics_collected: { application_signals: {} } },
    }),
  },
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'ecs-cwagent' }),
});

const init = taskDefinition.addContainer('init', {
  image: ecs.ContainerImage.fromRegistry('{{INIT_IMAGE}}:<version>'),
  essential: false,
  memoryLimitMiB: 64,
  command: {{INIT_COMMAND_ARRAY}},
});
const otelMount = { sourceVolume: 'opentelemetry-auto-instrumentation', containerPath: '{{MOUNT_PATH}}', readOnly: false };
init.addMountPoints(otelMount);

appContainer.addMountPoints(otelMount);
appContainer.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
const otelEnv: Record<string, string> = {
{{ENV_CDK}}
};
for (const [name, value] of Object.entries(otelEnv)) appContainer.addEnvironment(name, value);
```

### Terraform

```hcl
resource "aws_iam_role_policy_attachment" "task_cw_agent" {
  role       = aws_iam_role.task.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
}

resource "aws_ecs_task_definition" "app" {
  # ... family, cpu, memory, network_mode, execution_role_arn as today ...
  task_role_arn = aws_iam_role.task.arn

  volume {
    name = "opentelemetry-auto-instrumentation"
  }

  container_definitions = jsonencode([
    {
      name      = "ecs-cwagent"
      image     = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
      essential = true
      environment = [{
        name = "CW_CONFIG_CONTENT"
        value = jsonencode({
          traces = { traces_collected = { application_signals = {} } }
          logs   = { metrics_collected = { application_signals = {} } }
        })
      }]
    },
    {
      name        = "init"
      image       = "{{INIT_IMAGE}}:<version>"
      essential   = false
      command     = {{INIT_COMMAND_ARRAY}}
      mountPoints = [{ sourceVolume = "opentelemetry-auto-instrumentation", containerPath = "{{MOUNT_PATH}}", readOnly = false }]
    },
    {
      # the existing application container (image built from {{APP_DIR}}), plus:
      name      = "my-app"
      essential = true
      environment = [
{{ENV_TF}}
      ]
      mountPoints = [{ sourceVolume = "opentelemetry-auto-instrumentation", containerPath = "{{MOUNT_PATH}}", readOnly = false }]
      dependsOn   = [{ containerName = "init", condition = "SUCCESS" }]
    }
  ])
}
```

Deploy a new task definition revision and update the service so that new tasks start with it.

## Step 7 — Verify

{{VERIFY}}

If nothing appears after about 15 minutes: check that the `init` container exited with code 0, read the `ecs-cwagent` container's logs, confirm the running task uses the new revision with the `OTEL_*` variables, and that the task role (not only the execution role) has `CloudWatchAgentServerPolicy`.
)guide";

}  // namespace

std::string_view ecs_template() { return kEcs; }

}  // namespace appsignals::tools::enablement
