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
  // A query that only contains a short name is not that name.
  EXPECT_LT(similarity("billing-api", "api"), 80);
  EXPECT_FALSE(resolve_name("billing-api", {"api", "payments"}).name.has_value());
}

TEST(NameMatch, ClosestNamesAreRankedAndBounded) {
  std::vector<std::string> names{"checkout", "payments", "inventory", "checkout-worker"};
  auto best = closest_names("chekout", names, 2);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].name, "checkout");
  EXPECT_TRUE(closest_names("zzzz", names).empty());
}

TEST(NameMatch, ResolveExactThenCaseThenSeparatorsThenOneClearFuzzyWinner) {
  std::vector<std::string> names{"checkout-flow", "payments", "payments-worker", "inventory", "Checkout"};
  auto exact = resolve_name("payments", names);
  ASSERT_TRUE(exact.name);
  EXPECT_TRUE(exact.exact);
  EXPECT_EQ(exact.note("service", "payments"), "");
  auto ci = resolve_name("INVENTORY", names);
  EXPECT_EQ(*ci.name, "inventory");
  EXPECT_EQ(ci.note("service", "INVENTORY"), "resolved service 'INVENTORY' to 'inventory'.");
  auto sep = resolve_name("Checkout Flow", names);
  EXPECT_EQ(*sep.name, "checkout-flow");
  auto fuzzy = resolve_name("inventry", names);
  EXPECT_EQ(*fuzzy.name, "inventory");
  // Two close candidates: no clear winner, not found with both listed.
  auto ambiguous = resolve_name("payment", names);
  EXPECT_FALSE(ambiguous.name);
  ASSERT_GE(ambiguous.closest.size(), 2u);
  auto none = resolve_name("zzzz", names);
  EXPECT_FALSE(none.name);
  EXPECT_NE(not_found_text("service", "zzzz", none, names.size()).find("no service named 'zzzz'"), std::string::npos);
}

}  // namespace
}  // namespace appsignals::tools
