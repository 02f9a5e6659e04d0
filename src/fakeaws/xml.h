#pragma once
// Minimal XML output for the query and restXml protocols: escaping and a shape-guided
// serialiser of a JSON value (member names, <member> list items, <entry> maps, RFC 3339 times).
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "fakeaws/model.h"

namespace appsignals::fakeaws {

std::string xml_escape(std::string_view text);

// Appends the members of `value` (an object) as child elements, following `shape`.
void append_xml_members(const ServiceModel& model, std::string_view shape,
                        const boost::json::value& value, std::string& out);

// Formats a JSON number the way AWS XML does ("12", "0.5").
std::string xml_number(const boost::json::value& v);

}  // namespace appsignals::fakeaws
