#include "net/request_id.h"

#include <set>

#include <gtest/gtest.h>

namespace appsignals::net {
namespace {

TEST(RequestId, KeepsASaneTokenFromTheClient) {
  EXPECT_EQ(request_id_for("abc-123_DEF.4:5/6+7=8@9"), "abc-123_DEF.4:5/6+7=8@9");
  EXPECT_EQ(request_id_for(std::string(kMaxRequestIdLength, 'a')), std::string(kMaxRequestIdLength, 'a'));
}

TEST(RequestId, ReplacesEmptyLongOrUnprintableIds) {
  for (std::string bad : {std::string(), std::string(kMaxRequestIdLength + 1, 'a'), std::string("a b"),
                          std::string("a\r\nX-Evil: 1"), std::string("quote\""), std::string("back\\slash"),
                          std::string("tab\t"), std::string("\x01"), std::string("caf\xc3\xa9"),
                          std::string("{\"json\":1}")}) {
    EXPECT_FALSE(is_sane_request_id(bad)) << bad;
    auto id = request_id_for(bad);
    EXPECT_NE(id, bad);
    EXPECT_TRUE(is_sane_request_id(id)) << id;
  }
}

TEST(RequestId, MintedIdsAre32HexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = mint_request_id();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace appsignals::net
