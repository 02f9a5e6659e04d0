// The endpoint rules engine (src/aws/endpoints): every embedded rule set resolved with fuzzed
// parameters (region and custom endpoint come from configuration and from the `region` argument
// models send), and, with the first byte's high bit set, a fuzzed rule set (the engine must fail
// cleanly on any JSON, not only on the rule sets it embeds).
// Input: flags byte, then "region\nendpoint" or the rule set JSON.
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/endpoints/rule_sets.h"
#include "aws/endpoints/rules_engine.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appsignals::aws::endpoints;
  namespace fuzz = appsignals::fuzz;
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  std::string_view text = fuzz::as_text(data + 1, size - 1);

  static constexpr std::string_view kPrefixes[] = {"application-signals", "monitoring", "logs", "xray",
                                                   "synthetics", "iam", "sts", "lambda"};
  RuleParams params;
  if (flags & 0x80) {
    params.region = "us-east-1";
    params.use_fips = (flags & 1) != 0;
    params.use_dual_stack = (flags & 2) != 0;
    auto rules = RuleSet::parse(text, partitions_json());
    if (rules) (void)rules->resolve(params);
    return 0;
  }
  auto fields = fuzz::split_fields(text, 2);
  if (!(flags & 0x08)) params.region = std::string(fields[0]);
  if (flags & 0x10) params.endpoint = std::string(fields[1]);
  if (flags & 0x20) params.use_fips = (flags & 1) != 0;
  if (flags & 0x40) params.use_dual_stack = (flags & 2) != 0;
  if (flags & 0x04) params.use_global_endpoint = (flags & 1) != 0;
  std::string_view prefix = kPrefixes[(flags & 3) + ((flags >> 5) & 1) * 4];
  std::string_view json = rule_set_json(prefix);
  if (json.empty()) return 0;
  static auto parsed = [] {
    std::vector<std::pair<std::string, RuleSet>> sets;
    for (auto p : kPrefixes) {
      auto j = rule_set_json(p);
      if (j.empty()) continue;
      if (auto rs = RuleSet::parse(j, partitions_json())) sets.emplace_back(std::string(p), std::move(*rs));
    }
    return sets;
  }();
  for (const auto& [name, rules] : parsed) {
    if (name == prefix) (void)rules.resolve(params);
  }
  return 0;
}
