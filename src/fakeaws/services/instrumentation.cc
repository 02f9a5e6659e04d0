// Application Signals dynamic instrumentation configurations (see instrumentation.h): create,
// list, get, delete, batch delete and status, kept in memory per account and region.
#include "fakeaws/services/instrumentation.h"

#include <algorithm>
#include <cstdio>

#include <boost/json/array.hpp>

#include "fakeaws/services/services.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

constexpr ErrorKind kConflict{"ConflictException", 409};

std::string store_key(const SampleAccount& account, const std::string& region) {
  return account.account_id + "|" + region;
}

std::string model_language(const std::string& sample_language) {
  if (sample_language == "java") return "Java";
  if (sample_language == "python") return "Python";
  if (sample_language == "nodejs") return "Javascript";
  return sample_language.empty() ? "" : sample_language;
}

InstrumentationConfig make_config(const SampleAccount& account, const std::string& region, std::string type,
                                  std::string service, std::string environment, json::object code_location,
                                  json::object capture, double created_at) {
  InstrumentationConfig c;
  c.type = std::move(type);
  c.service = std::move(service);
  c.environment = std::move(environment);
  c.code_location = std::move(code_location);
  c.capture = std::move(capture);
  c.created_at = created_at;
  c.location_hash = instrumentation_location_hash(c.type, c.service, c.environment, c.code_location);
  c.arn = "arn:aws:application-signals:" + region + ":" + account.account_id + ":instrumentationConfig/" + c.service +
          "/" + c.location_hash;
  return c;
}

json::object code_capture(json::array arguments, json::array locals, std::int64_t max_hits) {
  json::object cc{{"CaptureReturn", true}, {"CaptureStackTrace", true},
                  {"CaptureLimits", json::object{{"MaxHits", max_hits}}}};
  if (!arguments.empty()) cc["CaptureArguments"] = std::move(arguments);
  if (!locals.empty()) cc["CaptureLocals"] = std::move(locals);
  return json::object{{"CodeCapture", std::move(cc)}};
}

// The sample account's configurations: a breakpoint on the payments charge path (ACTIVE, with
// snapshots) and a probe on inventory's reservation.
std::vector<InstrumentationConfig> seeds(const SampleAccount& account, const std::string& region, std::int64_t anchor) {
  std::vector<InstrumentationConfig> out;
  if (region != account.region) return out;
  auto bp = make_config(account, region, "BREAKPOINT", "payments", "ecs:shop-cluster",
                        json::object{{"Language", "Java"},
                                     {"FilePath", "src/main/java/com/shop/payments/ChargeService.java"},
                                     {"CodeUnit", "com.shop.payments"},
                                     {"ClassName", "ChargeService"},
                                     {"MethodName", "charge"}},
                        code_capture(json::array{"orderId", "amount"}, {}, 10), static_cast<double>(anchor - 7200));
  bp.description = "payments charge path";
  bp.expires_at = static_cast<double>(anchor - 7200 + 24 * 3600);
  out.push_back(std::move(bp));
  auto probe = make_config(account, region, "PROBE", "inventory", "ecs:shop-cluster",
                           json::object{{"Language", "Python"},
                                        {"FilePath", "inventory/reserve.py"},
                                        {"CodeUnit", "inventory.reserve"},
                                        {"MethodName", "reserve_stock"}},
                           code_capture({}, {}, 100), static_cast<double>(anchor - 3600));
  probe.description = "inventory reservation timing";
  out.push_back(std::move(probe));
  return out;
}

// The store of (account, region); the caller holds state.mu.
std::vector<InstrumentationConfig>& store(Call& call) {
  auto key = store_key(call.account, call.region);
  auto it = call.state.instrumentation.find(key);
  if (it == call.state.instrumentation.end())
    it = call.state.instrumentation.emplace(key, seeds(call.account, call.region, call.anchor())).first;
  return it->second;
}

double now_of(const Call& call) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(call.now.time_since_epoch()).count());
}

bool expired(const InstrumentationConfig& c, double now) { return c.expires_at && *c.expires_at <= now; }

json::object location_of(const InstrumentationConfig& c) { return json::object{{"CodeLocation", c.code_location}}; }

json::object config_object(const InstrumentationConfig& c, bool with_service_env) {
  json::object o{{"InstrumentationType", c.type}};
  if (with_service_env) {
    o["Service"] = c.service;
    o["Environment"] = c.environment;
  }
  o["SignalType"] = "SNAPSHOT";
  o["Location"] = location_of(c);
  o["LocationHash"] = c.location_hash;
  if (!c.description.empty()) o["Description"] = c.description;
  if (c.expires_at) o["ExpiresAt"] = *c.expires_at;
  if (!c.attribute_filters.is_null()) o["AttributeFilters"] = c.attribute_filters;
  o["CaptureConfiguration"] = c.capture;
  o["CreatedAt"] = c.created_at;
  o["ARN"] = c.arn;
  return o;
}

// The configuration a Get/Delete/Status request names (type, service, environment and a
// LocationIdentifier: LocationHash or CodeLocation); nullptr with *err set when none.
std::vector<InstrumentationConfig>::iterator find_config(Call& call, std::vector<InstrumentationConfig>& configs,
                                                         ApiError* err) {
  auto type = str_arg(call.input, "InstrumentationType");
  auto service = str_arg(call.input, "Service");
  auto env = str_arg(call.input, "Environment");
  const auto* id = obj_arg(call.input, "LocationIdentifier");
  std::string hash;
  if (id) {
    if (const auto* cl = obj_arg(*id, "CodeLocation")) hash = instrumentation_location_hash(type, service, env, *cl);
    else hash = str_arg(*id, "LocationHash");
  }
  if (hash.empty()) {
    *err = make_error(call.traits().validation, "LocationIdentifier must set LocationHash or CodeLocation");
    return configs.end();
  }
  auto it = std::find_if(configs.begin(), configs.end(), [&](const InstrumentationConfig& c) {
    return c.location_hash == hash && c.type == type && c.service == service && c.environment == env;
  });
  if (it == configs.end() || expired(*it, now_of(call)))
    *err = make_error(call.traits().not_found, "No " + type + " instrumentation configuration with location hash " +
                                                   hash + " for service " + service + " in environment " + env);
  return it;
}

OpResult create_config(Call& call) {
  const auto* location = obj_arg(call.input, "Location");
  const auto* code_location = location ? obj_arg(*location, "CodeLocation") : nullptr;
  if (!code_location) return make_error(call.traits().validation, "Location must set CodeLocation");
  const auto* capture = obj_arg(call.input, "CaptureConfiguration");
  if (!capture || !obj_arg(*capture, "CodeCapture"))
    return make_error(call.traits().validation, "CaptureConfiguration must set CodeCapture");
  const double now = now_of(call);
  auto expires = time_arg(call.input, "ExpiresAt");
  if (expires && *expires <= now) return make_error(call.traits().validation, "ExpiresAt must be in the future");
  auto c = make_config(call.account, call.region, str_arg(call.input, "InstrumentationType"),
                       str_arg(call.input, "Service"), str_arg(call.input, "Environment"), *code_location, *capture,
                       now);
  c.description = str_arg(call.input, "Description");
  c.expires_at = expires;
  if (const auto* f = call.input.if_contains("AttributeFilters")) c.attribute_filters = *f;
  std::lock_guard lock(call.state.mu);
  auto& configs = store(call);
  for (const auto& existing : configs)
    if (existing.location_hash == c.location_hash && !expired(existing, now))
      return make_error(kConflict, "An instrumentation configuration already exists at this location (LocationHash " +
                                       c.location_hash + ", " + existing.arn + ")");
  std::erase_if(configs, [&](const InstrumentationConfig& e) { return e.location_hash == c.location_hash; });
  configs.push_back(c);
  return config_object(c, true);
}

OpResult list_configs(Call& call) {
  auto type = str_arg(call.input, "InstrumentationType");
  auto service = str_arg(call.input, "Service");
  auto env = str_arg(call.input, "Environment");
  auto synced = time_arg(call.input, "SyncedAt");
  const double now = now_of(call);
  std::vector<json::object> items;
  bool changed = !synced;
  {
    std::lock_guard lock(call.state.mu);
    for (const auto& c : store(call)) {
      if (c.type != type || c.service != service || c.environment != env || expired(c, now)) continue;
      if (synced && c.created_at > *synced) changed = true;
      items.push_back(config_object(c, false));
    }
  }
  auto p = paginate(call, items.size(), "NextToken", "MaxResults", 100, 100);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(items[i]);
  json::object out{{"Service", service}, {"Environment", env}, {"Changed", changed},
                   {"LatestConfigurations", std::move(list)}, {"SyncedAt", now}, {"SyncInterval", 60}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

OpResult get_config(Call& call) {
  std::lock_guard lock(call.state.mu);
  auto& configs = store(call);
  ApiError err;
  auto it = find_config(call, configs, &err);
  if (it == configs.end() || !err.code.empty()) return err;
  return json::object{{"Configuration", config_object(*it, true)}};
}

OpResult delete_config(Call& call) {
  std::lock_guard lock(call.state.mu);
  auto& configs = store(call);
  ApiError err;
  auto it = find_config(call, configs, &err);
  if (it == configs.end() || !err.code.empty()) return err;
  configs.erase(it);
  return json::object{{"DeletionStatus", "DELETED"}};
}

OpResult batch_delete(Call& call) {
  const auto* target = obj_arg(call.input, "DeletionTarget");
  const auto* scope = target ? obj_arg(*target, "Scope") : nullptr;
  const auto* by_arns = target ? obj_arg(*target, "ResourceArns") : nullptr;
  if (!scope == !by_arns)
    return make_error(call.traits().validation, "DeletionTarget must set exactly one of Scope or ResourceArns");
  const double now = now_of(call);
  json::array deleted, errors;
  std::lock_guard lock(call.state.mu);
  auto& configs = store(call);
  auto record = [&](const InstrumentationConfig& c) {
    deleted.push_back(json::object{{"ResourceArn", c.arn}, {"SignalType", "SNAPSHOT"}, {"LocationHash", c.location_hash}});
  };
  if (scope) {
    auto type = str_arg(*scope, "InstrumentationType");
    auto service = str_arg(*scope, "Service");
    auto env = str_arg(*scope, "Environment");
    std::erase_if(configs, [&](const InstrumentationConfig& c) {
      bool match = c.type == type && c.service == service && c.environment == env;
      if (match && !expired(c, now)) record(c);
      return match;
    });
  } else {
    auto type = str_arg(*by_arns, "InstrumentationType");
    if (const auto* arns = arr_arg(*by_arns, "ResourceArns"))
      for (const auto& v : *arns) {
        std::string arn = v.is_string() ? std::string(v.as_string()) : "";
        auto it = std::find_if(configs.begin(), configs.end(), [&](const InstrumentationConfig& c) {
          return c.arn == arn && c.type == type && !expired(c, now);
        });
        if (it == configs.end()) {
          errors.push_back(json::object{{"ResourceArn", arn}, {"Code", "ResourceNotFoundException"},
                                        {"Message", "No " + type + " instrumentation configuration with this ARN"}});
          continue;
        }
        record(*it);
        configs.erase(it);
      }
  }
  auto count = static_cast<std::int64_t>(deleted.size());
  return json::object{{"DeletedCount", count}, {"SuccessfulDeletions", std::move(deleted)}, {"Errors", std::move(errors)}};
}

OpResult config_status(Call& call) {
  InstrumentationConfig c;
  {
    std::lock_guard lock(call.state.mu);
    auto& configs = store(call);
    ApiError err;
    auto it = find_config(call, configs, &err);
    if (it == configs.end() || !err.code.empty()) return err;
    c = *it;
  }
  const double now = now_of(call);
  auto events = instrumentation_events(call.account, c, now);
  std::string current = events.empty() ? "READY" : events.back().status;
  std::string wanted = str_arg(call.input, "Status", current);
  auto start = time_arg(call.input, "StartTime");
  auto end = time_arg(call.input, "EndTime");
  if (start && end && *end < *start) return make_error(call.traits().validation, "EndTime must not be before StartTime");
  std::vector<json::object> items;
  for (const auto& e : events) {
    if (e.status != wanted || (start && e.time < *start) || (end && e.time > *end)) continue;
    json::object o{{"Time", e.time}};
    if (!e.error_cause.empty()) o["ErrorCause"] = e.error_cause;
    items.push_back(std::move(o));
  }
  auto p = paginate(call, items.size(), "NextToken", "MaxResults", 100, 100);
  if (auto* e = std::get_if<ApiError>(&p)) return *e;
  auto& page = std::get<Page>(p);
  json::array list;
  for (std::size_t i = page.begin; i < page.end; ++i) list.push_back(items[i]);
  json::object out{{"Service", c.service}, {"Environment", c.environment}, {"SignalType", "SNAPSHOT"},
                   {"Location", location_of(c)}, {"Status", current}, {"Events", std::move(list)}};
  if (page.next_token) out["NextToken"] = *page.next_token;
  return out;
}

}  // namespace

std::string instrumentation_location_hash(const std::string& type, const std::string& service,
                                          const std::string& environment, const json::object& code_location) {
  std::string key = type + "|" + service + "|" + environment;
  for (const char* member : {"Language", "FilePath", "CodeUnit", "ClassName", "MethodName"})
    key += "|" + str_arg(code_location, member);
  key += "|" + std::to_string(int_arg(code_location, "LineNumber", 0));
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : key) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::vector<InstrumentationEvent> instrumentation_events(const SampleAccount& account, const InstrumentationConfig& c,
                                                         double now) {
  std::vector<InstrumentationEvent> out;
  const double ready = c.created_at + kReadyAfter;
  const auto* svc = account.find_service(c.service, c.environment);
  const std::string running = svc ? model_language(svc->language) : "";
  const std::string wanted = str_arg(c.code_location, "Language");
  auto until = c.expires_at ? std::min(now, *c.expires_at) : now;
  if (ready <= until) {
    if (svc && running != wanted) out.push_back({"ERROR", ready, "LANGUAGE_MISMATCH"});
    else out.push_back({"READY", ready, {}});
  }
  if (svc && running == wanted && c.created_at + kActiveAfter <= until)
    out.push_back({"ACTIVE", c.created_at + kActiveAfter, {}});
  if (c.expires_at && *c.expires_at <= now) out.push_back({"DISABLED", *c.expires_at, {}});
  return out;
}

std::vector<InstrumentationConfig> instrumentation_configs(FakeState& state, const SampleAccount& account,
                                                           const std::string& region, std::int64_t anchor) {
  std::lock_guard lock(state.mu);
  auto key = store_key(account, region);
  auto it = state.instrumentation.find(key);
  if (it == state.instrumentation.end()) it = state.instrumentation.emplace(key, seeds(account, region, anchor)).first;
  return it->second;
}

OpResult create_instrumentation_configuration(Call& call) { return create_config(call); }
OpResult list_instrumentation_configurations(Call& call) { return list_configs(call); }
OpResult get_instrumentation_configuration(Call& call) { return get_config(call); }
OpResult delete_instrumentation_configuration(Call& call) { return delete_config(call); }
OpResult batch_delete_instrumentation_configurations(Call& call) { return batch_delete(call); }
OpResult get_instrumentation_configuration_status(Call& call) { return config_status(call); }

}  // namespace appsignals::fakeaws
