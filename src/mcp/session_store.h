#pragma once
// SessionStore: sessions by id, with an idle timeout. Ids are 128-bit random hex.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "mcp/session.h"

namespace appsignals::mcp {

class SessionStore : public std::enable_shared_from_this<SessionStore> {
 public:
  SessionStore(boost::asio::any_io_executor executor, std::chrono::seconds idle_timeout);

  std::shared_ptr<Session> create(std::string principal);
  std::shared_ptr<Session> find(const std::string& id) const;
  // Removes and closes the session; false if unknown.
  bool remove(const std::string& id);
  std::size_t size() const;
  // Closes every session (shutdown).
  void close_all();

  // Starts the periodic sweep of idle sessions (sessions with an open stream are not idle).
  void start_sweeper();
  // One sweep now; returns how many sessions were expired.
  std::size_t sweep(Session::Clock::time_point now);

 private:
  void schedule();

  boost::asio::steady_timer timer_;
  std::chrono::seconds idle_timeout_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  bool stopped_ = false;
};

}  // namespace appsignals::mcp
