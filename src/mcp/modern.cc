#include "mcp/modern.h"

#include <cctype>

#include <boost/beast/core/string.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "mcp/protocol_version.h"

namespace appsignals::mcp::modern {

namespace {

const json::object* meta_of(const jsonrpc::Message& m) {
  auto it = m.params.find("_meta");
  if (it == m.params.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

Rejection reject(const jsonrpc::Message& m, int code, std::string message, json::value data = nullptr) {
  Rejection r;
  r.failure = jsonrpc::Failure{code, std::move(message), m.id, std::move(data)};
  r.http_status = http_status_for(code);
  return r;
}

// The value Mcp-Name must carry for this method, if it needs one.
std::optional<std::string> expected_name(const jsonrpc::Message& m) {
  std::string_view key;
  if (m.method == "tools/call" || m.method == "prompts/get") key = "name";
  else if (m.method == "resources/read") key = "uri";
  else return std::nullopt;
  auto it = m.params.find(key);
  if (it == m.params.end() || !it->value().is_string()) return std::string();
  return std::string(it->value().get_string());
}

}  // namespace

bool is_modern_version(std::string_view v) {
  for (auto s : kVersions)
    if (s == v) return true;
  return false;
}

bool is_removed_method(std::string_view method) {
  return method == "initialize" || method == "ping" || method == "logging/setLevel" ||
         method == "resources/subscribe" || method == "resources/unsubscribe";
}

Era classify(const jsonrpc::Message& message, std::string_view header_version) {
  if (const auto* meta = meta_of(message)) {
    if (auto v = meta->find(kMetaVersion); v != meta->end()) {
      // A claim of a handshake-era version is handshake traffic; any other claim (a modern or
      // an unknown version, or a malformed one) is judged by the modern rules.
      if (v->value().is_string() && is_supported_version(v->value().get_string())) return Era::kHandshake;
      return Era::kModern;
    }
  }
  if (message.method == "server/discover" || message.method == "subscriptions/listen") return Era::kModern;
  if (!header_version.empty() && is_modern_version(header_version)) return Era::kModern;
  return Era::kHandshake;
}

std::optional<std::string> decode_header_value(std::string_view value) {
  constexpr std::string_view kPrefix = "=?base64?";
  constexpr std::string_view kSuffix = "?=";
  if (value.size() >= kPrefix.size() + kSuffix.size() && boost::beast::iequals(value.substr(0, kPrefix.size()), kPrefix) &&
      value.substr(value.size() - kSuffix.size()) == kSuffix) {
    auto b64 = value.substr(kPrefix.size(), value.size() - kPrefix.size() - kSuffix.size());
    // Strict RFC 4648: padded to a multiple of 4, the standard alphabet, '=' only at the end.
    if (b64.empty() || b64.size() % 4 != 0) return std::nullopt;
    auto pad = b64.find('=');
    if (pad != std::string_view::npos && (pad < b64.size() - 2 || b64.find_first_not_of('=', pad) != std::string_view::npos))
      return std::nullopt;
    for (char c : b64.substr(0, pad))
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return std::nullopt;
    return base64_decode(b64);
  }
  return std::string(value);
}

std::optional<Rejection> check_param_headers(const jsonrpc::Message& message, const Headers& headers,
                                             const Registry& registry) {
  if (message.method != "tools/call") return std::nullopt;
  auto name = message.params.find("name");
  if (name == message.params.end() || !name->value().is_string()) return std::nullopt;
  auto tool = registry.find_tool(name->value().get_string());
  if (!tool) return std::nullopt;
  auto props = tool->input_schema.find("properties");
  if (props == tool->input_schema.end() || !props->value().is_object()) return std::nullopt;
  json::object args;
  if (auto a = message.params.find("arguments"); a != message.params.end() && a->value().is_object())
    args = a->value().get_object();
  for (const auto& prop : props->value().get_object()) {
    if (!prop.value().is_object()) continue;
    auto* header = prop.value().get_object().if_contains("x-mcp-header");
    if (!header || !header->is_string()) continue;
    auto* arg = args.if_contains(prop.key());
    if (!arg || arg->is_null()) continue;
    std::string wanted(header->get_string());
    for (auto& c : wanted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::optional<std::string> got;
    for (const auto& [k, v] : headers.params)
      if (k == wanted) got = decode_header_value(v);
    bool equal = false;
    if (got) {
      if (arg->is_string()) {
        equal = *got == arg->get_string();
      } else if (arg->is_int64() || arg->is_uint64() || arg->is_double()) {
        try {
          std::size_t pos = 0;
          double n = std::stod(*got, &pos);
          equal = pos == got->size() && n == arg->to_number<double>();
        } catch (...) {
          equal = false;
        }
      } else if (arg->is_bool()) {
        equal = *got == (arg->get_bool() ? "true" : "false");
      } else {
        equal = true;  // only primitive properties are mirrored
      }
    }
    if (!equal)
      return reject(message, kHeaderMismatch,
                    "Header mismatch: Mcp-Param-" + std::string(header->get_string()) + " must mirror argument '" +
                        std::string(prop.key()) + "'");
  }
  return std::nullopt;
}

unsigned http_status_for(int code) {
  switch (code) {
    case jsonrpc::kMethodNotFound:
      return 404;
    case jsonrpc::kParseError:
    case jsonrpc::kInvalidRequest:
    case jsonrpc::kInvalidParams:
    case kHeaderMismatch:
    case kMissingClientCapability:
    case kUnsupportedVersion:
      return 400;
    default:
      return 200;
  }
}

void finish_result(json::object& result, const json::object& server_info, bool cacheable) {
  if (!result.contains("resultType")) result["resultType"] = "complete";
  auto& meta = result["_meta"];
  if (!meta.is_object()) meta = json::object{};
  meta.get_object()[kMetaServerInfo] = server_info;
  if (cacheable) {
    if (!result.contains("ttlMs")) result["ttlMs"] = kListTtlMs;
    if (!result.contains("cacheScope")) result["cacheScope"] = "public";
  }
}

std::string_view capability_for(std::string_view method) {
  if (method == "elicitation/create") return "elicitation";
  if (method == "sampling/createMessage") return "sampling";
  if (method == "roots/list") return "roots";
  return {};
}

std::variant<Envelope, Rejection> validate(const jsonrpc::Message& message, const Headers* headers) {
  const auto* meta = meta_of(message);
  if (!meta)
    return reject(message, jsonrpc::kInvalidParams,
                  "Invalid params: a 2026-07-28 request needs params._meta with io.modelcontextprotocol/protocolVersion "
                  "and io.modelcontextprotocol/clientCapabilities");
  auto v = meta->find(kMetaVersion);
  if (v == meta->end() || !v->value().is_string() || v->value().get_string().empty())
    return reject(message, jsonrpc::kInvalidParams,
                  "Invalid params: params._meta needs io.modelcontextprotocol/protocolVersion (a string)");
  Envelope env;
  env.version = std::string(v->value().get_string());

  if (headers) {
    if (!headers->protocol_version || *headers->protocol_version != env.version)
      return reject(message, kHeaderMismatch,
                    "Header mismatch: MCP-Protocol-Version must equal params._meta io.modelcontextprotocol/protocolVersion (" +
                        env.version + ")");
    if (!headers->method || *headers->method != message.method)
      return reject(message, kHeaderMismatch, "Header mismatch: Mcp-Method must equal the request method (" + message.method + ")");
    if (auto name = expected_name(message)) {
      auto got = headers->name ? decode_header_value(*headers->name) : std::nullopt;
      if (!got || *got != *name)
        return reject(message, kHeaderMismatch,
                      "Header mismatch: Mcp-Name must equal params." + std::string(message.method == "resources/read" ? "uri" : "name"));
    }
  }

  if (!is_modern_version(env.version)) {
    json::array supported;
    for (auto s : kVersions) supported.emplace_back(s);
    json::object data;
    data["supported"] = std::move(supported);
    data["requested"] = env.version;
    return reject(message, kUnsupportedVersion,
                  "Unsupported protocol version " + env.version + " (supported: " + std::string(kLatest) + ")", std::move(data));
  }

  auto caps = meta->find(kMetaCapabilities);
  if (caps == meta->end() || !caps->value().is_object())
    return reject(message, jsonrpc::kInvalidParams,
                  "Invalid params: params._meta needs io.modelcontextprotocol/clientCapabilities (an object)");
  env.client_capabilities = caps->value().get_object();
  if (auto info = meta->find(kMetaClientInfo); info != meta->end() && info->value().is_object())
    env.client_info = info->value().get_object();
  if (auto level = meta->find(kMetaLogLevel); level != meta->end()) {
    auto parsed = level->value().is_string() ? parse_mcp_log_level(level->value().get_string()) : std::nullopt;
    if (!parsed)
      return reject(message, jsonrpc::kInvalidParams,
                    "Invalid params: io.modelcontextprotocol/logLevel must be one of debug, info, notice, warning, error, "
                    "critical, alert, emergency");
    env.log_level = parsed;
  }
  return env;
}

}  // namespace appsignals::mcp::modern
