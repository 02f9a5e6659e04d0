#pragma once
// The harmless request `appsignals-mcp check` sends to prove one IAM action is granted: for
// every operation in aws::ops, a read that touches nothing (a one-item list, or a lookup of a
// name that does not exist, where "not found" proves the permission). S3 operations need a
// bucket the account owns (a canary's artifact bucket), so they are probed separately, and so are
// the PromQL query API actions (GET requests outside the CloudWatch model).
#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "aws/services/ops.h"

namespace appsignals {

struct PermissionProbe {
  boost::json::object input;
  // Answers that prove the permission besides success: not found (a lookup of a name that does
  // not exist) and invalid argument (a made-up query id).
  bool not_found_ok = false;
  bool invalid_ok = false;
};

inline constexpr const char* kProbeName = "appsignals-mcp-permission-probe";

// The probe of `op` at time `now` (epoch seconds); nullopt for operations probed another way
// (S3) or never probed (writes).
std::optional<PermissionProbe> permission_probe(const aws::Op& op, std::int64_t now);

}  // namespace appsignals
