#pragma once
// Test helper: a started FakeAws on a background io_context thread and a blocking HTTP client
// that signs requests with the project's SigV4 signer.
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "aws/sigv4/signer.h"
#include "fakeaws/fake_aws.h"

namespace appsignals::fakeaws::testing {

namespace http = boost::beast::http;

struct Reply {
  int status = 0;
  std::string body;
  http::response<http::string_body> message;
  boost::system::error_code error;  // transport failure (reset, truncated body)
  boost::json::value json() const { return boost::json::parse(body); }
  std::string header(const char* name) const {
    auto it = message.find(name);
    return it == message.end() ? "" : std::string(it->value());
  }
};

struct Outgoing {
  std::string service;  // signing name
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  aws::sigv4::Headers headers;
  std::string body;
  bool sign = true;
  std::string access_key_id;
  std::string secret;
  std::string session_token;
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
};

class FakeAwsFixture : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override { shutdown(); }

  void start(FakeAwsOptions options) {
    auto fake = FakeAws::start(ioc_, std::move(options));
    ASSERT_TRUE(fake.ok()) << fake.error().message;
    fake_ = std::move(fake).value();
    work_ = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(ioc_.get_executor());
    thread_ = std::thread([this] { ioc_.run(); });
  }
  void shutdown() {
    if (!fake_) return;
    fake_->stop();
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
    fake_.reset();
  }

  Reply send(Outgoing out) {
    auto creds = FakeAws::demo_credentials();
    if (out.access_key_id.empty()) out.access_key_id = creds.access_key_id;
    if (out.secret.empty()) out.secret = creds.secret_access_key;
    std::string host = "127.0.0.1:" + std::to_string(fake_->port());
    aws::sigv4::SignableRequest req{out.method, host, out.path, out.query, out.headers, out.body};
    if (out.sign) {
      aws::sigv4::SigningParams p;
      p.access_key_id = out.access_key_id;
      p.secret_access_key = out.secret;
      p.session_token = out.session_token;
      const std::string region = out.service == "iam" ? std::string("us-east-1") : creds.region;
      p.region = region;
      p.service = out.service;
      p.time = out.time;
      bool s3 = out.service == "s3";
      p.normalize_path = !s3;
      p.double_encode = !s3;
      p.add_content_sha256 = s3;
      aws::sigv4::Signer signer;
      signer.sign(req, p);
    }
    return raw(req);
  }

  Reply raw(const aws::sigv4::SignableRequest& req) {
    Reply r;
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), fake_->port()), r.error);
    if (r.error) return r;
    http::request<http::string_body> m{http::string_to_verb(req.method),
                                       req.query.empty() ? req.path : req.path + "?" + req.query, 11};
    m.set(http::field::host, req.host);
    for (const auto& [k, v] : req.headers) m.set(k, v);
    m.body() = std::string(req.body);
    m.prepare_payload();
    http::write(stream, m, r.error);
    if (r.error) return r;
    boost::beast::flat_buffer buf;
    http::read(stream, buf, r.message, r.error);
    r.status = static_cast<int>(r.message.result_int());
    r.body = r.message.body();
    return r;
  }

  // Convenience builders for the protocols.
  Reply rest_json(const std::string& service, const std::string& method, const std::string& path,
                  const std::string& query = {}, const std::string& body = {}) {
    Outgoing o;
    o.service = service;
    o.method = method;
    o.path = path;
    o.query = query;
    o.body = body;
    if (!body.empty()) o.headers.emplace_back("Content-Type", "application/json");
    return send(o);
  }
  Reply json_rpc(const std::string& service, const std::string& target, const std::string& body,
                 const std::string& version) {
    Outgoing o;
    o.service = service;
    o.body = body;
    o.headers = {{"Content-Type", "application/x-amz-json-" + version}, {"X-Amz-Target", target}};
    if (service == "monitoring") o.headers.emplace_back("x-amzn-query-mode", "true");
    return send(o);
  }
  Reply cloudwatch(const std::string& op, const std::string& body) {
    return json_rpc("monitoring", "GraniteServiceVersion20100801." + op, body, "1.0");
  }
  Reply logs(const std::string& op, const std::string& body) {
    return json_rpc("logs", "Logs_20140328." + op, body, "1.1");
  }
  Reply query(const std::string& service, const std::string& form) {
    Outgoing o;
    o.service = service;
    o.body = form;
    o.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    return send(o);
  }

  // Control endpoint (unsigned).
  Reply control(const std::string& method, const std::string& path, const std::string& body = {}) {
    Outgoing o;
    o.sign = false;
    o.method = method;
    o.path = path;
    o.body = body;
    aws::sigv4::SignableRequest req{o.method, "127.0.0.1:" + std::to_string(fake_->port()), o.path, "", {}, o.body};
    return raw(req);
  }

  static std::string iso(std::chrono::system_clock::time_point t) {
    return aws::sigv4::amz_date(t).substr(0, 4) + "-" + aws::sigv4::amz_date(t).substr(4, 2) + "-" +
           aws::sigv4::amz_date(t).substr(6, 2) + "T" + aws::sigv4::amz_date(t).substr(9, 2) + "%3A" +
           aws::sigv4::amz_date(t).substr(11, 2) + "%3A" + aws::sigv4::amz_date(t).substr(13, 2) + "Z";
  }
  static std::int64_t epoch(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }
  // "StartTime=...&EndTime=..." for the last `hours`.
  static std::string window_query(int hours) {
    auto now = std::chrono::system_clock::now();
    return "StartTime=" + iso(now - std::chrono::hours(hours)) + "&EndTime=" + iso(now);
  }

  boost::asio::io_context ioc_;
  std::unique_ptr<FakeAws> fake_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace appsignals::fakeaws::testing
