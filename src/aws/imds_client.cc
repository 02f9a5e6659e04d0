#include "aws/imds_client.h"

#include <boost/asio/use_awaitable.hpp>

namespace appsignals::aws {
namespace asio = boost::asio;

namespace {
Error not_available(std::string what) { return Error(ErrorCode::kUnauthenticated, std::move(what)); }
}  // namespace

ImdsClient::ImdsClient(std::shared_ptr<HttpClient> http, const Env& env) : http_(std::move(http)) {
  disabled_ = env.get_bool("AWS_EC2_METADATA_DISABLED").value_or(false);
  v1_disabled_ = env.get_bool("AWS_EC2_METADATA_V1_DISABLED").value_or(false);
  if (auto ep = env.get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT")) endpoint_ = *ep;
  else if (env.get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("") == "IPv6")
    endpoint_ = "http://[fd00:ec2::254]";
  else
    endpoint_ = "http://169.254.169.254";
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  if (auto t = env.get_non_empty("AWS_METADATA_SERVICE_TIMEOUT")) {
    try {
      double seconds = std::stod(*t);
      if (seconds > 0) timeout_ = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    } catch (...) {  // fence: keep the default on junk
    }
  }
  if (auto n = env.get_non_empty("AWS_METADATA_SERVICE_NUM_ATTEMPTS")) {
    try {
      int v = std::stoi(*n);
      if (v >= 1 && v <= 10) attempts_ = v;
    } catch (...) {  // fence: keep the default on junk
    }
  }
}

asio::awaitable<Result<HttpResponse>> ImdsClient::send(HttpRequest request) const {
  request.connect_timeout = timeout_;
  request.total_timeout = timeout_;
  Result<HttpResponse> res = Error(ErrorCode::kUnavailable, "not attempted");
  for (int attempt = 0; attempt < attempts_; ++attempt) {
    res = co_await http_->send(request);
    if (res.ok() && res->status < 500) break;
  }
  co_return res;
}

asio::awaitable<Result<std::string>> ImdsClient::get(std::string path) const {
  if (disabled_) co_return not_available("IMDS disabled by AWS_EC2_METADATA_DISABLED");
  HttpRequest token_req;
  token_req.method = "PUT";
  token_req.url = endpoint_ + "/latest/api/token";
  token_req.headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", "21600");
  auto tok = co_await send(std::move(token_req));
  std::string token;
  if (tok.ok() && tok->status == 200) {
    token = tok->body;
  } else if (tok.ok() && tok->status == 400) {
    co_return not_available("IMDS rejected the token request (HTTP 400)");
  } else if (!tok.ok()) {
    co_return not_available("IMDS unreachable at " + endpoint_ + ": " + tok.error().message);
  } else if (tok->status != 403 && tok->status != 404 && tok->status != 405) {
    // Only "no IMDSv2 here" answers fall back to IMDSv1; throttling or server errors do not.
    co_return not_available("IMDS token request failed (HTTP " + std::to_string(tok->status) + ")");
  } else if (v1_disabled_) {
    co_return not_available("IMDSv2 token unavailable (HTTP " + std::to_string(tok->status) +
                            ") and IMDSv1 is disabled");
  }
  HttpRequest req;
  req.method = "GET";
  req.url = endpoint_ + path;
  if (!token.empty()) req.headers.emplace_back("x-aws-ec2-metadata-token", token);
  auto res = co_await send(std::move(req));
  if (!res.ok()) co_return Error(ErrorCode::kUnavailable, "IMDS: " + res.error().message);
  if (res->status != 200)
    co_return not_available("IMDS " + path + " returned HTTP " + std::to_string(res->status));
  co_return std::move(res->body);
}

}  // namespace appsignals::aws
