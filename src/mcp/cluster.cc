#include "mcp/cluster.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/jsonrpc.h"

namespace appsignals::mcp {

std::string encode_record(const SessionRecord& record) {
  json::object o;
  o["v"] = 1;
  o["kind"] = record.kind == SessionRecord::Kind::kSse ? "sse" : "http";
  o["id"] = record.id;
  o["principal"] = record.principal;
  o["version"] = record.version;
  o["owner"] = record.owner;
  o["capabilities"] = record.capabilities;
  o["clientInfo"] = record.client_info;
  return json::serialize(o);
}

namespace {

bool read_string(const json::object& o, std::string_view key, std::string& out) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return false;
  out = std::string(it->value().get_string());
  return true;
}

bool read_object(const json::object& o, std::string_view key, json::object& out) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_object()) return false;
  out = it->value().get_object();
  return true;
}

}  // namespace

std::optional<SessionRecord> decode_record(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  auto ver = o.find("v");
  if (ver == o.end() || !ver->value().is_int64() || ver->value().get_int64() != 1) return std::nullopt;
  SessionRecord r;
  std::string kind;
  if (!read_string(o, "kind", kind) || (kind != "sse" && kind != "http")) return std::nullopt;
  r.kind = kind == "sse" ? SessionRecord::Kind::kSse : SessionRecord::Kind::kHttp;
  if (!read_string(o, "id", r.id) || r.id.empty() || !read_string(o, "principal", r.principal) ||
      !read_string(o, "version", r.version) || !read_string(o, "owner", r.owner) ||
      !read_object(o, "capabilities", r.capabilities) || !read_object(o, "clientInfo", r.client_info))
    return std::nullopt;
  return r;
}

SessionRecord record_of(const Session& session, SessionRecord::Kind kind, std::string owner) {
  SessionRecord r;
  r.kind = kind;
  r.id = session.id();
  r.principal = session.principal();
  r.version = session.protocol_version();
  r.owner = std::move(owner);
  r.capabilities = session.client_capabilities();
  r.client_info = session.client_info();
  return r;
}

void apply_record(Session& session, const SessionRecord& record) {
  if (record.version.empty()) return;  // not initialized yet: the session keeps its defaults
  session.set_protocol_version(record.version);
  session.set_client(record.capabilities, record.client_info);
  session.set_initialized();
  session.set_negotiated();  // a record carries a version only after a successful initialize
}

net::Response cluster_unavailable(unsigned version) {
  auto res = net::json_response(
      net::http::status::service_unavailable,
      jsonrpc::make_error(nullptr, -32000,
                          "Service Unavailable: the cluster session store (Redis) is unreachable; retry shortly"),
      version);
  res.set(net::http::field::retry_after, "2");
  return res;
}

}  // namespace appsignals::mcp
