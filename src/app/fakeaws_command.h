#pragma once
// `appsignals-mcp fakeaws [--port N]`: runs the fake AWS (the sample account) alone on
// 127.0.0.1 and prints the environment to point an AWS client at it. Runs until SIGINT/SIGTERM.
#include <cstdint>

namespace appsignals::app {

// Returns the process exit code (0 after a signal, 1 if the fake could not start).
int run_fakeaws_command(std::uint16_t port);

}  // namespace appsignals::app
