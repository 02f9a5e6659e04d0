// Logs Insights subset: evaluation of a parsed query over rows (semantics in logs_insights.h).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "fakeaws/query/logs_insights.h"

namespace appsignals::fakeaws::insights {
namespace {

const std::string* get(const Row& row, std::string_view field) {
  for (const auto& [name, value] : row)
    if (name == field) return &value;
  return nullptr;
}

void set(Row& row, const std::string& field, std::string value) {
  for (auto& [name, v] : row)
    if (name == field) {
      v = std::move(value);
      return;
    }
  row.emplace_back(field, std::move(value));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The whole text as a number ("12", "-3.5", "1e9"); not "inf", "nan", "0x1" or " 1".
std::optional<double> as_number(std::string_view s) {
  if (s.empty() || !(is_digit(s.front()) || s.front() == '-' || s.front() == '.')) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

template <typename T>
int three_way(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Logs Insights' natural order (ascending): non-numbers before numbers; among non-numbers,
// runs of digits compare by length then value, other characters by code point.
int natural_compare(std::string_view a, std::string_view b) {
  auto na = as_number(a), nb = as_number(b);
  if (na && nb) return three_way(*na, *nb);
  if (na || nb) return na ? 1 : -1;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      if (int c = three_way(ei - i, ej - j)) return c;
      if (int c = a.substr(i, ei - i).compare(b.substr(j, ej - j))) return c < 0 ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    if (int c = three_way(static_cast<unsigned char>(a[i]), static_cast<unsigned char>(b[j]))) return c;
    ++i;
    ++j;
  }
  return three_way(a.size() - i, b.size() - j);
}

// Absent values sort last in either direction.
int compare_optional(const std::string* a, const std::string* b, bool descending) {
  if (!a || !b) return a == b ? 0 : (a ? -1 : 1);
  int c = natural_compare(*a, *b);
  return descending ? -c : c;
}

// ---- conditions ----

struct Value {
  const Operand* operand;
  std::string_view text;
};

std::optional<Value> resolve(const Row& row, const Operand& o) {
  if (o.kind != Operand::Kind::kField) return Value{&o, o.text};
  const std::string* v = get(row, o.text);
  if (!v) return std::nullopt;
  return Value{&o, *v};
}

// nullopt: not comparable (absent, or a number literal against a non-number).
std::optional<int> compare(const Value& a, const Value& b) {
  using K = Operand::Kind;
  if (a.operand->kind == K::kString || b.operand->kind == K::kString) {
    int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  auto na = a.operand->kind == K::kNumber ? std::optional<double>(a.operand->number) : as_number(a.text);
  auto nb = b.operand->kind == K::kNumber ? std::optional<double>(b.operand->number) : as_number(b.text);
  if (na && nb) return three_way(*na, *nb);
  if (a.operand->kind == K::kNumber || b.operand->kind == K::kNumber) return std::nullopt;
  int c = a.text.compare(b.text);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool regex_matches(const std::regex& re, std::string_view value) {
  value = value.substr(0, kMaxRegexSubject);
  try {
    return std::regex_match(value.begin(), value.end(), re);
  } catch (const std::regex_error&) {  // error_complexity / error_stack: treated as no match
    return false;
  }
}

bool holds(const Condition& c, const Row& row) {
  using K = Condition::Kind;
  switch (c.kind) {
    case K::kAnd: return holds(c.children[0], row) && holds(c.children[1], row);
    case K::kOr: return holds(c.children[0], row) || holds(c.children[1], row);
    case K::kNot: return !holds(c.children[0], row);
    case K::kIsPresent: return get(row, c.lhs.text) != nullptr;
    default: break;
  }
  auto lhs = resolve(row, c.lhs);
  if (!lhs) return false;
  switch (c.kind) {
    case K::kCompare: {
      auto rhs = resolve(row, c.rhs);
      if (!rhs) return false;
      auto r = compare(*lhs, *rhs);
      if (!r) return false;
      switch (c.op) {
        case CompareOp::kEq: return *r == 0;
        case CompareOp::kNe: return *r != 0;
        case CompareOp::kLt: return *r < 0;
        case CompareOp::kLe: return *r <= 0;
        case CompareOp::kGt: return *r > 0;
        case CompareOp::kGe: return *r >= 0;
      }
      return false;
    }
    case K::kSubstring: return (lhs->text.find(c.rhs.text) != std::string_view::npos) != c.negated;
    case K::kRegex: return regex_matches(*c.regex, lhs->text) != c.negated;
    case K::kIn: {
      bool found = false;
      for (const auto& item : c.list) {
        Value v{&item, item.text};
        auto r = compare(*lhs, v);
        found = found || (r && *r == 0);
      }
      return found != c.negated;
    }
    default: return false;
  }
}

// ---- stats ----

struct Accumulator {
  std::int64_t count = 0;
  std::vector<double> numbers;
  std::set<std::string> distinct;
};

struct KeyLess {
  bool operator()(const std::vector<std::optional<std::string>>& a,
                  const std::vector<std::optional<std::string>>& b) const {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      int c = compare_optional(a[i] ? &*a[i] : nullptr, b[i] ? &*b[i] : nullptr, false);
      if (c) return c < 0;
    }
    return a.size() < b.size();
  }
};

std::optional<std::string> group_value(const GroupKey& k, const Row& row) {
  if (k.bin_ms == 0) {
    const std::string* v = get(row, k.field);
    return v ? std::optional<std::string>(*v) : std::nullopt;
  }
  const std::string* ts = get(row, "@timestamp");
  std::int64_t ms = 0;
  if (!ts || !parse_time(*ts, ms)) return std::nullopt;
  std::int64_t floored = ms - ((ms % k.bin_ms) + k.bin_ms) % k.bin_ms;
  return format_time(floored);
}

void accumulate(const Aggregate& a, const Row& row, Accumulator& acc) {
  using F = Aggregate::Fn;
  if (a.fn == F::kCountAll) {
    ++acc.count;
    return;
  }
  const std::string* v = get(row, a.field);
  if (!v) return;
  if (a.fn == F::kCount) {
    ++acc.count;
  } else if (a.fn == F::kCountDistinct) {
    acc.distinct.insert(*v);
  } else if (auto n = as_number(*v)) {
    acc.numbers.push_back(*n);
  }
}

std::optional<std::string> result(const Aggregate& a, Accumulator& acc) {
  using F = Aggregate::Fn;
  switch (a.fn) {
    case F::kCountAll:
    case F::kCount: return std::to_string(acc.count);
    case F::kCountDistinct: return std::to_string(acc.distinct.size());
    default: break;
  }
  auto& xs = acc.numbers;
  if (xs.empty()) return std::nullopt;
  switch (a.fn) {
    case F::kSum:
    case F::kAvg: {
      double sum = 0;
      for (double x : xs) sum += x;
      return format_number(a.fn == F::kSum ? sum : sum / static_cast<double>(xs.size()));
    }
    case F::kMin: return format_number(*std::min_element(xs.begin(), xs.end()));
    case F::kMax: return format_number(*std::max_element(xs.begin(), xs.end()));
    case F::kPct: {
      std::sort(xs.begin(), xs.end());
      // Nearest rank.
      auto rank = static_cast<std::size_t>(std::ceil(a.percentile / 100.0 * static_cast<double>(xs.size())));
      return format_number(xs[std::clamp<std::size_t>(rank, 1, xs.size()) - 1]);
    }
    default: return std::nullopt;
  }
}

std::vector<Row> run_stats(const Command& c, const std::vector<Row>& rows) {
  using Key = std::vector<std::optional<std::string>>;
  std::map<Key, std::vector<Accumulator>, KeyLess> groups;
  if (c.groups.empty()) groups[Key{}].resize(c.aggregates.size());
  for (const auto& row : rows) {
    Key key;
    for (const auto& g : c.groups) key.push_back(group_value(g, row));
    auto& accs = groups[key];
    accs.resize(c.aggregates.size());
    for (std::size_t i = 0; i < c.aggregates.size(); ++i) accumulate(c.aggregates[i], row, accs[i]);
  }
  std::vector<Row> out;
  for (auto& [key, accs] : groups) {
    Row r;
    for (std::size_t i = 0; i < c.groups.size(); ++i)
      if (key[i]) set(r, c.groups[i].name, *key[i]);
    for (std::size_t i = 0; i < c.aggregates.size(); ++i)
      if (auto v = result(c.aggregates[i], accs[i])) set(r, c.aggregates[i].name, std::move(*v));
    out.push_back(std::move(r));
  }
  return out;
}

void add_column(std::vector<std::string>& columns, const std::string& name) {
  if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
}

}  // namespace

Evaluation evaluate(const Query& query, std::vector<Row> rows, std::size_t max_rows) {
  Evaluation ev;
  ev.matched = static_cast<std::int64_t>(rows.size());
  std::vector<std::string> columns;  // empty: every field
  bool aggregated = false;
  for (const auto& c : query.commands) {
    switch (c.kind) {
      case Command::Kind::kFilter:
        std::erase_if(rows, [&c](const Row& r) { return !holds(c.condition, r); });
        if (!aggregated) ev.matched = static_cast<std::int64_t>(rows.size());
        break;
      case Command::Kind::kFields:
        for (const auto& f : c.fields) {
          if (f.name != f.field)
            for (auto& r : rows)
              if (const std::string* v = get(r, f.field)) set(r, f.name, std::string(*v));
          add_column(columns, f.name);
        }
        break;
      case Command::Kind::kDisplay:
        columns.clear();
        for (const auto& f : c.fields) add_column(columns, f.name);
        break;
      case Command::Kind::kStats:
        rows = run_stats(c, rows);
        aggregated = true;
        columns.clear();
        for (const auto& g : c.groups) add_column(columns, g.name);
        for (const auto& a : c.aggregates) add_column(columns, a.name);
        break;
      case Command::Kind::kSort:
        std::stable_sort(rows.begin(), rows.end(), [&c](const Row& a, const Row& b) {
          for (const auto& k : c.sort)
            if (int r = compare_optional(get(a, k.field), get(b, k.field), k.descending)) return r < 0;
          return false;
        });
        break;
      case Command::Kind::kLimit:
        if (rows.size() > static_cast<std::size_t>(c.limit)) rows.resize(static_cast<std::size_t>(c.limit));
        break;
    }
  }
  if (rows.size() > max_rows) rows.resize(max_rows);
  if (!columns.empty()) {
    if (!aggregated) add_column(columns, "@ptr");
    for (auto& r : rows) {
      Row projected;
      for (const auto& name : columns)
        if (const std::string* v = get(r, name)) projected.emplace_back(name, *v);
      r = std::move(projected);
    }
  }
  ev.rows = std::move(rows);
  return ev;
}

std::string format_time(std::int64_t epoch_ms) {
  std::int64_t ms = ((epoch_ms % 1000) + 1000) % 1000;
  auto secs = static_cast<std::time_t>((epoch_ms - ms) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms));
  return buf;
}

bool parse_time(std::string_view s, std::int64_t& epoch_ms) {
  // "YYYY-MM-DD HH:MM:SS.mmm"
  if (s.size() != 23 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[19] != '.')
    return false;
  auto num = [&s](std::size_t pos, std::size_t len, int& out) {
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  int y, mo, d, h, mi, se, ms;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se) ||
      !num(20, 3, ms) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
    return false;
  // Days from civil (Howard Hinnant's algorithm).
  int yy = y - (mo <= 2 ? 1 : 0);
  std::int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  std::int64_t yoe = yy - era * 400;
  std::int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = era * 146097 + doe - 719468;
  epoch_ms = (days * 86400 + h * 3600 + mi * 60 + se) * 1000 + ms;
  return true;
}

}  // namespace appsignals::fakeaws::insights
