#pragma once
// stdio transport: newline-delimited JSON-RPC on a pair of file descriptors (stdin/stdout),
// one session, for clients that spawn the server as a child process.
//
// - Input: one JSON-RPC message per line ('\r\n' accepted, blank lines ignored). A line that is
//   not JSON gets a -32700 error without id; a JSON value that is not a valid message gets the
//   codec's error (-32600/-32602, with the id when it was readable). Never fatal.
// - Output: one message per line, written by a single writer thread, so messages never
//   interleave and a slow reader of stdout never blocks an I/O thread.
// - Logs never go to out_fd: the process logger writes to stderr (common/logging.h).
// - End: at EOF on in_fd the transport waits for the in-flight requests to finish (at most
//   `drain_timeout`, then they are cancelled), flushes the output and returns 0. A closed
//   out_fd (EPIPE) is not fatal; output is dropped and reading continues until EOF.
// - Reading never blocks an I/O thread: pipes, ttys and sockets are read asynchronously with
//   posix::stream_descriptor; regular files (which epoll rejects) by a dedicated thread.
//
// The descriptors stay owned by the caller; their file status flags are restored on return.
#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "mcp/registry.h"
#include "mcp/server.h"

namespace appsignals::mcp {

struct StdioOptions {
  int in_fd = 0;
  int out_fd = 1;
  unsigned threads = 2;                          // threads running the io_context (1 or more)
  std::size_t max_line_bytes = 4 * 1024 * 1024;  // longer lines are answered with -32600
  std::size_t max_pending_output = 64 * 1024 * 1024;  // beyond: messages are dropped (logged)
  std::chrono::milliseconds drain_timeout{30'000};    // in-flight requests at EOF
};

// Serves until EOF on options.in_fd. `server` must have been built on `ioc`'s executor; the
// io_context is run by options.threads threads (the caller's included) and stopped on return.
int run_stdio(boost::asio::io_context& ioc, std::shared_ptr<McpServer> server, StdioOptions options = {});

// Same, for a server built on an io_context executor (the common case): finds that
// io_context through the executor. Returns 1 (logged) if the executor is not an io_context's.
int run_stdio(std::shared_ptr<McpServer> server, int in_fd = 0, int out_fd = 1);

// Builds its own io_context and McpServer.
int run_stdio(std::shared_ptr<Registry> registry, ServerInfo info, StdioOptions options = {});

}  // namespace appsignals::mcp
