#pragma once
// Outbound: where messages for a client go (an SSE stream, stdout, a buffered HTTP reply).
#include <memory>
#include <string>

namespace appsignals::mcp {

class Outbound {
 public:
  virtual ~Outbound() = default;
  // Queues one serialized JSON-RPC message. Thread-safe, never blocks. False if the client is
  // gone (or the channel cannot carry server messages).
  virtual bool send(std::string message) = 0;
};

}  // namespace appsignals::mcp
