#include "tools/common/name_match.h"

#include <gtest/gtest.h>

namespace appsignals::tools {
namespace {

TEST(NameMatch, GlobsAreAnchoredAndCaseInsensitive) {
  EXPECT_TRUE(glob_match("*checkout*", "pet-Checkout-api"));
  EXPECT_TRUE(glob_match("pay*", "payments"));
  EXPECT_FALSE(glob_match("pay*", "repay"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(has_wildcard("*x"));
  EXPECT_FALSE(has_wildcard("x"));
}

TEST(NameMatch, SimilarityIgnoresCaseAndSeparators) {
  EXPECT_EQ(similarity("check-out", "checkout"), 100);
  EXPECT_GE(similarity("payment", "payments-service"), 90);
  EXPECT_LT(similarity("billing", "inventory"), 40);
}

TEST(NameMatch, ClosestNamesAreRankedAndBounded) {
  std::vector<std::string> names{"checkout", "payments", "inventory", "checkout-worker"};
  auto best = closest_names("chekout", names, 2);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].name, "checkout");
  EXPECT_TRUE(closest_names("zzzz", names).empty());
}

}  // namespace
}  // namespace appsignals::tools
