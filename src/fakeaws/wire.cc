#include "fakeaws/wire.h"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "fakeaws/xml.h"

namespace appsignals::fakeaws {
namespace json = boost::json;
namespace http = boost::beast::http;

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto amp = text.find('&', start);
    auto part = text.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!part.empty()) {
      auto eq = part.find('=');
      auto k = part.substr(0, eq);
      auto v = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
      out.emplace_back(percent_decode(k, true).value_or(std::string(k)),
                       percent_decode(v, true).value_or(std::string(v)));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

namespace {

using Params = std::map<std::string, std::string>;

// A query-string / header / form scalar converted to the member's type. Values that do not
// convert stay strings, so validation reports them as the wrong type.
json::value scalar_from_text(const ServiceModel& model, std::string_view shape_name, const std::string& text) {
  const auto* shape = model.shape(shape_name);
  std::string type = shape ? str_arg(*shape, "type") : "string";
  if (type == "integer" || type == "long") {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && p == text.data() + text.size()) return n;
  } else if (type == "double" || type == "float") {
    try {
      std::size_t used = 0;
      double d = std::stod(text, &used);
      if (used == text.size()) return d;
    } catch (...) {
    }
  } else if (type == "boolean") {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return json::string(text);
}

bool has_prefix(const Params& params, const std::string& prefix) {
  auto it = params.lower_bound(prefix);
  return it != params.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::optional<json::value> from_form(const ServiceModel& model, std::string_view shape_name,
                                     const std::string& key, const Params& params, int depth) {
  if (depth > 16) return std::nullopt;
  const auto* shape = model.shape(shape_name);
  std::string type = shape ? str_arg(*shape, "type") : "string";
  if (type == "structure") {
    json::object o;
    const auto* members = obj_arg(*shape, "members");
    if (!members) return o;
    for (const auto& [name, ref] : *members) {
      std::string loc = str_arg(ref.as_object(), "locationName", name);
      std::string k = key.empty() ? loc : key + "." + loc;
      if (auto v = from_form(model, str_arg(ref.as_object(), "shape"), k, params, depth + 1)) o[name] = *v;
    }
    if (!key.empty() && o.empty() && !has_prefix(params, key + ".")) return std::nullopt;
    return o;
  }
  if (type == "list") {
    const auto* member = obj_arg(*shape, "member");
    std::string ms = member ? str_arg(*member, "shape") : "";
    bool flattened = bool_arg(*shape, "flattened", false);
    std::string base = flattened ? key + "." : key + ".member.";
    if (params.count(key) && params.at(key).empty()) return json::array{};  // "X=" is an empty list
    if (!has_prefix(params, base)) return std::nullopt;
    json::array a;
    for (int i = 1;; ++i) {
      auto v = from_form(model, ms, base + std::to_string(i), params, depth + 1);
      if (!v) break;
      a.push_back(*v);
    }
    return a;
  }
  if (type == "map") {
    const auto* vref = obj_arg(*shape, "value");
    std::string vs = vref ? str_arg(*vref, "shape") : "";
    if (!has_prefix(params, key + ".entry.")) return std::nullopt;
    json::object o;
    for (int i = 1;; ++i) {
      std::string e = key + ".entry." + std::to_string(i);
      auto k = params.find(e + ".key");
      if (k == params.end()) break;
      if (auto v = from_form(model, vs, e + ".value", params, depth + 1)) o[k->second] = *v;
    }
    return o;
  }
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return scalar_from_text(model, shape_name, it->second);
}

std::string json_content_type(const ServiceModel& model, Protocol protocol) {
  if (protocol == Protocol::kJson) return "application/x-amz-json-" + model.json_version;
  return "application/json";
}

net::Response base_response(int status, const std::string& request_id, bool s3) {
  net::Response res{static_cast<http::status>(status), 11};
  if (s3) {
    res.set("x-amz-request-id", request_id);
    res.set("x-amz-id-2", base64_encode("fakeaws/" + request_id));
  } else {
    res.set("x-amzn-RequestId", request_id);
  }
  res.set(http::field::server, "fakeaws");
  return res;
}

}  // namespace

std::variant<json::object, ApiError> extract_input(const ServiceModel& model, Protocol protocol,
                                                   std::string_view operation, const net::Request& request,
                                                   const std::map<std::string, std::string>& labels) {
  const auto& traits = traits_for(model.signing_name);
  std::string shape_name = model.input_shape(operation);
  const auto& body = request.message.body();
  if (protocol == Protocol::kQuery) {
    Params params;
    for (auto& [k, v] : parse_form(request.message.method() == http::verb::post ? std::string_view(body)
                                                                               : request.query()))
      params[k] = v;
    auto v = from_form(model, shape_name, "", params, 0);
    return v && v->is_object() ? std::move(v->as_object()) : json::object{};
  }
  json::object input;
  bool body_is_json = protocol == Protocol::kJson || protocol == Protocol::kRestJson;
  if (body_is_json && !body.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object())
      return make_error(traits.validation, protocol == Protocol::kJson ? "Invalid JSON body: " + ec.message()
                                                                       : "The request body is not a JSON object");
    input = std::move(v.as_object());
  }
  if (protocol == Protocol::kJson) return input;
  // REST bindings: labels, query string and headers, typed by their member shapes.
  const auto* shape = model.shape(shape_name);
  const auto* members = shape ? obj_arg(*shape, "members") : nullptr;
  if (!members) return input;
  auto query = parse_form(request.query());
  for (const auto& [name, refv] : *members) {
    const auto& ref = refv.as_object();
    std::string loc = str_arg(ref, "location");
    std::string loc_name = str_arg(ref, "locationName", name);
    std::string member_shape = str_arg(ref, "shape");
    if (loc == "uri") {
      if (auto it = labels.find(loc_name); it != labels.end())
        input[name] = scalar_from_text(model, member_shape, it->second);
    } else if (loc == "querystring") {
      const auto* ms = model.shape(member_shape);
      bool is_list = ms && str_arg(*ms, "type") == "list";
      std::string item_shape;
      if (is_list)
        if (const auto* m = obj_arg(*ms, "member")) item_shape = str_arg(*m, "shape");
      json::array items;
      for (const auto& [k, v] : query) {
        if (k != loc_name) continue;
        if (is_list) items.push_back(scalar_from_text(model, item_shape, v));
        else input[name] = scalar_from_text(model, member_shape, v);
      }
      if (is_list && !items.empty()) input[name] = std::move(items);
    } else if (loc == "header") {
      auto h = request.header(loc_name);
      if (!h.empty()) input[name] = scalar_from_text(model, member_shape, std::string(h));
    }
  }
  return input;
}

net::Response render_error(const ServiceModel& model, Protocol protocol, const ApiError& error,
                           const std::string& request_id) {
  bool s3 = protocol == Protocol::kRestXml;
  auto res = base_response(error.status, request_id, s3);
  if (protocol == Protocol::kQuery) {
    std::string ns = model.xml_namespace;
    res.set(http::field::content_type, "text/xml");
    res.body() = "<ErrorResponse xmlns=\"" + xml_escape(ns) + "\"><Error><Type>" +
                 (error.server ? "Receiver" : "Sender") + "</Type><Code>" +
                 xml_escape(error.query_code.empty() ? error.code : error.query_code) + "</Code><Message>" +
                 xml_escape(error.message) + "</Message></Error><RequestId>" + request_id +
                 "</RequestId></ErrorResponse>";
    return res;
  }
  if (s3) {
    res.set(http::field::content_type, "application/xml");
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml_escape(error.code) +
                       "</Code><Message>" + xml_escape(error.message) + "</Message>";
    for (const auto& [k, v] : error.extra)
      if (v.is_string()) body += "<" + std::string(k) + ">" + xml_escape(v.as_string()) + "</" + std::string(k) + ">";
    body += "<RequestId>" + request_id + "</RequestId><HostId>" + base64_encode("fakeaws/" + request_id) +
            "</HostId></Error>";
    res.body() = std::move(body);
    return res;
  }
  json::object body = error.extra;
  if (model.query_compatible && protocol == Protocol::kJson) {
    body["__type"] = model.shape_namespace + "#" + error.code;
    if (!error.query_code.empty())
      res.set("x-amzn-query-error", error.query_code + (error.server ? ";Receiver" : ";Sender"));
  } else {
    body["__type"] = error.code;
  }
  body["message"] = error.message;
  if (protocol == Protocol::kRestJson) res.set("x-amzn-ErrorType", error.code);
  res.set(http::field::content_type, json_content_type(model, protocol));
  res.body() = json::serialize(body);
  return res;
}

net::Response render_result(const ServiceModel& model, Protocol protocol, std::string_view operation,
                            OpResult result, const std::string& request_id) {
  if (auto* err = std::get_if<ApiError>(&result)) return render_error(model, protocol, *err, request_id);
  bool s3 = protocol == Protocol::kRestXml;
  if (auto* raw = std::get_if<RawReply>(&result)) {
    auto res = base_response(raw->status, request_id, s3);
    if (!raw->content_type.empty()) res.set(http::field::content_type, raw->content_type);
    for (const auto& [k, v] : raw->headers) res.set(k, v);
    res.body() = std::move(raw->body);
    return res;
  }
  auto& out = std::get<json::object>(result);
  auto res = base_response(200, request_id, s3);
  if (protocol == Protocol::kQuery) {
    std::string wrapper;
    if (const auto* op = model.operation(operation))
      if (const auto* o = obj_arg(*op, "output")) wrapper = str_arg(*o, "resultWrapper");
    std::string body = "<" + std::string(operation) + "Response xmlns=\"" + xml_escape(model.xml_namespace) + "\">";
    if (!wrapper.empty()) body += "<" + wrapper + ">";
    append_xml_members(model, model.output_shape(operation), out, body);
    if (!wrapper.empty()) body += "</" + wrapper + ">";
    body += "<ResponseMetadata><RequestId>" + request_id + "</RequestId></ResponseMetadata></" +
            std::string(operation) + "Response>";
    res.set(http::field::content_type, "text/xml");
    res.body() = std::move(body);
    return res;
  }
  res.set(http::field::content_type, json_content_type(model, protocol));
  res.body() = json::serialize(out);
  return res;
}

std::string malformed_body(Protocol protocol) {
  if (protocol == Protocol::kQuery || protocol == Protocol::kRestXml)
    return "<?xml version=\"1.0\"?><Response><Result><Unclosed attr=\"x></Result";
  return "{\"truncated\": [1, 2, {\"key\": ";
}

}  // namespace appsignals::fakeaws
