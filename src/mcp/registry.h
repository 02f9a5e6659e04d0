#pragma once
// Registry of what the server offers: tools, resources, resource templates, prompts and a
// completion provider. Filled at start-up (later layers register the product's tools), then
// read concurrently; registration after start is guarded by a mutex and announces
// list_changed where the capability says so.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/result.h"
#include "mcp/content.h"
#include "mcp/request_context.h"

namespace appsignals::mcp {

// Coroutine handlers receive the context by reference and their arguments by value.
using ToolHandler = std::function<boost::asio::awaitable<ToolResult>(RequestContext&, json::object)>;
// Returns the `contents` array of a ReadResourceResult; kNotFound → -32002.
using ResourceReader =
    std::function<boost::asio::awaitable<Result<json::array>>(RequestContext&, std::string uri)>;
// Returns a GetPromptResult object ({description?, messages}).
using PromptHandler =
    std::function<boost::asio::awaitable<Result<json::object>>(RequestContext&, json::object arguments)>;
// Returns a `completion` object ({values, total?, hasMore?}) for (ref, argument, context).
using CompletionHandler = std::function<boost::asio::awaitable<Result<json::object>>(
    RequestContext&, json::object ref, json::object argument, json::object context)>;

struct ToolDef {
  std::string name;
  std::string title;
  std::string description;
  json::object input_schema;                 // {"type":"object", ...}
  std::optional<json::object> output_schema;  // 2025-06-18+: structuredContent must conform
  json::object annotations;                  // readOnlyHint, openWorldHint, ...
  std::string toolset;                       // for --toolsets selection
  bool writes = false;                       // hidden by --read-only
  // The handler reads and checks its own arguments (tools built from a tools::ToolSpec); the
  // server then skips its generic schema check.
  bool reads_own_arguments = false;
  ToolHandler handler;
};

struct ResourceDef {
  std::string uri;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  ResourceReader read;
};

struct ResourceTemplateDef {
  std::string uri_template;  // RFC 6570 level 1, e.g. "test://template/{id}/data"
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  ResourceReader read;
};

struct PromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

struct PromptDef {
  std::string name;
  std::string title;
  std::string description;
  std::vector<PromptArgument> arguments;
  PromptHandler get;
};

class Registry {
 public:
  void add_tool(ToolDef tool);
  void add_resource(ResourceDef resource);
  void add_resource_template(ResourceTemplateDef tmpl);
  void add_prompt(PromptDef prompt);
  void set_completion_handler(CompletionHandler handler);
  // A tool the server knows but does not offer (e.g. a writing tool under --read-only): it is
  // not listed, and a call to it is answered with `message` as an isError result.
  void add_refusal(std::string name, std::string message);
  std::optional<std::string> refusal(std::string_view name) const;

  // Snapshots (copies of shared pointers): safe to use while others register.
  std::vector<std::shared_ptr<const ToolDef>> tools() const;
  std::shared_ptr<const ToolDef> find_tool(std::string_view name) const;
  std::vector<std::shared_ptr<const ResourceDef>> resources() const;
  std::shared_ptr<const ResourceDef> find_resource(std::string_view uri) const;
  std::vector<std::shared_ptr<const ResourceTemplateDef>> resource_templates() const;
  // The first template whose pattern matches `uri`.
  std::shared_ptr<const ResourceTemplateDef> match_template(std::string_view uri) const;
  std::vector<std::shared_ptr<const PromptDef>> prompts() const;
  std::shared_ptr<const PromptDef> find_prompt(std::string_view name) const;
  CompletionHandler completion_handler() const;

  // Removes a tool (for fixtures that change their list at run time).
  void remove_tool(std::string_view name);
  // `fn("tools" | "resources" | "prompts")` after each registration or removal, outside the
  // registry's lock (list-changed notifications on subscriptions/listen streams).
  void on_change(std::function<void(std::string_view)> fn);

  std::size_t tool_count() const;
  // Changes whenever anything is registered (cache key for serialized lists).
  std::uint64_t generation() const { return generation_.load(); }
  bool has_resources() const;
  bool has_prompts() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const ToolDef>> tools_;
  std::vector<std::shared_ptr<const ResourceDef>> resources_;
  std::vector<std::shared_ptr<const ResourceTemplateDef>> templates_;
  std::vector<std::shared_ptr<const PromptDef>> prompts_;
  CompletionHandler completion_;
  std::map<std::string, std::string, std::less<>> refusals_;
  std::atomic<std::uint64_t> generation_{0};
  void changed(std::string_view what) const;
  std::vector<std::function<void(std::string_view)>> listeners_;
};

// Matches a level-1 URI template ("a/{x}/b") against a URI; the variables on success.
std::optional<std::map<std::string, std::string>> match_uri_template(std::string_view tmpl,
                                                                      std::string_view uri);

// A principal limited to some AWS profiles sees only those in a tool's `profile` enum (without
// any, no `profile` argument at all: an empty enum is not a valid schema). `tool` is a tools/list
// entry; tools without the argument are left as they are.
void narrow_profile_enum(boost::json::object& tool, const std::vector<std::string>& profiles);

}  // namespace appsignals::mcp
