#include "net/request_id.h"

#include <random>

#include "common/random.h"

namespace appsignals::net {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char ch : id) {
    auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("-_.:/+=@").find(ch) == std::string_view::npos) return false;
  }
  return true;
}

std::string mint_request_id() {
  thread_local std::mt19937_64 gen = [] {
    const std::string seed_hex = random_hex(16);
    std::seed_seq seq(seed_hex.begin(), seed_hex.end());
    return std::mt19937_64(seq);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t v = gen();
    for (int i = 0; i < 16; ++i) {
      out[static_cast<std::size_t>(half * 16 + i)] = kHex[v & 0x0f];
      v >>= 4;
    }
  }
  return out;
}

std::string request_id_for(std::string_view presented) {
  if (is_sane_request_id(presented)) return std::string(presented);
  return mint_request_id();
}

std::string_view request_id_of(const Request& request) { return request.header(kRequestIdHeader); }

LogFields log_fields_of(const Request& request) {
  LogFields f;
  f.request_id = request_id_of(request);
  f.principal = request.principal;
  return f;
}

}  // namespace appsignals::net
