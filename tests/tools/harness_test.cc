#include "tool_harness.h"

#include <gtest/gtest.h>

namespace appsignals::testing {
namespace {

TEST(ToolHarness, UnknownToolIsAJsonRpcInvalidParamsError) {
  ToolHarness h(nullptr);
  auto r = h.call("no_such_tool");
  ASSERT_TRUE(r.rpc_error.has_value());
  EXPECT_EQ(r.rpc_error->at("code").as_int64(), -32602);
}

TEST(ToolHarness, EveryToolIsDescribedAndAnnotated) {
  ToolHarness h(nullptr);
  for (const auto& tool : h.registry().tools()) {
    EXPECT_GE(tool->description.size(), 80u) << tool->name << " needs a description a model can choose by";
    EXPECT_EQ(tool->input_schema.at("type"), "object") << tool->name;
    ASSERT_TRUE(tool->annotations.contains("readOnlyHint")) << tool->name;
    // Tools that talk to AWS reach an open world; the bundled enablement guides do not.
    EXPECT_EQ(tool->annotations.at("openWorldHint"), tool->name != "get_enablement_guide") << tool->name;
    EXPECT_FALSE(tool->toolset.empty()) << tool->name;
  }
}

TEST(ToolSelection, UnknownToolsetIsAnErrorListingTheKnownOnes) {
  auto s = tools::parse_toolsets("services,nope", false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("services"), std::string::npos);
  auto all = tools::parse_toolsets("all", true);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->toolsets.empty());
  EXPECT_TRUE(all->read_only);
}

}  // namespace
}  // namespace appsignals::testing
