#include "mcp/registry.h"

#include "mcp/session.h"

namespace appsignals::mcp {

namespace {

template <class T>
std::shared_ptr<const T> find_by(const std::vector<std::shared_ptr<const T>>& items, std::string_view key,
                                 std::string T::*field) {
  for (const auto& item : items)
    if ((*item).*field == key) return item;
  return nullptr;
}

template <class T>
void replace_or_add(std::vector<std::shared_ptr<const T>>& items, T value, std::string T::*field) {
  auto ptr = std::make_shared<const T>(std::move(value));
  for (auto& item : items) {
    if ((*item).*field == (*ptr).*field) {
      item = ptr;
      return;
    }
  }
  items.push_back(std::move(ptr));
}

}  // namespace

void Registry::add_tool(ToolDef tool) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    replace_or_add(tools_, std::move(tool), &ToolDef::name);
  }
  changed("tools");
}

void Registry::add_resource(ResourceDef resource) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    replace_or_add(resources_, std::move(resource), &ResourceDef::uri);
  }
  changed("resources");
}

void Registry::add_resource_template(ResourceTemplateDef tmpl) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    replace_or_add(templates_, std::move(tmpl), &ResourceTemplateDef::uri_template);
  }
  changed("resources");
}

void Registry::add_prompt(PromptDef prompt) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    replace_or_add(prompts_, std::move(prompt), &PromptDef::name);
  }
  changed("prompts");
}

void Registry::remove_tool(std::string_view name) {
  {
    std::lock_guard lock(mu_);
    ++generation_;
    std::erase_if(tools_, [&](const auto& t) { return t->name == name; });
  }
  changed("tools");
}

void Registry::on_change(std::function<void(std::string_view)> fn) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(fn));
}

void Registry::changed(std::string_view what) const {
  std::vector<std::function<void(std::string_view)>> listeners;
  {
    std::lock_guard lock(mu_);
    listeners = listeners_;
  }
  for (const auto& fn : listeners) fn(what);
}

void Registry::set_completion_handler(CompletionHandler handler) {
  std::lock_guard lock(mu_);
  completion_ = std::move(handler);
}

std::vector<std::shared_ptr<const ToolDef>> Registry::tools() const {
  std::lock_guard lock(mu_);
  return tools_;
}

void Registry::add_refusal(std::string name, std::string message) {
  std::lock_guard lock(mu_);
  refusals_[std::move(name)] = std::move(message);
}

std::optional<std::string> Registry::refusal(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = refusals_.find(name);
  if (it == refusals_.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const ToolDef> Registry::find_tool(std::string_view name) const {
  std::lock_guard lock(mu_);
  return find_by(tools_, name, &ToolDef::name);
}

std::vector<std::shared_ptr<const ResourceDef>> Registry::resources() const {
  std::lock_guard lock(mu_);
  return resources_;
}

std::shared_ptr<const ResourceDef> Registry::find_resource(std::string_view uri) const {
  std::lock_guard lock(mu_);
  return find_by(resources_, uri, &ResourceDef::uri);
}

std::vector<std::shared_ptr<const ResourceTemplateDef>> Registry::resource_templates() const {
  std::lock_guard lock(mu_);
  return templates_;
}

std::shared_ptr<const ResourceTemplateDef> Registry::match_template(std::string_view uri) const {
  std::lock_guard lock(mu_);
  for (const auto& t : templates_)
    if (match_uri_template(t->uri_template, uri)) return t;
  return nullptr;
}

std::vector<std::shared_ptr<const PromptDef>> Registry::prompts() const {
  std::lock_guard lock(mu_);
  return prompts_;
}

std::shared_ptr<const PromptDef> Registry::find_prompt(std::string_view name) const {
  std::lock_guard lock(mu_);
  return find_by(prompts_, name, &PromptDef::name);
}

CompletionHandler Registry::completion_handler() const {
  std::lock_guard lock(mu_);
  return completion_;
}

std::size_t Registry::tool_count() const {
  std::lock_guard lock(mu_);
  return tools_.size();
}

bool Registry::has_resources() const {
  std::lock_guard lock(mu_);
  return !resources_.empty() || !templates_.empty();
}

bool Registry::has_prompts() const {
  std::lock_guard lock(mu_);
  return !prompts_.empty();
}

std::optional<std::map<std::string, std::string>> match_uri_template(std::string_view tmpl,
                                                                      std::string_view uri) {
  std::map<std::string, std::string> vars;
  std::size_t ti = 0, ui = 0;
  while (ti < tmpl.size()) {
    if (tmpl[ti] == '{') {
      auto close = tmpl.find('}', ti);
      if (close == std::string_view::npos) return std::nullopt;
      std::string name(tmpl.substr(ti + 1, close - ti - 1));
      ti = close + 1;
      // The variable runs up to the next literal character of the template (or the end).
      char stop = ti < tmpl.size() ? tmpl[ti] : '\0';
      std::size_t end = stop ? uri.find(stop, ui) : uri.size();
      if (end == std::string_view::npos || end == ui) return std::nullopt;
      auto value = uri.substr(ui, end - ui);
      if (value.find('/') != std::string_view::npos) return std::nullopt;
      vars[name] = std::string(value);
      ui = end;
    } else {
      if (ui >= uri.size() || uri[ui] != tmpl[ti]) return std::nullopt;
      ++ti;
      ++ui;
    }
  }
  if (ui != uri.size()) return std::nullopt;
  return vars;
}

void narrow_profile_enum(boost::json::object& tool, const std::vector<std::string>& profiles) {
  auto* schema = tool.if_contains("inputSchema");
  if (!schema || !schema->is_object()) return;
  auto* props = schema->get_object().if_contains("properties");
  if (!props || !props->is_object()) return;
  auto* arg = props->get_object().if_contains(kAwsProfileArgument);
  if (!arg || !arg->is_object() || !arg->get_object().contains("enum")) return;
  if (profiles.empty()) {
    props->get_object().erase(kAwsProfileArgument);
    return;
  }
  boost::json::array values;
  for (const auto& p : profiles) values.emplace_back(p);
  arg->get_object()["enum"] = std::move(values);
}

}  // namespace appsignals::mcp
