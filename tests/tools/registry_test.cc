// Registry-wide checks: every tool built from a ToolSpec, driven the same way. A tool added to
// any toolset is covered here without a line of its own.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <set>

#include "tool_harness.h"

namespace appsignals::testing {
namespace {

std::vector<std::shared_ptr<const tools::ToolSpec>> all_specs() {
  return tools::selected_specs(tools::ToolSelection{});
}

// The arguments of the spec's example call: each required argument with its example value.
json::object example_args(const tools::ToolSpec& spec) {
  json::object args;
  for (const auto& a : spec.args) {
    if (!a.required) continue;
    boost::system::error_code ec;
    auto v = json::parse(a.example, ec);
    args[a.name] = ec ? json::value(a.example) : v;
  }
  for (const auto& [k, v] : spec.example_extra) args[k] = v;
  return args;
}

TEST(ToolRegistry, EveryToolComesFromASpecAndIsRegistered) {
  ToolHarness h(nullptr);
  auto specs = all_specs();
  EXPECT_EQ(specs.size(), h.registry().tool_count()) << "a registered tool has no ToolSpec";
  std::set<std::string> names;
  for (const auto& s : specs) {
    EXPECT_TRUE(names.insert(s->name).second) << "duplicate tool " << s->name;
    auto def = h.registry().find_tool(s->name);
    ASSERT_TRUE(def) << s->name;
    EXPECT_TRUE(def->reads_own_arguments) << s->name;
  }
}

TEST(ToolRegistry, EverySchemaIsPortable) {
  ToolHarness h(nullptr);
  for (const auto& tool : h.registry().tools()) {
    const auto& props = tool->input_schema.at("properties").as_object();
    for (const auto& [name, prop] : props) {
      const auto& p = prop.as_object();
      ASSERT_TRUE(p.contains("type")) << tool->name << "." << name;
      EXPECT_TRUE(p.at("type").is_string()) << tool->name << "." << name << ": one type per property, no unions";
      EXPECT_NE(p.at("type"), "null") << tool->name << "." << name;
      EXPECT_FALSE(p.at("description").as_string().empty()) << tool->name << "." << name;
      EXPECT_FALSE(p.contains("anyOf") || p.contains("oneOf")) << tool->name << "." << name;
    }
  }
}

TEST(ToolRegistry, EveryRequiredArgumentHasAJsonExample) {
  for (const auto& spec : all_specs())
    for (const auto& a : spec->args) {
      if (!a.required) continue;
      boost::system::error_code ec;
      json::parse(a.example, ec);
      EXPECT_FALSE(ec) << spec->name << "." << a.name << " example '" << a.example << "' is not a JSON value";
    }
}

TEST(ToolRegistry, MissingRequiredArgumentIsNamedWithAValidCall) {
  ToolHarness h(nullptr);
  for (const auto& spec : all_specs()) {
    for (const auto& a : spec->args) {
      if (!a.required) continue;
      json::object args = example_args(*spec);
      args.erase(a.name);
      auto r = h.call(spec->name, args);
      EXPECT_TRUE(r.is_error) << spec->name << " without " << a.name;
      EXPECT_NE(r.text.find("missing required argument '" + a.name + "'"), std::string::npos) << r.text;
      EXPECT_NE(r.text.find(spec->name + "(" ), std::string::npos) << "no example call: " << r.text;
    }
  }
}

TEST(ToolRegistry, AccessDeniedOnEachDeclaredOperationNamesItsIamAction) {
  // Each tool's example call, with one declared operation denied at a time. Operations the
  // example call does not reach (e.g. IAM reads only for permission failures) are skipped, but
  // every tool that talks to AWS must reach at least one.
  std::size_t checked = 0;
  for (const auto& spec : all_specs()) {
    if (spec->ops.empty()) continue;
    std::size_t reached = 0;
    for (const auto& op : spec->ops) {
      ToolHarness h(nullptr);
      h.arm_fault(fakeaws::FaultSpec{std::string(op.service) + ":" + std::string(op.name),
                                     fakeaws::FaultKind::kAccessDenied, -1});
      auto r = h.call(spec->name, example_args(*spec));
      bool attempted = false;
      for (const auto& req : h.requests()) attempted = attempted || req.operation == op.name;
      if (!attempted) continue;
      ++reached;
      ++checked;
      EXPECT_NE(r.text.find(std::string(op.iam_action)), std::string::npos)
          << spec->name << " with " << op.name << " denied does not name " << op.iam_action << ":\n" << r.text;
    }
    EXPECT_GT(reached, 0u) << spec->name << " reached none of its declared operations";
  }
  EXPECT_GT(checked, 10u);
}

TEST(ToolRegistry, DeclaredOperationsCoverEveryOperationCalled) {
  // The example call of each tool calls only operations its spec declares.
  for (const auto& spec : all_specs()) {
    if (spec->ops.empty()) continue;
    ToolHarness h(nullptr);
    auto r = h.call(spec->name, example_args(*spec));
    for (const auto& req : h.requests()) {
      bool declared = false;
      for (const auto& op : spec->ops) declared = declared || op.name == req.operation;
      EXPECT_TRUE(declared) << spec->name << " called undeclared " << req.operation;
    }
  }
}

}  // namespace
}  // namespace appsignals::testing
