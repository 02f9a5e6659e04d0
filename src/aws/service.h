#pragma once
// Static descriptions of the AWS services this layer calls: wire protocol, signing name,
// endpoint prefix and the identifiers used for endpoint overrides (AWS-WIRE.md §1, §7).
#include <string_view>

namespace appsignals::aws {

enum class Protocol { kRestJson1, kAwsJson1_0, kAwsJson1_1, kAwsQuery, kRestXml };

// Whether the protocol's answers are JSON (the others are XML).
constexpr bool is_json_protocol(Protocol p) {
  return p == Protocol::kRestJson1 || p == Protocol::kAwsJson1_0 || p == Protocol::kAwsJson1_1;
}

struct ServiceInfo {
  std::string_view service_id;       // model serviceId, e.g. "CloudWatch Logs"
  std::string_view endpoint_prefix;  // rule-set key and default host prefix, e.g. "logs"
  std::string_view signing_name;     // SigV4 service name
  std::string_view env_suffix;       // AWS_ENDPOINT_URL_<suffix>
  std::string_view config_key;       // key in a [services x] section
  Protocol protocol;
  std::string_view target_prefix;    // X-Amz-Target prefix (awsJson protocols)
  std::string_view api_version;      // Version= (awsQuery)
  bool query_compatible = false;     // awsQueryCompatible (CloudWatch)
};

namespace services {
inline constexpr ServiceInfo kApplicationSignals{"Application Signals", "application-signals",
    "application-signals", "APPLICATION_SIGNALS", "application_signals", Protocol::kRestJson1, "", "", false};
inline constexpr ServiceInfo kCloudWatch{"CloudWatch", "monitoring", "monitoring", "CLOUDWATCH",
    "cloudwatch", Protocol::kAwsJson1_0, "GraniteServiceVersion20100801", "2010-08-01", true};
inline constexpr ServiceInfo kLogs{"CloudWatch Logs", "logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs",
    Protocol::kAwsJson1_1, "Logs_20140328", "", false};
inline constexpr ServiceInfo kXRay{"XRay", "xray", "xray", "XRAY", "xray", Protocol::kRestJson1, "", "", false};
inline constexpr ServiceInfo kSynthetics{"synthetics", "synthetics", "synthetics", "SYNTHETICS", "synthetics",
    Protocol::kRestJson1, "", "", false};
inline constexpr ServiceInfo kS3{"S3", "s3", "s3", "S3", "s3", Protocol::kRestXml, "", "2006-03-01", false};
inline constexpr ServiceInfo kIam{"IAM", "iam", "iam", "IAM", "iam", Protocol::kAwsQuery, "", "2010-05-08", false};
inline constexpr ServiceInfo kSts{"STS", "sts", "sts", "STS", "sts", Protocol::kAwsQuery, "", "2011-06-15", false};
inline constexpr ServiceInfo kRum{"RUM", "rum", "rum", "RUM", "rum", Protocol::kRestJson1, "", "2018-05-10", false};
inline constexpr ServiceInfo kLambda{"Lambda", "lambda", "lambda", "LAMBDA", "lambda", Protocol::kRestJson1,
    "", "2015-03-31", false};
}  // namespace services

}  // namespace appsignals::aws
