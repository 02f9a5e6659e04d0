#include "mcp/session_store.h"

#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "common/random.h"

namespace appsignals::mcp {

SessionStore::SessionStore(boost::asio::any_io_executor executor, std::chrono::seconds idle_timeout,
                           SessionLimits limits)
    : timer_(boost::asio::make_strand(executor)), idle_timeout_(idle_timeout), limits_(limits) {}

std::shared_ptr<Session> SessionStore::mint(std::string principal) const {
  return std::make_shared<Session>(random_hex(16), std::move(principal));
}

std::shared_ptr<Session> SessionStore::create(std::string principal) {
  auto session = mint(std::move(principal));
  if (insert(session) != Admission::kOk) return nullptr;
  return session;
}

std::string SessionStore::oldest_idle_locked(const std::string& principal) const {
  std::string oldest;
  Session::Clock::time_point oldest_at = Session::Clock::time_point::max();
  auto it = by_principal_.find(principal);
  if (it == by_principal_.end()) return oldest;
  for (const auto& id : it->second) {
    auto s = sessions_.find(id);
    if (s == sessions_.end() || s->second->standalone()) continue;
    auto at = s->second->last_activity();
    if (at < oldest_at) {
      oldest_at = at;
      oldest = id;
    }
  }
  return oldest;
}

Admission SessionStore::check(const std::string& principal) const {
  std::lock_guard lock(mu_);
  auto it = by_principal_.find(principal);
  const std::size_t mine = it == by_principal_.end() ? 0 : it->second.size();
  if (mine >= limits_.max_per_principal) {
    // At its cap: admitted only if one of its own sessions can make room.
    return oldest_idle_locked(principal).empty() ? Admission::kPrincipalFull : Admission::kOk;
  }
  if (sessions_.size() >= limits_.max_sessions) return Admission::kFull;
  return Admission::kOk;
}

void SessionStore::erase_locked(const std::string& id, const std::string& principal) {
  sessions_.erase(id);
  auto it = by_principal_.find(principal);
  if (it == by_principal_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) by_principal_.erase(it);
}

Admission SessionStore::insert(std::shared_ptr<Session> session, bool new_session) {
  std::shared_ptr<Session> evicted;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return Admission::kFull;
    const auto& principal = session->principal();
    auto it = by_principal_.find(principal);
    if (it != by_principal_.end() && it->second.size() >= limits_.max_per_principal) {
      auto victim = oldest_idle_locked(principal);
      if (victim.empty()) return Admission::kPrincipalFull;
      evicted = sessions_[victim];
      erase_locked(victim, principal);
    } else if (sessions_.size() >= limits_.max_sessions) {
      return Admission::kFull;
    }
    std::string id = session->id();
    by_principal_[principal].insert(id);
    sessions_.emplace(std::move(id), std::move(session));
  }
  if (evicted) {
    evicted->close();
    spdlog::debug("evicted the oldest idle MCP session of a principal at its cap");
    if (on_evicted_ && new_session) on_evicted_(evicted->id());
  }
  return Admission::kOk;
}

std::shared_ptr<Session> SessionStore::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second;
}

bool SessionStore::remove(const std::string& id) {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return false;
    session = it->second;
    erase_locked(id, session->principal());
  }
  session->close();
  return true;
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::size_t SessionStore::size_of(const std::string& principal) const {
  std::lock_guard lock(mu_);
  auto it = by_principal_.find(principal);
  return it == by_principal_.end() ? 0 : it->second.size();
}

void SessionStore::close_all() {
  std::unordered_map<std::string, std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(sessions_);
    by_principal_.clear();
    stopped_ = true;
  }
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  for (auto& [id, s] : all) s->close();
}

std::size_t SessionStore::sweep(Session::Clock::time_point now) {
  std::vector<std::shared_ptr<Session>> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto& s = it->second;
      if (!s->standalone() && now - s->last_activity() > idle_timeout_) {
        auto p = by_principal_.find(s->principal());
        if (p != by_principal_.end()) {
          p->second.erase(it->first);
          if (p->second.empty()) by_principal_.erase(p);
        }
        expired.push_back(std::move(s));
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& s : expired) s->close();
  if (!expired.empty()) spdlog::debug("expired {} idle MCP sessions", expired.size());
  return expired.size();
}

void SessionStore::set_on_evicted(std::function<void(const std::string&)> on_evicted) {
  on_evicted_ = std::move(on_evicted);
}

void SessionStore::start_sweeper() { schedule(); }

void SessionStore::schedule() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
  }
  auto period = std::min<std::chrono::seconds>(idle_timeout_, std::chrono::seconds(60));
  timer_.expires_after(period);
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self || ec) return;
    self->sweep(Session::Clock::now());
    self->schedule();
  });
}

}  // namespace appsignals::mcp
