#include "instrumentation/test_util.h"

namespace appsignals::testing::instrumentation_test {
namespace {

TEST(Instrumentation, ListsTheSeededBreakpoint) {
  ToolHarness h(registrar());
  auto r = h.call("list_instrumentations", {{"service", "payments"}, {"environment", "ecs:shop-cluster"},
                                            {"instrumentation_type", "BREAKPOINT"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_TRUE(contains(r.text, "ChargeService")) << r.text;
  std::cout << r.text << std::endl;
}

}  // namespace
}  // namespace appsignals::testing::instrumentation_test
