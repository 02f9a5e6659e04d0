#pragma once
// Application Signals key attributes ({"Type":"Service","Name":...,"Environment":...}) as text.
#include <string>

#include <boost/json/object.hpp>

namespace appsignals::tools {

// "Type=Service, Name=payments, Environment=ecs:shop-cluster" (Type, Name, Environment first,
// then any other attributes in their order).
std::string key_attributes_text(const boost::json::object& attributes);

}  // namespace appsignals::tools
