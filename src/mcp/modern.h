#pragma once
// The 2026-07-28 protocol era ("modern", stateless) beside the handshake era on one endpoint.
//
// Classification (MCP-PROTOCOL.md §1.3, spec basic/versioning): a request whose
// params._meta["io.modelcontextprotocol/protocolVersion"] claims a version other than a
// handshake-era one is modern; so is a request without a claim whose method exists only in the
// modern era (server/discover, subscriptions/listen) or whose MCP-Protocol-Version header names
// a modern version (it then fails the _meta check with -32602). Everything else, in particular
// initialize without a claim, is handshake era and served exactly as before.
//
// A modern request carries everything in its own params._meta: no session, no initialize.
// validate() checks the envelope and (on HTTP) the Mcp-* headers against the body, and returns
// the JSON-RPC failure with the HTTP status the spec asks for.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "mcp/jsonrpc.h"
#include "mcp/registry.h"
#include "mcp/request_context.h"

namespace appsignals::mcp::modern {

inline constexpr std::array<std::string_view, 1> kVersions = {"2026-07-28"};
inline constexpr std::string_view kLatest = "2026-07-28";

inline constexpr std::string_view kMetaVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kMetaCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr std::string_view kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";

// 2026-07-28 error codes (§1.7).
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kMissingClientCapability = -32021;
inline constexpr int kUnsupportedVersion = -32022;

// Cache hints on list results, resources/read and server/discover (SEP-2549).
inline constexpr std::int64_t kListTtlMs = 300000;      // lists change only with a new build
inline constexpr std::int64_t kDiscoverTtlMs = 3600000;

bool is_modern_version(std::string_view v);

enum class Era { kHandshake, kModern };
// `header_version` is the MCP-Protocol-Version header ("" on stdio or when absent).
Era classify(const jsonrpc::Message& message, std::string_view header_version);

// Methods removed in the modern era: a modern claim on them is answered 404 / -32601.
bool is_removed_method(std::string_view method);

// The Mcp-* request headers, read by the HTTP transport (absent: nullopt).
struct Headers {
  std::optional<std::string> protocol_version;
  std::optional<std::string> method;
  std::optional<std::string> name;
  // Mcp-Param-<Name> → value, keys lower-cased.
  std::vector<std::pair<std::string, std::string>> params;
};

// What a valid modern request declared in its _meta.
struct Envelope {
  std::string version;
  json::object client_capabilities;
  json::object client_info;
  std::optional<LogLevel> log_level;  // no level: the request gets no notifications/message
};

struct Rejection {
  jsonrpc::Failure failure;
  unsigned http_status = 400;
};

// Checks params._meta and, when `headers` is given (HTTP), the Mcp-* headers against the body.
// Order: _meta present, header/body agreement (-32020), version supported (-32022), required
// keys (-32602).
std::variant<Envelope, Rejection> validate(const jsonrpc::Message& message, const Headers* headers);

// x-mcp-header (SEP-2243): for tools/call, every argument whose inputSchema property carries
// "x-mcp-header": "<Name>" and is present in the body must be mirrored, equal, in
// Mcp-Param-<Name> (integers compare numerically). A mismatch or a missing header is -32020.
std::optional<Rejection> check_param_headers(const jsonrpc::Message& message, const Headers& headers,
                                             const Registry& registry);

// Decodes a header value that may be "=?base64?<b64>?=" (values that are not plain ASCII).
std::optional<std::string> decode_header_value(std::string_view value);

// The HTTP status for a JSON-RPC error code in the modern era (-32601 → 404, envelope and
// parameter errors → 400, the rest 200 with the error in the body).
unsigned http_status_for(int code);

// Gives a complete result its modern shape: resultType "complete" (unless set), the server's
// identity in _meta, and with `cacheable` the ttlMs/cacheScope hints (public: our lists and
// resources do not vary by caller).
void finish_result(json::object& result, const json::object& server_info, bool cacheable);

// Capability a server-to-client request method needs ("elicitation/create" → "elicitation").
std::string_view capability_for(std::string_view method);

}  // namespace appsignals::mcp::modern
