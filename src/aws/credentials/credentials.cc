#include "aws/credentials/credentials.h"

#include <cstdio>
#include <ctime>

namespace appsignals::aws {

std::string_view outcome_label(CredentialAttempt::Outcome outcome) {
  switch (outcome) {
    case CredentialAttempt::Outcome::kSkipped: return "skipped";
    case CredentialAttempt::Outcome::kNone: return "no credentials";
    case CredentialAttempt::Outcome::kFailed: return "FAILED";
    case CredentialAttempt::Outcome::kResolved: return "OK";
    case CredentialAttempt::Outcome::kNotTried: return "not tried";
  }
  return "?";
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  int y, mo, d, h, mi;
  double s = 0;
  std::string str(text);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &s, &consumed) < 6)
    return std::nullopt;
  std::string_view tz = std::string_view(str).substr(static_cast<std::size_t>(consumed));
  long offset_min = 0;
  if (!tz.empty() && tz != "Z" && tz != "z") {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(tz).c_str() + 1, "%2d:%2d", &oh, &om) < 1) return std::nullopt;
    offset_min = (oh * 60 + om) * (tz[0] == '-' ? -1 : 1);
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto tp = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
            std::chrono::milliseconds{static_cast<long long>(s * 1000)} - std::chrono::minutes{offset_min};
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(tp);
}

std::string format_iso8601(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace appsignals::aws
