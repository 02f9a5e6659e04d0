#include "mcp/request_state.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "common/random.h"

namespace appsignals::mcp {

namespace json = boost::json;

namespace {

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::int64_t unix_ms(RequestStateCodec::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Error invalid(std::string why) { return Error{ErrorCode::kInvalidArgument, "Invalid requestState: " + std::move(why)}; }

}  // namespace

RequestStateCodec::RequestStateCodec(std::string key) : key_(std::move(key)) {
  if (key_.empty()) key_ = random_hex(32);
}

std::string RequestStateCodec::seal(const json::value& payload, std::string_view binding, Clock::time_point now) const {
  json::object body;
  body["v"] = 1;
  body["b"] = sha256_hex(binding);
  body["exp"] = unix_ms(now + kLifetime);
  body["n"] = random_hex(8);
  body["p"] = payload;
  std::string encoded = base64_encode(json::serialize(body));
  return encoded + "." + hex_encode(hmac_sha256(key_, encoded));
}

Result<json::value> RequestStateCodec::open(std::string_view token, std::string_view binding, Clock::time_point now) const {
  auto dot = token.rfind('.');
  if (dot == std::string_view::npos) return invalid("not a state this server issued");
  auto encoded = token.substr(0, dot);
  auto mac = hex_decode(token.substr(dot + 1));
  const std::string expected = hmac_sha256(key_, encoded);
  if (!mac || mac->size() != expected.size() || CRYPTO_memcmp(mac->data(), expected.data(), expected.size()) != 0)
    return invalid("integrity check failed (altered, or sealed with another key: set the same MCP_STATE_KEY on every instance)");
  auto text = base64_decode(encoded);
  if (!text) return invalid("not a state this server issued");
  boost::system::error_code ec;
  auto parsed = json::parse(*text, ec);
  if (ec || !parsed.is_object()) return invalid("not a state this server issued");
  auto& body = parsed.get_object();
  auto* b = body.if_contains("b");
  if (!b || !b->is_string() || b->get_string() != sha256_hex(binding))
    return invalid("it belongs to another request (method, name or arguments differ)");
  auto* exp = body.if_contains("exp");
  if (!exp || !exp->is_int64() || exp->get_int64() < unix_ms(now)) return invalid("expired: start the request again without it");
  auto* p = body.if_contains("p");
  if (!p) return json::value(nullptr);
  return *p;
}

}  // namespace appsignals::mcp
