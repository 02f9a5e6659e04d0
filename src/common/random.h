#pragma once
// Cryptographically secure random identifiers (OpenSSL RAND_bytes). Thread-safe.
#include <cstddef>
#include <string>

namespace appsignals {

// `bytes` random bytes as lower-case hex (so 2 * bytes characters). Aborts if the system
// random source fails, since identifiers must never be predictable.
std::string random_hex(std::size_t bytes);

}  // namespace appsignals
