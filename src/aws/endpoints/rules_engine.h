#pragma once
// An evaluator for Smithy endpoint rule sets (rules 1.0) sufficient for the AWS models this
// layer embeds: functions isSet, not, booleanEquals, stringEquals, getAttr, aws.partition;
// tree/endpoint/error rules; "{Var}" and "{Var#attr}" templates. Thread-safe once built.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/result.h"

namespace appsignals::aws::endpoints {

struct RuleParams {
  std::optional<std::string> region;
  std::optional<bool> use_fips;
  std::optional<bool> use_dual_stack;
  std::optional<std::string> endpoint;  // a custom endpoint URL
  std::optional<bool> use_global_endpoint;  // STS only
};

struct ResolvedEndpoint {
  std::string url;
  std::optional<std::string> signing_region;  // from authSchemes, when the rule set sets one
  std::optional<std::string> signing_name;
};

class RuleSet {
 public:
  // Parses `rule_set_json` and `partitions_json`. Errors: kInvalidArgument.
  static Result<RuleSet> parse(std::string_view rule_set_json, std::string_view partitions_json);
  // Evaluates the rules. Rule-set errors ("Invalid Configuration: Missing Region", ...) are
  // kInvalidArgument with the rule set's message.
  Result<ResolvedEndpoint> resolve(const RuleParams& params) const;

 private:
  boost::json::value rules_;
  boost::json::value partitions_;
};

}  // namespace appsignals::aws::endpoints
