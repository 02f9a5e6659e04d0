#include "net/authenticator.h"

#include "common/text.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

#include <boost/beast/core/string.hpp>

namespace appsignals::net {
namespace {

std::string sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

// A per-process secret so principals cannot be computed from a key outside this process.
const std::string& process_secret() {
  static const std::string secret = [] {
    std::string s(32, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(s.size()));
    return s;
  }();
  return secret;
}

// "api-key:" + 16 hex of HMAC(process secret, key digest): the same key always maps to the same
// principal, whatever its position in the list, and the principal reveals nothing of the key.
std::string principal_for(const std::string& digest, const std::string& shared_secret) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const auto& secret = shared_secret.empty() ? process_secret() : shared_secret;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(digest.data()), digest.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "api-key:";
  for (unsigned int i = 0; i < 8 && i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0x0f]);
  }
  return out;
}

}  // namespace

boost::asio::awaitable<AuthOutcome> Authenticator::authenticate_async(const Request& request) const {
  co_return authenticate(request);
}

std::vector<std::string> split_list(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto pos = text.find(sep, start);
    auto item = trim_space(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (!item.empty()) out.emplace_back(item);
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

ApiKeyAuthenticator::ApiKeyAuthenticator(std::vector<std::string> keys) { set_keys(std::move(keys)); }

void ApiKeyAuthenticator::set_keys(std::vector<std::string> keys) {
  std::vector<std::string> digests;
  digests.reserve(keys.size());
  for (auto& k : keys) {
    if (!k.empty()) digests.push_back(sha256(k));
  }
  std::lock_guard lock(mu_);
  digests_ = std::move(digests);
}

std::size_t ApiKeyAuthenticator::key_count() const {
  std::lock_guard lock(mu_);
  return digests_.size();
}

std::optional<std::string_view> ApiKeyAuthenticator::presented_key(const Request& request) {
  auto auth = request.header("Authorization");
  if (!auth.empty()) {
    auto t = trim_space(auth);
    if (t.size() > 7 && boost::beast::iequals(t.substr(0, 7), "Bearer ")) {
      auto key = trim_space(t.substr(7));
      if (!key.empty()) return key;
    }
  }
  auto x = trim_space(request.header("X-API-Key"));
  if (!x.empty()) return x;
  return std::nullopt;
}

AuthOutcome ApiKeyAuthenticator::authenticate(const Request& request) const {
  auto key = presented_key(request);
  if (!key) return {false, {}, AuthFailure::kMissing, std::nullopt, "no API key", {}, -1};
  const std::string digest = sha256(*key);
  std::lock_guard lock(mu_);
  // Compare against every key without an early exit, so timing does not say which matched.
  int match = -1;
  for (std::size_t i = 0; i < digests_.size(); ++i) {
    if (CRYPTO_memcmp(digest.data(), digests_[i].data(), digest.size()) == 0 && match < 0)
      match = static_cast<int>(i);
  }
  if (match < 0) return {false, {}, AuthFailure::kRejected, std::nullopt, "API key rejected", {}, -1};
  return {true, principal_for(digest, principal_secret_), AuthFailure::kNone, std::nullopt, {}, {}, match};
}

void ApiKeyAuthenticator::set_principal_secret(std::string_view shared_secret) {
  std::lock_guard lock(mu_);
  principal_secret_ = shared_secret.empty() ? std::string() : sha256("appsignals-mcp api-key principal\n" + std::string(shared_secret));
}

AuthChallenge ApiKeyAuthenticator::challenge(AuthFailure failure) const {
  if (failure == AuthFailure::kRejected) {
    return {"API key rejected: the key sent as 'Authorization: Bearer <key>' or 'X-API-Key: <key>' is not "
            "one this server accepts (this server authenticates with API keys, not OAuth)",
            R"(Bearer realm="appsignals-mcp", error="invalid_token")"};
  }
  return {"API key required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>' (this server "
          "authenticates with API keys, not OAuth)",
          R"(Bearer realm="appsignals-mcp")"};
}

}  // namespace appsignals::net
