#include "common/result.h"

#include <gtest/gtest.h>

#include <string>

namespace appsignals {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error{ErrorCode::kInvalidArgument, "must be positive"};
  return v;
}

TEST(Result, HoldsValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Result, ErrorToStringNamesTheCode) {
  Error e{ErrorCode::kPermissionDenied, "no access", "AccessDeniedException"};
  EXPECT_EQ(e.to_string(), "PermissionDenied: no access (AccessDeniedException)");
}

TEST(Result, RetryableCodesAreTheTransientOnes) {
  EXPECT_TRUE(is_retryable(ErrorCode::kUnavailable));
  EXPECT_TRUE(is_retryable(ErrorCode::kResourceExhausted));
  EXPECT_FALSE(is_retryable(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(is_retryable(ErrorCode::kPermissionDenied));
}

TEST(Result, VoidStatus) {
  Status s = ok_status();
  EXPECT_TRUE(s.ok());
  Status f = Error{ErrorCode::kNotFound, "x"};
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace appsignals
