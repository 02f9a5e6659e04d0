#pragma once
// X-Request-Id: the id that ties a request's response and log lines together. A client's or
// proxy's id is kept when it is a sane token, otherwise one is minted. Thread-safe.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/log_context.h"
#include "net/http_types.h"

namespace appsignals::net {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";
// Longest presented id that is kept (longer ones are replaced, not truncated).
inline constexpr std::size_t kMaxRequestIdLength = 128;

// True if `id` is 1..kMaxRequestIdLength characters of [A-Za-z0-9] and "-_.:/+=@" (no spaces,
// quotes, control characters or anything a log or header could misread).
bool is_sane_request_id(std::string_view id);
// 32 random lower-case hex characters (cheap: a per-thread generator seeded once from the
// system's random source; ids need to be unique, not secret).
std::string mint_request_id();
// `presented` if sane, else a minted id.
std::string request_id_for(std::string_view presented);

// The request's id: HttpServer normalises the X-Request-Id header of every request it reads
// (kept if sane, else replaced by a minted one), so the header is the one source.
std::string_view request_id_of(const Request& request);
// request id and principal, for log_with (views into `request`).
LogFields log_fields_of(const Request& request);

}  // namespace appsignals::net
