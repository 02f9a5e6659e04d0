#include "aws/credentials/chain.h"

#include "aws/detail/completion.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>

namespace appsignals::aws {
namespace asio = boost::asio;

namespace {

using Outcome = CredentialAttempt::Outcome;

CredentialAttempt attempt(const std::string& source, Outcome outcome, std::string detail) {
  CredentialAttempt a;
  a.source = source;
  a.outcome = outcome;
  a.detail = std::move(detail);
  return a;
}

std::vector<ChainLink> links_of(std::vector<std::shared_ptr<CredentialsProvider>> providers) {
  std::vector<ChainLink> links;
  for (auto& p : providers) {
    std::string source = p->describe();
    links.push_back(ChainLink{std::move(source), std::move(p), {}});
  }
  return links;
}

// "environment: AWS_ACCESS_KEY_ID not set; profile default: ..." for the no-credentials error.
std::string summary(const std::vector<CredentialAttempt>& attempts) {
  std::string out;
  for (const auto& a : attempts) {
    if (!out.empty()) out += "; ";
    out += a.source + ": " + a.detail;
  }
  return out;
}

}  // namespace

ChainCredentialsProvider::ChainCredentialsProvider(std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : links_(links_of(std::move(providers))) {}

asio::awaitable<Result<Credentials>> ChainCredentialsProvider::get() {
  std::shared_ptr<CredentialsProvider> chosen;
  {
    std::lock_guard lock(mu_);
    chosen = chosen_;
  }
  if (chosen) co_return co_await chosen->get();
  std::vector<CredentialAttempt> record;
  std::optional<Result<Credentials>> outcome;  // set by the source that ends the search
  std::string ended_by;
  for (const auto& link : links_) {
    if (!link.provider) {
      record.push_back(attempt(link.source, Outcome::kSkipped, link.skipped));
      continue;
    }
    if (outcome) {
      record.push_back(attempt(link.source, Outcome::kNotTried, "not asked: " + ended_by));
      continue;
    }
    auto r = co_await link.provider->get();
    if (r.ok()) {
      record.push_back(attempt(link.source, Outcome::kResolved, link.provider->describe()));
      ended_by = link.source + " supplied credentials";
      std::lock_guard lock(mu_);
      chosen_ = link.provider;
    } else if (r.error().code == ErrorCode::kUnauthenticated) {
      record.push_back(attempt(link.source, Outcome::kNone, r.error().message));
      continue;
    } else {
      record.push_back(attempt(link.source, Outcome::kFailed, r.error().message));
      ended_by = link.source + " is configured and failed";
    }
    outcome = std::move(r);
  }
  {
    std::lock_guard lock(mu_);
    attempts_ = record;
  }
  if (outcome) co_return std::move(*outcome);
  co_return Error(ErrorCode::kUnauthenticated, "No AWS credentials found (" + summary(record) + ")");
}

std::string ChainCredentialsProvider::describe() const {
  std::lock_guard lock(mu_);
  if (chosen_) return chosen_->describe();
  return "default credential chain (not resolved yet)";
}

std::vector<CredentialAttempt> ChainCredentialsProvider::attempts() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

// Refresh state shared by the provider, its waiters and background refreshes.
struct CachingCredentialsProvider::Shared {
  std::mutex mu;
  std::optional<Credentials> cached;
  bool refreshing = false;
  std::optional<Error> last_error;
  std::vector<std::unique_ptr<detail::Completion>> waiters;
  int fetches = 0;
};

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner,
                                                       std::chrono::seconds refresh_margin,
                                                       std::chrono::seconds background_margin)
    : inner_(std::move(inner)), refresh_margin_(refresh_margin), background_margin_(background_margin),
      shared_(std::make_shared<Shared>()) {}

int CachingCredentialsProvider::fetches() const {
  std::lock_guard lock(shared_->mu);
  return shared_->fetches;
}

namespace {

using Shared = CachingCredentialsProvider::Shared;

// Runs the inner fetch, stores the outcome and resumes every waiter. Parameters by value.
asio::awaitable<void> run_refresh(std::shared_ptr<CredentialsProvider> inner, std::shared_ptr<Shared> shared) {
  auto r = co_await inner->get();
  std::vector<std::unique_ptr<detail::Completion>> waiters;
  {
    std::lock_guard lock(shared->mu);
    ++shared->fetches;
    shared->refreshing = false;
    if (r.ok()) {
      shared->cached = std::move(r).value();
      shared->last_error.reset();
    } else {
      shared->last_error = r.error();
    }
    waiters.swap(shared->waiters);
  }
  for (auto& w : waiters) w->post_complete();
}

// Suspends until the in-flight refresh finishes (immediately if it already has). The check
// and the registration happen under the mutex, so no wake-up is lost.
struct WaitInitiation {
  std::shared_ptr<Shared> shared;
  template <typename Handler>
  void operator()(Handler&& handler) const {
    auto c = detail::make_completion(std::move(handler));
    std::unique_lock lock(shared->mu);
    if (!shared->refreshing) {
      lock.unlock();
      c->post_complete();
      return;
    }
    shared->waiters.push_back(std::move(c));
  }
};

template <typename Token>
auto async_wait_refresh(const std::shared_ptr<Shared>& shared, Token&& token) {
  WaitInitiation init{shared};
  return asio::async_initiate<Token, void()>(init, token);
}

}  // namespace

asio::awaitable<Result<Credentials>> CachingCredentialsProvider::get() {
  auto ex = co_await asio::this_coro::executor;
  std::shared_ptr<Shared> shared = shared_;
  auto now = std::chrono::system_clock::now();
  bool start = false;
  {
    std::lock_guard lock(shared->mu);
    if (shared->cached && !shared->cached->expires_within(refresh_margin_, now)) {
      if (shared->cached->expires_within(background_margin_, now) && !shared->refreshing) {
        shared->refreshing = true;  // refresh early, off the request path
        asio::co_spawn(ex, run_refresh(inner_, shared), asio::detached);
      }
      co_return *shared->cached;
    }
    if (!shared->refreshing) {
      shared->refreshing = true;
      start = true;
    }
  }
  if (start) asio::co_spawn(ex, run_refresh(inner_, shared), asio::detached);
  co_await async_wait_refresh(shared, asio::use_awaitable);
  std::lock_guard lock(shared->mu);
  if (shared->last_error) co_return *shared->last_error;
  if (shared->cached) co_return *shared->cached;
  co_return Error(ErrorCode::kUnauthenticated, "credentials unavailable");
}

namespace {

std::optional<std::string> key(const IniSection& s, std::string_view k) {
  auto it = s.find(k);
  if (it == s.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// Builds the provider for profile `name`; `depth` bounds source_profile chains. When the
// profile supplies no credentials, returns nullptr and sets `why`.
std::shared_ptr<CredentialsProvider> profile_provider(const Env& env, const SharedConfig& config,
                                                      const std::string& name, const StsContext& sts,
                                                      const ChainOptions& options, int depth, std::string& why) {
  if (depth > 5) {
    why = "source_profile chain longer than 5 profiles";
    return nullptr;
  }
  auto prof = config.profile(name);
  if (!prof) {
    why = "no profile \"" + name + "\" in " + SharedConfig::config_path(env) + " or " +
          SharedConfig::credentials_path(env);
    return nullptr;
  }
  if (auto role = key(*prof, "role_arn")) {
    std::string session = key(*prof, "role_session_name").value_or("");
    if (auto token_file = key(*prof, "web_identity_token_file"))
      return std::make_shared<WebIdentityProvider>(sts, *token_file, *role, session,
                                                   "profile " + name + " (web identity " + *role + ")");
    std::shared_ptr<CredentialsProvider> source;
    std::string source_desc;
    if (auto sp = key(*prof, "source_profile")) {
      if (*sp == name) {
        // A profile that names itself uses its own static keys as the source.
        auto creds = config.profile(name);
        if (creds && key(*creds, "aws_access_key_id") && key(*creds, "aws_secret_access_key")) {
          Credentials c{*key(*creds, "aws_access_key_id"), *key(*creds, "aws_secret_access_key"),
                        key(*creds, "aws_session_token").value_or(""), std::nullopt, ""};
          source = std::make_shared<StaticCredentialsProvider>(c, "profile " + name);
        } else {
          why = "profile \"" + name + "\" is its own source_profile but has no aws_access_key_id and "
                "aws_secret_access_key";
        }
      } else {
        std::string inner;
        source = profile_provider(env, config, *sp, sts, options, depth + 1, inner);
        if (!source) why = "role_arn's source_profile \"" + *sp + "\": " + inner;
      }
      source_desc = "source_profile " + *sp;
    } else if (auto cs = key(*prof, "credential_source")) {
      if (*cs == "Environment") {
        if (auto c = credentials_from_env(env)) source = std::make_shared<StaticCredentialsProvider>(*c, "environment");
        else why = "credential_source Environment, but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set";
      } else if (*cs == "Ec2InstanceMetadata") {
        source = std::make_shared<ImdsCredentialsProvider>(options.http, env);
      } else if (*cs == "EcsContainer") {
        source = std::make_shared<ContainerCredentialsProvider>(options.http, env);
      } else {
        why = "credential_source \"" + *cs + "\" is not Environment, Ec2InstanceMetadata or EcsContainer";
      }
      source_desc = "credential_source " + *cs;
    } else {
      why = "role_arn without source_profile, credential_source or web_identity_token_file";
    }
    if (!source) return nullptr;
    AssumeRoleProvider::Params p;
    p.role_arn = *role;
    p.session_name = session;
    p.external_id = key(*prof, "external_id").value_or("");
    if (auto d = key(*prof, "duration_seconds")) p.duration_seconds = std::atoi(d->c_str());
    return std::make_shared<AssumeRoleProvider>(sts, std::move(source), p,
                                                "profile " + name + " (assume role " + *role + " via " +
                                                    source_desc + ")");
  }
  if (auto akid = key(*prof, "aws_access_key_id")) {
    if (auto secret = key(*prof, "aws_secret_access_key")) {
      Credentials c{*akid, *secret, key(*prof, "aws_session_token").value_or(""), std::nullopt, ""};
      return std::make_shared<StaticCredentialsProvider>(c, "profile " + name + " (static keys)");
    }
  }
  if (auto cmd = key(*prof, "credential_process")) return std::make_shared<ProcessCredentialsProvider>(*cmd, name);
  why = key(*prof, "aws_access_key_id")
            ? "profile \"" + name + "\" has aws_access_key_id but no aws_secret_access_key"
            : "profile \"" + name + "\" has no credentials (role_arn, aws_access_key_id and "
              "aws_secret_access_key, or credential_process)";
  return nullptr;
}

// "A and B not set" / "B not set" for a pair of variables that go together.
std::string missing_pair(const Env& env, const char* a, const char* b) {
  const bool has_a = env.get_non_empty(a).has_value();
  const bool has_b = env.get_non_empty(b).has_value();
  if (!has_a && !has_b) return std::string(a) + " and " + b + " not set";
  return std::string(has_a ? b : a) + " not set";
}

}  // namespace

std::shared_ptr<CredentialsProvider> make_default_credentials_chain(const Env& env, const SharedConfig& config,
                                                                    ChainOptions options) {
  StsContext sts{options.http, options.endpoints, options.region.empty() ? "us-east-1" : options.region,
                 options.user_agent};
  std::vector<ChainLink> chain;
  if (auto c = credentials_from_env(env))
    chain.push_back({"environment", std::make_shared<StaticCredentialsProvider>(*c, "environment (AWS_ACCESS_KEY_ID)"), {}});
  else
    chain.push_back({"environment", nullptr, missing_pair(env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")});

  auto token_file = env.get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role = env.get_non_empty("AWS_ROLE_ARN");
  if (token_file && role)
    chain.push_back({"web identity",
                     std::make_shared<WebIdentityProvider>(sts, *token_file, *role,
                                                           env.get_non_empty("AWS_ROLE_SESSION_NAME").value_or(""),
                                                           "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, " + *role + ")"),
                     {}});
  else
    chain.push_back({"web identity", nullptr, missing_pair(env, "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")});

  std::string profile = options.profile.empty() ? SharedConfig::profile_name(env) : options.profile;
  std::string why;
  auto p = profile_provider(env, config, profile, sts, options, 0, why);
  chain.push_back({"profile " + profile, std::move(p), why});

  auto container = std::make_shared<ContainerCredentialsProvider>(options.http, env);
  if (container->configured())
    chain.push_back({"container", container, {}});
  else
    chain.push_back({"container", nullptr,
                     "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set"});

  auto imds = std::make_shared<ImdsCredentialsProvider>(options.http, env);
  if (!imds->disabled())
    chain.push_back({"EC2 instance metadata", imds, {}});
  else
    chain.push_back({"EC2 instance metadata", nullptr, "AWS_EC2_METADATA_DISABLED is set"});
  return std::make_shared<CachingCredentialsProvider>(std::make_shared<ChainCredentialsProvider>(std::move(chain)));
}

Result<std::shared_ptr<CredentialsProvider>> make_profile_credentials(const Env& env, const SharedConfig& config,
                                                                      ChainOptions options) {
  StsContext sts{options.http, options.endpoints, options.region.empty() ? "us-east-1" : options.region,
                 options.user_agent};
  std::string why;
  auto p = profile_provider(env, config, options.profile, sts, options, 0, why);
  if (!p) return Error(ErrorCode::kInvalidArgument, "AWS profile \"" + options.profile + "\": " + why);
  std::shared_ptr<CredentialsProvider> caching = std::make_shared<CachingCredentialsProvider>(std::move(p));
  return caching;
}

}  // namespace appsignals::aws
