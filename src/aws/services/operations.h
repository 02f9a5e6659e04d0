#pragma once
// Operation tables: for each operation the tools call, its HTTP binding as the model defines
// it (method, URI template, members bound to the URI, query string or headers). Members not
// bound go into the JSON body under their model names. JSON-RPC and query services need only
// the operation name.
#include <string_view>
#include <vector>

#include "aws/service.h"

namespace appsignals::aws {

enum class Location { kUri, kQuery, kHeader };

struct MemberBinding {
  std::string_view member;         // model member name, e.g. "Name"
  Location location;
  std::string_view location_name;  // wire name, e.g. "name" / "dryRunId"
};

struct RestOperation {
  std::string_view name;
  std::string_view method;
  std::string_view uri;  // "/canary/{name}/runs"
  std::vector<MemberBinding> bindings;
  bool has_body = true;  // false: input has no body members at all (send no body)
};

// nullptr when `operation` is not in the service's table.
const RestOperation* find_rest_operation(const ServiceInfo& service, std::string_view operation);

// Paginator definition (paginators-1.json).
struct Paginator {
  std::string_view operation;
  std::string_view input_token;
  std::string_view output_token;
  std::string_view result_key;
};
const Paginator* find_paginator(const ServiceInfo& service, std::string_view operation);

}  // namespace appsignals::aws
