#include "mcp/schema_check.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace appsignals::mcp {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const json::object kSchema = obj(R"({
  "type":"object",
  "properties":{
    "service":{"type":"string"},
    "hours":{"type":"integer"},
    "ratio":{"type":"number"},
    "verbose":{"type":"boolean"},
    "stat":{"type":"string","enum":["p50","p99"]},
    "tags":{"type":"array"},
    "filter":{"type":"object"},
    "either":{"type":["string","integer"]}
  },
  "required":["service"],
  "additionalProperties":false
})");

TEST(CheckArguments, ValidArgumentsPass) {
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"api","hours":3,"ratio":0.5,"verbose":true,
      "stat":"p99","tags":[],"filter":{},"either":4})")),
            std::nullopt);
}

TEST(CheckArguments, MissingRequiredArgumentIsNamed) {
  auto err = check_arguments(kSchema, obj(R"({"hours":1})"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("service"), std::string::npos) << *err;
  EXPECT_NE(err->find("required"), std::string::npos) << *err;
}

TEST(CheckArguments, WrongTypeIsNamedWithTheExpectedType) {
  auto err = check_arguments(kSchema, obj(R"({"service":5})"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("'service'"), std::string::npos) << *err;
  EXPECT_NE(err->find("string"), std::string::npos) << *err;
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","hours":"three"})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","hours":1.5})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","verbose":"yes"})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","tags":{}})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","filter":[]})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","either":true})")));
}

TEST(CheckArguments, ModelStyleStringsForNumbersBooleansObjectsAndArraysPass) {
  // Models send "3" for 3, "true" for true and JSON text for objects and arrays; the tools'
  // argument readers convert them, so the engine must not reject them first.
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","hours":"3"})")), std::nullopt);
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","verbose":"true"})")), std::nullopt);
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","filter":"{\"k\":\"v\"}"})")), std::nullopt);
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","tags":"[1,2]"})")), std::nullopt);
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","hours":"3.5"})")));
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":"a","tags":"{}"})")));
}

TEST(CheckArguments, IntegralDoubleCountsAsInteger) {
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","hours":2.0})")), std::nullopt);
}

// JSON Schema's "integer" is any number with a zero fractional part, so 1e300 is an integer.
// BUG (src/mcp/schema_check.cc:13, type_matches): static_cast<long long>(v.get_double()) is
// undefined behaviour for doubles outside the long long range ([conv.fpint]; reported by
// -fsanitize=float-cast-overflow, which GCC's -fsanitize=undefined does not include), and on
// x86-64 yields INT64_MIN, so the check says "must be of type integer". The input comes straight from the client. Disabled until fixed (e.g. compare
// std::trunc(d) == d with std::isfinite(d)).
TEST(CheckArguments, HugeIntegralDoubleIsAnIntegerWithoutOverflow) {
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","hours":1e300})")), std::nullopt);
}

TEST(CheckArguments, ValueOutsideTheEnumIsRejectedWithTheAllowedValues) {
  auto err = check_arguments(kSchema, obj(R"({"service":"a","stat":"p75"})"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("p50"), std::string::npos) << *err;
}

TEST(CheckArguments, UnknownArgumentIsRejectedWhenAdditionalPropertiesIsFalse) {
  auto err = check_arguments(kSchema, obj(R"({"service":"a","servcie":"typo"})"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("servcie"), std::string::npos) << *err;
}

TEST(CheckArguments, UnknownArgumentIsAllowedOtherwise) {
  auto open = obj(R"({"type":"object","properties":{"a":{"type":"string"}}})");
  EXPECT_EQ(check_arguments(open, obj(R"({"b":1})")), std::nullopt);
}

TEST(CheckArguments, NullForAnOptionalArgumentMeansNotGiven) {
  EXPECT_EQ(check_arguments(kSchema, obj(R"({"service":"a","hours":null,"stat":null})")), std::nullopt);
}

TEST(CheckArguments, NullForARequiredArgumentIsATypeError) {
  EXPECT_TRUE(check_arguments(kSchema, obj(R"({"service":null})")));
}

TEST(CheckArguments, EmptySchemaAcceptsAnything) {
  EXPECT_EQ(check_arguments(json::object{}, obj(R"({"x":[1]})")), std::nullopt);
}

}  // namespace
}  // namespace appsignals::mcp
