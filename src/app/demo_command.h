#pragma once
// `appsignals-mcp demo`: the server on 127.0.0.1 against the built-in sample AWS account (the
// fake AWS, started in-process on a loopback port). No AWS credentials needed, and nothing in
// demo mode reaches a real AWS endpoint: every AWS_* setting of the caller is replaced.
#include <cstdint>
#include <memory>

#include "app/config.h"
#include "app/server_app.h"

namespace appsignals::app {

// Adjusts `config` and `hooks` for demo mode (keeps hooks.register_tools).
void configure_demo(ServeConfig& config, ServeHooks& hooks);

}  // namespace appsignals::app
