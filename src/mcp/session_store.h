#pragma once
// SessionStore: sessions by id, with an idle timeout and caps. Ids are 128-bit random hex.
//
// Caps (issue #20, a flood of `initialize` must not grow memory without bound): at most
// `max_sessions` sessions in all and `max_per_principal` per principal (API key, or the one
// anonymous principal when authentication is off). When a principal is at its cap, its
// oldest idle session (no open stream) makes room; if none is idle the new one is refused
// (kPrincipalFull, HTTP 429). When the store is full the new one is refused (kFull, HTTP 503).
//
// A transport mints a session (an id, not yet findable) before `initialize` runs and inserts
// it only once `initialize` succeeded, so a failed initialize leaves nothing behind.
//
// Thread safety: all members are thread-safe.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "mcp/session.h"

namespace appsignals::mcp {

struct SessionLimits {
  std::size_t max_sessions = 10'000;        // MCP_MAX_SESSIONS
  std::size_t max_per_principal = 1'000;    // MCP_MAX_SESSIONS_PER_KEY
};

enum class Admission {
  kOk,
  kPrincipalFull,  // this principal has max_per_principal sessions, none idle: 429
  kFull,           // the store holds max_sessions: 503
};

class SessionStore : public std::enable_shared_from_this<SessionStore> {
 public:
  SessionStore(boost::asio::any_io_executor executor, std::chrono::seconds idle_timeout,
               SessionLimits limits = {});

  // mint + insert; nullptr when refused by a cap.
  std::shared_ptr<Session> create(std::string principal);
  // A new session with a fresh id, not stored (find() does not see it until insert()).
  std::shared_ptr<Session> mint(std::string principal) const;
  // Would insert() admit a session of this principal now? (Evicts nothing.)
  Admission check(const std::string& principal) const;
  // Stores a minted session, evicting the principal's oldest idle session if it is at its cap.
  // `new_session`: false when the session is a local copy of one created elsewhere (cluster
  // mode rebuilding it from its record): its evictions do not call on_evicted, since the victim
  // may be idle here but in use through another instance.
  Admission insert(std::shared_ptr<Session> session, bool new_session = true);

  std::shared_ptr<Session> find(const std::string& id) const;
  // Removes and closes the session; false if unknown.
  bool remove(const std::string& id);
  std::size_t size() const;
  std::size_t size_of(const std::string& principal) const;
  const SessionLimits& limits() const { return limits_; }
  // Closes every session (shutdown).
  void close_all();

  // Called (outside the store's lock, on the inserting thread) with the id of each session that
  // insert() evicted to make room under the principal's cap for a new session: the session is
  // over, so cluster mode deletes its shared record. Not called for remove(), idle expiry,
  // close_all() or an insert(…, false). Set before serving.
  void set_on_evicted(std::function<void(const std::string& id)> on_evicted);

  // Starts the periodic sweep of idle sessions (sessions with an open stream are not idle).
  void start_sweeper();
  // One sweep now; returns how many sessions were expired.
  std::size_t sweep(Session::Clock::time_point now);

 private:
  void schedule();
  void erase_locked(const std::string& id, const std::string& principal);
  // The id of the principal's idle session with the oldest activity, or ""; requires mu_.
  std::string oldest_idle_locked(const std::string& principal) const;

  boost::asio::steady_timer timer_;
  std::chrono::seconds idle_timeout_;
  SessionLimits limits_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::unordered_set<std::string>> by_principal_;
  bool stopped_ = false;
  std::function<void(const std::string&)> on_evicted_;
};

}  // namespace appsignals::mcp
