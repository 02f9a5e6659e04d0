// The EKS guide: the Amazon CloudWatch Observability add-on runs the agent and injects the ADOT
// agent into annotated pods.
#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr std::string_view kEks = R"guide(## What changes

| Piece | On EKS with {{LANG}} |
| --- | --- |
| Telemetry agent | the **Amazon CloudWatch Observability** EKS add-on (`amazon-cloudwatch-observability`): the CloudWatch agent plus an operator that injects instrumentation |
| Instrumentation | {{SDK}}, injected into pods annotated `instrumentation.opentelemetry.io/inject-{{EKS_LANG}}: "true"` |
| Configuration | injected by the operator; only the service name is yours to choose |
| IAM | `CloudWatchAgentServerPolicy` on the worker node role (or an IRSA / Pod Identity role for the agent) |
| Code | the add-on and IAM in `{{IAC_DIR}}`; one annotation on the workload's pod template; nothing in `{{APP_DIR}}` |

## Step 1 — Prerequisites

- An EKS cluster with Linux worker nodes on EC2 (managed or self-managed node groups) that can reach the CloudWatch, X-Ray and CloudWatch Logs endpoints.
- `kubectl` access to the cluster, and the name of the Deployment (or StatefulSet / DaemonSet) that runs the service.
- Services are reported in the environment `eks:<cluster-name>/<namespace>` unless you set `deployment.environment`.

{{ACCOUNT_ENABLEMENT}}

## Step 2 — Install the Amazon CloudWatch Observability add-on

Install the EKS add-on `amazon-cloudwatch-observability` on the cluster (console: EKS → cluster → **Add-ons** → **Get more add-ons**, or the CLI below). It deploys the CloudWatch agent (namespace `amazon-cloudwatch`, service `cloudwatch-agent`) with Application Signals enabled, and an operator that adds the auto-instrumentation to annotated pods.

```bash
aws eks create-addon --cluster-name <cluster> --addon-name amazon-cloudwatch-observability
kubectl get pods -n amazon-cloudwatch   # the agent and the operator should be Running
```

The CloudWatch Application Signals console can also do this for you: **Application Signals → Services → Enable Application Signals → EKS**, then pick the cluster.

## Step 3 — Instrument the {{LANG}} workload

Add the annotation to the **pod template** of the workload (`spec.template.metadata.annotations`, not the Deployment's own metadata), then restart it so new pods are created:

```yaml
spec:
  template:
    metadata:
      annotations:
        instrumentation.opentelemetry.io/inject-{{EKS_LANG}}: "true"
```

```bash
kubectl rollout restart deployment/<name> -n <namespace>
```

Annotating a namespace instead instruments every workload in it. Pods started before the add-on was installed are not instrumented until they restart.

{{EKS_NOTES}}

## Step 4 — Environment variables

The operator injects the variables into each annotated container; you do not set them yourself:

| Variable | Injected value |
| --- | --- |
| `OTEL_AWS_APPLICATION_SIGNALS_ENABLED` | `true` |
| `OTEL_AWS_APPLICATION_SIGNALS_EXPORTER_ENDPOINT` | `http://cloudwatch-agent.amazon-cloudwatch:4316/v1/metrics` |
| `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | `http://cloudwatch-agent.amazon-cloudwatch:4316/v1/traces` |
| `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` | `xray` / `endpoint=http://cloudwatch-agent.amazon-cloudwatch:2000` |
| `OTEL_METRICS_EXPORTER`, `OTEL_LOGS_EXPORTER` | `none` |
| `OTEL_RESOURCE_ATTRIBUTES` | includes `service.name` (derived from the workload name) and Kubernetes attributes |

To choose the service name or environment yourself, set `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES=service.name=<your-service-name>,deployment.environment=<your-environment>` in the container's `env`; values you set take precedence.

## Step 5 — IAM

The CloudWatch agent needs the AWS managed policy **`CloudWatchAgentServerPolicy`**. Either attach it to the **IAM role of the worker nodes**, or (narrower) create an IRSA or EKS Pod Identity role for the service account `cloudwatch-agent` in namespace `amazon-cloudwatch` with that policy and pass it to the add-on (`service_account_role_arn`). The application pods need no new permissions.

## Step 6 — Infrastructure as code (in `{{IAC_DIR}}`)

Add the add-on and the policy where the cluster is defined, and the annotation where the workload's manifest, Helm chart or Kubernetes resource lives.

### CDK (TypeScript)

```typescript
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';

// cluster: the eks.Cluster; nodegroup: its managed node group.
nodegroup.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'));

new eks.CfnAddon(this, 'CloudWatchObservability', {
  clusterName: cluster.clusterName,
  addonName: 'amazon-cloudwatch-observability',
  // serviceAccountRoleArn: agentRole.roleArn, // IRSA alternative to the node role
});

// In the workload's manifest (cluster.addManifest / KubernetesManifest), on the pod template:
//   spec.template.metadata.annotations:
//     { 'instrumentation.opentelemetry.io/inject-{{EKS_LANG}}': 'true' }
```

### Terraform

```hcl
resource "aws_iam_role_policy_attachment" "nodes_cw_agent" {
  role       = aws_iam_role.eks_nodes.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
}

resource "aws_eks_addon" "cloudwatch_observability" {
  cluster_name = aws_eks_cluster.main.name
  addon_name   = "amazon-cloudwatch-observability"
  # service_account_role_arn = aws_iam_role.cloudwatch_agent.arn  # IRSA alternative
  depends_on = [aws_iam_role_policy_attachment.nodes_cw_agent]
}

# With the kubernetes provider, on the workload:
resource "kubernetes_deployment" "app" {
  # ... existing metadata and spec ...
  spec {
    template {
      metadata {
        annotations = {
          "instrumentation.opentelemetry.io/inject-{{EKS_LANG}}" = "true"
        }
      }
      # ... containers (image built from {{APP_DIR}}) unchanged ...
    }
  }
}
```

Apply the add-on before the annotated workload rolls out (or restart the workload afterwards).

## Step 7 — Verify

{{VERIFY}}

If nothing appears after about 15 minutes: `kubectl get pods -n amazon-cloudwatch` (agent and operator Running), `kubectl describe pod <pod>` (an init container named like `opentelemetry-auto-instrumentation-{{EKS_LANG}}` and the `OTEL_*` variables should be present; if not, the annotation is on the wrong object or the pod predates the add-on), the agent's logs, and the policy on the node or IRSA role.
)guide";

}  // namespace

std::string_view eks_template() { return kEks; }

}  // namespace appsignals::tools::enablement
