#pragma once
// S3 (restXml) operations the tools use: ListObjectsV2 and GetObject. Path-style on custom
// endpoints, virtual-hosted otherwise; SigV4 without path normalisation, with
// x-amz-content-sha256.
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "aws/aws_client.h"

namespace appsignals::aws {

struct S3Object {
  std::string body;
  std::string content_type;
  std::string content_encoding;
  long long content_length = 0;
  std::string last_modified;
};

class S3Client {
 public:
  S3Client(std::shared_ptr<const ClientContext> ctx, std::string region)
      : ctx_(ctx), client_(std::move(ctx), services::kS3, std::move(region)) {}

  // The ListBucketResult as JSON; "Contents" and "CommonPrefixes" are always arrays.
  boost::asio::awaitable<Result<boost::json::value>> list_objects_v2(std::string bucket, std::string prefix,
                                                                     std::string continuation_token = {},
                                                                     int max_keys = 1000) const;
  boost::asio::awaitable<Result<S3Object>> get_object(std::string bucket, std::string key) const;

 private:
  Result<std::string> bucket_url(const std::string& bucket) const;
  std::shared_ptr<const ClientContext> ctx_;
  AwsClient client_;
};

}  // namespace appsignals::aws
