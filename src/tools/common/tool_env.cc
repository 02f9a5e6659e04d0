#include "tools/common/tool_env.h"

#include <algorithm>

#include <cctype>

namespace appsignals::tools {

bool valid_region_name(std::string_view region) {
  if (region.size() < 4 || region.size() > 32) return false;
  for (char c : region)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  return region.find('-') != std::string_view::npos;
}

ToolEnv::ToolEnv(std::shared_ptr<const aws::ClientContext> context, std::string default_region, std::string problem,
                 Clock now)
    : context_(std::move(context)), default_region_(std::move(default_region)), problem_(std::move(problem)),
      now_(now ? std::move(now) : Clock([] { return std::chrono::system_clock::now(); })) {}

void ToolEnv::set_profiles(std::vector<AwsProfile> profiles) {
  profiles_ = std::move(profiles);
  profile_names_.clear();
  for (const auto& p : profiles_) profile_names_.push_back(p.name);
}

const AwsProfile* ToolEnv::find_profile(std::string_view name) const {
  for (const auto& p : profiles_)
    if (p.name == name) return &p;
  return nullptr;
}

const std::string& ToolEnv::default_region(std::string_view profile) const {
  if (!profile.empty())
    if (const auto* p = find_profile(profile); p && !p->region.empty()) return p->region;
  return default_region_;
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients(const boost::json::object& args,
                                                                const std::string& principal,
                                                                std::string_view profile) const {
  if (auto* r = args.if_contains("region"); r && r->is_string() && !r->get_string().empty())
    return clients_for(r->get_string(), principal, profile);
  return clients_for(default_region(profile), principal, profile);
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients(const boost::json::object& args) const {
  return clients(args, std::string());
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients(const boost::json::object& args,
                                                                const std::string& principal) const {
  if (auto* r = args.if_contains("region"); r && r->is_string() && !r->get_string().empty())
    return clients_for(r->get_string(), principal);
  return clients_for(default_region_, principal);
}

std::size_t ToolEnv::cached_regions() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients_for(std::string_view region) const {
  return clients_for(region, std::string());
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients_for(std::string_view region,
                                                                    const std::string& principal) const {
  return clients_for(region, principal, std::string_view());
}

Result<std::shared_ptr<const aws::AwsClients>> ToolEnv::clients_for(std::string_view region,
                                                                    const std::string& principal,
                                                                    std::string_view profile) const {
  std::shared_ptr<const aws::ClientContext> base = context_;
  if (!profile.empty()) {
    const auto* p = find_profile(profile);
    if (!p)
      return Error{ErrorCode::kInvalidArgument, "argument 'profile': '" + std::string(profile).substr(0, 80) +
                                                    "' is not an AWS profile of this server"};
    base = p->context;
  }
  if (!base) {
    return Error{ErrorCode::kFailedPrecondition,
                 "the server has no AWS configuration: " +
                     (problem_.empty() ? std::string("set AWS_REGION and credentials") : problem_)};
  }
  if (!valid_region_name(region)) {
    return Error{ErrorCode::kInvalidArgument,
                 "argument 'region' must be an AWS region name such as us-east-1 (got '" + std::string(region) + "')"};
  }
  // Region and profile names hold no '\n', so the key is unambiguous.
  const std::string key = std::string(profile) + '\n' + std::string(region) + '\n' + principal;
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    it->second.last_use = ++uses_;
    return it->second.clients;
  }
  if (cache_.size() >= kMaxCachedRegions) {
    auto oldest = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
      return a.second.last_use < b.second.last_use;
    });
    cache_.erase(oldest);  // calls still holding its clients keep them alive
  }
  std::shared_ptr<const aws::ClientContext> context = base;
  if (!principal.empty()) {
    auto own = std::make_shared<aws::ClientContext>(*base);  // shares the HTTP client, credentials, quota
    own->fairness_key = principal;
    context = std::move(own);
  }
  auto clients = std::make_shared<const aws::AwsClients>(aws::AwsClients::make(context, std::string(region)));
  cache_.emplace(key, Cached{clients, ++uses_});
  return clients;
}

Result<aws::S3Client> ToolEnv::s3(std::string_view region, std::string_view profile) const {
  if (!profile.empty()) {
    const auto* p = find_profile(profile);
    if (!p) return Error{ErrorCode::kInvalidArgument, "argument 'profile': not an AWS profile of this server"};
    return aws::S3Client(p->context, std::string(region));
  }
  return s3(region);
}

Result<aws::S3Client> ToolEnv::s3(std::string_view region) const {
  if (!context_) return Error{ErrorCode::kFailedPrecondition, "the server has no AWS configuration: " + problem_};
  return aws::S3Client(context_, std::string(region));
}

}  // namespace appsignals::tools
