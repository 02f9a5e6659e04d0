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

asio::awaitable<Result<Credentials>> ChainCredentialsProvider::get() {
  std::shared_ptr<CredentialsProvider> chosen;
  {
    std::lock_guard lock(mu_);
    chosen = chosen_;
  }
  if (chosen) co_return co_await chosen->get();
  std::string tried;
  for (const auto& p : providers_) {
    auto r = co_await p->get();
    if (r.ok()) {
      std::lock_guard lock(mu_);
      chosen_ = p;
      co_return r;
    }
    if (r.error().code != ErrorCode::kUnauthenticated) co_return r;  // configured but failing
    if (!tried.empty()) tried += "; ";
    tried += p->describe() + ": " + r.error().message;
  }
  co_return Error(ErrorCode::kUnauthenticated, "No AWS credentials found (tried " + tried + ")");
}

std::string ChainCredentialsProvider::describe() const {
  std::lock_guard lock(mu_);
  if (chosen_) return chosen_->describe();
  return "default credential chain (not resolved yet)";
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

// Builds the provider for profile `name`; `depth` bounds source_profile chains.
std::shared_ptr<CredentialsProvider> profile_provider(const Env& env, const SharedConfig& config,
                                                      const std::string& name, const StsContext& sts,
                                                      const ChainOptions& options, int depth) {
  auto prof = config.profile(name);
  if (!prof || depth > 5) return nullptr;
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
        }
      } else {
        source = profile_provider(env, config, *sp, sts, options, depth + 1);
      }
      source_desc = "source_profile " + *sp;
    } else if (auto cs = key(*prof, "credential_source")) {
      if (*cs == "Environment") {
        if (auto c = credentials_from_env(env)) source = std::make_shared<StaticCredentialsProvider>(*c, "environment");
      } else if (*cs == "Ec2InstanceMetadata") {
        source = std::make_shared<ImdsCredentialsProvider>(options.http, env);
      } else if (*cs == "EcsContainer") {
        source = std::make_shared<ContainerCredentialsProvider>(options.http, env);
      }
      source_desc = "credential_source " + *cs;
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
  return nullptr;
}

// A provider that reports "not configured".
class NoneProvider final : public CredentialsProvider {
 public:
  explicit NoneProvider(std::string what) : what_(std::move(what)) {}
  asio::awaitable<Result<Credentials>> get() override { co_return Error(ErrorCode::kUnauthenticated, what_ + " not configured"); }
  std::string describe() const override { return what_; }

 private:
  std::string what_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> make_default_credentials_chain(const Env& env, const SharedConfig& config,
                                                                    ChainOptions options) {
  StsContext sts{options.http, options.endpoints, options.region.empty() ? "us-east-1" : options.region,
                 options.user_agent};
  std::vector<std::shared_ptr<CredentialsProvider>> chain;
  if (auto c = credentials_from_env(env))
    chain.push_back(std::make_shared<StaticCredentialsProvider>(*c, "environment (AWS_ACCESS_KEY_ID)"));
  auto token_file = env.get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role = env.get_non_empty("AWS_ROLE_ARN");
  if (token_file && role)
    chain.push_back(std::make_shared<WebIdentityProvider>(sts, *token_file, *role,
                                                          env.get_non_empty("AWS_ROLE_SESSION_NAME").value_or(""),
                                                          "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, " + *role + ")"));
  std::string profile = options.profile.empty() ? SharedConfig::profile_name(env) : options.profile;
  if (auto p = profile_provider(env, config, profile, sts, options, 0)) chain.push_back(std::move(p));
  auto container = std::make_shared<ContainerCredentialsProvider>(options.http, env);
  if (container->configured()) chain.push_back(container);
  auto imds = std::make_shared<ImdsCredentialsProvider>(options.http, env);
  if (!imds->disabled()) chain.push_back(imds);
  if (chain.empty()) chain.push_back(std::make_shared<NoneProvider>("credentials"));
  return std::make_shared<CachingCredentialsProvider>(std::make_shared<ChainCredentialsProvider>(std::move(chain)));
}

}  // namespace appsignals::aws
