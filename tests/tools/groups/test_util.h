#pragma once
// Shared bits of the groups toolset tests.
#include <gtest/gtest.h>

#include <string>

#include "tool_harness.h"

namespace appsignals::testing::groups_test {

inline ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::groups_tools>; }

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace appsignals::testing::groups_test
