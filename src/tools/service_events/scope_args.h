#pragma once
#include "tools/common/tool_spec.h"

namespace appsignals::tools::service_events {

inline ArgSpec service_name_arg() {
  return arg::string("service_name", "Application Signals service name (the service.name resource attribute), e.g. \"payments\".")
      .eg("\"payments\"");
}
inline ArgSpec environment_arg() {
  return arg::string("environment", "Deployment environment of the service, e.g. \"ecs:shop-cluster\".")
      .eg("\"ecs:shop-cluster\"");
}
inline ArgSpec endpoint_arg() {
  return arg::string("endpoint", "Restrict to one endpoint (operation), e.g. \"POST /payments/charge\".")
      .eg("\"POST /payments/charge\"");
}

}  // namespace appsignals::tools::service_events
