#include "groups/test_util.h"

#include "golden.h"

namespace appsignals::testing::groups_test {
namespace {

TEST(ListGroupingAttributeDefinitions, ListsEveryDefinition) {
  ToolHarness h(registrar());
  auto r = h.call("list_grouping_attribute_definitions");
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "Grouping attribute definitions: 2")) << r.text;
  EXPECT_TRUE(contains(r.text, "- Team\n  Source keys: team, aws:team\n  Default value: unassigned")) << r.text;
  EXPECT_TRUE(contains(r.text, "- BusinessUnit\n  Source keys: business.unit")) << r.text;
  EXPECT_TRUE(contains(r.text, "Last updated: ")) << r.text;
}

TEST(ListGroupingAttributeDefinitions, AccessDeniedNamesTheIamAction) {
  ToolHarness h(registrar());
  h.arm_fault(fakeaws::FaultSpec{"ListGroupingAttributeDefinitions", fakeaws::FaultKind::kAccessDenied, 1});
  auto r = h.call("list_grouping_attribute_definitions");
  EXPECT_TRUE(r.is_error);
  EXPECT_TRUE(contains(r.text, "application-signals:ListGroupingAttributeDefinitions")) << r.text;
}

TEST(ListGroupingAttributeDefinitions, Golden) {
  ToolHarness h(registrar());
  auto r = h.call("list_grouping_attribute_definitions");
  ASSERT_FALSE(r.is_error) << r.text;
  expect_golden("groups/golden/list_grouping_attribute_definitions.txt", r.text);
}

}  // namespace
}  // namespace appsignals::testing::groups_test
