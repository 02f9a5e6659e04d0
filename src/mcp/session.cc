#include "mcp/session.h"

#include "mcp/jsonrpc.h"
#include "mcp/protocol_version.h"

namespace appsignals::mcp {

Session::Session(std::string id, std::string principal)
    : id_(std::move(id)), principal_(std::move(principal)), version_(kLatestVersion),
      last_activity_(Clock::now()) {}

std::string Session::protocol_version() const {
  std::lock_guard lock(mu_);
  return version_;
}

void Session::set_protocol_version(std::string version) {
  std::lock_guard lock(mu_);
  version_ = std::move(version);
}

bool Session::initialized() const {
  std::lock_guard lock(mu_);
  return initialized_;
}

void Session::set_initialized() {
  std::lock_guard lock(mu_);
  initialized_ = true;
}

bool Session::negotiated() const {
  std::lock_guard lock(mu_);
  return negotiated_;
}

void Session::set_negotiated() {
  std::lock_guard lock(mu_);
  negotiated_ = true;
}

void Session::set_client(json::object capabilities, json::object client_info) {
  std::lock_guard lock(mu_);
  capabilities_ = std::move(capabilities);
  client_info_ = std::move(client_info);
}

bool Session::client_supports(std::string_view capability) const {
  std::lock_guard lock(mu_);
  return capabilities_.contains(capability);
}

json::object Session::client_info() const {
  std::lock_guard lock(mu_);
  return client_info_;
}

json::object Session::client_capabilities() const {
  std::lock_guard lock(mu_);
  return capabilities_;
}

LogLevel Session::log_level() const {
  std::lock_guard lock(mu_);
  return log_level_;
}

void Session::set_log_level(LogLevel level) {
  std::lock_guard lock(mu_);
  log_level_ = level;
}

bool Session::attach_standalone(std::shared_ptr<Outbound> out) {
  std::lock_guard lock(mu_);
  if (standalone_ || closed_) return false;
  standalone_ = std::move(out);
  return true;
}

void Session::detach_standalone(const Outbound* out) {
  std::lock_guard lock(mu_);
  if (standalone_.get() == out) standalone_.reset();
}

std::shared_ptr<Outbound> Session::standalone() const {
  std::lock_guard lock(mu_);
  return standalone_;
}

std::pair<json::value, std::shared_ptr<OneShot<Session::ClientResponse>>> Session::begin_client_request(
    boost::asio::any_io_executor waiter) {
  auto slot = std::make_shared<OneShot<ClientResponse>>(waiter);
  std::lock_guard lock(mu_);
  json::value id = static_cast<std::int64_t>(next_outgoing_++);
  outgoing_[jsonrpc::id_key(id)] = slot;
  return {id, slot};
}

bool Session::complete_client_request(const json::value& id, ClientResponse response) {
  std::shared_ptr<OneShot<ClientResponse>> slot;
  {
    std::lock_guard lock(mu_);
    auto it = outgoing_.find(jsonrpc::id_key(id));
    if (it == outgoing_.end()) return false;
    slot = std::move(it->second);
    outgoing_.erase(it);
  }
  slot->set(std::move(response));
  return true;
}

void Session::abandon_client_request(const json::value& id) {
  std::lock_guard lock(mu_);
  outgoing_.erase(jsonrpc::id_key(id));
}

void Session::add_in_flight(const std::string& key, std::function<void()> cancel) {
  std::lock_guard lock(mu_);
  in_flight_[key] = std::move(cancel);
}

void Session::remove_in_flight(const std::string& key) {
  std::lock_guard lock(mu_);
  in_flight_.erase(key);
}

bool Session::cancel_in_flight(const std::string& key) {
  std::function<void()> cancel;
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(key);
    if (it == in_flight_.end()) return false;
    cancel = it->second;
  }
  cancel();
  return true;
}

void Session::close() {
  std::unordered_map<std::string, std::function<void()>> in_flight;
  std::unordered_map<std::string, std::shared_ptr<OneShot<ClientResponse>>> outgoing;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    in_flight.swap(in_flight_);
    outgoing.swap(outgoing_);
    standalone_.reset();
  }
  for (auto& [key, cancel] : in_flight) cancel();
  for (auto& [key, slot] : outgoing)
    slot->set(Error{ErrorCode::kCancelled, "the session ended"});
}

bool Session::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool Session::subscribe(const std::string& uri) {
  std::lock_guard lock(mu_);
  if (subscriptions_.size() >= kMaxSubscriptions && !subscriptions_.count(uri)) return false;
  subscriptions_.insert(uri);
  return true;
}

void Session::unsubscribe(const std::string& uri) {
  std::lock_guard lock(mu_);
  subscriptions_.erase(uri);
}

bool Session::subscribed(const std::string& uri) const {
  std::lock_guard lock(mu_);
  return subscriptions_.count(uri) != 0;
}

void Session::touch() {
  std::lock_guard lock(mu_);
  last_activity_ = Clock::now();
}

Session::Clock::time_point Session::last_activity() const {
  std::lock_guard lock(mu_);
  return last_activity_;
}

}  // namespace appsignals::mcp
