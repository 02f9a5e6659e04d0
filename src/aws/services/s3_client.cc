#include "aws/services/s3_client.h"

namespace appsignals::aws {
namespace json = boost::json;
namespace asio = boost::asio;

Result<std::string> S3Client::bucket_url(const std::string& bucket) const {
  auto ep = ctx_->endpoints->resolve(services::kS3, client_.region());
  if (!ep.ok()) return std::move(ep).error();
  return s3_bucket_url(*ep, bucket);
}

asio::awaitable<Result<json::value>> S3Client::list_objects_v2(std::string bucket, std::string prefix,
                                                               std::string continuation_token, int max_keys) const {
  auto base = bucket_url(bucket);
  if (!base.ok()) co_return std::move(base).error();
  QueryParams q = {{"list-type", "2"}, {"max-keys", std::to_string(max_keys)}};
  if (!prefix.empty()) q.emplace_back("prefix", prefix);
  if (!continuation_token.empty()) q.emplace_back("continuation-token", continuation_token);
  CallOptions opts;
  opts.s3_signing = true;
  opts.url_override = *base;
  std::string op = "ListObjectsV2";
  OperationRequest req = rest_xml_request("GET", "", std::move(q));  // path-style: /<bucket>?list-type=2
  auto r = co_await client_.call_json(op, std::move(req), opts);
  if (!r.ok()) co_return r;
  json::value v = std::move(r).value();
  if (v.is_object()) {
    auto& o = v.as_object();
    o["Contents"] = as_list(o.if_contains("Contents"));
    o["CommonPrefixes"] = as_list(o.if_contains("CommonPrefixes"));
  }
  co_return v;
}

asio::awaitable<Result<S3Object>> S3Client::get_object(std::string bucket, std::string key) const {
  auto base = bucket_url(bucket);
  if (!base.ok()) co_return std::move(base).error();
  CallOptions opts;
  opts.s3_signing = true;
  opts.url_override = *base;
  std::string op = "GetObject";
  OperationRequest req = rest_xml_request("GET", "/" + encode_label(key, true));
  auto r = co_await client_.call(op, std::move(req), opts);
  if (!r.ok()) co_return std::move(r).error();
  S3Object o;
  o.body = std::move(r->http.body);
  o.content_type = std::string(r->http.header("Content-Type").value_or(""));
  o.content_encoding = std::string(r->http.header("Content-Encoding").value_or(""));
  o.last_modified = std::string(r->http.header("Last-Modified").value_or(""));
  o.content_length = static_cast<long long>(o.body.size());
  co_return o;
}

}  // namespace appsignals::aws
