// gen-cert: files, modes, and the certificate's content read back with OpenSSL.
#include "app/gen_cert.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace appsignals::app {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gen_cert_test_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

std::unique_ptr<X509, X509Free> read_cert(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return nullptr;
  std::unique_ptr<X509, X509Free> cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  return cert;
}

std::set<std::string> san_entries(X509* cert) {
  std::set<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      out.insert("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                      static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName))));
    } else if (n->type == GEN_IPADD) {
      const unsigned char* ip = ASN1_STRING_get0_data(n->d.iPAddress);
      if (ASN1_STRING_length(n->d.iPAddress) == 4)
        out.insert("IP:" + std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) + "." +
                   std::to_string(ip[3]));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

TEST(GenCert, WritesCertAndKeyWithModes) {
  TempDir dir;
  std::ostringstream out, err;
  GenCertOptions options{.dns_name = "mcp.example.com", .out_dir = (dir.path() / "ssl").string(), .days = 30};
  ASSERT_EQ(run_gen_cert(options, out, err), 0) << err.str();

  const auto cert = fs::canonical(dir.path() / "ssl" / "cert.pem").string();
  const auto key = fs::canonical(dir.path() / "ssl" / "key.pem").string();
  EXPECT_EQ(out.str(), "export SSL_CERTFILE=" + cert + "\nexport SSL_KEYFILE=" + key + "\n");

  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(cert.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077 & ~0044u, 0u) << "the certificate is not writable by others";
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "ssl"), fs::directory_iterator{}), 2);
}

TEST(GenCert, CertificateHasSanUsageAndValidity) {
  TempDir dir;
  auto r = generate_self_signed_cert({.dns_name = "mcp.example.com", .out_dir = dir.path().string(), .days = 90});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto cert = read_cert(r->cert_path);
  ASSERT_TRUE(cert);

  EXPECT_EQ(san_entries(cert.get()),
            (std::set<std::string>{"DNS:mcp.example.com", "DNS:localhost", "IP:127.0.0.1"}));
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_host(cert.get(), "mcp.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_purpose(cert.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_EQ(X509_check_ca(cert.get()), 0);

  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())), 1);
  EXPECT_EQ(days, 90);
  EXPECT_EQ(seconds, 0);
  EXPECT_LE(X509_cmp_current_time(X509_get0_notBefore(cert.get())), 0);

  // Self-signed: verifies with its own key.
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  EXPECT_EQ(X509_verify(cert.get(), pub), 1);
}

TEST(GenCert, IpAddressNameGoesInAsIpSan) {
  TempDir dir;
  auto r = generate_self_signed_cert({.dns_name = "10.1.2.3", .out_dir = dir.path().string()});
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto cert = read_cert(r->cert_path);
  EXPECT_EQ(san_entries(cert.get()), (std::set<std::string>{"IP:10.1.2.3", "DNS:localhost", "IP:127.0.0.1"}));
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(GenCert, RefusesToOverwriteAnExistingKeyWithoutForce) {
  TempDir dir;
  std::ostringstream out, err;
  const GenCertOptions options{.dns_name = "a.example", .out_dir = dir.path().string()};
  ASSERT_EQ(run_gen_cert(options, out, err), 0) << err.str();
  const std::string key = slurp(dir.path() / "key.pem");
  const std::string cert = slurp(dir.path() / "cert.pem");

  std::ostringstream out2, err2;
  EXPECT_EQ(run_gen_cert(options, out2, err2), 1);
  EXPECT_EQ(out2.str(), "");
  EXPECT_NE(err2.str().find((dir.path() / "key.pem").string() + " already exists"), std::string::npos) << err2.str();
  EXPECT_NE(err2.str().find("--force"), std::string::npos) << err2.str();
  EXPECT_EQ(slurp(dir.path() / "key.pem"), key) << "the key is untouched";
  EXPECT_EQ(slurp(dir.path() / "cert.pem"), cert);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 2) << "no temporary files";

  // A key alone (or a dangling symlink in its place) is protected too.
  fs::remove(dir.path() / "cert.pem");
  auto r = generate_self_signed_cert(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  fs::remove(dir.path() / "key.pem");
  fs::create_symlink(dir.path() / "nowhere", dir.path() / "key.pem");
  EXPECT_FALSE(generate_self_signed_cert(options).ok());
}

TEST(GenCert, ForceReplacesTheKeyAndCertificate) {
  TempDir dir;
  std::ostringstream out, err;
  GenCertOptions options{.dns_name = "a.example", .out_dir = dir.path().string()};
  ASSERT_EQ(run_gen_cert(options, out, err), 0) << err.str();
  const std::string key = slurp(dir.path() / "key.pem");
  options.force = true;
  ASSERT_EQ(run_gen_cert(options, out, err), 0) << err.str();
  EXPECT_NE(slurp(dir.path() / "key.pem"), key) << "a new key";
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(GenCert, RejectsBadOptionsWithClearMessages) {
  TempDir dir;
  std::ostringstream out, err;
  EXPECT_EQ(run_gen_cert({.dns_name = "", .out_dir = dir.path().string()}, out, err), 1);
  EXPECT_NE(err.str().find("--dns"), std::string::npos) << err.str();
  EXPECT_EQ(out.str(), "");

  auto r = generate_self_signed_cert({.dns_name = "bad name!", .out_dir = dir.path().string()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a valid DNS name"), std::string::npos);

  r = generate_self_signed_cert({.dns_name = "ok.example", .out_dir = dir.path().string(), .days = 0});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--days"), std::string::npos);
}

TEST(GenCert, UnwritableDirectoryFails) {
  TempDir dir;
  // A directory below a regular file cannot exist, whatever the user's privileges.
  std::ofstream(dir.path() / "file") << "x";
  std::ostringstream out, err;
  EXPECT_EQ(run_gen_cert({.dns_name = "a.example", .out_dir = (dir.path() / "file" / "sub").string()}, out, err), 1);
  EXPECT_NE(err.str().find("cannot create output directory"), std::string::npos) << err.str();

  if (::geteuid() != 0) {  // root ignores directory permissions
    fs::create_directory(dir.path() / "ro");
    fs::permissions(dir.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    std::ostringstream err2;
    EXPECT_EQ(run_gen_cert({.dns_name = "a.example", .out_dir = (dir.path() / "ro").string()}, out, err2), 1);
    EXPECT_NE(err2.str().find("cannot write"), std::string::npos) << err2.str();
    fs::permissions(dir.path() / "ro", fs::perms::owner_all);
  }
}

}  // namespace
}  // namespace appsignals::app
