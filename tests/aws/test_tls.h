#pragma once
// TLS fixtures for tests: a throw-away certificate authority and a server certificate it signs
// (OpenSSL API, EC P-256, made fresh by each test), and a loopback HTTPS/1.1 server (Beast over
// Asio SSL, port 0, its own io_context thread) that answers every request with 200 "secure".
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace appsignals::aws::test {

struct KeyAndCert {
  std::shared_ptr<EVP_PKEY> key;
  std::shared_ptr<X509> cert;
};

inline void tls_check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test TLS setup failed: ") + what);
}

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  tls_check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `cn` signed by `issuer` (self-signed when null). A CA when `is_ca`, else a
// server certificate for 127.0.0.1 and localhost.
inline KeyAndCert make_cert(const std::string& cn, const KeyAndCert* issuer, bool is_ca, long serial) {
  KeyAndCert out;
  out.key.reset(EVP_EC_gen("P-256"), EVP_PKEY_free);
  tls_check(out.key != nullptr, "key");
  out.cert.reset(X509_new(), X509_free);
  X509* c = out.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
  X509_gmtime_adj(X509_getm_notBefore(c), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c), 86400);
  X509_set_pubkey(c, out.key.get());
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                             -1, 0);
  X509* issuer_cert = issuer ? issuer->cert.get() : c;
  X509_set_issuer_name(c, X509_get_subject_name(issuer_cert));
  if (is_ca) {
    add_ext(c, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(c, issuer_cert, NID_subject_key_identifier, "hash");
  } else {
    add_ext(c, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c, issuer_cert, NID_key_usage, "critical,digitalSignature");
    add_ext(c, issuer_cert, NID_ext_key_usage, "serverAuth");
    add_ext(c, issuer_cert, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  add_ext(c, issuer_cert, NID_authority_key_identifier, "keyid:always");
  EVP_PKEY* signer = issuer ? issuer->key.get() : out.key.get();
  tls_check(X509_sign(c, signer, EVP_sha256()) > 0, "sign");
  return out;
}

inline std::string pem_of(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

inline std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

// A test CA and a server certificate it signed; `ca_file` is the CA in PEM (the bundle a
// client must trust).
struct TestPki {
  KeyAndCert ca;
  KeyAndCert server;
  std::string ca_file;
  explicit TestPki(const std::string& name) {
    ca = make_cert("appsignals test CA " + name, nullptr, true, 1);
    server = make_cert("127.0.0.1", &ca, false, 2);
    auto dir = std::filesystem::temp_directory_path() / ("aws_tls_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ca_file = (dir / (name + "-ca.pem")).string();
    FILE* f = std::fopen(ca_file.c_str(), "w");
    tls_check(f != nullptr, "write CA file");
    std::string pem = pem_of(ca.cert.get());
    std::fwrite(pem.data(), 1, pem.size(), f);
    std::fclose(f);
  }
};

class TestHttpsServer {
 public:
  explicit TestHttpsServer(const TestPki& pki)
      : ssl_(boost::asio::ssl::context::tls_server), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    std::string cert = pem_of(pki.server.cert.get());
    std::string key = pem_of(pki.server.key.get());
    ssl_.use_certificate_chain(boost::asio::buffer(cert));
    ssl_.use_private_key(boost::asio::buffer(key), boost::asio::ssl::context::pem);
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestHttpsServer() {
    ioc_.stop();
    thread_.join();
  }
  std::string url(std::string_view path = "/") const {
    return "https://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int handshakes_failed() const { return handshakes_failed_.load(); }
  int requests() const { return requests_.load(); }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      boost::asio::co_spawn(ioc_, session(std::move(sock)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket sock) {
    namespace http = boost::beast::http;
    boost::beast::ssl_stream<boost::asio::ip::tcp::socket> stream(std::move(sock), ssl_);
    auto [hec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server,
                                                 boost::asio::as_tuple(boost::asio::use_awaitable));
    if (hec) {
      ++handshakes_failed_;
      co_return;
    }
    boost::beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buf, req, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      ++requests_;
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "text/plain");
      res.body() = "secure";
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(stream, res, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (wec || !req.keep_alive()) co_return;
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ssl::context ssl_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::atomic<int> handshakes_failed_{0};
  std::atomic<int> requests_{0};
};

}  // namespace appsignals::aws::test
