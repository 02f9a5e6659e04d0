#include "fakeaws/model.h"

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "common/encoding.h"
#include "fakeaws/model_trim.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

// The Lambda model is not in the shared models folder; the fake carries the one operation it
// serves (GetFunction, from the public API reference) in services/lambda.cc.
const char* lambda_model_json();

namespace {

std::string str_of(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return {};
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool query_has(std::string_view query, std::string_view literal) {
  for (auto part : split(query, '&')) {
    if (part == literal) return true;
    if (literal.find('=') == std::string_view::npos && part.substr(0, part.find('=')) == literal)
      return true;
  }
  return false;
}

}  // namespace

const json::object* ServiceModel::operation(std::string_view name) const {
  const auto* v = operations.if_contains(name);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::object* ServiceModel::shape(std::string_view name) const {
  const auto* v = shapes.if_contains(name);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string ServiceModel::input_shape(std::string_view op) const {
  const auto* o = operation(op);
  if (!o) return {};
  if (const auto* in = o->if_contains("input"); in && in->is_object()) return str_of(in->as_object(), "shape");
  return {};
}

std::string ServiceModel::output_shape(std::string_view op) const {
  const auto* o = operation(op);
  if (!o) return {};
  if (const auto* out = o->if_contains("output"); out && out->is_object())
    return str_of(out->as_object(), "shape");
  return {};
}

std::optional<ServiceModel::RestMatch> ServiceModel::match_rest(std::string_view method,
                                                                 std::string_view path,
                                                                 std::string_view query) const {
  std::optional<RestMatch> best;
  int best_score = -1;
  auto req_segments = split(path.substr(path.empty() || path[0] != '/' ? 0 : 1), '/');
  for (const auto& [name, opv] : operations) {
    const auto* http = opv.as_object().if_contains("http");
    if (!http || !http->is_object()) continue;
    if (str_of(http->as_object(), "method") != method) continue;
    std::string uri = str_of(http->as_object(), "requestUri");
    std::string_view tpl_path = uri;
    std::string_view tpl_query;
    if (auto q = tpl_path.find('?'); q != std::string_view::npos) {
      tpl_query = tpl_path.substr(q + 1);
      tpl_path = tpl_path.substr(0, q);
    }
    int score = 0;
    bool ok = true;
    if (!tpl_query.empty()) {
      for (auto lit : split(tpl_query, '&')) {
        if (!query_has(query, lit)) ok = false;
        ++score;
      }
    }
    if (!ok) continue;
    auto tpl_segments = split(tpl_path.substr(tpl_path.empty() || tpl_path[0] != '/' ? 0 : 1), '/');
    RestMatch m;
    m.operation = std::string(name);
    std::size_t i = 0;
    for (; i < tpl_segments.size() && ok; ++i) {
      auto t = tpl_segments[i];
      if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
        auto label = t.substr(1, t.size() - 2);
        if (!label.empty() && label.back() == '+') {  // greedy: the rest of the path
          label.remove_suffix(1);
          std::string rest;
          for (std::size_t j = i; j < req_segments.size(); ++j) {
            if (j > i) rest += '/';
            rest += req_segments[j];
          }
          if (rest.empty()) ok = false;
          m.labels[std::string(label)] = percent_decode(rest).value_or(rest);
          i = req_segments.size();
          tpl_segments.resize(i);
          break;
        }
        if (i >= req_segments.size() || req_segments[i].empty()) {
          ok = false;
          break;
        }
        auto decoded = percent_decode(req_segments[i]);
        m.labels[std::string(label)] = decoded.value_or(std::string(req_segments[i]));
      } else {
        if (i >= req_segments.size() || req_segments[i] != t) ok = false;
        score += 2;
      }
    }
    if (!ok || req_segments.size() != tpl_segments.size()) continue;
    if (score > best_score) {
      best_score = score;
      best = std::move(m);
    }
  }
  return best;
}

Result<ServiceModel> parse_service_model(const json::object& model) {
  ServiceModel m;
  const auto* mdv = model.if_contains("metadata");
  if (!mdv || !mdv->is_object()) return Error(ErrorCode::kInvalidArgument, "model without metadata");
  const auto& md = mdv->as_object();
  m.endpoint_prefix = str_of(md, "endpointPrefix");
  m.signing_name = str_of(md, "signingName");
  if (m.signing_name.empty()) m.signing_name = m.endpoint_prefix;
  m.target_prefix = str_of(md, "targetPrefix");
  m.json_version = str_of(md, "jsonVersion");
  m.api_version = str_of(md, "apiVersion");
  m.xml_namespace = str_of(md, "xmlNamespace");
  m.query_compatible = md.contains("awsQueryCompatible");
  std::vector<std::string> protocols;
  if (const auto* ps = md.if_contains("protocols"); ps && ps->is_array())
    for (const auto& p : ps->as_array())
      if (p.is_string()) protocols.emplace_back(p.as_string());
  if (protocols.empty()) protocols.push_back(str_of(md, "protocol"));
  auto has = [&](std::string_view p) {
    for (const auto& x : protocols)
      if (x == p) return true;
    return false;
  };
  if (has("rest-json")) m.protocol = Protocol::kRestJson;
  else if (has("json")) m.protocol = Protocol::kJson;
  else if (has("rest-xml")) m.protocol = Protocol::kRestXml;
  else if (has("query")) m.protocol = Protocol::kQuery;
  else return Error(ErrorCode::kInvalidArgument, "unsupported protocol in model " + m.endpoint_prefix);
  m.accepts_query = m.protocol == Protocol::kJson && has("query");
  if (m.protocol == Protocol::kJson && m.json_version.empty()) m.json_version = "1.0";
  m.shape_namespace = m.endpoint_prefix == "monitoring" ? "com.amazonaws.cloudwatch"
                                                        : "com.amazonaws." + m.endpoint_prefix;
  if (const auto* ops = model.if_contains("operations"); ops && ops->is_object()) m.operations = ops->as_object();
  if (const auto* sh = model.if_contains("shapes"); sh && sh->is_object()) m.shapes = sh->as_object();
  return m;
}

void ModelSet::add(ServiceModel m) { models_.push_back(std::make_shared<const ServiceModel>(std::move(m))); }

const ServiceModel* ModelSet::find(std::string_view signing_name) const {
  for (const auto& m : models_)
    if (m->signing_name == signing_name) return m.get();
  return nullptr;
}

namespace {
Status add_json(ModelSet& set, std::string_view text, bool trim,
                void (ModelSet::*adder)(ServiceModel)) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error(ErrorCode::kInvalidArgument, "model is not a JSON object");
  json::object obj = std::move(v.as_object());
  if (trim) {
    const auto* md = obj.if_contains("metadata");
    std::string prefix = md && md->is_object() ? str_of(md->as_object(), "endpointPrefix") : "";
    obj = trim_model(obj, implemented_operations(prefix));
  }
  auto m = parse_service_model(obj);
  if (!m) return m.error();
  (set.*adder)(std::move(m).value());
  return {};
}
}  // namespace

Result<ModelSet> ModelSet::load_embedded() {
  ModelSet set;
  for (const auto& e : embedded_models()) {
    if (auto st = add_json(set, e.json, false, &ModelSet::add); !st) return st.error();
  }
  if (auto st = add_json(set, lambda_model_json(), false, &ModelSet::add); !st) return st.error();
  return set;
}

Result<ModelSet> ModelSet::load_directory(const std::string& dir) {
  ModelSet set;
  for (const char* svc : {"application-signals", "cloudwatch", "logs", "xray", "synthetics", "s3",
                          "iam", "sts", "rum"}) {
    std::string path = dir + "/" + svc + "/service-2.json";
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error(ErrorCode::kNotFound, "cannot read model " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    if (auto st = add_json(set, buf.str(), true, &ModelSet::add); !st)
      return Error(st.error().code, path + ": " + st.error().message);
  }
  if (auto st = add_json(set, lambda_model_json(), false, &ModelSet::add); !st) return st.error();
  return set;
}

}  // namespace appsignals::fakeaws
