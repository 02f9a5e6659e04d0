#include "fakeaws/services/rum_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "fakeaws/services/traces_data.h"

namespace appsignals::fakeaws {
namespace json = boost::json;

namespace {

constexpr const char* kWebApp = "shop-web";
constexpr const char* kMobileApp = "shop-android";
constexpr const char* kShopHost = "https://shop.example.com";

struct Place {
  const char* country;
  const char* subdivision;
  const char* language;
};
constexpr Place kPlaces[] = {{"US", "WA", "en-US"}, {"DE", "BE", "de-DE"}, {"GB", "ENG", "en-GB"},
                             {"JP", "13", "ja-JP"}, {"BR", "SP", "pt-BR"}, {"IN", "KA", "en-IN"}};
struct Client {
  const char* browser;
  const char* version;
  const char* os;
  const char* os_version;
  const char* device;
};
constexpr Client kClients[] = {{"Chrome", "122.0", "Windows", "10", "desktop"},
                               {"Safari", "17.3", "iOS", "17.3", "mobile"},
                               {"Firefox", "123.0", "Linux", "x86_64", "desktop"},
                               {"Edge", "122.0", "Windows", "11", "desktop"},
                               {"Chrome", "122.0", "Android", "14", "mobile"}};

template <std::size_t N, typename T>
const T& pick(const T (&items)[N], std::uint64_t seed, std::string_view key, std::int64_t n) {
  auto i = static_cast<std::size_t>(unit_noise(seed, key, n) * static_cast<double>(N));
  return items[std::min(i, N - 1)];
}

double between(std::uint64_t seed, std::string_view key, std::int64_t n, double lo, double hi) {
  return lo + (hi - lo) * unit_noise(seed, key, n);
}

bool in_range(std::int64_t t, std::int64_t start_ms, std::int64_t end_ms) { return t >= start_ms && t <= end_ms; }

// One web session: the shared metadata and user details of its events.
struct WebSession {
  std::string app_id;
  std::string session_id;
  std::string user_id;
  const Place* place = nullptr;
  const Client* client = nullptr;
  std::int64_t slot = 0;
  int next_event = 0;
};

struct Page {
  const char* id;
  const char* title;
};

void web_event(const WebSession& s, int& seq, std::int64_t ts_ms, const char* type, const Page& page,
               const char* parent, json::object details, std::int64_t start_ms, std::int64_t end_ms,
               std::vector<LogRecord>& out) {
  ++seq;
  if (!in_range(ts_ms, start_ms, end_ms)) return;
  json::object md{{"version", "1.0.0"},
                  {"browserLanguage", s.place->language},
                  {"browserName", s.client->browser},
                  {"browserVersion", s.client->version},
                  {"osName", s.client->os},
                  {"osVersion", s.client->os_version},
                  {"deviceType", s.client->device},
                  {"platformType", "web"},
                  {"pageId", page.id},
                  {"title", page.title},
                  {"domain", "shop.example.com"},
                  {"aws:client", "arw-script"},
                  {"aws:clientVersion", "1.16.1"},
                  {"countryCode", s.place->country},
                  {"subdivisionCode", s.place->subdivision}};
  if (parent) md["parentPageId"] = parent;
  char event_id[40];
  std::snprintf(event_id, sizeof event_id, "%s-%04d", s.session_id.c_str() + 5, seq);
  json::object doc{{"event_timestamp", ts_ms},
                   {"event_type", std::string("com.amazon.rum.") + type},
                   {"event_id", event_id},
                   {"event_version", "1.0.0"},
                   {"log_stream", "2026-03-02T12"},
                   {"application_id", s.app_id},
                   {"application_version", "2.4.1"},
                   {"metadata", std::move(md)},
                   {"user_details", json::object{{"userId", s.user_id}, {"sessionId", s.session_id}}},
                   {"event_details", std::move(details)}};
  out.push_back({ts_ms, s.app_id, json::serialize(doc), {}});
}

std::int64_t ms(double seconds) { return static_cast<std::int64_t>(std::llround(seconds * 1000.0)); }

// A page load: the page view, its navigation timing and its Web Vitals.
void page_load(const WebSession& s, int& seq, double at, const Page& page, const char* parent, double load_ms,
               double lcp_ms, double inp_ms, double cls, std::uint64_t seed, std::int64_t start_ms,
               std::int64_t end_ms, std::vector<LogRecord>& out) {
  const std::int64_t n = s.slot * 8 + seq;
  web_event(s, seq, ms(at), "page_view_event", page, parent,
            {{"version", "1.0.0"}, {"pageId", page.id}, {"interaction", seq}, {"pageInteractionId", std::string(page.id) + "-" + std::to_string(seq)}},
            start_ms, end_ms, out);
  web_event(s, seq, ms(at + load_ms / 1000.0), "performance_navigation_event", page, parent,
            {{"version", "1.0.0"}, {"initiatorType", "navigation"}, {"navigationType", "navigate"},
             {"duration", std::round(load_ms)}, {"domInteractive", std::round(load_ms * 0.55)},
             {"domComplete", std::round(load_ms * 0.95)}, {"transferSize", 48210}},
            start_ms, end_ms, out);
  web_event(s, seq, ms(at + lcp_ms / 1000.0), "largest_contentful_paint_event", page, parent,
            {{"version", "1.0.0"}, {"value", std::round(lcp_ms)}}, start_ms, end_ms, out);
  web_event(s, seq, ms(at + lcp_ms / 1000.0 + 0.4), "cumulative_layout_shift_event", page, parent,
            {{"version", "1.0.0"}, {"value", std::round(cls * 1000.0) / 1000.0}}, start_ms, end_ms, out);
  web_event(s, seq, ms(at + lcp_ms / 1000.0 + 1.0), "first_input_delay_event", page, parent,
            {{"version", "1.0.0"}, {"value", std::round(between(seed, "rum-fid", n, 20, 90))}}, start_ms, end_ms, out);
  web_event(s, seq, ms(at + lcp_ms / 1000.0 + 2.0), "interaction_to_next_paint_event", page, parent,
            {{"version", "1.0.0"}, {"value", std::round(inp_ms)}}, start_ms, end_ms, out);
}

void http_call(const WebSession& s, int& seq, const SampleTrace& t, const Page& page, const char* method,
               const char* path, std::int64_t start_ms, std::int64_t end_ms, std::vector<LogRecord>& out) {
  const int status = t.spans[0].status;
  const double duration = t.duration * 1000.0 + 35.0;
  const std::string url = std::string(kShopHost) + path;
  web_event(s, seq, ms(t.start), "http_event", page, nullptr,
            {{"version", "1.0.0"},
             {"request", json::object{{"method", method}, {"url", url}}},
             {"response", json::object{{"status", status}, {"statusText", status >= 500 ? "Internal Server Error" : "OK"}}},
             {"duration", std::round(duration)},
             {"trace_id", t.id},
             {"segment_id", t.spans[0].span_id}},
            start_ms, end_ms, out);
  json::object http{{"request", json::object{{"method", method}, {"url", url}}},
                    {"response", json::object{{"status", status}}}};
  web_event(s, seq, ms(t.start + t.duration), "xray_trace_event", page, nullptr,
            {{"version", "1.0.0"},
             {"name", "shop.example.com"},
             {"id", t.spans[0].span_id},
             {"trace_id", t.id},
             {"start_time", t.start},
             {"end_time", t.start + duration / 1000.0},
             {"duration", std::round(duration)},
             {"http", std::move(http)},
             {"fault", status >= 500},
             {"origin", "AWS::RUM::AppMonitor"}},
            start_ms, end_ms, out);
}

void web_records(const LogSourceContext& ctx, const RumMonitor& m, std::int64_t start_ms, std::int64_t end_ms,
                 std::vector<LogRecord>& out) {
  const std::uint64_t seed = ctx.seed;
  const std::int64_t day_start = ctx.anchor - 24 * 3600;
  const double from = std::max(static_cast<double>(start_ms) / 1000.0 - 120.0, static_cast<double>(day_start));
  const double to = std::min(static_cast<double>(end_ms) / 1000.0 + 60.0, static_cast<double>(ctx.anchor));
  if (to <= from) return;
  const auto incident_start = static_cast<double>(ctx.anchor - SampleAccount::kIncidentStart);
  const auto incident_end = static_cast<double>(ctx.anchor - SampleAccount::kIncidentEnd);
  for (const auto& t : traces_between(ctx.account, ctx.anchor, seed, from, to)) {
    const auto& root = t.spans[0];
    if (root.service != "frontend" && root.service != "checkout") continue;
    WebSession s;
    s.app_id = m.id;
    const std::string hex = otel_trace_id(t.id);
    // Noise keyed by the trace id (unit_noise is smooth over consecutive keys).
    s.slot = static_cast<std::int64_t>(std::hash<std::string>{}(hex) % 1000003);
    s.session_id = "sess-" + hex.substr(8, 8) + "-" + hex.substr(16, 4) + "-" + hex.substr(20, 12);
    s.user_id = "user-" + hex.substr(24, 8);
    s.place = &pick(kPlaces, seed, "rum-place", s.slot);
    s.client = &pick(kClients, seed, "rum-client", s.slot);
    const bool incident = t.start >= incident_start && t.start < incident_end;
    int seq = 0;
    const double begin = t.start - 20.0;
    const std::int64_t n = s.slot;
    const Page home{"/", "Shop - Home"};
    web_event(s, seq, ms(begin - 0.2), "session_start_event", home, nullptr,
              {{"version", "1.0.0"}}, start_ms, end_ms, out);
    page_load(s, seq, begin, home, nullptr, between(seed, "rum-home-load", n, 700, 1400),
              between(seed, "rum-home-lcp", n, 1100, 2100), between(seed, "rum-home-inp", n, 60, 160),
              between(seed, "rum-home-cls", n, 0.01, 0.06), seed, start_ms, end_ms, out);
    if (root.operation == "POST /checkout") {
      const Page cart{"/cart", "Shop - Cart"};
      const Page checkout{"/checkout", "Shop - Checkout"};
      page_load(s, seq, begin + 6.0, cart, "/", between(seed, "rum-cart-load", n, 800, 1500),
                between(seed, "rum-cart-lcp", n, 1300, 2300), between(seed, "rum-cart-inp", n, 80, 180),
                between(seed, "rum-cart-cls", n, 0.02, 0.08), seed, start_ms, end_ms, out);
      const double load = incident ? between(seed, "rum-co-load", n, 5200, 8800) : between(seed, "rum-co-load", n, 2000, 3100);
      const double lcp = incident ? between(seed, "rum-co-lcp", n, 6100, 9200) : between(seed, "rum-co-lcp", n, 2700, 3600);
      const double inp = incident ? between(seed, "rum-co-inp", n, 420, 760) : between(seed, "rum-co-inp", n, 150, 260);
      page_load(s, seq, begin + 12.0, checkout, "/cart", load, lcp, inp, between(seed, "rum-co-cls", n, 0.05, 0.14), seed,
                start_ms, end_ms, out);
      http_call(s, seq, t, checkout, "POST", "/api/checkout", start_ms, end_ms, out);
      if (root.fault) {
        web_event(s, seq, ms(t.start + t.duration + 0.05), "js_error_event", checkout, nullptr,
                  {{"version", "1.0.0"},
                   {"type", "PaymentError"},
                   {"message", "Checkout failed: payment service returned 500"},
                   {"filename", std::string(kShopHost) + "/static/js/checkout.4f2a91.js"},
                   {"lineno", 212},
                   {"colno", 17},
                   {"stack", "PaymentError: Checkout failed: payment service returned 500\n    at submitOrder (checkout.4f2a91.js:212:17)"}},
                  start_ms, end_ms, out);
      }
    } else if (root.operation == "GET /cart") {
      const Page cart{"/cart", "Shop - Cart"};
      page_load(s, seq, begin + 6.0, cart, "/", between(seed, "rum-cart-load", n, 800, 1500),
                between(seed, "rum-cart-lcp", n, 1300, 2300), between(seed, "rum-cart-inp", n, 80, 180),
                between(seed, "rum-cart-cls", n, 0.02, 0.08), seed, start_ms, end_ms, out);
      http_call(s, seq, t, cart, "GET", "/api/cart", start_ms, end_ms, out);
      if (unit_noise(seed, "rum-cart-err", n) < 0.15)
        web_event(s, seq, ms(t.start + 0.5), "js_error_event", cart, nullptr,
                  {{"version", "1.0.0"},
                   {"type", "TypeError"},
                   {"message", "Cannot read properties of undefined (reading 'price')"},
                   {"filename", std::string(kShopHost) + "/static/js/cart.91bc3d.js"},
                   {"lineno", 88},
                   {"colno", 31}},
                  start_ms, end_ms, out);
    } else {
      const Page products{"/products", "Shop - Products"};
      page_load(s, seq, begin + 5.0, products, "/", between(seed, "rum-prod-load", n, 900, 1700),
                between(seed, "rum-prod-lcp", n, 1500, 2600), between(seed, "rum-prod-inp", n, 90, 210),
                between(seed, "rum-prod-cls", n, 0.03, 0.11), seed, start_ms, end_ms, out);
      const char* files[][2] = {{"/static/js/vendor.7d1e.js", "script"}, {"/static/css/shop.c2a1.css", "stylesheet"},
                                {"/images/hero-1600.jpg", "image"}};
      for (int i = 0; i < 3; ++i)
        web_event(s, seq, ms(begin + 5.3 + 0.1 * i), "performance_resource_event", products, nullptr,
                  {{"version", "1.0.0"},
                   {"targetUrl", std::string(kShopHost) + files[i][0]},
                   {"fileType", files[i][1]},
                   {"initiatorType", i == 2 ? "img" : "link"},
                   {"duration", std::round(between(seed, "rum-res", n * 4 + i, 80, 220) * (i == 2 ? 4.0 : 1.0))},
                   {"transferSize", i == 2 ? 612000 : (i == 0 ? 251000 : 38000)}},
                  start_ms, end_ms, out);
    }
  }
}

// ---- shop-android: OpenTelemetry records ----
constexpr std::int64_t kMobileStep = 600;

void mobile_record(std::int64_t ts_ms, const std::string& session, std::int64_t n, std::uint64_t seed,
                   json::object body, std::int64_t start_ms, std::int64_t end_ms, std::vector<LogRecord>& out) {
  if (!in_range(ts_ms, start_ms, end_ms)) return;
  const char* models[] = {"Pixel 8", "Galaxy S23", "Pixel 7a"};
  const char* countries[] = {"US", "DE", "IN"};
  auto i = static_cast<std::size_t>(unit_noise(seed, "rum-mobile-device", n * 7919) * 3.0) % 3;
  body["resource"] = json::object{{"attributes", json::object{{"service.name", kMobileApp},
                                                             {"device.model.name", models[i]},
                                                             {"os.name", "Android"},
                                                             {"os.version", i == 2 ? "13" : "14"},
                                                             {"geo.country.iso_code", countries[i]}}}};
  auto& attrs = body["attributes"].as_object();
  attrs["session.id"] = session;
  out.push_back({ts_ms, "android/" + session.substr(0, 8), json::serialize(body), {}});
}

void mobile_records(const LogSourceContext& ctx, std::int64_t start_ms, std::int64_t end_ms,
                    std::vector<LogRecord>& out) {
  const std::uint64_t seed = ctx.seed;
  std::int64_t first = ctx.anchor - 24 * 3600;
  first += (kMobileStep - first % kMobileStep) % kMobileStep;
  const std::int64_t incident_start = ctx.anchor - SampleAccount::kIncidentStart;
  const std::int64_t incident_end = ctx.anchor - SampleAccount::kIncidentEnd;
  const std::int64_t old_crash = ctx.anchor - 10 * 3600;
  for (std::int64_t t = first; t < ctx.anchor; t += kMobileStep) {
    if ((t + 120) * 1000 < start_ms || t * 1000 > end_ms) continue;
    const std::int64_t n = t / kMobileStep;
    char session[40];
    std::snprintf(session, sizeof session, "a%07llx-41d2-4c8e-9b1f-%012llx", static_cast<unsigned long long>(n % 0xfffffff),
                  static_cast<unsigned long long>(unit_noise(seed, "rum-mobile-session", n) * 281474976710655.0));
    const std::string sid(session);
    mobile_record(t * 1000, sid, n, seed,
                  {{"eventName", "session.start"}, {"scope", json::object{{"name", "io.opentelemetry.sessions"}}},
                   {"attributes", json::object{}}},
                  start_ms, end_ms, out);
    const bool cold = unit_noise(seed, "rum-mobile-cold", n * 7919) < 0.4;
    const double launch_ms = cold ? between(seed, "rum-mobile-launch", n, 1400, 2600) : between(seed, "rum-mobile-launch", n, 350, 900);
    mobile_record(t * 1000 + 50, sid, n, seed,
                  {{"name", "AppStart"}, {"scope", json::object{{"name", "io.opentelemetry.lifecycle"}}},
                   {"durationNano", static_cast<std::int64_t>(launch_ms * 1e6)},
                   {"attributes", json::object{{"start.type", cold ? "cold" : "warm"}, {"activity.name", "MainActivity"}}}},
                  start_ms, end_ms, out);
    mobile_record(t * 1000 + 4000, sid, n, seed,
                  {{"name", "Created"}, {"scope", json::object{{"name", "io.opentelemetry.lifecycle"}}},
                   {"durationNano", 120000000},
                   {"attributes", json::object{{"screen.name", "CartFragment"}}}},
                  start_ms, end_ms, out);
    const bool incident_crash = t >= incident_start && t < incident_end;
    const bool older_crash = t <= old_crash && t + kMobileStep > old_crash;
    if (incident_crash || older_crash) {
      json::object attrs{{"thread.name", "main"}};
      if (incident_crash) {
        attrs["exception.type"] = "java.lang.IllegalStateException";
        attrs["exception.message"] = "Payment confirmation missing for order";
        attrs["exception.stacktrace"] = "java.lang.IllegalStateException: Payment confirmation missing for order\n"
                                        "\tat com.example.shop.checkout.CheckoutViewModel.onPaymentResult(CheckoutViewModel.kt:141)";
        attrs["screen.name"] = "CheckoutActivity";
      } else {
        attrs["exception.type"] = "java.lang.NullPointerException";
        attrs["exception.message"] = "Attempt to invoke virtual method 'int java.util.List.size()' on a null object reference";
        attrs["exception.stacktrace"] = "java.lang.NullPointerException\n\tat com.example.shop.cart.CartAdapter.getItemCount(CartAdapter.kt:38)";
        attrs["screen.name"] = "CartFragment";
      }
      mobile_record(t * 1000 + 90000, sid, n, seed,
                    {{"eventName", "device.crash"}, {"scope", json::object{{"name", "io.opentelemetry.crash"}}},
                     {"attributes", std::move(attrs)}},
                    start_ms, end_ms, out);
    }
  }
}

}  // namespace

std::string RumMonitor::log_group() const { return "/aws/vendedlogs/RUMService_" + name + id.substr(0, 8); }

const std::vector<RumMonitor>& rum_monitors() {
  static const std::vector<RumMonitor> all = [] {
    std::vector<RumMonitor> v;
    RumMonitor web;
    web.name = kWebApp;
    web.id = "3f6b2c1e-8d4a-4e2b-9c71-5a0d2e8f4b19";
    web.platform = "Web";
    web.domain = "shop.example.com";
    web.telemetries = {"errors", "performance", "http"};
    web.created_offset = 120 * 86400;
    web.tags = {{"team", "shop"}, {"app", "shop"}};
    web.policy = R"({"Version":"2012-10-17","Statement":[{"Sid":"AllowPutRumEvents","Effect":"Allow","Principal":"*","Action":"rum:PutRumEvents","Resource":"arn:aws:rum:us-east-1:123456789012:appmonitor/shop-web"}]})";
    v.push_back(web);
    RumMonitor android;
    android.name = kMobileApp;
    android.id = "a81c44d0-2f3e-4b7a-8e55-c09d6b1f7e23";
    android.platform = "Android";
    android.domain = "";
    android.telemetries = {"errors", "performance", "http"};
    android.created_offset = 60 * 86400;
    android.tags = {{"team", "mobile"}};
    v.push_back(android);
    RumMonitor marketing;
    marketing.name = "marketing-site";
    marketing.id = "5d0e9a7b-6c21-4f8d-b3a4-7e1f0c92d645";
    marketing.platform = "Web";
    marketing.domain = "www.example.com";
    marketing.cw_log = false;
    marketing.xray = false;
    marketing.telemetries = {"errors"};
    marketing.sample_rate = 0.05;
    marketing.cookies = false;
    marketing.created_offset = 400 * 86400;
    marketing.tags = {{"team", "marketing"}};
    v.push_back(marketing);
    return v;
  }();
  return all;
}

const RumMonitor* find_rum_monitor(const std::string& name) {
  for (const auto& m : rum_monitors())
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> rum_log_groups(const SampleAccount&) {
  std::vector<std::string> out;
  for (const auto& m : rum_monitors())
    if (m.cw_log) out.push_back(m.log_group());
  return out;
}

void rum_log_records(const LogSourceContext& ctx, const std::string& group, std::int64_t start_ms,
                     std::int64_t end_ms, std::vector<LogRecord>& out) {
  const std::size_t first = out.size();
  for (const auto& m : rum_monitors()) {
    if (!m.cw_log || m.log_group() != group) continue;
    if (m.platform == "Web") web_records(ctx, m, start_ms, end_ms, out);
    else mobile_records(ctx, start_ms, end_ms, out);
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const LogRecord& a, const LogRecord& b) { return a.timestamp_ms < b.timestamp_ms; });
}

Series rum_series(const SampleAccount& account, const SeriesQuery& q, std::int64_t anchor, std::uint64_t seed) {
  Series out;
  auto app = q.dimensions.find("application_name");
  const RumMonitor* m = app == q.dimensions.end() ? nullptr : find_rum_monitor(app->second);
  if (!m || m->platform != "Web") return out;
  struct Def {
    const char* metric;
    const char* event;  // event_type suffix
    bool value;         // aggregate a value (else count events)
    const char* unit;
  };
  constexpr Def kDefs[] = {{"JsErrorCount", "js_error_event", false, "Count"},
                           {"HttpErrorCount", "http_event", false, "Count"},
                           {"SessionCount", "session_start_event", false, "Count"},
                           {"PageViewCount", "page_view_event", false, "Count"},
                           {"PerformanceNavigationDuration", "performance_navigation_event", true, "Milliseconds"},
                           {"WebVitalsLargestContentfulPaint", "largest_contentful_paint_event", true, "Milliseconds"},
                           {"WebVitalsCumulativeLayoutShift", "cumulative_layout_shift_event", true, "None"},
                           {"WebVitalsInteractionToNextPaint", "interaction_to_next_paint_event", true, "Milliseconds"}};
  const Def* def = nullptr;
  for (const auto& d : kDefs)
    if (q.metric == d.metric) def = &d;
  if (!def) return out;
  out.known = true;
  out.unit = def->unit;
  const std::int64_t period = std::max<std::int64_t>(60, q.period - q.period % 60);
  const std::int64_t first = q.start - ((q.start % period) + period) % period;
  const std::int64_t end = std::min(q.end, anchor);
  if (end <= first) return out;
  std::vector<LogRecord> records;
  LogSourceContext ctx{account, anchor, seed, nullptr, account.region, anchor};
  web_records(ctx, *m, first * 1000, end * 1000 - 1, records);
  const std::string type = std::string("com.amazon.rum.") + def->event;
  std::map<std::int64_t, std::vector<double>> buckets;
  for (std::int64_t t = first; t < end; t += period)
    if (t + period > q.start) buckets[t];
  for (const auto& r : records) {
    boost::system::error_code ec;
    auto doc = json::parse(r.message, ec);
    if (ec || !doc.is_object() || doc.as_object().at("event_type") != json::value(type)) continue;
    const auto& details = doc.as_object().at("event_details").as_object();
    if (q.metric == "HttpErrorCount") {
      const auto* resp = details.if_contains("response");
      if (!resp || resp->as_object().at("status").to_number<double>() < 400) continue;
    }
    const std::int64_t sec = r.timestamp_ms / 1000;
    const std::int64_t bucket = first + (sec - first) / period * period;
    auto it = buckets.find(bucket);
    if (it == buckets.end()) continue;
    double v = 1;
    if (def->value) {
      const auto* f = details.if_contains(q.metric == "PerformanceNavigationDuration" ? "duration" : "value");
      if (!f || !f->is_number()) continue;
      v = f->to_number<double>();
    }
    it->second.push_back(v);
  }
  for (auto& [t, values] : buckets) {
    double v = 0;
    if (!def->value) {
      v = static_cast<double>(values.size());
      if (q.stat == "Average" || q.stat == "Minimum" || q.stat == "Maximum") v = values.empty() ? 0 : 1;
    } else {
      if (values.empty()) continue;
      std::sort(values.begin(), values.end());
      double sum = 0;
      for (double x : values) sum += x;
      if (q.stat == "Sum") v = sum;
      else if (q.stat == "SampleCount") v = static_cast<double>(values.size());
      else if (q.stat == "Maximum") v = values.back();
      else if (q.stat == "Minimum") v = values.front();
      else if (q.stat.size() > 1 && q.stat[0] == 'p') {
        double p = std::strtod(q.stat.c_str() + 1, nullptr) / 100.0;
        auto idx = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) ;
        v = values[std::min(values.size() - 1, idx == 0 ? 0 : idx - 1)];
      } else v = sum / static_cast<double>(values.size());
    }
    out.timestamps.push_back(t);
    out.values.push_back(std::round(v * 1000.0) / 1000.0);
  }
  return out;
}

}  // namespace appsignals::fakeaws
