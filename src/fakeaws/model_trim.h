#pragma once
// Trimming an official AWS service model (botocore service-2.json) to what the fake serves:
// the metadata, the implemented operations and every shape they reach, without documentation.
// Used at build time (fakeaws_model_trim embeds the result) and at run time when a models
// directory is given, so both paths validate against exactly the same tables.
#include <span>
#include <string_view>

#include <boost/json/object.hpp>

namespace appsignals::fakeaws {

// The operations the fake implements for a model, by its metadata.endpointPrefix ("monitoring",
// "application-signals", ...). Empty for an unknown prefix.
std::span<const std::string_view> implemented_operations(std::string_view endpoint_prefix);

// The trimmed copy of `model`. Operations not in `operations` are dropped, as are shapes no
// kept operation reaches and every "documentation" member.
boost::json::object trim_model(const boost::json::object& model,
                               std::span<const std::string_view> operations);

}  // namespace appsignals::fakeaws
