// The model-style call corpus (corpus/model_calls.jsonl): every call a model typically sends
// must succeed against the sample account, carry the facts it asks for, and fit the budget.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <map>
#include <set>

#include "tool_harness.h"

#ifndef APPSIGNALS_TOOLS_CORPUS
#error "APPSIGNALS_TOOLS_CORPUS must name corpus/model_calls.jsonl"
#endif

namespace appsignals::testing {
namespace {

struct CorpusCall {
  int line = 0;
  std::string tool;
  json::object args;
  std::vector<std::string> expect;
};

std::vector<CorpusCall> load_corpus() {
  std::ifstream in(APPSIGNALS_TOOLS_CORPUS);
  EXPECT_TRUE(in.good()) << "cannot read " << APPSIGNALS_TOOLS_CORPUS;
  std::vector<CorpusCall> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    EXPECT_FALSE(ec) << "corpus line " << n << " is not JSON";
    if (ec) continue;
    CorpusCall c;
    c.line = n;
    c.tool = std::string(v.at("tool").as_string());
    if (auto* a = v.as_object().if_contains("args")) c.args = a->as_object();
    if (auto* e = v.as_object().if_contains("expect"))
      for (const auto& x : e->as_array()) c.expect.emplace_back(x.as_string());
    out.push_back(std::move(c));
  }
  return out;
}

TEST(ModelCallCorpus, EveryCallSucceedsCarriesItsFactsAndFitsTheBudget) {
  auto corpus = load_corpus();
  ToolHarness h(nullptr);
  std::map<std::string, int> per_tool;
  std::size_t largest = 0;
  std::string largest_at;
  for (const auto& c : corpus) {
    SCOPED_TRACE("corpus line " + std::to_string(c.line) + ": " + c.tool + " " + json::serialize(c.args));
    auto r = h.call(c.tool, c.args);
    ASSERT_FALSE(r.rpc_error.has_value()) << json::serialize(*r.rpc_error);
    EXPECT_FALSE(r.is_error) << r.text;
    for (const auto& fact : c.expect) EXPECT_NE(r.text.find(fact), std::string::npos) << "missing '" << fact << "' in:\n" << r.text;
    std::size_t size = 0;
    for (const auto& block : r.result.at("content").as_array())
      if (auto* t = block.as_object().if_contains("text")) size += t->as_string().size();
    EXPECT_LE(size, tools::kDefaultOutputBudget + 400) << "output over budget";
    if (size > largest) largest = size, largest_at = c.tool + " (line " + std::to_string(c.line) + ")";
    ++per_tool[c.tool];
  }
  std::cout << "[corpus] " << corpus.size() << " calls over " << per_tool.size() << " tools; largest output "
            << largest << " characters: " << largest_at << "\n";
}

TEST(ModelCallCorpus, CoversEveryTool) {
  auto corpus = load_corpus();
  std::set<std::string> covered;
  for (const auto& c : corpus) covered.insert(c.tool);
  for (const auto& spec : tools::selected_specs(tools::ToolSelection{}))
    EXPECT_TRUE(covered.count(spec->name)) << spec->name << " has no call in the corpus";
}

}  // namespace
}  // namespace appsignals::testing
