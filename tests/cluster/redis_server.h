#pragma once
// A real redis-server (Debian's) for tests: a free loopback port, a temp dir, no persistence.
// Missing redis-server is a test failure that says to run `make deps`, never a skip.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "integration/subprocess.h"

namespace appsignals::testing {

inline int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline std::string redis_server_path() {
  const char* env = std::getenv("REDIS_SERVER_BIN");
  return env ? env : "/usr/bin/redis-server";
}

class RedisServer {
 public:
  explicit RedisServer(int port = 0, std::string password = {}) : port_(port ? port : free_loopback_port()) {
    dir_ = std::filesystem::temp_directory_path() / ("redis-test-" + std::to_string(::getpid()) + "-" + std::to_string(port_));
    std::filesystem::create_directories(dir_);
    password_ = std::move(password);
  }
  ~RedisServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // Starts (or restarts) the server; false (with a test failure) if it did not get ready.
  bool start() {
    if (!std::filesystem::exists(redis_server_path())) {
      ADD_FAILURE() << redis_server_path() << " is missing: run `make deps` (Debian package redis-server)";
      return false;
    }
    std::vector<std::string> args{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", dir_.string(), "--daemonize", "no"};
    if (!password_.empty()) {
      args.push_back("--requirepass");
      args.push_back(password_);
    }
    proc_ = std::make_unique<Subprocess>(redis_server_path(), args);
    if (!proc_->wait_for("Ready to accept connections")) {
      ADD_FAILURE() << "redis-server did not start:\n" << proc_->output();
      return false;
    }
    return true;
  }
  void stop() {
    if (!proc_) return;
    proc_->signal(SIGKILL);
    proc_->wait();
    proc_.reset();
  }
  int port() const { return port_; }

 private:
  int port_;
  std::string password_;
  std::filesystem::path dir_;
  std::unique_ptr<Subprocess> proc_;
};

}  // namespace appsignals::testing
