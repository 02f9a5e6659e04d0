#include "fixture.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdint>
#include <string>

#include "common/encoding.h"

namespace appsignals::conformance {

namespace asio = boost::asio;
namespace json = boost::json;
using asio::awaitable;
using mcp::RequestContext;
using mcp::ToolResult;

namespace {

// A 1x1 red PNG.
constexpr std::string_view kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

// A short silent 8 kHz mono 8-bit WAV, built byte by byte.
std::string wav_base64() {
  const std::uint32_t samples = 800;
  std::string w;
  auto u32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) w.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [&](std::uint16_t v) {
    w.push_back(static_cast<char>(v & 0xff));
    w.push_back(static_cast<char>(v >> 8));
  };
  w += "RIFF";
  u32(36 + samples);
  w += "WAVEfmt ";
  u32(16);
  u16(1);      // PCM
  u16(1);      // mono
  u32(8000);   // sample rate
  u32(8000);   // byte rate
  u16(1);      // block align
  u16(8);      // bits per sample
  w += "data";
  u32(samples);
  w.append(samples, static_cast<char>(0x80));
  return base64_encode(w);
}

awaitable<void> pause(RequestContext& ctx, std::chrono::milliseconds d) {
  asio::steady_timer t(ctx.executor(), d);
  co_await t.async_wait(asio::use_awaitable);
}

json::object no_args_schema() { return json::object{{"type", "object"}, {"properties", json::object{}}}; }

json::object string_arg_schema(std::string_view name, std::string_view description) {
  return json::object{{"type", "object"},
                      {"properties", json::object{{name, json::object{{"type", "string"}, {"description", description}}}}},
                      {"required", json::array{name}}};
}

std::string describe_elicitation(const json::value& v) {
  if (!v.is_object()) return json::serialize(v);
  const auto& o = v.get_object();
  std::string action = o.contains("action") && o.at("action").is_string() ? std::string(o.at("action").get_string()) : "unknown";
  std::string content = o.contains("content") ? json::serialize(o.at("content")) : "{}";
  return "action=" + action + ", content=" + content;
}

// Schemas are built outside the coroutines (GCC 12 rejects braced-list locals in coroutine frames).
json::object user_schema() {
  json::object schema{{"type", "object"},
                                 {"properties", json::object{{"username", json::object{{"type", "string"}, {"description", "User's response"}}},
                                                             {"email", json::object{{"type", "string"}, {"description", "User's email address"}}}}},
                                 {"required", json::array{"username", "email"}}};
  return schema;
}

json::object defaults_schema() {
             json::object props{
                 {"name", json::object{{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
                 {"age", json::object{{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
                 {"score", json::object{{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
                 {"status", json::object{{"type", "string"}, {"description", "User status"},
                                         {"enum", json::array{"active", "inactive", "pending"}}, {"default", "active"}}},
                 {"verified", json::object{{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}};
  return json::object{{"type", "object"}, {"properties", std::move(props)}};
}

json::object enums_schema() {
             auto opts = json::array{"option1", "option2", "option3"};
             json::object props{
                 {"untitledSingle", json::object{{"type", "string"}, {"description", "Untitled single"}, {"enum", opts}}},
                 {"titledSingle",
                  json::object{{"type", "string"}, {"description", "Titled single"},
                               {"oneOf", json::array{json::object{{"const", "value1"}, {"title", "First Option"}},
                                                     json::object{{"const", "value2"}, {"title", "Second Option"}},
                                                     json::object{{"const", "value3"}, {"title", "Third Option"}}}}}},
                 {"legacyEnum", json::object{{"type", "string"}, {"description", "Legacy titled"},
                                             {"enum", json::array{"opt1", "opt2", "opt3"}},
                                             {"enumNames", json::array{"Option One", "Option Two", "Option Three"}}}},
                 {"untitledMulti", json::object{{"type", "array"}, {"description", "Untitled multi"},
                                                {"items", json::object{{"type", "string"}, {"enum", opts}}}}},
                 {"titledMulti",
                  json::object{{"type", "array"}, {"description", "Titled multi"},
                               {"items", json::object{{"anyOf", json::array{json::object{{"const", "value1"}, {"title", "First Choice"}},
                                                                            json::object{{"const", "value2"}, {"title", "Second Choice"}},
                                                                            json::object{{"const", "value3"}, {"title", "Third Choice"}}}}}}}}};
  return json::object{{"type", "object"}, {"properties", std::move(props)}};
}

json::object elicitation_params(std::string_view message, json::object schema) {
  return json::object{{"message", message}, {"requestedSchema", std::move(schema)}};
}

void add_tool(mcp::Registry& r, std::string name, std::string description, json::object schema, mcp::ToolHandler h) {
  mcp::ToolDef t;
  t.name = std::move(name);
  t.description = std::move(description);
  t.input_schema = std::move(schema);
  t.handler = std::move(h);
  r.add_tool(std::move(t));
}

void register_tools(mcp::Registry& r) {
  add_tool(r, "test_simple_text", "Returns a simple text response.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             co_return ToolResult::text("This is a simple text response for testing.");
           });
  add_tool(r, "test_image_content", "Returns an image.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             ToolResult res;
             res.content.push_back(mcp::image_content(kPngBase64, "image/png"));
             co_return res;
           });
  add_tool(r, "test_audio_content", "Returns audio.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             ToolResult res;
             res.content.push_back(mcp::audio_content(wav_base64(), "audio/wav"));
             co_return res;
           });
  add_tool(r, "test_embedded_resource", "Returns an embedded resource.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             ToolResult res;
             res.content.push_back(mcp::embedded_resource("test://embedded-resource", "text/plain",
                                                          "This is an embedded resource content."));
             co_return res;
           });
  add_tool(r, "test_multiple_content_types", "Returns text, an image and a resource.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             ToolResult res;
             res.content.push_back(mcp::text_content("Multiple content types test:"));
             res.content.push_back(mcp::image_content(kPngBase64, "image/png"));
             res.content.push_back(mcp::embedded_resource("test://mixed-content-resource", "application/json",
                                                          R"({"test":"data","value":123})"));
             co_return res;
           });
  add_tool(r, "test_tool_with_logging", "Sends three log messages while it runs.", no_args_schema(),
           [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
             ctx.log(mcp::LogLevel::kInfo, "Tool execution started");
             co_await pause(ctx, std::chrono::milliseconds(50));
             ctx.log(mcp::LogLevel::kInfo, "Tool processing data");
             co_await pause(ctx, std::chrono::milliseconds(50));
             ctx.log(mcp::LogLevel::kInfo, "Tool execution completed");
             co_return ToolResult::text("Tool with logging executed successfully");
           });
  add_tool(r, "test_tool_with_progress", "Reports progress 0, 50 and 100 of 100.", no_args_schema(),
           [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
             ctx.progress(0, 100, "Starting");
             co_await pause(ctx, std::chrono::milliseconds(50));
             ctx.progress(50, 100, "Halfway");
             co_await pause(ctx, std::chrono::milliseconds(50));
             ctx.progress(100, 100, "Done");
             co_return ToolResult::text("Tool with progress executed successfully");
           });
  add_tool(r, "test_error_handling", "Always fails with a tool error.", no_args_schema(),
           [](RequestContext&, json::object) -> awaitable<ToolResult> {
             co_return ToolResult::error("This tool intentionally returns an error for testing");
           });
  add_tool(r, "test_sampling", "Asks the client's LLM to answer a prompt.",
           string_arg_schema("prompt", "The prompt to send to the LLM"),
           [](RequestContext& ctx, json::object args) -> awaitable<ToolResult> {
             if (!ctx.client_supports("sampling")) co_return ToolResult::error("The client does not support sampling");
             json::object params;
             params["messages"] = json::array{json::object{
                 {"role", "user"}, {"content", json::object{{"type", "text"}, {"text", args["prompt"]}}}}};
             params["maxTokens"] = 100;
             auto reply = co_await ctx.request_client("sampling/createMessage", std::move(params));
             if (!reply) co_return ToolResult::error("Sampling failed: " + reply.error().message);
             std::string text;
             if (auto* o = reply->if_object()) {
               if (auto* c = o->if_contains("content"); c && c->is_object()) {
                 if (auto* t = c->get_object().if_contains("text"); t && t->is_string()) text = t->get_string();
               }
             }
             co_return ToolResult::text("LLM response: " + text);
           });
  add_tool(r, "test_elicitation", "Asks the user for a username and an email.",
           string_arg_schema("message", "The message to show the user"),
           [](RequestContext& ctx, json::object args) -> awaitable<ToolResult> {
             if (!ctx.client_supports("elicitation"))
               co_return ToolResult::error("The client does not support elicitation");
             std::string message = args["message"].is_string() ? std::string(args["message"].get_string()) : "";
             auto reply = co_await ctx.request_client(std::string("elicitation/create"),
                                                      elicitation_params(message, user_schema()));
             if (!reply) co_return ToolResult::error("Elicitation failed: " + reply.error().message);
             co_return ToolResult::text("User response: " + describe_elicitation(*reply));
           });
  add_tool(r, "test_elicitation_sep1034_defaults", "Elicitation whose schema has defaults.", no_args_schema(),
           [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
             auto reply = co_await ctx.request_client(
                 std::string("elicitation/create"),
                 elicitation_params("Please review and update the form fields with defaults", defaults_schema()));
             if (!reply) co_return ToolResult::error("Elicitation failed: " + reply.error().message);
             co_return ToolResult::text("Elicitation completed: " + describe_elicitation(*reply));
           });
  add_tool(r, "test_elicitation_sep1330_enums", "Elicitation with the five enum schema forms.", no_args_schema(),
           [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
             auto reply = co_await ctx.request_client(
                 std::string("elicitation/create"),
                 elicitation_params("Please choose options", enums_schema()));
             if (!reply) co_return ToolResult::error("Elicitation failed: " + reply.error().message);
             co_return ToolResult::text("Elicitation completed: " + describe_elicitation(*reply));
           });
  add_tool(r, "json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
           json::parse(R"({"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
             "$defs":{"address":{"$anchor":"addressDef","type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
             "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"},
               "contactMethod":{"type":"string","enum":["phone","email"]},"phone":{"type":"string"},"email":{"type":"string"}},
             "allOf":[{"anyOf":[{"required":["phone"]},{"required":["email"]}]}],
             "if":{"properties":{"contactMethod":{"const":"phone"}},"required":["contactMethod"]},
             "then":{"required":["phone"]},"else":{"required":["email"]},
             "additionalProperties":false})")
               .as_object(),
           [](RequestContext&, json::object args) -> awaitable<ToolResult> {
             co_return ToolResult::text("Received: " + json::serialize(args));
           });
  add_tool(r, "test_reconnection", "Waits briefly, then answers (resumable streams are not offered).", no_args_schema(),
           [](RequestContext& ctx, json::object) -> awaitable<ToolResult> {
             co_await pause(ctx, std::chrono::milliseconds(100));
             co_return ToolResult::text("Reconnection test completed");
           });
}

void register_resources(mcp::Registry& r) {
  mcp::ResourceDef text;
  text.uri = "test://static-text";
  text.name = "Static Text Resource";
  text.description = "A static text resource for testing";
  text.mime_type = "text/plain";
  text.read = [](RequestContext&, std::string uri) -> awaitable<Result<json::array>> {
    co_return json::array{json::object{{"uri", uri}, {"mimeType", "text/plain"},
                                       {"text", "This is the content of the static text resource."}}};
  };
  r.add_resource(std::move(text));

  mcp::ResourceDef binary;
  binary.uri = "test://static-binary";
  binary.name = "Static Binary Resource";
  binary.description = "A static binary resource (image) for testing";
  binary.mime_type = "image/png";
  binary.read = [](RequestContext&, std::string uri) -> awaitable<Result<json::array>> {
    co_return json::array{json::object{{"uri", uri}, {"mimeType", "image/png"}, {"blob", kPngBase64}}};
  };
  r.add_resource(std::move(binary));

  mcp::ResourceDef watched;
  watched.uri = "test://watched-resource";
  watched.name = "Watched Resource";
  watched.description = "A resource clients may subscribe to";
  watched.mime_type = "text/plain";
  watched.read = [](RequestContext&, std::string uri) -> awaitable<Result<json::array>> {
    co_return json::array{json::object{{"uri", uri}, {"mimeType", "text/plain"}, {"text", "Watched resource content"}}};
  };
  r.add_resource(std::move(watched));

  mcp::ResourceTemplateDef tmpl;
  tmpl.uri_template = "test://template/{id}/data";
  tmpl.name = "Resource Template";
  tmpl.description = "A resource template with an id parameter";
  tmpl.mime_type = "application/json";
  tmpl.read = [](RequestContext&, std::string uri) -> awaitable<Result<json::array>> {
    auto vars = mcp::match_uri_template("test://template/{id}/data", uri);
    if (!vars) co_return Error{ErrorCode::kNotFound, "no such resource"};
    const std::string id = (*vars)["id"];
    json::object data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
    co_return json::array{json::object{{"uri", uri}, {"mimeType", "application/json"}, {"text", json::serialize(data)}}};
  };
  r.add_resource_template(std::move(tmpl));
}

json::object user_text(std::string_view text) {
  return json::object{{"role", "user"}, {"content", mcp::text_content(text)}};
}

void register_prompts(mcp::Registry& r) {
  mcp::PromptDef simple;
  simple.name = "test_simple_prompt";
  simple.description = "A simple prompt without arguments";
  simple.get = [](RequestContext&, json::object) -> awaitable<Result<json::object>> {
    co_return json::object{{"messages", json::array{user_text("This is a simple prompt for testing.")}}};
  };
  r.add_prompt(std::move(simple));

  mcp::PromptDef with_args;
  with_args.name = "test_prompt_with_arguments";
  with_args.description = "A prompt with two required arguments";
  with_args.arguments = {{"arg1", "First test argument", true}, {"arg2", "Second test argument", true}};
  with_args.get = [](RequestContext&, json::object args) -> awaitable<Result<json::object>> {
    auto str = [&](const char* k) {
      auto* v = args.if_contains(k);
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    co_return json::object{{"messages", json::array{user_text("Prompt with arguments: arg1='" + str("arg1") +
                                                              "', arg2='" + str("arg2") + "'")}}};
  };
  r.add_prompt(std::move(with_args));

  mcp::PromptDef embedded;
  embedded.name = "test_prompt_with_embedded_resource";
  embedded.description = "A prompt that embeds a resource";
  embedded.arguments = {{"resourceUri", "URI of the resource to embed", true}};
  embedded.get = [](RequestContext&, json::object args) -> awaitable<Result<json::object>> {
    std::string uri = args["resourceUri"].is_string() ? std::string(args["resourceUri"].get_string()) : "";
    json::array messages;
    messages.push_back(json::object{
        {"role", "user"},
        {"content", mcp::embedded_resource(uri, "text/plain", "Embedded resource content for testing.")}});
    messages.push_back(user_text("Please process the embedded resource above."));
    co_return json::object{{"messages", std::move(messages)}};
  };
  r.add_prompt(std::move(embedded));

  mcp::PromptDef image;
  image.name = "test_prompt_with_image";
  image.description = "A prompt with an image";
  image.get = [](RequestContext&, json::object) -> awaitable<Result<json::object>> {
    json::array messages;
    messages.push_back(json::object{{"role", "user"}, {"content", mcp::image_content(kPngBase64, "image/png")}});
    messages.push_back(user_text("Please analyze the image above."));
    co_return json::object{{"messages", std::move(messages)}};
  };
  r.add_prompt(std::move(image));

  r.set_completion_handler([](RequestContext&, json::object ref, json::object argument,
                              json::object) -> awaitable<Result<json::object>> {
    json::array values;
    std::string prefix = argument["value"].is_string() ? std::string(argument["value"].get_string()) : "";
    if (ref["type"] == "ref/prompt" && ref["name"] == "test_prompt_with_arguments") {
      for (std::string candidate : {"paris", "park", "party", "test", "testing"})
        if (candidate.rfind(prefix, 0) == 0) values.push_back(json::string(candidate));
    }
    auto total = static_cast<std::int64_t>(values.size());
    co_return json::object{{"values", std::move(values)}, {"total", total}, {"hasMore", false}};
  });
}

}  // namespace

void register_fixture(mcp::Registry& registry) {
  register_tools(registry);
  register_resources(registry);
  register_prompts(registry);
  register_modern_fixture(registry);
}

}  // namespace appsignals::conformance
