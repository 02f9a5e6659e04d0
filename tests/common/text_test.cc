#include "common/text.h"

#include <gtest/gtest.h>

namespace appsignals {
namespace {

TEST(AsciiLower, MapsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("Content-TYPE: X-Amz"), "content-type: x-amz");
  EXPECT_EQ(ascii_lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // UTF-8 bytes untouched
  EXPECT_EQ(ascii_lower(""), "");
}

TEST(TrimSpace, RemovesAsciiWhiteSpaceAtBothEndsOnly) {
  EXPECT_EQ(trim_space(" \t\r\n\v\f a b \t\r\n"), "a b");
  EXPECT_EQ(trim_space("ab"), "ab");
  EXPECT_EQ(trim_space(" \t "), "");
  EXPECT_EQ(trim_space(""), "");
}

}  // namespace
}  // namespace appsignals
