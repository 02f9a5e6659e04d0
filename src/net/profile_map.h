#pragma once
// ProfileMap (MCP_AWS_PROFILE_MAP): which of the allowed AWS profiles (MCP_AWS_PROFILES) an
// authenticated principal may use, decided once per request at authentication, from the
// token's claims or the API key that matched. The router puts the result on
// `Request::aws_profiles`; the claims themselves never leave the authenticator's outcome.
//
// Syntax: rules separated by ';', each `<selector> -> <profiles>` (white space around the parts
// is ignored):
//   <claim>=<value>  an OAuth token whose claim <claim> is the string <value>, or an array
//                    holding that string (e.g. `groups=team-a`)
//   api-key#<n>      the n-th API key (1-based: MCP_API_KEY's keys in order, then
//                    MCP_API_KEY_FILE's lines)
//   api-key          any API key
//   *                a principal no other rule matched
//   <profiles>       '|'-separated names from MCP_AWS_PROFILES, or '*' for all of them
// A principal gets the union of the rules it matches, in rule order; the first profile is its
// default (used when a call names none). A principal no rule matches gets the `*` rule's set,
// or none at all (every AWS call refused) when there is no `*` rule.
//   MCP_AWS_PROFILE_MAP="groups=payments -> prod-payments|staging; groups=sre -> *; api-key#1 -> staging"
//
// Immutable after parse(); thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "net/authenticator.h"

namespace appsignals::net {

class ProfileMap {
 public:
  // Parses `text` against the allowed profile names; kInvalidArgument naming the rule (by
  // position and text) and what is wrong: an unknown profile, an empty part, a bad selector.
  static Result<ProfileMap> parse(std::string_view text, const std::vector<std::string>& allowed);

  // The profiles of an authenticated principal, its default first (empty: none).
  std::vector<std::string> resolve(const AuthOutcome& outcome) const;
  std::vector<std::string> resolve(const boost::json::object& claims, int key_index) const;

  std::size_t rule_count() const { return rules_.size(); }

 private:
  enum class Kind { kClaim, kApiKey, kAnyApiKey, kDefault };
  struct Rule {
    Kind kind = Kind::kDefault;
    std::string claim;
    std::string value;
    int key_index = -1;  // 0-based
    std::vector<std::string> profiles;
  };
  static bool matches(const Rule& rule, const boost::json::object& claims, int key_index);
  std::vector<Rule> rules_;
};

}  // namespace appsignals::net
