#pragma once
// The enablement toolset's tools (one file per tool), listed by register.cc.
#include <string>
#include <string_view>

#include "common/result.h"
#include "tools/common/tool_spec.h"

namespace appsignals::tools::enablement {

// get_enablement_guide: our own bundled guides; calls no AWS operation (spec.ops is empty).
ToolEntry get_enablement_guide_tool();

// The canonical platform / language for a value as a model writes it: case and surrounding
// space ignored, obvious aliases read ("Kubernetes"/"k8s" → eks, "Node.js"/"node"/"javascript"
// → nodejs, "C#"/".NET" → dotnet). Empty when the value names no supported one.
std::string canonical_platform(std::string_view value);
std::string canonical_language(std::string_view value);

}  // namespace appsignals::tools::enablement
