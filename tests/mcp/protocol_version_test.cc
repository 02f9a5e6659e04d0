#include "mcp/protocol_version.h"

#include <gtest/gtest.h>

namespace appsignals::mcp {
namespace {

TEST(NegotiateVersion, EchoesEverySupportedVersion) {
  for (auto v : {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"}) {
    EXPECT_TRUE(is_supported_version(v)) << v;
    EXPECT_EQ(negotiate_version(v), v);
  }
}

TEST(NegotiateVersion, AnswersTheLatestForAnUnknownVersion) {
  EXPECT_FALSE(is_supported_version("1.0.0"));
  EXPECT_EQ(negotiate_version("1.0.0"), kLatestVersion);
  EXPECT_EQ(negotiate_version("2099-01-01"), kLatestVersion);
  EXPECT_EQ(negotiate_version(""), kLatestVersion);
  EXPECT_EQ(kLatestVersion, "2025-11-25");
}

TEST(VersionAtLeast, ComparesDates) {
  EXPECT_TRUE(version_at_least("2025-06-18", "2025-06-18"));
  EXPECT_TRUE(version_at_least("2025-11-25", "2025-06-18"));
  EXPECT_FALSE(version_at_least("2025-03-26", "2025-06-18"));
}

TEST(DefaultHttpVersion, Is20250326) { EXPECT_EQ(kDefaultHttpVersion, "2025-03-26"); }

}  // namespace
}  // namespace appsignals::mcp
