#pragma once
// A minimal plain-HTTP/1.1 loopback server for the fake AWS. It exists beside net::HttpServer
// because fault injection needs the socket: a reply carrying the internal header
// kSocketActionHeader ("reset" or "truncate") makes it abort the connection with a TCP reset or
// send only part of the response. The handler itself is an ordinary net::HttpHandler and can be
// mounted on net::HttpServer too (then those two faults degrade to normal replies).
//
// Thread safety: listen/start/stop are thread-safe; connections run on the io_context.
// Lifetime: connections share the listener's state, so destroying the Listener after stop() is
// safe while the io_context still runs.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "common/result.h"
#include "net/http_types.h"

namespace appsignals::fakeaws {

inline constexpr std::string_view kSocketActionHeader = "X-Fakeaws-Socket-Action";

class Listener {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<net::HttpHandler> handler);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds (port 0 picks a free one) and returns the bound port.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  void start();
  // Stops accepting and closes every open connection.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace appsignals::fakeaws
