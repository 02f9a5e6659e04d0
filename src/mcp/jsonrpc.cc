#include "mcp/jsonrpc.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace appsignals::mcp::jsonrpc {

namespace {

bool valid_id(const json::value& id) { return id.is_string() || id.is_int64() || id.is_uint64(); }

json::value readable_id(const json::object& o) {
  auto it = o.find("id");
  if (it != o.end() && valid_id(it->value())) return it->value();
  return nullptr;
}

Failure fail(int code, std::string msg, json::value id = nullptr) {
  return Failure{code, std::move(msg), std::move(id), nullptr};
}

}  // namespace

std::optional<json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  auto v = json::parse(text, ec, {}, opts);
  if (ec) return std::nullopt;
  return v;
}

std::variant<Message, Failure> parse_message(const json::value& v) {
  if (!v.is_object()) return fail(kInvalidRequest, "Invalid Request: a JSON-RPC message must be an object");
  const auto& o = v.get_object();
  auto id = readable_id(o);
  auto jv = o.find("jsonrpc");
  if (jv == o.end() || !jv->value().is_string() || jv->value().get_string() != "2.0")
    return fail(kInvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\"", id);

  Message m;
  auto method = o.find("method");
  auto has_id = o.find("id") != o.end();
  if (method != o.end()) {
    if (!method->value().is_string() || method->value().get_string().empty())
      return fail(kInvalidRequest, "Invalid Request: \"method\" must be a non-empty string", id);
    m.method = std::string(method->value().get_string());
    if (auto p = o.find("params"); p != o.end()) {
      if (p->value().is_object()) {
        m.params = p->value().get_object();
      } else if (!p->value().is_null()) {
        return fail(kInvalidParams, "Invalid params: \"params\" must be an object", id);
      }
    }
    if (has_id) {
      if (!valid_id(o.at("id")))
        return fail(kInvalidRequest, "Invalid Request: \"id\" must be a string or an integer");
      m.kind = Kind::kRequest;
      m.id = o.at("id");
    } else {
      m.kind = Kind::kNotification;
    }
    return m;
  }
  // A response or an error response.
  if (!has_id || !valid_id(o.at("id")))
    return fail(kInvalidRequest, "Invalid Request: missing \"method\" (or a response without a valid \"id\")");
  m.id = o.at("id");
  if (auto r = o.find("result"); r != o.end()) {
    m.kind = Kind::kResponse;
    m.result = r->value();
    return m;
  }
  if (auto e = o.find("error"); e != o.end() && e->value().is_object()) {
    m.kind = Kind::kErrorResponse;
    m.error = e->value().get_object();
    return m;
  }
  return fail(kInvalidRequest, "Invalid Request: a response needs \"result\" or \"error\"", m.id);
}

std::string make_result(const json::value& id, json::value result) {
  json::object o;
  o.reserve(3);
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["result"] = std::move(result);
  return json::serialize(o);
}

std::string make_result_raw(const json::value& id, std::string_view result_json) {
  std::string out;
  out.reserve(result_json.size() + 48);
  out += R"({"jsonrpc":"2.0","id":)";
  out += json::serialize(id);
  out += R"(,"result":)";
  out += result_json;
  out += '}';
  return out;
}

std::string make_error(const json::value& id, int code, std::string_view message, const json::value& data) {
  json::object err;
  err["code"] = code;
  err["message"] = message;
  if (!data.is_null()) err["data"] = data;
  json::object o;
  o["jsonrpc"] = "2.0";
  if (valid_id(id)) o["id"] = id;
  o["error"] = std::move(err);
  return json::serialize(o);
}

std::string make_error(const Failure& f) { return make_error(f.id, f.code, f.message, f.data); }

std::string make_request(const json::value& id, std::string_view method, json::object params) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["method"] = method;
  o["params"] = std::move(params);
  return json::serialize(o);
}

std::string make_notification(std::string_view method, json::object params) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["method"] = method;
  o["params"] = std::move(params);
  return json::serialize(o);
}

std::string id_key(const json::value& id) {
  if (id.is_string()) return "s:" + std::string(id.get_string());
  if (id.is_int64()) return "i:" + std::to_string(id.get_int64());
  if (id.is_uint64()) return "i:" + std::to_string(id.get_uint64());
  return "?";
}

}  // namespace appsignals::mcp::jsonrpc
