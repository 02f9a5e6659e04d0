#include "app/config.h"

#include <gtest/gtest.h>

namespace appsignals::app {
namespace {

TEST(Config, OutputBudgetIsReadAndBadValuesNameTheVariable) {
  EXPECT_EQ(config_from_env(EnvMap{})->output_budget, 16000u);
  EXPECT_EQ(config_from_env(EnvMap{{"MCP_OUTPUT_BUDGET", "32000"}})->output_budget, 32000u);
  for (const char* bad : {"100", "lots", "-1", "99999999"}) {
    auto c = config_from_env(EnvMap{{"MCP_OUTPUT_BUDGET", bad}});
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("MCP_OUTPUT_BUDGET"), std::string::npos) << c.error().message;
  }
}

}  // namespace
}  // namespace appsignals::app
