#pragma once
// DNS-rebinding protection: Host and Origin validation.
//
// When the server listens on a loopback address, the Host header's name must be localhost,
// 127.0.0.1 or [::1] (any port). A present Origin must name an allowed host (by default the
// same loopback names). Extra hosts and origins (MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS) extend
// the lists for public deployments; an entry is a bare host name or a full origin
// ("https://app.example.com"). A missing Origin is accepted: non-browser clients omit it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace appsignals::net {

class OriginPolicy {
 public:
  OriginPolicy() = default;
  // `bind_host` is the listen address; loopback binds enforce the Host check.
  static OriginPolicy for_bind_address(std::string_view bind_host,
                                       std::vector<std::string> extra_hosts = {},
                                       std::vector<std::string> extra_origins = {});

  // nullopt when acceptable, else the reason for a 403: it names the refused Host or Origin and
  // the setting that allows it (MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS).
  std::optional<std::string> check(std::string_view host_header, std::string_view origin_header) const;
  // Whether an Origin value is allowed (used for CORS replies).
  bool origin_allowed(std::string_view origin) const;

  bool enforces_host() const { return enforce_host_; }

 private:
  bool host_allowed(std::string_view host_name) const;

  bool enforce_host_ = false;
  std::vector<std::string> hosts_;    // lower-case host names (IPv6 in brackets)
  std::vector<std::string> origins_;  // lower-case full origins, or host names
};

// Splits "name:port" / "[v6]:port" into the host name (brackets kept), lower-cased.
std::string host_name_of(std::string_view host_header);
// True for 127.0.0.0/8, ::1, localhost.
bool is_loopback_host(std::string_view host);

}  // namespace appsignals::net
