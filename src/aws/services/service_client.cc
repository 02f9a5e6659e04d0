#include "aws/services/service_client.h"

#include <boost/json/serialize.hpp>

namespace appsignals::aws {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

std::string query_value(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) return json::serialize(v);
  return json::serialize(v);
}

// Timestamps bound to the query string are ISO-8601; numbers given for them are epoch seconds.
std::string query_member_value(std::string_view member, const json::value& v) {
  bool is_time = member == "StartTime" || member == "EndTime";
  if (is_time && v.is_number()) {
    auto secs = static_cast<long long>(v.to_number<double>());
    return format_iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(secs)));
  }
  return query_value(v);
}

}  // namespace

Result<OperationRequest> ServiceClient::build_request(const ServiceInfo& service, std::string_view operation,
                                                      json::object input) {
  switch (service.protocol) {
    case Protocol::kAwsJson1_0:
    case Protocol::kAwsJson1_1:
      return json_rpc_request(service, operation, input);
    case Protocol::kAwsQuery:
      return query_request(service, operation, input);
    case Protocol::kRestXml:
      return Error(ErrorCode::kInvalidArgument, "use s3_client.h for S3 operations");
    case Protocol::kRestJson1:
      break;
  }
  const RestOperation* op = find_rest_operation(service, operation);
  if (!op) return Error(ErrorCode::kInvalidArgument, "unknown operation " + std::string(operation));
  std::string path(op->uri);
  QueryParams query;
  HeaderList headers;
  for (const auto& b : op->bindings) {
    auto* v = input.if_contains(b.member);
    if (!v || v->is_null()) {
      if (b.location == Location::kUri)
        return Error(ErrorCode::kInvalidArgument, std::string(operation) + " requires " + std::string(b.member));
      continue;
    }
    if (b.location == Location::kUri) {
      std::string label = "{" + std::string(b.location_name) + "}";
      auto pos = path.find(label);
      if (pos != std::string::npos) path.replace(pos, label.size(), encode_label(query_value(*v)));
    } else if (b.location == Location::kQuery) {
      if (v->is_array()) {
        for (const auto& item : v->as_array()) query.emplace_back(std::string(b.location_name), query_value(item));
      } else {
        query.emplace_back(std::string(b.location_name), query_member_value(b.member, *v));
      }
    } else {
      headers.emplace_back(std::string(b.location_name), query_value(*v));
    }
    input.erase(b.member);
  }
  OperationRequest r = rest_json_request(std::string(op->method), path, std::move(query),
                                         op->has_body ? &input : nullptr);
  for (auto& h : headers) r.headers.push_back(std::move(h));
  return r;
}

asio::awaitable<Result<json::value>> ServiceClient::call(std::string operation, json::object input) const {
  CallOptions options;  // each answer in its own arena (response_arena)
  co_return co_await call_in(std::move(operation), std::move(input), std::move(options));
}

asio::awaitable<Result<json::value>> ServiceClient::call_in(std::string operation, json::object input,
                                                            CallOptions options) const {
  auto req = build_request(client_.service(), operation, std::move(input));
  if (!req.ok()) co_return std::move(req).error();
  OperationRequest request = std::move(req).value();
  co_return co_await client_.call_json(operation, std::move(request), options);
}

namespace {
// A Page whose members live in `sp` (constructed, not assigned: assignment would copy into the
// default resource). Outside the coroutine: no braced initialisers in coroutine bodies.
Page page_in(const json::storage_ptr& sp) {
  return Page{json::array(sp), std::string(), json::value(sp), 0};
}
}  // namespace

asio::awaitable<Result<Page>> ServiceClient::paginate(std::string operation, json::object input,
                                                      int max_pages) const {
  const Paginator* p = find_paginator(client_.service(), operation);
  // Every page of a JSON protocol is parsed into one arena, the Page's own: moving a page's
  // items into Page::items moves pointers (between resources it would copy them).
  CallOptions options;
  if (is_json_protocol(client_.service().protocol)) options.json_storage = response_arena(8192);
  json::storage_ptr sp = options.json_storage ? *options.json_storage : json::storage_ptr();
  Page page = page_in(sp);
  for (;;) {
    std::string op = operation;
    json::object in = input;
    auto r = co_await call_in(std::move(op), std::move(in), options);
    if (!r.ok()) co_return std::move(r).error();
    ++page.pages;
    page.last_page = std::move(r).value();
    if (!p) co_return page;
    json::object* obj = page.last_page.if_object();
    if (obj) {
      // Items move out of the page (the page's own list is left empty): no deep copies.
      if (json::value* list = obj->if_contains(p->result_key); list && list->is_array()) {
        json::array& a = list->get_array();
        if (page.items.empty()) {
          page.items = std::move(a);
        } else {
          page.items.reserve(page.items.size() + a.size());
          for (auto& item : a) page.items.push_back(std::move(item));
        }
        a.clear();
      } else {
        for (auto& item : as_list(list)) page.items.push_back(std::move(item));
      }
    }
    std::string next;
    if (obj)
      if (auto* t = obj->if_contains(p->output_token); t && t->is_string()) next = std::string(t->as_string());
    if (next.empty()) co_return page;
    if (page.pages >= max_pages) {
      page.next_token = next;
      co_return page;
    }
    input[p->input_token] = next;
  }
}

AwsClients AwsClients::make(const std::shared_ptr<const ClientContext>& ctx, const std::string& region) {
  return AwsClients{{ctx, services::kApplicationSignals, region}, {ctx, services::kCloudWatch, region},
                    {ctx, services::kLogs, region},       {ctx, services::kXRay, region},
                    {ctx, services::kSynthetics, region}, {ctx, services::kIam, region},
                    {ctx, services::kSts, region},        {ctx, services::kLambda, region},
                    {ctx, services::kRum, region},        {ctx, services::kS3, region}};
}

const ServiceClient* AwsClients::for_op(const Op& op) const {
  for (const ServiceClient* c : {&application_signals, &cloudwatch, &logs, &xray, &synthetics, &iam, &sts, &lambda, &rum, &s3})
    if (c->raw().service().endpoint_prefix == op.service) return c;
  return nullptr;
}

}  // namespace appsignals::aws
