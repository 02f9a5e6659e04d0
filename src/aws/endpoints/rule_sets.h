#pragma once
// Embedded endpoint rule sets (Smithy endpoint rules 1.0) and the partition table.
#include <string_view>

namespace appsignals::aws::endpoints {

// The rule set JSON for a service by its endpoint prefix ("monitoring", "logs", ...); empty if
// the service is unknown. S3 is not included (see s3_endpoint in endpoint_resolver.h).
std::string_view rule_set_json(std::string_view endpoint_prefix);
// common/partitions.json
std::string_view partitions_json();

}  // namespace appsignals::aws::endpoints
