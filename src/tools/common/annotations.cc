#include "tools/toolsets.h"

namespace appsignals::tools {

boost::json::object read_only_annotations(std::string_view title) {
  return boost::json::object{{"title", title},
                             {"readOnlyHint", true},
                             {"destructiveHint", false},
                             {"idempotentHint", true},
                             {"openWorldHint", true}};
}

}  // namespace appsignals::tools
