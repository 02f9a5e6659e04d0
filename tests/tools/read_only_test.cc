// --read-only / MCP_READ_ONLY: the tools that change the account are neither listed nor callable.
#include <gtest/gtest.h>

#include "tool_harness.h"

namespace appsignals::testing {
namespace {

void register_read_only(mcp::Registry& registry, std::shared_ptr<const tools::ToolEnv> env) {
  tools::ToolSelection selection;
  selection.read_only = true;
  tools::register_tools(registry, std::move(env), selection);
}

TEST(ReadOnly, ListsNoWritingToolAndRefusesADirectCall) {
  std::vector<std::string> writing;
  for (const auto& spec : tools::selected_specs(tools::ToolSelection{}))
    if (spec->writes) writing.push_back(spec->name);
  ASSERT_GE(writing.size(), 4u);  // create_instrumentation, delete_instrumentation and the two batch deletes

  ToolHarness h(&register_read_only);
  for (const auto& name : writing) EXPECT_EQ(h.registry().find_tool(name), nullptr) << name;
  EXPECT_NE(h.registry().find_tool("list_instrumentations"), nullptr);
  for (const auto& spec : tools::selected_specs(tools::ToolSelection{{}, true})) EXPECT_FALSE(spec->writes) << spec->name;

  auto r = h.call("create_instrumentation", {{"instrumentation_type", "BREAKPOINT"}, {"service", "payments"},
                                             {"environment", "ecs:shop-cluster"}});
  ASSERT_FALSE(r.rpc_error) << json::serialize(*r.rpc_error);
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("read-only"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("create_instrumentation"), std::string::npos) << r.text;
  EXPECT_TRUE(h.requests().empty());  // nothing reached AWS

  auto unknown = h.call("no_such_tool");
  EXPECT_TRUE(unknown.rpc_error.has_value());  // still "Unknown tool"
}

}  // namespace
}  // namespace appsignals::testing
