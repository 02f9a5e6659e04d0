#pragma once
// The enablement guides behind get_enablement_guide: our own step-by-step Markdown for enabling
// CloudWatch Application Signals on each supported platform and language, compiled into the
// binary (guides_<platform>.cc hold the platform templates, fragments_*.cc the shared and
// per-language parts; guide_catalog.cc assembles them).
//
// Thread safety: everything here is immutable data or pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace appsignals::tools::enablement {

// The accepted values, lower-case, in catalogue order.
const std::vector<std::string_view>& supported_platforms();  // ec2, ecs, lambda, eks
const std::vector<std::string_view>& supported_languages();  // python, nodejs, java, dotnet

// The guide body (Markdown, without the tool's header) for a lower-case platform and language;
// nullopt for an unsupported combination. The body still contains the placeholders
// {{IAC_DIR}} and {{APP_DIR}}, which render_guide fills.
std::optional<std::string> enablement_guide(std::string_view platform, std::string_view language);

// The full answer: header (platform, language, both directories) plus the body with the
// directories substituted. nullopt for an unsupported combination. The directories are
// inserted verbatim in one pass (never re-expanded), so their text cannot inject placeholders.
std::optional<std::string> render_guide(std::string_view platform, std::string_view language,
                                        std::string_view iac_directory, std::string_view app_directory);

}  // namespace appsignals::tools::enablement
