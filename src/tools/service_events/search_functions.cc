// search_functions_by_name: the monitored functions (values of the function.name label, CloudWatch
// PromQL GetLabels) whose names match a query: every word of the query, ignoring case and the
// separators . _ - and space; '*' globs; the closest names when nothing matches.
#include <algorithm>
#include <cctype>

#include "tools/common/name_match.h"
#include "tools/service_events/scope_args.h"
#include "tools/service_events/se_common.h"
#include "tools/service_events/service_events_tools.h"

namespace appsignals::tools::service_events {
namespace {

namespace asio = boost::asio;

// Lower case without separators: "Ledger_Write" → "ledgerwrite".
std::string folded(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '.' || c == '_' || c == '-' || c == ' ' || c == '/' || c == ':') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::vector<std::string> words(std::string_view q) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : q) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!folded(cur).empty()) out.push_back(folded(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!folded(cur).empty()) out.push_back(folded(cur));
  return out;
}

// 0: no match; higher ranks first (exact 4, last segment exact 3, prefix 2, contains 1).
int match_rank(std::string_view query, const std::vector<std::string>& qwords, const std::string& name) {
  if (has_wildcard(query)) return glob_match(query, name) ? 1 : 0;
  const std::string f = folded(name);
  for (const auto& w : qwords)
    if (f.find(w) == std::string::npos) return 0;
  const std::string q = folded(query);
  if (f == q) return 4;
  std::string last = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
  if (folded(last) == q) return 3;
  if (f.rfind(q, 0) == 0) return 2;
  return 1;
}

asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  const std::string query = call.args.str("query");
  const std::int64_t limit = call.args.integer("limit", 20);
  auto clients_r = call.aws();
  if (!clients_r) co_return aws_failure(clients_r.error(), aws::ops::kGetLabels);
  aws::PromqlClient promql((*clients_r)->cloudwatch.raw());
  aws::LabelMatchers matchers = scope_matchers(call.args);
  auto names_r = co_await function_names(promql, matchers);
  if (auto* f = std::get_if<Failure>(&names_r)) co_return aws_failure(f->error, f->op);
  const auto names = std::get<std::vector<std::string>>(std::move(names_r));
  const auto qwords = words(query);
  struct Hit {
    int rank;
    std::string name;
  };
  std::vector<Hit> hits;
  for (const auto& n : names)
    if (int r = match_rank(query, qwords, n); r > 0) {
      Hit h;
      h.rank = r;
      h.name = n;
      hits.push_back(std::move(h));
    }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.rank != b.rank) return a.rank > b.rank;
    return a.name < b.name;
  });
  json::object out;
  out["data_source"] = "cloudwatch_metrics_v2";
  out["query"] = query;
  json::object scope;
  for (const auto& [k, v] : matchers) scope[k] = v;
  if (!scope.empty()) out["scope"] = std::move(scope);
  out["monitored_functions"] = static_cast<std::int64_t>(names.size());
  out["total_matches"] = static_cast<std::int64_t>(hits.size());
  json::array list;
  for (std::size_t i = 0; i < hits.size() && static_cast<std::int64_t>(i) < limit; ++i)
    list.push_back(json::string(hits[i].name));
  out["functions"] = std::move(list);
  if (static_cast<std::int64_t>(hits.size()) > limit)
    out["more"] = std::to_string(hits.size() - static_cast<std::size_t>(limit)) +
                  " more matches are not listed; raise limit or use a longer query.";
  if (names.empty()) {
    out["message"] = "No function metrics (service.function.duration) in this scope. Functions are measured only "
                     "for services instrumented with Application Signals service events.";
  } else if (hits.empty()) {
    json::array closest;
    for (const auto& c : closest_names(query, names, 5)) closest.push_back(json::string(c.name));
    out["closest"] = std::move(closest);
    out["message"] = "No monitored function name contains every word of the query; the closest names are listed.";
  } else {
    out["next_step"] = "get_function_metrics(function_name=\"" + hits[0].name + "\") for its calls, errors and duration.";
  }
  co_return mcp::ToolResult::structured(std::move(out));
}

json::object output_schema() {
  json::object props;
  props["data_source"] = prop("string", "cloudwatch_metrics_v2 (PromQL label values)");
  props["query"] = prop("string", "The query");
  props["scope"] = prop("object", "The label matchers applied (service, environment, endpoint)");
  props["monitored_functions"] = prop("integer", "Function names known in the scope");
  props["total_matches"] = prop("integer", "Names that match");
  json::object fns = prop("array", "Matching function names, best match first");
  fns["items"] = json::object{{"type", "string"}};
  props["functions"] = std::move(fns);
  props["more"] = prop("string", "How many matches were left out");
  json::object closest = prop("array", "When nothing matches: the nearest names");
  closest["items"] = json::object{{"type", "string"}};
  props["closest"] = std::move(closest);
  props["message"] = prop("string", "Why the list is empty");
  props["next_step"] = prop("string", "The call to make next");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"data_source", "functions"};
  return schema;
}

}  // namespace

ToolEntry search_functions_by_name_tool() {
  ToolSpec spec;
  spec.name = "search_functions_by_name";
  spec.title = "Search functions by name";
  spec.description =
      "Finds monitored functions (Application Signals service events, CloudWatch PromQL label values of "
      "function.name) by name: every word of the query must appear, ignoring case and separators, so \"ledger "
      "write\" finds payments.ledger.write_entry; '*' works as a wildcard. Exact and last-segment matches come "
      "first; when nothing matches, the closest names are given. Use the result as function_name of "
      "get_function_metrics.";
  spec.args = {
      arg::string("query", "Words or a fragment of the function name, e.g. \"write_entry\" or \"ledger write\".")
          .require()
          .eg("\"write_entry\""),
      arg::integer("limit", "Most names listed.", 20, 1, 500),
      service_name_arg(),
      environment_arg(),
      endpoint_arg(),
  };
  spec.ops = {aws::ops::kGetLabels};
  spec.output_schema = output_schema();
  spec.narrow_hint = "lower limit, or use a longer query";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::service_events
