#include "mcp/modern_listen.h"

#include <boost/json/serialize.hpp>

#include "mcp/modern.h"
#include "mcp/server.h"

namespace appsignals::mcp {

namespace {

bool flag(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

json::object with_subscription_id(json::object params, const json::value& id) {
  json::object meta;
  meta[modern::kMetaSubscriptionId] = id;
  params["_meta"] = std::move(meta);
  return params;
}

}  // namespace

ListenHub::ListenHub(std::shared_ptr<McpServer> server, std::size_t max_frames, std::size_t max_bytes)
    : server_(std::move(server)), max_frames_(max_frames), max_bytes_(max_bytes) {}

void ListenHub::start() {
  std::weak_ptr<ListenHub> weak = shared_from_this();
  server_->registry().on_change([weak](std::string_view what) {
    if (auto hub = weak.lock()) hub->list_changed(what);
  });
  server_->set_listen_supported(true);
}

net::StreamReply ListenHub::open(jsonrpc::Message request, std::shared_ptr<const ModernCall>, unsigned version) {
  Listener l;
  l.id = request.id;
  json::object asked;
  if (auto* n = request.params.if_contains("notifications"); n && n->is_object()) asked = n->get_object();
  l.tools = flag(asked, "toolsListChanged");
  l.prompts = flag(asked, "promptsListChanged") && server_->registry().has_prompts();
  l.resources = flag(asked, "resourcesListChanged") && server_->registry().has_resources();
  json::array uris;
  if (auto* r = asked.if_contains("resourceSubscriptions"); r && r->is_array()) {
    for (const auto& u : r->get_array()) {
      if (!u.is_string()) continue;
      std::string uri(u.get_string());
      if (!server_->registry().find_resource(uri) && !server_->registry().match_template(uri)) continue;
      if (l.uris.insert(uri).second) uris.emplace_back(uri);
    }
  }
  // The honored subset, echoed in the acknowledgement.
  json::object honored;
  if (l.tools) honored["toolsListChanged"] = true;
  if (l.prompts) honored["promptsListChanged"] = true;
  if (l.resources) honored["resourcesListChanged"] = true;
  if (!uris.empty()) honored["resourceSubscriptions"] = std::move(uris);
  json::object ack;
  ack["notifications"] = std::move(honored);

  auto stream = std::make_shared<net::EventStream>(max_frames_, max_bytes_);
  stream->send_event(jsonrpc::make_notification("notifications/subscriptions/acknowledged",
                                                with_subscription_id(std::move(ack), request.id)));
  l.stream = stream;
  {
    std::lock_guard lock(mu_);
    // Drop listeners whose streams ended.
    std::erase_if(listeners_, [](const Listener& x) { return x.stream.expired(); });
    listeners_.push_back(std::move(l));
  }
  net::StreamReply sr;
  sr.head = net::http::response<net::http::empty_body>{net::http::status::ok, version};
  sr.stream = std::move(stream);
  sr.long_lived = true;
  return sr;
}

void ListenHub::publish(const std::function<bool(const Listener&)>& wants, std::string_view method,
                        const json::object& params) {
  std::vector<std::pair<std::shared_ptr<net::EventStream>, json::value>> targets;
  {
    std::lock_guard lock(mu_);
    std::erase_if(listeners_, [](const Listener& x) { return x.stream.expired(); });
    for (const auto& l : listeners_) {
      if (!wants(l)) continue;
      if (auto s = l.stream.lock(); s && s->is_open()) targets.emplace_back(std::move(s), l.id);
    }
  }
  for (auto& [stream, id] : targets)
    stream->send_event(jsonrpc::make_notification(method, with_subscription_id(params, id)));
}

void ListenHub::list_changed(std::string_view what) {
  if (what == "tools") publish([](const Listener& l) { return l.tools; }, "notifications/tools/list_changed", {});
  else if (what == "prompts") publish([](const Listener& l) { return l.prompts; }, "notifications/prompts/list_changed", {});
  else if (what == "resources")
    publish([](const Listener& l) { return l.resources; }, "notifications/resources/list_changed", {});
}

void ListenHub::resource_updated(const std::string& uri) {
  json::object params;
  params["uri"] = uri;
  publish([&uri](const Listener& l) { return l.uris.contains(uri); }, "notifications/resources/updated", params);
}

std::size_t ListenHub::listeners() const {
  std::lock_guard lock(mu_);
  return listeners_.size();
}

}  // namespace appsignals::mcp
