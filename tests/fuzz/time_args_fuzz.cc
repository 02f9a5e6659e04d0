// Time arguments as models send them (src/tools/common/time_args.h): parse_time on the text and
// time_window on a start/end pair (one per line), both anchored at a fixed "now".
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "fuzz_input.h"
#include "tools/common/time_args.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appsignals;
  using namespace std::chrono_literals;
  const tools::TimePoint now{std::chrono::seconds(1764806400)};  // 2025-12-04T00:00:00Z
  std::string_view text = fuzz::as_text(data, size);
  if (auto t = tools::parse_time(text, "start_time", now)) {
    (void)tools::format_utc(*t);
    (void)tools::format_iso(*t);
    (void)tools::epoch_seconds(*t);
  }
  auto fields = fuzz::split_fields(text, 2);
  boost::json::object args;
  args["start_time"] = fields[0];
  args["end_time"] = fields[1];
  if (auto w = tools::time_window(args, "start_time", "end_time", 3h, std::chrono::seconds(86400 * 31), now)) {
    (void)tools::format_iso(w->start);
    (void)w->length();
  }
  // Numbers as well as strings: a model may send 1763330864 or 1.7e12.
  boost::json::object numeric;
  boost::system::error_code ec;
  auto v = boost::json::parse(fields[0], ec);
  if (!ec) {
    numeric["start_time"] = v;
    (void)tools::time_window(numeric, "start_time", "end_time", 3h, std::nullopt, now);
  }
  return 0;
}
