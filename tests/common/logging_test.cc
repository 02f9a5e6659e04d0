#include "common/logging.h"

#include <gtest/gtest.h>

namespace appsignals {
namespace {

TEST(Logging, ParsesPythonStyleLevelNames) {
  EXPECT_EQ(parse_log_level("INFO"), spdlog::level::info);
  EXPECT_EQ(parse_log_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("Debug"), spdlog::level::debug);
  EXPECT_EQ(parse_log_level("CRITICAL"), spdlog::level::critical);
  EXPECT_FALSE(parse_log_level("LOUD").has_value());
}

TEST(Logging, MaskSecretNeverShowsAnyPartOfTheSecret) {
  EXPECT_EQ(mask_secret(""), "unset");
  EXPECT_EQ(mask_secret("sk-abcdef"), "set");
}

}  // namespace
}  // namespace appsignals
