#pragma once
// `appsignals-mcp gen-cert`: a self-signed server certificate for direct TLS, made with
// OpenSSL's API (no shell-out). Replaces the reference deployment's generate-ssl-cert.sh.
//
// The certificate: EC P-256 key, X.509 v3, CN = the DNS name, SAN `DNS:<name>, DNS:localhost,
// IP:127.0.0.1` (a name that is an IP address goes in as `IP:<name>`), basicConstraints
// CA:FALSE, keyUsage digitalSignature, extendedKeyUsage serverAuth, valid from now for `days`.
// Files: <out>/cert.pem (mode 0644) and <out>/key.pem (mode 0600, created with that mode; both
// are written to a temporary file in the same directory and renamed into place, so a key is
// never readable by others, even briefly). Existing files are kept (kAlreadyExists, naming
// them and --force) unless `force`: then they are replaced atomically.
#include <iosfwd>
#include <string>

#include "common/result.h"

namespace appsignals::app {

struct GenCertOptions {
  std::string dns_name;     // required (--dns)
  std::string out_dir = ".";  // created if missing (--out)
  int days = 365;           // 1 .. 36500 (--days)
  bool force = false;       // replace an existing cert.pem / key.pem (--force)
};

struct GenCertResult {
  std::string cert_path;  // absolute
  std::string key_path;   // absolute
};

// Does the work; errors name the file or option at fault.
Result<GenCertResult> generate_self_signed_cert(const GenCertOptions& options);

// The CLI entry point: on success prints `export SSL_CERTFILE=<abs path>` and
// `export SSL_KEYFILE=<abs path>` to `out` and returns 0; on failure prints the error to `err`
// and returns 1.
int run_gen_cert(const GenCertOptions& options, std::ostream& out, std::ostream& err);
int run_gen_cert(const GenCertOptions& options);  // std::cout / std::cerr

}  // namespace appsignals::app
