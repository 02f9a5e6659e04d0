#include "net/tls_context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

namespace appsignals::net {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2: ECDHE with AEAD only (forward secrecy, no CBC, no RSA key exchange).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The most recent OpenSSL error as text (reason strings only: they never quote file content),
// and clears the queue.
std::string openssl_reason() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  if (last == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(last);
  return reason ? reason : "error " + std::to_string(ERR_GET_REASON(last));
}

Error tls_error(std::string message) { return Error{ErrorCode::kInvalidArgument, std::move(message)}; }

// Existence, type and readability, each with its own message.
Status check_readable(const std::string& path, const std::string& what) {
  if (path.empty()) return tls_error(what + " path is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return tls_error(what + " " + path + " does not exist");
    return tls_error(what + " " + path + " cannot be accessed: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return tls_error(what + " " + path + " is not a regular file");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return tls_error(what + " " + path + " is not readable" +
                     (err == EACCES ? std::string(" (permission denied for this user)") : ": " + std::string(std::strerror(err))));
  }
  ::close(fd);
  return ok_status();
}

// Never prompt for a passphrase: an encrypted key is a configuration error.
int no_passphrase(char*, int, int, void*) { return 0; }

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

}  // namespace

Result<std::shared_ptr<ssl::context>> load_tls_context(const std::string& cert_path, const std::string& key_path) {
  if (auto s = check_readable(cert_path, "TLS certificate file"); !s) return s.error();
  if (auto s = check_readable(key_path, "TLS key file"); !s) return s.error();

  ERR_clear_error();
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("cannot create a TLS context: ") + e.what()};
  }
  SSL_CTX* native = ctx->native_handle();
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression | ssl::context::single_dh_use |
                   ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                   ssl::context::no_tlsv1_1);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  // Idle connections (most of them, before and after authentication) give their ~34 KiB read
  // and write buffers back between records; the session cache is bounded.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_sess_set_cache_size(native, 1024);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 || SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(native, kGroups) != 1) {
    return Error{ErrorCode::kInternal, "cannot apply the TLS protocol and cipher policy: " + openssl_reason()};
  }
  SSL_CTX_set_default_passwd_cb(native, no_passphrase);

  if (SSL_CTX_use_certificate_chain_file(native, cert_path.c_str()) != 1) {
    return tls_error("TLS certificate file " + cert_path +
                     " does not hold a valid PEM certificate (chain): " + openssl_reason());
  }

  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(key_path.c_str(), "r"));
  if (!bio) return tls_error("TLS key file " + key_path + " cannot be opened: " + openssl_reason());
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    const unsigned long e = ERR_peek_last_error();
    const int reason = ERR_GET_REASON(e);
    if (reason == PEM_R_BAD_PASSWORD_READ || reason == PEM_R_PROBLEMS_GETTING_PASSWORD) {
      ERR_clear_error();
      return tls_error("TLS key file " + key_path + " is encrypted with a passphrase; provide an unencrypted key");
    }
    return tls_error("TLS key file " + key_path + " does not hold a valid PEM private key: " + openssl_reason());
  }
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return tls_error("TLS key file " + key_path + " does not match the certificate in " + cert_path +
                     " (the private key belongs to a different certificate)");
  }
  return ctx;
}

}  // namespace appsignals::net
