#include "app/gen_cert.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // renameat2
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/random.h"

namespace appsignals::app {

namespace fs = std::filesystem;

namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

constexpr int kMaxDays = 36500;

std::string openssl_reason() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  const char* reason = last ? ERR_reason_error_string(last) : nullptr;
  return reason ? reason : "unknown OpenSSL error";
}

Error internal(std::string what) { return Error{ErrorCode::kInternal, what + ": " + openssl_reason()}; }

bool is_ip_address(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// A DNS name (wildcards allowed) in the LDH syntax.
bool is_dns_name(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '*';
    if (!ok) return false;
  }
  return true;
}

std::string subject_alt_names(const std::string& name, bool ip) {
  std::string san = (ip ? "IP:" : "DNS:") + name;
  if (ip || name != "localhost") san += ",DNS:localhost";
  if (!(ip && name == "127.0.0.1")) san += ",IP:127.0.0.1";
  if (ip && name == "127.0.0.1") san = "IP:127.0.0.1,DNS:localhost";
  return san;
}

Status add_ext(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return internal(std::string("cannot add the ") + OBJ_nid2sn(nid) + " extension");
  return ok_status();
}

Result<X509Ptr> make_certificate(EVP_PKEY* key, const GenCertOptions& options, bool ip) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return internal("cannot create a certificate");

  // A random positive 159-bit serial (RFC 5280: at most 20 octets, positive).
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    return internal("cannot create a serial number");

  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert.get()), options.days, 0, nullptr))
    return internal("cannot set the validity period");
  if (X509_set_pubkey(cert.get(), key) != 1) return internal("cannot set the public key");

  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* org = reinterpret_cast<const unsigned char*>("appsignals-mcp");
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) != 1)
    return internal("cannot set the subject");
  // CN is limited to 64 characters; the SAN (what clients check) always carries the name.
  if (options.dns_name.size() <= 64) {
    const auto* cn = reinterpret_cast<const unsigned char*>(options.dns_name.c_str());
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1)
      return internal("cannot set the subject");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1) return internal("cannot set the issuer");

  const std::pair<int, std::string> extensions[] = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_key_identifier, "hash"},
      {NID_subject_alt_name, subject_alt_names(options.dns_name, ip)},
  };
  for (const auto& [nid, value] : extensions)
    if (auto s = add_ext(cert.get(), nid, value); !s) return s.error();

  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) return internal("cannot sign the certificate");
  return cert;
}

// The PEM text held by a memory BIO.
std::string_view bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string_view(data, static_cast<std::size_t>(n)) : std::string_view{};
}

Error already_exists(const fs::path& path) {
  return Error{ErrorCode::kAlreadyExists,
               path.string() + " already exists; not overwriting it (pass --force to replace the certificate and key)"};
}

// Moves `tmp` to `path`; unless `replace`, fails with EEXIST when `path` exists (atomically:
// no window in which another writer's file is replaced).
int move_into_place(const fs::path& tmp, const fs::path& path, bool replace) {
  if (replace) return ::rename(tmp.c_str(), path.c_str()) == 0 ? 0 : errno;
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  // File systems without RENAME_NOREPLACE: link() refuses an existing name too.
  if (::link(tmp.c_str(), path.c_str()) != 0) return errno;
  ::unlink(tmp.c_str());
  return 0;
}

// Writes `text` to `path` through a temporary file created with `mode` in the same directory,
// then moves it into place (replacing an existing file only if `replace`).
Status write_file(const fs::path& path, std::string_view text, mode_t mode, bool replace) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" + random_hex(6));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return Error{ErrorCode::kFailedPrecondition, "cannot write " + path.string() + ": " + std::strerror(errno)};
  auto fail = [&](int err) -> Status {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Error{ErrorCode::kFailedPrecondition, "cannot write " + path.string() + ": " + std::strerror(err)};
  };
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Error{ErrorCode::kFailedPrecondition, "cannot write " + path.string() + ": " + std::strerror(err)};
  }
  if (const int err = move_into_place(tmp, path, replace); err != 0) {
    ::unlink(tmp.c_str());
    if (err == EEXIST) return already_exists(path);
    return Error{ErrorCode::kFailedPrecondition, "cannot write " + path.string() + ": " + std::strerror(err)};
  }
  return ok_status();
}

// Single-quotes a path for a POSIX shell when it holds anything but safe characters.
std::string shell_quote(const std::string& s) {
  bool safe = !s.empty();
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/._-+:@%,=").find(c) != std::string_view::npos))
      safe = false;
  }
  if (safe) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace

Result<GenCertResult> generate_self_signed_cert(const GenCertOptions& options) {
  if (options.dns_name.empty())
    return Error{ErrorCode::kInvalidArgument, "--dns is required: the host name clients will connect to"};
  const bool ip = is_ip_address(options.dns_name);
  if (!ip && !is_dns_name(options.dns_name))
    return Error{ErrorCode::kInvalidArgument,
                 "--dns: '" + options.dns_name + "' is not a valid DNS name or IP address"};
  if (options.days < 1 || options.days > kMaxDays)
    return Error{ErrorCode::kInvalidArgument, "--days must be between 1 and " + std::to_string(kMaxDays)};

  const std::string out_dir = options.out_dir.empty() ? "." : options.out_dir;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Error{ErrorCode::kFailedPrecondition, "cannot create output directory " + out_dir + ": " + ec.message()};
  if (!fs::is_directory(out_dir, ec))
    return Error{ErrorCode::kFailedPrecondition, "output path " + out_dir + " is not a directory"};
  fs::path dir = fs::weakly_canonical(fs::absolute(out_dir, ec), ec);
  if (ec) return Error{ErrorCode::kFailedPrecondition, "cannot resolve output directory " + out_dir + ": " + ec.message()};

  GenCertResult result{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  if (!options.force) {
    // Checked before any work so nothing is half written; the writes re-check atomically.
    for (const auto& path : {result.key_path, result.cert_path}) {
      if (fs::symlink_status(path, ec).type() != fs::file_type::not_found) return already_exists(path);
    }
  }

  ERR_clear_error();
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return internal("cannot generate an EC P-256 key");
  auto cert = make_certificate(key.get(), options, ip);
  if (!cert) return std::move(cert).error();

  BioPtr cert_pem(BIO_new(BIO_s_mem()));
  if (!cert_pem || PEM_write_bio_X509(cert_pem.get(), cert->get()) != 1) return internal("cannot encode the certificate");
  // Secure-heap memory BIO: the key's PEM text is wiped when freed.
  BioPtr key_pem(BIO_new(BIO_s_secmem()));
  if (!key_pem || PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return internal("cannot encode the private key");

  if (auto s = write_file(result.key_path, bio_text(key_pem.get()), 0600, options.force); !s) return s.error();
  if (auto s = write_file(result.cert_path, bio_text(cert_pem.get()), 0644, options.force); !s) return s.error();
  return result;
}

int run_gen_cert(const GenCertOptions& options, std::ostream& out, std::ostream& err) {
  auto r = generate_self_signed_cert(options);
  if (!r) {
    err << "gen-cert: " << r.error().message << "\n";
    return 1;
  }
  err << "gen-cert: wrote a self-signed certificate for " << options.dns_name << " (valid " << options.days
      << " days) to " << r->cert_path << " and its key to " << r->key_path << " (mode 600)\n";
  out << "export SSL_CERTFILE=" << shell_quote(r->cert_path) << "\n";
  out << "export SSL_KEYFILE=" << shell_quote(r->key_path) << "\n";
  return 0;
}

int run_gen_cert(const GenCertOptions& options) { return run_gen_cert(options, std::cout, std::cerr); }

}  // namespace appsignals::app
