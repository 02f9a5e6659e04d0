// The canary failure knowledge base, as data. This JSON is the authoritative copy (compiled in
// so the binary needs no data directory). Schema per entry:
//   id, title, severity (critical|high|medium|low),
//   error_patterns: [{"type": "regex"|"contains", "value": ...}]  (matched case-insensitively),
//   symptoms: [phrase], runtime_versions: ["<family>-<version>[+]" | "<family>-*"] (empty: all),
//   environment: [keyword], recommendations: [text].
// Written in our own words from the public CloudWatch Synthetics documentation and common
// Puppeteer / Playwright / Selenium failure modes. Validated by knowledge_base_test.cc.
#include "tools/canaries/knowledge_base.h"

namespace appsignals::tools::canaries {

std::string_view knowledge_base_json() {
  return R"KB({
  "version": 1,
  "entries": [
    {
      "id": "RUNTIME-001",
      "title": "Page navigation exceeds the browser's navigation timeout",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "navigation timeout of \\d+ ms exceeded"},
        {"type": "contains", "value": "TimeoutError: Navigation"}
      ],
      "symptoms": ["timeout", "pending", "still pending", "slow", "waiting for selector", "err_timed_out", "no response"],
      "runtime_versions": ["syn-nodejs-puppeteer-*", "syn-nodejs-playwright-*"],
      "environment": ["single page", "spa", "third-party", "cdn", "slow backend"],
      "recommendations": [
        "Find the request that never completed (HAR): when it is the site's own API, fix or scale that backend first; the canary is only the messenger.",
        "Wait for 'domcontentloaded' rather than 'networkidle0' when long-polling or analytics requests keep the network busy.",
        "Raise the timeout passed to page.goto / synthetics.executeStep only if the page is legitimately slower, and keep it below the canary's run timeout."
      ]
    },
    {
      "id": "RUNTIME-002",
      "title": "An element the script waits for never appears",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "waiting for (selector|locator|xpath)[^\\n]*(failed|exceeded|timed out)"},
        {"type": "regex", "value": "waiting for selector [`'\"#.]"},
        {"type": "contains", "value": "No node found for selector"}
      ],
      "symptoms": ["selector", "element", "not found", "button", "layout", "redesign", "markup"],
      "runtime_versions": ["syn-nodejs-puppeteer-*", "syn-nodejs-playwright-*"],
      "environment": ["release", "deploy", "redesign", "a/b test", "feature flag"],
      "recommendations": [
        "Open the failed run's screenshot: if the page rendered without the element, the page markup changed and the script's selector must follow it.",
        "Prefer stable selectors (data-testid, ids) over CSS paths that change with styling.",
        "If the element appears after a backend call, check that call in the HAR before raising the wait timeout."
      ]
    },
    {
      "id": "RUNTIME-003",
      "title": "Chromium crashes or is killed for lack of memory",
      "severity": "critical",
      "error_patterns": [
        {"type": "regex", "value": "protocol error.*(target closed|session closed)"},
        {"type": "contains", "value": "detached frame"},
        {"type": "contains", "value": "Page crashed"},
        {"type": "regex", "value": "(javascript heap|process) out of memory"}
      ],
      "symptoms": ["memory", "crash", "intermittent", "heavy page", "many tabs", "video"],
      "runtime_versions": ["syn-nodejs-puppeteer-*", "syn-nodejs-playwright-*"],
      "environment": ["large page", "media", "multi-step", "many steps"],
      "recommendations": [
        "Raise RunConfig.MemoryInMB (2048 MB or more for heavy pages).",
        "Close every page and browser context the script opens; avoid keeping many tabs alive.",
        "Split a long multi-step journey into several canaries."
      ]
    },
    {
      "id": "RUNTIME-004",
      "title": "The canary's ephemeral storage (/tmp) is full",
      "severity": "critical",
      "error_patterns": [
        {"type": "contains", "value": "ENOSPC"},
        {"type": "contains", "value": "no space left on device"}
      ],
      "symptoms": ["screenshot", "download", "disk", "storage", "tmp", "many steps"],
      "runtime_versions": [],
      "environment": ["download", "file upload", "video", "large screenshots"],
      "recommendations": [
        "Take fewer screenshots (only on failure) and remove files the script writes under /tmp before it ends.",
        "Raise RunConfig.EphemeralStorage (up to 10240 MB) on runtimes that support it.",
        "Track the trend with the maxEphemeralStorageUsage telemetry in the canary's Lambda log group."
      ]
    },
    {
      "id": "RUNTIME-005",
      "title": "The execution role cannot write run artifacts to S3",
      "severity": "critical",
      "error_patterns": [
        {"type": "regex", "value": "not authorized to perform:? s3:PutObject"},
        {"type": "regex", "value": "(failed to upload|upload).*(accessdenied|access denied)"},
        {"type": "regex", "value": "access ?denied.*s3"}
      ],
      "symptoms": ["no artifacts", "no screenshots", "artifacts missing", "s3", "access denied", "every run fails"],
      "runtime_versions": [],
      "environment": ["new role", "custom role", "bucket policy", "kms", "encryption", "new bucket"],
      "recommendations": [
        "Grant s3:PutObject on arn:aws:s3:::<artifact bucket>/<prefix>/* and s3:GetBucketLocation on the bucket to the canary's execution role.",
        "If the bucket is encrypted with a customer managed KMS key, also allow kms:GenerateDataKey on that key.",
        "Check the bucket policy for an explicit Deny (for example, a required encryption header)."
      ]
    },
    {
      "id": "RUNTIME-006",
      "title": "The execution role cannot write logs or metrics",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "not authorized to perform:? (logs:(CreateLogStream|PutLogEvents|CreateLogGroup)|cloudwatch:PutMetricData)"},
        {"type": "regex", "value": "AccessDenied.*(PutMetricData|PutLogEvents)"}
      ],
      "symptoms": ["no logs", "no metrics", "missing metrics", "access denied", "empty log group"],
      "runtime_versions": [],
      "environment": ["new role", "custom role", "scp", "permissions boundary"],
      "recommendations": [
        "Allow logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on /aws/lambda/cwsyn-* log groups.",
        "Allow cloudwatch:PutMetricData with the condition cloudwatch:namespace = CloudWatchSynthetics.",
        "Look for a permissions boundary or service control policy that denies these actions."
      ]
    },
    {
      "id": "RUNTIME-007",
      "title": "The target's TLS certificate is rejected",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "net::ERR_CERT_[A-Z_]+"},
        {"type": "contains", "value": "CERT_HAS_EXPIRED"},
        {"type": "contains", "value": "certificate verify failed"},
        {"type": "contains", "value": "self signed certificate"}
      ],
      "symptoms": ["certificate", "ssl", "tls", "https", "expired"],
      "runtime_versions": [],
      "environment": ["internal", "private ca", "staging", "self-signed"],
      "recommendations": [
        "Check the certificate's expiry and chain (openssl s_client -showcerts) on the target host.",
        "For private CAs, import the CA into the script's trust store or, for test environments only, ignore HTTPS errors explicitly in the launch options."
      ]
    },
    {
      "id": "RUNTIME-008",
      "title": "The target's host name does not resolve",
      "severity": "high",
      "error_patterns": [
        {"type": "contains", "value": "ERR_NAME_NOT_RESOLVED"},
        {"type": "contains", "value": "ENOTFOUND"},
        {"type": "contains", "value": "getaddrinfo"},
        {"type": "contains", "value": "Name or service not known"}
      ],
      "symptoms": ["dns", "resolve", "host", "domain"],
      "runtime_versions": [],
      "environment": ["vpc", "private hosted zone", "route 53", "internal", "migration"],
      "recommendations": [
        "Resolve the host name from the canary's network: a VPC canary needs DNS resolution and hostnames enabled on the VPC, and private hosted zones associated with it.",
        "Check for a recent DNS or domain change (expired domain, removed record)."
      ]
    },
    {
      "id": "RUNTIME-009",
      "title": "Connections to the target are refused or reset",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "(ERR_CONNECTION_(REFUSED|RESET|CLOSED)|ECONNREFUSED|ECONNRESET)"},
        {"type": "contains", "value": "Connection refused"}
      ],
      "symptoms": ["refused", "reset", "down", "unreachable", "load balancer"],
      "runtime_versions": [],
      "environment": ["deploy", "maintenance", "security group", "waf", "allow list"],
      "recommendations": [
        "Check that the target is up and listening (load balancer target health, recent deployments).",
        "If the target filters by source IP or WAF rules, allow the canary's egress addresses (NAT gateway IPs for VPC canaries)."
      ]
    },
    {
      "id": "RUNTIME-010",
      "title": "An API canary receives server errors",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "(status code|statuscode|status)[: ]*5\\d\\d"},
        {"type": "regex", "value": "\\b(500|502|503|504) (internal server error|bad gateway|service unavailable|gateway timeout)"}
      ],
      "symptoms": ["5xx", "server error", "api", "fault", "intermittent", "503"],
      "runtime_versions": [],
      "environment": ["api", "backend", "deploy", "dependency", "throttling"],
      "recommendations": [
        "The canary is reporting a real backend failure: audit the service behind the endpoint (audit_services, audit_service_operations) for faults, dependencies and recent deployments.",
        "Correlate the failure times with the service's fault metrics and traces before changing the canary."
      ]
    },
    {
      "id": "RUNTIME-011",
      "title": "Visual monitoring reports a difference from the baseline",
      "severity": "medium",
      "error_patterns": [
        {"type": "contains", "value": "visual variation"},
        {"type": "regex", "value": "screenshot (comparison|variation).*(exceed|threshold)"}
      ],
      "symptoms": ["screenshot", "visual", "baseline", "layout", "banner"],
      "runtime_versions": ["syn-nodejs-puppeteer-3.2+", "syn-nodejs-playwright-*"],
      "environment": ["release", "redesign", "marketing", "dynamic content"],
      "recommendations": [
        "If the UI change is intended, set a new baseline from a recent run.",
        "Exclude dynamic regions from the comparison or raise the variation threshold."
      ]
    },
    {
      "id": "RUNTIME-012",
      "title": "The canary's Lambda function times out before the script ends",
      "severity": "high",
      "error_patterns": [
        {"type": "regex", "value": "task timed out after [\\d.]+ seconds"},
        {"type": "contains", "value": "Canary exceeded the configured timeout"}
      ],
      "symptoms": ["timeout", "long", "many steps", "slow", "no result"],
      "runtime_versions": [],
      "environment": ["multi-step", "many steps", "long journey"],
      "recommendations": [
        "Raise RunConfig.TimeoutInSeconds (it cannot exceed the schedule's frequency) or shorten the script.",
        "Lower per-step waits so one slow step fails fast with a clear error instead of consuming the whole budget."
      ]
    },
    {
      "id": "RUNTIME-013",
      "title": "A module the script imports is missing after a runtime change",
      "severity": "critical",
      "error_patterns": [
        {"type": "regex", "value": "cannot find module ['\"][^'\"]+['\"]"},
        {"type": "contains", "value": "ModuleNotFoundError"},
        {"type": "contains", "value": "ERR_REQUIRE_ESM"}
      ],
      "symptoms": ["upgrade", "runtime", "import", "module", "after update"],
      "runtime_versions": [],
      "environment": ["runtime upgrade", "upgrade", "new runtime", "dependency"],
      "recommendations": [
        "Package the dependency with the canary code (nodejs/node_modules or python/ folder) since newer runtimes bundle fewer libraries.",
        "Check the runtime's release notes for renamed modules (for example, ES module handlers in newer Node.js runtimes)."
      ]
    },
    {
      "id": "RUNTIME-014",
      "title": "Selenium cannot find an element or the WebDriver times out",
      "severity": "high",
      "error_patterns": [
        {"type": "contains", "value": "NoSuchElementException"},
        {"type": "contains", "value": "selenium.common.exceptions.TimeoutException"},
        {"type": "contains", "value": "WebDriverException"}
      ],
      "symptoms": ["element", "locator", "timeout", "xpath", "page changed"],
      "runtime_versions": ["syn-python-selenium-*"],
      "environment": ["release", "redesign", "login"],
      "recommendations": [
        "Use explicit waits (WebDriverWait with expected conditions) instead of fixed sleeps.",
        "Update the locator to the current page; check the failed run's screenshot to see what rendered."
      ]
    },
    {
      "id": "ENV-001",
      "title": "A VPC canary has no route to public endpoints",
      "severity": "critical",
      "error_patterns": [
        {"type": "contains", "value": "connect ETIMEDOUT"},
        {"type": "contains", "value": "ERR_CONNECTION_TIMED_OUT"},
        {"type": "regex", "value": "(failed to upload|unable to upload).*(timed out|timeout)"}
      ],
      "symptoms": ["every run fails", "timeout", "no artifacts", "started after vpc", "no internet"],
      "runtime_versions": [],
      "environment": ["vpc", "private subnet", "nat", "no internet", "vpc endpoint"],
      "recommendations": [
        "Give the canary's subnets a NAT gateway route, or add VPC endpoints for S3 (gateway) and CloudWatch / CloudWatch Logs (interface).",
        "Check the canary's security group allows outbound HTTPS to the target and to AWS endpoints."
      ]
    }
  ]
})KB";
}

}  // namespace appsignals::tools::canaries
