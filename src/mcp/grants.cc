#include "mcp/grants.h"

#include "net/http_types.h"

namespace appsignals::mcp {

std::shared_ptr<const Grants> grants_of(const net::Request& request) {
  if (!request.scopes && !request.aws_profiles) {
    static const std::shared_ptr<const Grants> unrestricted = std::make_shared<const Grants>();
    return unrestricted;
  }
  return std::make_shared<const Grants>(Grants{request.scopes, request.aws_profiles});
}

}  // namespace appsignals::mcp
