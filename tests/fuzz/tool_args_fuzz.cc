// Tool argument coercion (src/tools/common/tool_spec.h read_args) over every registered
// ToolSpec: the first byte picks the spec, the rest is the `arguments` JSON a model sends. What
// read_args accepts is read back through every accessor of Args, as the tools do.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/json/parse.hpp>

#include "fuzz_input.h"
#include "tools/common/tool_spec.h"
#include "tools/toolsets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appsignals;
  static const auto kSpecs = tools::selected_specs(tools::ToolSelection{});
  if (size < 1 || kSpecs.empty()) return 0;
  const tools::ToolSpec& spec = *kSpecs[data[0] % kSpecs.size()];
  boost::system::error_code ec;
  auto v = boost::json::parse(fuzz::as_text(data + 1, size - 1), ec);
  if (ec || !v.is_object()) return 0;
  const tools::TimePoint now{std::chrono::seconds(1764806400)};
  auto args = tools::read_args(spec, v.as_object(), now);
  if (!args) return 0;
  for (const auto& a : spec.args) {
    (void)args->has(a.name);
    (void)args->str(a.name);
    (void)args->opt_str(a.name);
    (void)args->integer(a.name);
    (void)args->boolean(a.name);
    (void)args->time(a.name);
    (void)args->json(a.name);
  }
  (void)tools::example_call(spec);
  return 0;
}
