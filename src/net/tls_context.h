#pragma once
// Server TLS configuration for direct HTTPS (SSL_CERTFILE / SSL_KEYFILE).
//
// Policy: TLS 1.2 and 1.3 only. TLS 1.2 is limited to ECDHE key exchange with AEAD ciphers
// (AES-GCM, ChaCha20-Poly1305); TLS 1.3 uses its standard AEAD suites. Compression and
// renegotiation are off. The certificate file may hold a full chain (leaf first, then
// intermediates), as Let's Encrypt's fullchain.pem does. Encrypted (passphrase) keys are
// rejected rather than prompting on the terminal.
//
// Errors name the file and the problem (missing, unreadable, not PEM, key does not match the
// certificate); they never contain key material. Reloading (SIGHUP) is building a new context
// with this function and handing it to HttpServer::set_tls_context.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "common/result.h"

namespace appsignals::net {

Result<std::shared_ptr<boost::asio::ssl::context>> load_tls_context(const std::string& cert_path,
                                                                     const std::string& key_path);

}  // namespace appsignals::net
