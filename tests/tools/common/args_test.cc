#include "tools/common/args.h"

#include <gtest/gtest.h>

namespace appsignals::tools {
namespace {

namespace json = boost::json;

TEST(Args, JsonArraysMayArriveAsJsonText) {
  json::object args{{"service_targets", R"([{"Type":"service","Service":"checkout"}])"}};
  auto a = json_array_arg(args, "service_targets");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 1u);
  json::object native{{"service_targets", json::array{json::object{{"Type", "service"}}}}};
  EXPECT_TRUE(json_array_arg(native, "service_targets").ok());
}

TEST(Args, BadJsonTextNamesTheArgument) {
  json::object args{{"service_targets", "[{"}};
  auto a = json_array_arg(args, "service_targets");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("service_targets"), std::string::npos);
  json::object not_array{{"service_targets", R"({"a":1})"}};
  EXPECT_FALSE(json_array_arg(not_array, "service_targets").ok());
}

TEST(Args, IntegersAcceptNumericStringsAndCheckRanges) {
  json::object args{{"hours", "12"}, {"max", 300}, {"frac", 1.5}};
  EXPECT_EQ(*int_arg(args, "hours", 24, 1, 24), 12);
  EXPECT_EQ(*int_arg(args, "absent", 24, 1, 24), 24);
  EXPECT_FALSE(int_arg(args, "max", 20, 1, 200).ok());
  EXPECT_EQ(*clamped_int_arg(args, "max", 20, 1, 200), 200);
  EXPECT_FALSE(int_arg(args, "frac", 1, 0, 10).ok());
}

TEST(Args, RequiredStringsMustBeNonEmpty) {
  json::object args{{"service_name", "  "}, {"other", 5}};
  EXPECT_FALSE(required_string(args, "service_name").ok());
  EXPECT_FALSE(required_string(args, "missing").ok());
  EXPECT_EQ(*required_string(args, "other"), "5");
}

TEST(Args, BooleansAcceptCommonSpellings) {
  json::object args{{"a", "true"}, {"b", false}, {"c", "nope"}};
  EXPECT_TRUE(*bool_arg(args, "a", false));
  EXPECT_FALSE(*bool_arg(args, "b", true));
  EXPECT_FALSE(bool_arg(args, "c", true).ok());
}

TEST(Args, CaseInsensitiveMemberLookup) {
  json::object o{{"service", "x"}};
  ASSERT_NE(find_ci(o, "Service"), nullptr);
  EXPECT_EQ(find_ci(o, "Service")->get_string(), "x");
  EXPECT_EQ(find_ci(o, "Name"), nullptr);
}

}  // namespace
}  // namespace appsignals::tools
