#include "net/origin_policy.h"

#include "common/text.h"
#include <algorithm>
#include <cctype>

#include <boost/asio/ip/address.hpp>

namespace appsignals::net {
namespace {

const std::vector<std::string> kLoopbackNames = {"localhost", "127.0.0.1", "[::1]"};

// A header value as it goes into a 403 message: printable ASCII only, at most 100 characters.
std::string quoted_value(std::string_view v) {
  constexpr std::size_t kMax = 100;
  std::string out;
  for (char c : v.substr(0, kMax)) out.push_back(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
  if (v.size() > kMax) out += "...";
  return out;
}

}  // namespace

std::string host_name_of(std::string_view host_header) {
  std::string_view h = host_header;
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (!h.empty() && h.front() == '[') {
    auto close = h.find(']');
    return ascii_lower(close == std::string_view::npos ? h : h.substr(0, close + 1));
  }
  auto colon = h.find(':');
  return ascii_lower(colon == std::string_view::npos ? h : h.substr(0, colon));
}

bool is_loopback_host(std::string_view host) {
  std::string h = ascii_lower(host);
  if (h == "localhost") return true;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(h, ec);
  return !ec && addr.is_loopback();
}

OriginPolicy OriginPolicy::for_bind_address(std::string_view bind_host,
                                            std::vector<std::string> extra_hosts,
                                            std::vector<std::string> extra_origins) {
  OriginPolicy p;
  p.enforce_host_ = is_loopback_host(bind_host) || !extra_hosts.empty();
  p.hosts_ = kLoopbackNames;
  for (auto& h : extra_hosts) p.hosts_.push_back(host_name_of(h));
  p.origins_ = kLoopbackNames;
  for (auto& o : extra_origins) p.origins_.push_back(ascii_lower(o));
  return p;
}

bool OriginPolicy::host_allowed(std::string_view host_name) const {
  if (std::find(hosts_.begin(), hosts_.end(), host_name) != hosts_.end()) return true;
  return std::find(hosts_.begin(), hosts_.end(), "*") != hosts_.end();
}

bool OriginPolicy::origin_allowed(std::string_view origin) const {
  std::string o = ascii_lower(origin);
  if (std::find(origins_.begin(), origins_.end(), "*") != origins_.end()) return true;
  if (std::find(origins_.begin(), origins_.end(), o) != origins_.end()) return true;
  // Compare the origin's host name against bare-name entries.
  auto scheme = o.find("://");
  if (scheme == std::string::npos) return false;
  std::string name = host_name_of(std::string_view(o).substr(scheme + 3));
  for (const auto& entry : origins_) {
    if (entry.find("://") == std::string::npos && entry == name) return true;
  }
  return false;
}

std::optional<std::string> OriginPolicy::check(std::string_view host_header,
                                               std::string_view origin_header) const {
  if (enforce_host_) {
    if (host_header.empty())
      return "missing Host header: send the server's name in Host (names other than localhost, 127.0.0.1 "
             "and [::1] must be listed in MCP_ALLOWED_HOSTS)";
    if (auto name = host_name_of(host_header); !host_allowed(name))
      return "Host '" + quoted_value(name) +
             "' not allowed (DNS-rebinding protection): add it to MCP_ALLOWED_HOSTS on the server";
  }
  if (origin_header == "null" || (!origin_header.empty() && !origin_allowed(origin_header)))
    return "Origin '" + quoted_value(origin_header) +
           "' not allowed (DNS-rebinding protection): add it to MCP_ALLOWED_ORIGINS on the server";
  return std::nullopt;
}

}  // namespace appsignals::net
