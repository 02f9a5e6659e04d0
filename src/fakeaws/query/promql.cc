#include "fakeaws/query/promql.h"
#include "fakeaws/query/regex_guard.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <regex>
#include <set>

#include <boost/json/array.hpp>

namespace appsignals::fakeaws::promql {
namespace json = boost::json;

namespace {

Error bad(std::string msg) { return Error(ErrorCode::kInvalidArgument, "bad_data: " + std::move(msg)); }

struct Matcher {
  std::string name, op, value;
};

struct Node {
  enum Kind { kSelector, kFunc, kSum } kind = kSelector;
  std::vector<Matcher> matchers;  // selector (the metric name as __name__="...")
  std::int64_t range = 0;         // selector: seconds, 0 = instant
  std::string func;
  std::unique_ptr<Node> arg;
  std::vector<std::string> by;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<std::unique_ptr<Node>> parse_all() {
    auto n = expr();
    if (!n.ok()) return n;
    skip();
    if (i_ != s_.size()) return bad("unexpected \"" + std::string(s_.substr(i_, 10)) + "\" at char " + std::to_string(i_));
    return n;
  }

 private:
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(std::string_view tok) {
    skip();
    if (s_.substr(i_, tok.size()) == tok) {
      i_ += tok.size();
      return true;
    }
    return false;
  }
  std::string ident() {
    skip();
    std::size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == ':' ||
                              (i_ > b && s_[i_] == '.')))
      ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  Result<std::string> string_lit() {
    skip();
    if (i_ >= s_.size() || s_[i_] != '"') return bad("expected a string at char " + std::to_string(i_));
    ++i_;
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c == '\\' && i_ < s_.size()) {
        char e = s_[i_++];
        out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
      } else {
        out.push_back(c);
      }
    }
    if (i_ >= s_.size()) return bad("unterminated string");
    ++i_;
    return out;
  }
  Result<std::string> name() {
    skip();
    if (i_ < s_.size() && s_[i_] == '"') return string_lit();
    auto id = ident();
    if (id.empty()) return bad("expected a name at char " + std::to_string(i_));
    return id;
  }

  Result<std::unique_ptr<Node>> expr() {
    skip();
    if (i_ < s_.size() && s_[i_] == '{') return selector("");
    auto id = ident();
    if (id.empty()) return bad("unexpected character at char " + std::to_string(i_));
    if (id == "sum") return sum();
    skip();
    if (i_ < s_.size() && s_[i_] == '(') {
      static const std::set<std::string, std::less<>> kFuncs = {"increase", "rate", "sum_over_time", "histogram_avg",
                                                                "histogram_count", "histogram_sum"};
      if (!kFuncs.contains(id)) return bad("function \"" + id + "\" is not supported by this endpoint");
      eat("(");
      auto a = expr();
      if (!a.ok()) return a;
      if (!eat(")")) return bad("expected ) after the argument of " + id);
      auto n = std::make_unique<Node>();
      n->kind = Node::kFunc;
      n->func = id;
      n->arg = std::move(a).value();
      bool wants_range = id == "increase" || id == "rate" || id == "sum_over_time";
      bool has_range = n->arg->kind == Node::kSelector && n->arg->range > 0;
      if (wants_range != has_range)
        return bad(wants_range ? "expected a range vector in " + id : "range vector not allowed in " + id);
      return n;
    }
    return selector(id);
  }

  Result<std::vector<std::string>> label_list() {
    std::vector<std::string> out;
    if (!eat("(")) return bad("expected ( after by");
    if (eat(")")) return out;
    for (;;) {
      auto n = name();
      if (!n.ok()) return n.error();
      out.push_back(*n);
      if (eat(")")) return out;
      if (!eat(",")) return bad("expected , or ) in the by clause");
    }
  }

  Result<std::unique_ptr<Node>> sum() {
    auto n = std::make_unique<Node>();
    n->kind = Node::kSum;
    if (eat("by")) {
      auto l = label_list();
      if (!l.ok()) return l.error();
      n->by = std::move(l).value();
    }
    if (!eat("(")) return bad("expected ( after sum");
    auto a = expr();
    if (!a.ok()) return a;
    if (!eat(")")) return bad("expected ) after the argument of sum");
    n->arg = std::move(a).value();
    if (n->by.empty() && eat("by")) {
      auto l = label_list();
      if (!l.ok()) return l.error();
      n->by = std::move(l).value();
    }
    return n;
  }

  Result<std::unique_ptr<Node>> selector(std::string metric) {
    auto n = std::make_unique<Node>();
    if (!metric.empty()) n->matchers.push_back({"__name__", "=", metric});
    if (eat("{")) {
      bool first = true;
      while (!eat("}")) {
        if (!first && !eat(",")) return bad("expected , or } in a selector");
        if (eat("}")) break;
        auto nm = name();
        if (!nm.ok()) return nm.error();
        std::string op = eat("=~") ? "=~" : eat("!=") ? "!=" : eat("=") ? "=" : "";
        if (op.empty()) {
          // A bare quoted name is the metric name.
          if (!first || !metric.empty()) return bad("expected a matcher operator after " + *nm);
          n->matchers.push_back({"__name__", "=", *nm});
        } else {
          auto v = string_lit();
          if (!v.ok()) return v.error();
          n->matchers.push_back({*nm, op, *v});
        }
        first = false;
      }
    }
    bool named = false;
    for (const auto& m : n->matchers) named |= m.name == "__name__" && m.op == "=";
    if (!named) return bad("a selector must name a metric");
    if (eat("[")) {
      skip();
      std::size_t b = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (b == i_ || i_ >= s_.size()) return bad("bad duration");
      // Found by fuzzing: std::stoll threw on 20 digits, and v * mult could overflow.
      std::int64_t v = 0;
      if (std::from_chars(s_.data() + b, s_.data() + i_, v).ec != std::errc()) return bad("bad duration");
      char u = s_[i_++];
      std::int64_t mult = u == 's' ? 1 : u == 'm' ? 60 : u == 'h' ? 3600 : u == 'd' ? 86400 : u == 'w' ? 604800 : 0;
      if (mult == 0 || v <= 0) return bad("bad duration unit");
      if (v > kMaxRangeSeconds / mult) return bad("range too long (at most 35d)");
      n->range = v * mult;
      if (!eat("]")) return bad("expected ]");
    }
    return n;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

bool matches(const Labels& labels, const std::vector<Matcher>& ms) {
  for (const auto& m : ms) {
    auto it = labels.find(m.name);
    std::string v = it == labels.end() ? "" : it->second;
    if (m.op == "=" && v != m.value) return false;
    if (m.op == "!=" && v == m.value) return false;
    if (m.op == "=~") {
      if (regex_has_long_number(m.value)) return false;  // see regex_guard.h
      try {
        if (!std::regex_match(v, std::regex(m.value))) return false;
      } catch (const std::regex_error&) {
        return false;
      }
    }
  }
  return true;
}

Labels without_name(Labels l) {
  l.erase("__name__");
  return l;
}

Result<std::vector<Element>> eval(const Node& n, std::int64_t t, const std::vector<Series>& series) {
  std::vector<Element> out;
  const std::int64_t end_minute = t / 60 * 60;  // minutes fully before t
  if (n.kind == Node::kSelector) {
    if (n.range > 0) return bad("a range vector cannot be the result of a query");
    for (const auto& s : series) {
      if (!matches(s.labels, n.matchers)) continue;
      Sample v = s.at(end_minute - 60);
      Element e;
      e.labels = s.labels;
      e.histogram = s.kind == SeriesKind::kHistogram;
      e.value = v.value;
      e.count = v.value;
      e.sum = v.sum;
      out.push_back(std::move(e));
    }
    return out;
  }
  if (n.kind == Node::kFunc && n.arg->kind == Node::kSelector && n.arg->range > 0) {
    const Node& sel = *n.arg;
    for (const auto& s : series) {
      if (!matches(s.labels, sel.matchers)) continue;
      double value = 0, sum = 0;
      for (std::int64_t m = end_minute - sel.range; m < end_minute; m += 60) {
        Sample v = s.at(m);
        value += v.value;
        sum += v.sum;
      }
      Element e;
      e.labels = without_name(s.labels);
      e.histogram = s.kind == SeriesKind::kHistogram;
      double div = n.func == "rate" ? static_cast<double>(sel.range) : 1.0;
      e.value = value / div;
      e.count = value / div;
      e.sum = sum / div;
      out.push_back(std::move(e));
    }
    return out;
  }
  auto in = eval(*n.arg, t, series);
  if (!in.ok()) return in;
  if (n.kind == Node::kFunc) {
    for (auto& e : *in) {
      if (!e.histogram) continue;  // histogram functions ignore float samples
      Element f;
      f.labels = without_name(std::move(e.labels));
      if (n.func == "histogram_avg") {
        if (e.count <= 0) continue;
        f.value = e.sum / e.count;
      } else if (n.func == "histogram_count") {
        f.value = e.count;
      } else {
        f.value = e.sum;
      }
      out.push_back(std::move(f));
    }
    return out;
  }
  // sum [by (...)]
  std::map<Labels, Element> groups;
  for (auto& e : *in) {
    Labels key;
    for (const auto& b : n.by)
      if (auto it = e.labels.find(b); it != e.labels.end()) key[b] = it->second;
    auto [it, fresh] = groups.try_emplace(key);
    Element& g = it->second;
    if (fresh) {
      g.labels = key;
      g.histogram = e.histogram;
    }
    g.value += e.value;
    g.count += e.count;
    g.sum += e.sum;
  }
  for (auto& [k, g] : groups) out.push_back(std::move(g));
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

json::object metric_of(const Labels& l) {
  json::object m;
  for (const auto& [k, v] : l) m[k] = v;
  return m;
}

json::value sample_json(const Element& e, std::int64_t t) {
  if (e.histogram)
    return json::array{t, json::object{{"count", number(e.count)}, {"sum", number(e.sum)}}};
  return json::array{t, number(e.value)};
}

}  // namespace

Result<std::vector<Element>> evaluate(std::string_view expr, std::int64_t t, const std::vector<Series>& series) {
  Parser p(expr);
  auto ast = p.parse_all();
  if (!ast.ok()) return ast.error();
  return eval(**ast, t, series);
}

Result<json::value> instant_query(std::string_view expr, std::int64_t t, const std::vector<Series>& series) {
  auto v = evaluate(expr, t, series);
  if (!v.ok()) return v.error();
  json::array result;
  for (const auto& e : *v) {
    json::object item{{"metric", metric_of(e.labels)}};
    item[e.histogram ? "histogram" : "value"] = sample_json(e, t);
    result.push_back(std::move(item));
  }
  return json::value(json::object{{"resultType", "vector"}, {"result", std::move(result)}});
}

Result<json::value> range_query(std::string_view expr, std::int64_t start, std::int64_t end, std::int64_t step,
                                const std::vector<Series>& series) {
  if (step <= 0 || end < start) return bad("invalid range: end before start or non-positive step");
  if ((end - start) / step > 11000) return bad("exceeded maximum resolution of 11,000 points per timeseries");
  Parser p(expr);
  auto ast = p.parse_all();
  if (!ast.ok()) return ast.error();
  std::map<Labels, json::array> rows;
  std::map<Labels, bool> hist;
  for (std::int64_t t = start; t <= end; t += step) {
    auto v = eval(**ast, t, series);
    if (!v.ok()) return v.error();
    for (const auto& e : *v) {
      rows[e.labels].push_back(sample_json(e, t));
      hist[e.labels] = e.histogram;
    }
  }
  json::array result;
  for (auto& [labels, values] : rows)
    result.push_back(json::object{{"metric", metric_of(labels)}, {hist[labels] ? "histograms" : "values", std::move(values)}});
  return json::value(json::object{{"resultType", "matrix"}, {"result", std::move(result)}});
}

Result<std::vector<const Series*>> match_series(const std::vector<std::string>& selectors,
                                                const std::vector<Series>& series) {
  std::vector<const Series*> out;
  if (selectors.empty()) {
    for (const auto& s : series) out.push_back(&s);
    return out;
  }
  std::vector<std::unique_ptr<Node>> nodes;
  for (const auto& sel : selectors) {
    Parser p(sel);
    auto ast = p.parse_all();
    if (!ast.ok()) return ast.error();
    if ((*ast)->kind != Node::kSelector || (*ast)->range > 0) return bad("match[] must be a series selector");
    nodes.push_back(std::move(ast).value());
  }
  for (const auto& s : series)
    for (const auto& n : nodes)
      if (matches(s.labels, n->matchers)) {
        out.push_back(&s);
        break;
      }
  return out;
}

}  // namespace appsignals::fakeaws::promql
