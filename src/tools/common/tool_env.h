#pragma once
// ToolEnv: what every tool needs from outside: AWS clients for the server's region (or the
// region a call names), the named AWS profiles a call may choose (MCP_AWS_PROFILES), and the
// configuration problem to report when there is no AWS client.
//
// Thread safety: immutable after construction (set_* before the env is shared) except the
// per-(profile, region, principal) client cache, which is guarded by a mutex.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "aws/aws_client.h"
#include "aws/services/s3_client.h"
#include "aws/services/service_client.h"
#include "common/result.h"

namespace appsignals::tools {

// A named AWS profile a call may choose: its own client context (credentials, endpoints) and
// default region.
struct AwsProfile {
  std::string name;
  std::shared_ptr<const aws::ClientContext> context;
  std::string region;
};

class ToolEnv {
 public:
  // `context` may be null (no region could be resolved); `problem` then says why.
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // `now` (default: the system clock) is what tools use for "now" (default windows, ages);
  // tests fix it for deterministic outputs.
  ToolEnv(std::shared_ptr<const aws::ClientContext> context, std::string default_region, std::string problem = {},
          Clock now = {});

  const std::string& default_region() const { return default_region_; }
  // Characters a tool result may have (MCP_OUTPUT_BUDGET); set before the env is shared.
  std::size_t output_budget() const { return output_budget_; }
  void set_output_budget(std::size_t budget) { output_budget_ = budget; }
  std::chrono::system_clock::time_point now() const { return now_(); }

  // MCP_AWS_PROFILES, in the configured order; set before the env is shared. With profiles,
  // every AWS tool takes a `profile` argument (tool_spec.cc adds it centrally).
  void set_profiles(std::vector<AwsProfile> profiles);
  const std::vector<std::string>& profile_names() const { return profile_names_; }
  // The profile's default region ("" or unknown: the server's).
  const std::string& default_region(std::string_view profile) const;
  // Clients of profile `profile` ("": the server's own credentials) for the `region` argument,
  // else the profile's default region; requests carry `principal` as their fair-share key.
  // Errors as clients(), and kInvalidArgument for a profile not in MCP_AWS_PROFILES.
  Result<std::shared_ptr<const aws::AwsClients>> clients(const boost::json::object& args, const std::string& principal,
                                                         std::string_view profile) const;
  Result<std::shared_ptr<const aws::AwsClients>> clients_for(std::string_view region, const std::string& principal,
                                                             std::string_view profile) const;
  Result<aws::S3Client> s3(std::string_view region, std::string_view profile) const;

  // Clients for the call's region: the `region` argument when present and non-empty, else the
  // server's. Errors: kFailedPrecondition when the server has no AWS configuration,
  // kInvalidArgument for a malformed region name.
  Result<std::shared_ptr<const aws::AwsClients>> clients(const boost::json::object& args) const;
  Result<std::shared_ptr<const aws::AwsClients>> clients_for(std::string_view region) const;
  // The same for one caller: its AWS requests carry `principal` as their fair-share key
  // (ClientContext::fairness_key), so one principal cannot take every outbound request slot.
  Result<std::shared_ptr<const aws::AwsClients>> clients(const boost::json::object& args,
                                                         const std::string& principal) const;
  Result<std::shared_ptr<const aws::AwsClients>> clients_for(std::string_view region,
                                                             const std::string& principal) const;
  // The per-(profile, region, principal) client cache holds at most this many entries, least recently used out first
  // (any well-formed region string is accepted, so the cache must not grow with them).
  static constexpr std::size_t kMaxCachedRegions = 32;
  std::size_t cached_regions() const;
  Result<aws::S3Client> s3(std::string_view region) const;

 private:
  std::shared_ptr<const aws::ClientContext> context_;
  std::string default_region_;
  std::string problem_;
  Clock now_;
  std::size_t output_budget_ = 16000;
  std::vector<AwsProfile> profiles_;
  std::vector<std::string> profile_names_;
  const AwsProfile* find_profile(std::string_view name) const;
  mutable std::mutex mu_;
  struct Cached {
    std::shared_ptr<const aws::AwsClients> clients;
    std::uint64_t last_use = 0;
  };
  mutable std::map<std::string, Cached, std::less<>> cache_;
  mutable std::uint64_t uses_ = 0;
};

// A region name as AWS uses them: lower-case letters, digits and '-' (e.g. "eu-west-1").
bool valid_region_name(std::string_view region);

}  // namespace appsignals::tools
