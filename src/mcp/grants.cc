#include "mcp/grants.h"

#include "net/http_types.h"

namespace appsignals::mcp {

std::shared_ptr<const Grants> grants_of(const net::Request& request) {
  if (!request.scopes && !request.aws_profiles) return nullptr;
  return std::make_shared<const Grants>(Grants{request.scopes, request.aws_profiles});
}

}  // namespace appsignals::mcp
