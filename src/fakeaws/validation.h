#pragma once
// Request validation against a model shape: required members, member types, enum values,
// numeric ranges and string/list lengths (the model's min/max). Unknown members are ignored, as
// AWS services do.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "fakeaws/model.h"

namespace appsignals::fakeaws {

struct ValidationFailure {
  bool missing = false;  // a required member is absent (else: a bad value)
  std::string message;   // names the member path, e.g. "KeyAttributes" or "MetricDataQueries.1.Id"
};

std::optional<ValidationFailure> validate(const ServiceModel& model, std::string_view shape,
                                          const boost::json::value& value);

}  // namespace appsignals::fakeaws
