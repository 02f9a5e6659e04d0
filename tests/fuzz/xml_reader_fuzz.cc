// The XML reader of the AWS client (awsQuery and restXml responses): xml_to_json and as_list over
// whatever a server (or a man in the middle of a misconfigured proxy) sends back.
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/protocol/wire.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace appsignals;
  std::string root;
  auto v = aws::xml_to_json(fuzz::as_text(data, size), &root);
  if (v && v->is_object()) {
    for (const auto& [key, member] : v->as_object()) (void)aws::as_list(&member);
  }
  return 0;
}
