#include "mcp/session_store.h"

#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "common/random.h"

namespace appsignals::mcp {

SessionStore::SessionStore(boost::asio::any_io_executor executor, std::chrono::seconds idle_timeout)
    : timer_(boost::asio::make_strand(executor)), idle_timeout_(idle_timeout) {}

std::shared_ptr<Session> SessionStore::create(std::string principal) {
  auto session = std::make_shared<Session>(random_hex(16), std::move(principal));
  std::lock_guard lock(mu_);
  sessions_.emplace(session->id(), session);
  return session;
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
    session = std::move(it->second);
    sessions_.erase(it);
  }
  session->close();
  return true;
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void SessionStore::close_all() {
  std::unordered_map<std::string, std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(sessions_);
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
