#pragma once
// Golden outputs: a tool's text on the sample account (fixed clock) is compared with a file
// under tests/tools/<toolset>/golden/, so formatting changes are deliberate. Run the tests with
// APPSIGNALS_UPDATE_GOLDEN=1 to rewrite the files, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace appsignals::testing {

inline void expect_golden(const std::string& relative_path, const std::string& actual) {
  const char* src = std::getenv("APPSIGNALS_SOURCE_DIR");
  std::filesystem::path path =
      std::filesystem::path(src ? src : APPSIGNALS_DEFAULT_SOURCE_DIR) / "tests/tools" / relative_path;
  if (std::getenv("APPSIGNALS_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing golden file " << path << " (run with APPSIGNALS_UPDATE_GOLDEN=1)";
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_EQ(buf.str(), actual) << "output differs from " << path
                               << " (if intended, rerun with APPSIGNALS_UPDATE_GOLDEN=1 and review the diff)";
}

}  // namespace appsignals::testing
