#pragma once
// Shaping Logs Insights rows into query_rum_events answers: renaming fields, numbers as numbers,
// and the one-query actions (one query, its rows under one member of the answer).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "tools/rum/rum_actions.h"

namespace appsignals::tools::rum {

// `row` with each present field renamed (from → to); the `numeric` targets become numbers.
json::object pick(const json::object& row, std::initializer_list<std::pair<const char*, const char*>> fields,
                  std::initializer_list<const char*> numeric = {});
json::array renamed(const json::array& rows, std::initializer_list<std::pair<const char*, const char*>> fields,
                    std::initializer_list<const char*> numeric = {});
// The sum of a numeric field over rows.
std::int64_t sum_of(const json::array& rows, std::string_view field);
// Epoch milliseconds as ISO-8601 UTC (whole seconds).
std::string ms_to_iso(double epoch_ms);

// One-query actions: the action's name and the result member holding its rows.
struct Simple {
  const char* action;
  const char* field;
};
Simple simple(const char* action, const char* field);
// Runs `q` (up to `limit` rows) and answers base_result + count + `what.field` = shape(rows).
Awaitable one_query(RumCall rc, Simple what, std::string q, std::int64_t limit,
                    json::array (*shape)(const json::array&));

}  // namespace appsignals::tools::rum
