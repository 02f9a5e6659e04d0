#pragma once
// Shared bits of the SLO toolset tests.
#include <gtest/gtest.h>

#include <string>

#include "tool_harness.h"

namespace appsignals::testing::slo_test {

inline ToolHarness::Registrar registrar() { return &tools::register_toolset<&tools::slo_tools>; }

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline int count_ops(const ToolHarness& h, const std::string& op) {
  int n = 0;
  for (const auto& r : h.requests())
    if (r.operation == op) ++n;
  return n;
}

}  // namespace appsignals::testing::slo_test
