// list_change_events: deployments and configuration changes in a window, as compact JSON. With
// service_key_attributes and comprehensive_history (the default): every ListEntityEvents page
// of that service. Otherwise ListServiceStates (every page), each service's latest change
// events, filtered to the service when key attributes are given.
#include <algorithm>
#include <cctype>
#include <map>

#include <boost/beast/core/string.hpp>

#include "tools/common/service_listing.h"
#include "tools/changes/changes_tools.h"
#include "tools/common/name_match.h"
#include "tools/common/json_access.h"
#include "tools/common/tool_errors.h"

namespace appsignals::tools::changes {

namespace {

constexpr std::int64_t kApiPageSize = 250;  // ListEntityEvents / ListServiceStates maximum

namespace json = boost::json;

constexpr int kMaxPages = 50;

struct Event {
  std::int64_t time = 0;
  json::object item;
};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Key attributes as given, with canonical key spelling (type → Type) and Type defaulting to Service.
json::object canonical_keys(const json::object& given) {
  json::object out;
  for (const auto& [k, v] : given) {
    std::string key(k);
    for (auto canonical : {"Type", "Name", "Environment", "AwsAccountId", "ResourceType", "Identifier"})
      if (equal_ignoring_case(key, canonical)) key = canonical;
    if (v.is_string()) out[key] = v.get_string();
  }
  if (!out.contains("Type") && out.contains("Name")) out["Type"] = "Service";
  return out;
}

bool matches(const json::object& entity, const json::object& wanted) {
  for (const auto& [k, v] : wanted)
    if (v.is_string() && !equal_ignoring_case(jv::view(entity, k), v.get_string())) return false;
  return true;
}

json::object event_item(const json::object& e, std::int64_t now) {
  std::int64_t t = jv::integer(e, "Timestamp");
  json::object o;
  o["event_id"] = jv::str(e, "EventId");
  o["event_name"] = jv::str(e, "EventName");
  o["change_event_type"] = jv::str(e, "ChangeEventType");
  o["timestamp"] = format_iso(TimePoint(std::chrono::seconds(t)));
  o["seconds_since_event"] = now - t;
  o["service"] = jv::str(jv::obj(e, "Entity"), "Name");
  o["environment"] = jv::str(jv::obj(e, "Entity"), "Environment");
  o["account_id"] = jv::str(e, "AccountId");
  o["region"] = jv::str(e, "Region");
  o["user_name"] = jv::str(e, "UserName");
  return o;
}

Event event_of(const json::object& e, std::int64_t now) { return Event{jv::integer(e, "Timestamp"), event_item(e, now)}; }

json::object window_input(std::int64_t start, std::int64_t end, std::int64_t max_results) {
  json::object input;
  input["StartTime"] = start;
  input["EndTime"] = end;
  input["MaxResults"] = max_results;
  return input;
}

json::object result_of(std::vector<Event>& events, std::size_t cap, const std::string& source,
                       std::int64_t start, std::int64_t end, const json::object& keys) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.time > b.time; });
  std::map<std::string, std::int64_t> by_type;
  for (const auto& e : events) ++by_type[std::string(jv::view(e.item, "change_event_type"))];
  json::array list;
  for (std::size_t i = 0; i < events.size() && i < cap; ++i) list.push_back(events[i].item);
  json::object types;
  for (const auto& [t, n] : by_type) types[t] = n;
  json::object out;
  out["change_events"] = std::move(list);
  out["total_events"] = static_cast<std::int64_t>(events.size());
  out["events_by_type"] = std::move(types);
  out["source"] = source;
  out["time_range"] = json::object{{"start", format_iso(TimePoint(std::chrono::seconds(start)))},
                                   {"end", format_iso(TimePoint(std::chrono::seconds(end)))}};
  if (!keys.empty()) out["service_key_attributes"] = keys;
  if (events.size() > cap)
    out["note"] = "showing the newest " + std::to_string(cap) + " of " + std::to_string(events.size()) +
                  " events (max_results); totals count all";
  else if (events.empty())
    out["note"] = "no deployment or configuration change in this window" +
                  std::string(keys.empty() ? "" : " for this service") + "; widen the window to look further back";
  return out;
}

// Resolves the service named in `keys` among those of the window (ListServices): fills a missing
// Environment and corrects the name's spelling; an unknown name is an error with the closest.
struct Resolved {
  json::object keys;
  std::optional<mcp::ToolResult> failure;
  std::string note;
};

boost::asio::awaitable<Resolved> resolve_service(std::shared_ptr<const aws::AwsClients> clients, json::object keys,
                                                 std::int64_t start, std::int64_t end) {
  Resolved out;
  out.keys = std::move(keys);
  if (!out.keys.contains("Name")) co_return out;
  if (!boost::beast::iequals(jv::view(out.keys, "Type"), "Service")) {
    if (out.keys.contains("Type")) co_return out;  // a resource or remote service: used as given
    out.keys["Type"] = "Service";
  }
  out.keys["Type"] = "Service";
  auto page = co_await list_service_summaries(clients, start, end);
  if (!page) {
    out.failure = aws_failure(page.error(), aws::ops::kListServices);
    co_return out;
  }
  std::vector<std::string> names;
  for (const auto& s : page->services) {
    auto n = jv::str(jv::obj(s, "KeyAttributes"), "Name");
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  std::string query = jv::str(out.keys, "Name");
  auto resolved = resolve_name(query, names);
  if (!resolved.name) {
    out.failure = argument_failure(not_found_text("service", query, resolved, names.size()) +
                                   "\n(services that reported between the start_time and end_time given)");
    co_return out;
  }
  out.note = resolved.note("service name", query);
  out.keys["Name"] = *resolved.name;
  if (!out.keys.contains("Environment")) {
    std::vector<std::string> environments;
    for (const auto& s : page->services) {
      const auto& k = jv::obj(s, "KeyAttributes");
      if (jv::view(k, "Name") == *resolved.name) environments.push_back(jv::str(k, "Environment"));
    }
    if (!environments.empty()) out.keys["Environment"] = environments.front();
    if (environments.size() > 1) {
      std::string list;
      for (const auto& e : environments) list += (list.empty() ? "" : ", ") + e;
      out.note += std::string(out.note.empty() ? "" : " ") + "The service runs in " +
                  std::to_string(environments.size()) + " environments (" + list + "); showing " +
                  environments.front() + ": name Environment in service_key_attributes for another.";
    }
  }
  co_return out;
}

boost::asio::awaitable<mcp::ToolResult> run(ToolCall call) {
  std::int64_t start = call.args.integer("start_time"), end = call.args.integer("end_time");
  if (end <= start) co_return argument_failure("end_time must be after start_time");
  std::int64_t max_results = call.args.integer("max_results", 100);
  bool comprehensive = call.args.boolean("comprehensive_history", true);
  auto clients = call.aws();
  if (!clients) co_return aws_failure(clients.error(), aws::ops::kListServiceStates);
  std::shared_ptr<const aws::AwsClients> c = *clients;
  std::int64_t now = epoch_seconds(call.now());

  json::object keys = canonical_keys(jv::as_obj(call.args.json("service_key_attributes")));
  if (!keys.empty()) {
    if (!keys.contains("Name") && !keys.contains("Identifier"))
      co_return argument_failure(
          "service_key_attributes must name the service: {\"Type\":\"Service\",\"Name\":\"payments\","
          "\"Environment\":\"ecs:shop-cluster\"} (Environment is looked up when left out)");
    auto resolved = co_await resolve_service(c, keys, start, end);
    if (resolved.failure) co_return std::move(*resolved.failure);
    if (!resolved.note.empty()) call.note(resolved.note);
    keys = std::move(resolved.keys);
  }

  std::vector<Event> events;
  std::string source;
  if (!keys.empty() && comprehensive) {
    source = "ListEntityEvents";
    // Pages of the API's maximum, whatever max_results shows: the totals count every event read.
    json::object input = window_input(start, end, kApiPageSize);
    input["Entity"] = keys;
    auto page = co_await c->application_signals.paginate(aws::ops::kListEntityEvents, input, kMaxPages);
    if (!page) co_return aws_failure(page.error(), aws::ops::kListEntityEvents);
    if (!page->next_token.empty())
      call.note("More change events exist than the " + std::to_string(kMaxPages) +
                " pages read: the totals are lower bounds; narrow the window to see them all.");
    for (const auto& e : page->items) {
      events.push_back(event_of(jv::as_obj(e), now));
    }
  } else {
    source = "ListServiceStates";
    json::object input = window_input(start, end, kApiPageSize);
    auto page = co_await c->application_signals.paginate(aws::ops::kListServiceStates, input, kMaxPages);
    if (!page) co_return aws_failure(page.error(), aws::ops::kListServiceStates);
    if (!page->next_token.empty())
      call.note("More services exist than the " + std::to_string(kMaxPages) +
                " pages read: the totals are lower bounds; name a service to see all of its events.");
    for (const auto& s : page->items) {
      const auto& state = jv::as_obj(s);
      if (!keys.empty() && !matches(jv::obj(state, "Service"), keys)) continue;
      for (const auto& e : jv::arr(state, "LatestChangeEvents")) {
        events.push_back(event_of(jv::as_obj(e), now));
      }
    }
  }
  auto cap = static_cast<std::size_t>(max_results);
  co_return mcp::ToolResult::structured(result_of(events, cap, source, start, end, keys));
}

json::object output_schema() {
  auto prop = [](std::string_view type, std::string_view d) { return json::object{{"type", type}, {"description", d}}; };
  json::object props;
  props["change_events"] = json::object{
      {"type", "array"},
      {"items", json::object{{"type", "object"}}},
      {"description",
       "Newest first: event_id, event_name, change_event_type (DEPLOYMENT or CONFIGURATION), timestamp (ISO-8601 "
       "UTC), seconds_since_event, service, environment, account_id, region, user_name"}};
  props["total_events"] = prop("integer", "Every event found (not only those listed)");
  props["events_by_type"] = prop("object", "Count per change_event_type, over every event found");
  props["source"] = prop("string", "ListEntityEvents (one service's full history) or ListServiceStates");
  props["time_range"] = prop("object", "{start, end} as ISO-8601 UTC");
  props["service_key_attributes"] = prop("object", "The service the events were restricted to");
  props["note"] = prop("string", "What was left out or why the list is empty");
  json::object schema;
  schema["type"] = "object";
  schema["properties"] = std::move(props);
  schema["required"] = json::array{"change_events", "total_events", "events_by_type"};
  return schema;
}

}  // namespace

ToolEntry list_change_events_tool() {
  ToolSpec spec;
  spec.name = "list_change_events";
  spec.title = "List change events";
  spec.description =
      "What changed: deployments and configuration changes recorded by Application Signals in a window, newest "
      "first, as JSON (event id and name, type, time and seconds since, account, region, user), with totals by "
      "type. Use it to correlate an incident with a deployment. With service_key_attributes (e.g. "
      "{\"Type\":\"Service\",\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"}; Environment is looked "
      "up when left out) and comprehensive_history=true (the default) it returns that service's full change "
      "history; otherwise each service's latest changes, all services or the one named.";
  spec.args = {
      arg::time("start_time", "Start of the window (unix seconds, ISO-8601, or relative such as '3h').")
          .require()
          .eg("\"now-3h\""),
      arg::time("end_time", "End of the window (e.g. 'now').").require().eg("\"now\""),
      arg::json_text("service_key_attributes",
                     "JSON object naming one service: {\"Type\":\"Service\",\"Name\":\"payments\",\"Environment\":"
                     "\"ecs:shop-cluster\"} (Type defaults to Service; Environment is looked up when left out).",
                     "object")
          .eg("{\"Type\":\"Service\",\"Name\":\"payments\",\"Environment\":\"ecs:shop-cluster\"}"),
      arg::integer("max_results", "Most events listed (the totals count all), 1-250.", 100, 1, 250),
      arg::region(),
      arg::boolean("comprehensive_history",
                   "With service_key_attributes: the service's full event history (ListEntityEvents); false: only "
                   "its latest changes (ListServiceStates).",
                   true),
  };
  spec.ops = {aws::ops::kListEntityEvents, aws::ops::kListServiceStates, aws::ops::kListServices};
  spec.output_schema = output_schema();
  spec.narrow_hint = "narrow the window or name one service with service_key_attributes";
  return {std::make_shared<const ToolSpec>(std::move(spec)), &run};
}

}  // namespace appsignals::tools::changes
