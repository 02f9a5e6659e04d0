#include "aws/protocol/wire.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <pugixml.hpp>

#include "common/encoding.h"

namespace appsignals::aws {
namespace json = boost::json;

std::string encode_label(std::string_view value, bool greedy) { return percent_encode(value, greedy); }

std::string encode_query(const QueryParams& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(k);
    out.push_back('=');
    out += percent_encode(v);
  }
  return out;
}

OperationRequest json_rpc_request(const ServiceInfo& service, std::string_view operation,
                                  const json::object& input) {
  OperationRequest r;
  r.method = "POST";
  r.path = "/";
  const char* ct = service.protocol == Protocol::kAwsJson1_0 ? "application/x-amz-json-1.0"
                                                              : "application/x-amz-json-1.1";
  r.headers.emplace_back("Content-Type", ct);
  r.headers.emplace_back("X-Amz-Target", std::string(service.target_prefix) + "." + std::string(operation));
  if (service.query_compatible) r.headers.emplace_back("x-amzn-query-mode", "true");
  r.body = json::serialize(input);
  return r;
}

OperationRequest rest_json_request(std::string method, std::string path, QueryParams query,
                                   const json::object* body) {
  OperationRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  if (body) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = json::serialize(*body);
  }
  return r;
}

namespace {
std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) {
    std::string s = json::serialize(v);
    return s;
  }
  return {};
}
}  // namespace

void flatten_query(const json::value& v, const std::string& prefix, QueryParams& out) {
  if (v.is_object()) {
      const auto& o = v.as_object();
    for (const auto& [k, child] : o) {
      std::string p = prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
      flatten_query(child, p, out);
    }
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) {
      out.emplace_back(prefix, "");
      return;
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      flatten_query(a[i], prefix + ".member." + std::to_string(i + 1), out);
  } else if (!v.is_null()) {
    out.emplace_back(prefix, scalar_text(v));
  }
}

OperationRequest query_request(const ServiceInfo& service, std::string_view operation, const json::object& input) {
  QueryParams params;
  params.emplace_back("Action", std::string(operation));
  params.emplace_back("Version", std::string(service.api_version));
  flatten_query(input, "", params);
  OperationRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = encode_query(params);
  return r;
}

OperationRequest rest_xml_request(std::string method, std::string path, QueryParams query) {
  OperationRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

namespace {

json::value node_to_json(const pugi::xml_node& node) {
  bool has_elements = false;
  for (auto c : node.children())
    if (c.type() == pugi::node_element) has_elements = true;
  if (!has_elements) return json::string(node.child_value());
  // A list: every child is <member> (or <item>).
  bool all_members = true;
  for (auto c : node.children())
    if (c.type() == pugi::node_element && std::string_view(c.name()) != "member" &&
        std::string_view(c.name()) != "item")
      all_members = false;
  if (all_members) {
    json::array arr;
    for (auto c : node.children())
      if (c.type() == pugi::node_element) arr.push_back(node_to_json(c));
    return arr;
  }
  // A map: <entry><key/><value/></entry> children.
  json::object obj;
  for (auto c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view name = c.name();
    if (auto colon = name.find(':'); colon != std::string_view::npos) name = name.substr(colon + 1);
    json::value child = node_to_json(c);
    if (auto* existing = obj.if_contains(name)) {
      if (existing->is_array() && obj.contains(std::string(name) + "\x01")) {
        existing->as_array().push_back(std::move(child));
      } else {
        json::array arr;
        arr.push_back(std::move(*existing));
        arr.push_back(std::move(child));
        *existing = std::move(arr);
        obj[std::string(name) + "\x01"] = true;  // marker: this array came from repetition
      }
    } else {
      obj[name] = std::move(child);
    }
  }
  // Drop the markers.
  json::object clean;
  for (auto& [k, v] : obj)
    if (k.empty() || k.back() != '\x01') clean[k] = std::move(v);
  return clean;
}

}  // namespace

Result<json::value> xml_to_json(std::string_view xml, std::string* root_name) {
  pugi::xml_document doc;
  auto res = doc.load_buffer(xml.data(), xml.size());
  if (!res) return Error(ErrorCode::kInternal, std::string("malformed XML response: ") + res.description());
  pugi::xml_node root = doc.document_element();
  if (root_name) *root_name = root.name();
  return node_to_json(root);
}

json::array as_list(const json::value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_array()) return v->as_array();
  if (v->is_string() && v->as_string().empty()) return {};
  json::array a;
  a.push_back(*v);
  return a;
}

Result<json::value> parse_response_body(Protocol protocol, std::string_view operation, std::string_view body,
                                        json::storage_ptr storage) {
  switch (protocol) {
    case Protocol::kRestJson1:
    case Protocol::kAwsJson1_0:
    case Protocol::kAwsJson1_1: {
      if (body.empty()) return json::value(json::object(std::move(storage)));
      boost::system::error_code ec;
      auto v = json::parse(body, ec, std::move(storage));
      if (ec) return Error(ErrorCode::kInternal, "malformed JSON response: " + ec.message());
      return v;
    }
    case Protocol::kAwsQuery: {
      auto v = xml_to_json(body);
      if (!v.ok()) return v;
      std::string result_name = std::string(operation) + "Result";
      if (v->is_object()) {
        if (auto* r = v->as_object().if_contains(result_name)) {
          if (r->is_string()) return json::value(json::object{});
          return *r;
        }
      }
      return json::value(json::object{});
    }
    case Protocol::kRestXml: {
      if (body.empty()) return json::value(json::object{});
      return xml_to_json(body);
    }
  }
  return Error(ErrorCode::kInternal, "unknown protocol");
}

}  // namespace appsignals::aws
