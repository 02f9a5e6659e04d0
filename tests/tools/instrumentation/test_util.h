#pragma once
// Shared bits of the instrumentation toolset tests.
#include <gtest/gtest.h>

#include <string>

#include "tool_harness.h"

namespace appsignals::testing::instrumentation_test {

inline ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::instrumentation_tools>; }

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace appsignals::testing::instrumentation_test
