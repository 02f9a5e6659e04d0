#include "aws/endpoints/rules_engine.h"

#include <charconv>
#include <regex>

#include <boost/json/parse.hpp>

namespace appsignals::aws::endpoints {
namespace json = boost::json;

namespace {

using Scope = std::map<std::string, json::value, std::less<>>;

struct Evaluator {
  const json::value& partitions;

  json::value partition(std::string_view region) const {
    const json::array& parts = partitions.at("partitions").as_array();
    const json::object* chosen = nullptr;
    for (const auto& p : parts) {  // an explicitly listed region wins
      if (p.at("regions").as_object().contains(region)) {
        chosen = &p.as_object();
        break;
      }
    }
    if (!chosen) {
      for (const auto& p : parts) {
        std::regex re(std::string(p.at("regionRegex").as_string()));
        if (std::regex_match(std::string(region), re)) {
          chosen = &p.as_object();
          break;
        }
      }
    }
    if (!chosen) chosen = &parts.at(0).as_object();  // the aws partition
    json::object out = chosen->at("outputs").as_object();
    out["name"] = chosen->at("id");
    return out;
  }

  static json::value get_attr(const json::value& v, std::string_view path) {
    const json::value* cur = &v;
    std::size_t i = 0;
    while (i < path.size()) {
      std::size_t j = path.find_first_of(".[", i);
      std::string_view key = path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
      if (!key.empty()) {
        if (!cur->is_object()) return nullptr;
        auto* next = cur->as_object().if_contains(key);
        if (!next) return nullptr;
        cur = next;
      }
      if (j == std::string_view::npos) break;
      if (path[j] == '[') {
        // An unclosed '[' or a bad index is no attribute (found by fuzzing: an unclosed one
        // restarted the walk at 0, forever).
        std::size_t close = path.find(']', j);
        if (close == std::string_view::npos) return nullptr;
        std::size_t idx = 0;
        if (std::from_chars(path.data() + j + 1, path.data() + close, idx).ec != std::errc()) return nullptr;
        if (!cur->is_array() || idx >= cur->as_array().size()) return nullptr;
        cur = &cur->as_array()[idx];
        i = close + 1;
        if (i < path.size() && path[i] == '.') ++i;
      } else {
        i = j + 1;
      }
    }
    return *cur;
  }

  std::string render(std::string_view tmpl, const Scope& scope) const {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
      char c = tmpl[i];
      if (c == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '{') { out.push_back('{'); ++i; continue; }
      if (c == '}' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') { out.push_back('}'); ++i; continue; }
      if (c != '{') { out.push_back(c); continue; }
      std::size_t close = tmpl.find('}', i);
      if (close == std::string_view::npos) {  // an unclosed '{' is text (was: i = npos, ++i = 0, forever)
        out.append(tmpl.substr(i));
        break;
      }
      std::string_view expr = tmpl.substr(i + 1, close - i - 1);
      auto hash = expr.find('#');
      std::string_view name = expr.substr(0, hash);
      json::value v = nullptr;
      if (auto it = scope.find(name); it != scope.end()) v = it->second;
      if (hash != std::string_view::npos) v = get_attr(v, expr.substr(hash + 1));
      if (v.is_string()) out += v.as_string().c_str();
      else if (v.is_bool()) out += v.as_bool() ? "true" : "false";
      i = close;
    }
    return out;
  }

  json::value eval(const json::value& expr, const Scope& scope) const {
    if (expr.is_string()) return json::value(render(expr.as_string(), scope));
    if (expr.is_bool() || expr.is_number() || expr.is_null()) return expr;
    if (expr.is_array()) {
      json::array out;
      for (const auto& e : expr.as_array()) out.push_back(eval(e, scope));
      return out;
    }
    const json::object& o = expr.as_object();
    if (auto* ref = o.if_contains("ref")) {
      auto it = scope.find(std::string_view(ref->as_string()));
      return it == scope.end() ? json::value(nullptr) : it->second;
    }
    if (auto* fn = o.if_contains("fn")) {
      std::string_view name = fn->as_string();
      const json::array& argv = o.at("argv").as_array();
      std::vector<json::value> args;
      for (const auto& a : argv) args.push_back(eval(a, scope));
      if (name == "isSet") return !args.at(0).is_null();
      if (name == "not") return !(args.at(0).is_bool() && args.at(0).as_bool());
      if (name == "booleanEquals")
        return args.at(0).is_bool() && args.at(1).is_bool() && args[0].as_bool() == args[1].as_bool();
      if (name == "stringEquals")
        return args.at(0).is_string() && args.at(1).is_string() && args[0].as_string() == args[1].as_string();
      if (name == "getAttr") return get_attr(args.at(0), args.at(1).as_string());
      if (name == "aws.partition") {
        if (!args.at(0).is_string()) return nullptr;
        return partition(args[0].as_string());
      }
      return nullptr;  // unknown function: the condition fails
    }
    json::object out;
    for (const auto& [k, v] : o) out[k] = eval(v, scope);
    return out;
  }

  // Returns nullopt when no rule in `rules` matched.
  std::optional<Result<ResolvedEndpoint>> run(const json::array& rules, const Scope& outer) const {
    for (const auto& rule_v : rules) {
      const json::object& rule = rule_v.as_object();
      Scope scope = outer;
      bool matched = true;
      for (const auto& cond_v : rule.at("conditions").as_array()) {
        json::value r = eval(cond_v, scope);
        if (r.is_null() || (r.is_bool() && !r.as_bool())) {
          matched = false;
          break;
        }
        if (auto* assign = cond_v.as_object().if_contains("assign")) scope[std::string(assign->as_string())] = r;
      }
      if (!matched) continue;
      std::string_view type = rule.at("type").as_string();
      if (type == "tree") {
        auto r = run(rule.at("rules").as_array(), scope);
        if (r) return r;
        return Result<ResolvedEndpoint>(Error(ErrorCode::kInvalidArgument, "no endpoint rule matched"));
      }
      if (type == "error") {
        json::value msg = eval(rule.at("error"), scope);
        return Result<ResolvedEndpoint>(
            Error(ErrorCode::kInvalidArgument, msg.is_string() ? std::string(msg.as_string()) : "endpoint error"));
      }
      const json::object& ep = rule.at("endpoint").as_object();
      ResolvedEndpoint out;
      out.url = std::string(eval(ep.at("url"), scope).as_string());
      if (auto* props = ep.if_contains("properties")) {
        json::value p = eval(*props, scope);
        if (auto* schemes = p.as_object().if_contains("authSchemes"); schemes && schemes->is_array()) {
          for (const auto& s : schemes->as_array()) {
            if (auto* n = s.as_object().if_contains("name"); n && n->as_string() != "sigv4") continue;
            if (auto* r = s.as_object().if_contains("signingRegion")) out.signing_region = std::string(r->as_string());
            if (auto* n = s.as_object().if_contains("signingName")) out.signing_name = std::string(n->as_string());
            break;
          }
        }
      }
      return Result<ResolvedEndpoint>(std::move(out));
    }
    return std::nullopt;
  }
};

}  // namespace

Result<RuleSet> RuleSet::parse(std::string_view rule_set_json, std::string_view partitions_json) {
  boost::system::error_code ec;
  RuleSet rs;
  rs.rules_ = json::parse(rule_set_json, ec);
  if (ec || !rs.rules_.is_object()) return Error(ErrorCode::kInvalidArgument, "bad endpoint rule set");
  rs.partitions_ = json::parse(partitions_json, ec);
  if (ec || !rs.partitions_.is_object()) return Error(ErrorCode::kInvalidArgument, "bad partitions table");
  return rs;
}

Result<ResolvedEndpoint> RuleSet::resolve(const RuleParams& params) const {
  try {
    Scope scope;
    const json::object& decl = rules_.at("parameters").as_object();
    for (const auto& [name, spec] : decl) {
      if (auto* d = spec.as_object().if_contains("default")) scope[std::string(name)] = *d;
      else scope[std::string(name)] = nullptr;
    }
    if (params.region) scope["Region"] = json::string(*params.region);
    if (params.use_fips) scope["UseFIPS"] = *params.use_fips;
    if (params.use_dual_stack && decl.contains("UseDualStack")) scope["UseDualStack"] = *params.use_dual_stack;
    if (params.endpoint) scope["Endpoint"] = json::string(*params.endpoint);
    if (params.use_global_endpoint && decl.contains("UseGlobalEndpoint"))
      scope["UseGlobalEndpoint"] = *params.use_global_endpoint;
    Evaluator ev{partitions_};
    auto r = ev.run(rules_.at("rules").as_array(), scope);
    if (!r) return Error(ErrorCode::kInvalidArgument, "no endpoint rule matched");
    return std::move(*r);
  } catch (const std::exception& e) {  // fence: malformed rule sets throw from boost::json
    return Error(ErrorCode::kInternal, std::string("endpoint rule evaluation failed: ") + e.what());
  }
}

}  // namespace appsignals::aws::endpoints
