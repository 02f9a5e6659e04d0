#pragma once
// Per-request context on log lines: request id, principal, tool, MCP session.
//
// Contract (coroutines): the context is carried on the objects that describe a request
// (the X-Request-Id via net::request_id_of and net::HttpRequest::principal; mcp::RequestContext::
// trace_id and session()) and handed to the log call with
// `log_with(fields, ...)`. log_with sets a thread-local pointer for the duration of that one
// synchronous spdlog call only (the logger is synchronous, so the formatter runs inside it on
// the same thread); it is never held across a suspension, so a coroutine that resumes on another
// thread cannot carry a stale context. Lines logged without log_with carry no context.
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

namespace appsignals {

// Views: the referents must outlive the log call (they do: log_with is synchronous).
struct LogFields {
  std::string_view request_id;
  std::string_view principal;
  std::string_view tool;
  std::string_view session;
  // Outcome lines (one per tools/call): its outcome and duration; empty / negative: absent.
  std::string_view outcome;
  double duration_ms = -1;
};

// Sets the fields the formatters read for the lifetime of this object (the same thread).
// Never keep one alive across co_await.
class ScopedLogFields {
 public:
  explicit ScopedLogFields(const LogFields& fields);
  ~ScopedLogFields();
  ScopedLogFields(const ScopedLogFields&) = delete;
  ScopedLogFields& operator=(const ScopedLogFields&) = delete;

 private:
  const LogFields* previous_;
};

// The fields of the current log call, or nullptr.
const LogFields* current_log_fields();

// One log line carrying `fields`.
template <class... Args>
void log_with(const LogFields& fields, spdlog::level::level_enum level, spdlog::format_string_t<Args...> fmt,
              Args&&... args) {
  if (!spdlog::should_log(level)) return;
  ScopedLogFields scope(fields);
  spdlog::log(level, fmt, std::forward<Args>(args)...);
}

}  // namespace appsignals
