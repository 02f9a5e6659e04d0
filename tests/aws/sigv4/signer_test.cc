// The official SigV4 suites, file by file: the classic aws-sig-v4-test-suite and the CRT
// aws-signing-test-suite/v4 (header signing and presigned URLs). Files are read from
// $APPSIGNALS_SOURCE_DIR/../shared at test time; without them the tests fail.
#include "aws/sigv4/signer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <atomic>
#include <thread>
#include <vector>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace appsignals::aws::sigv4 {
namespace {

namespace fs = std::filesystem;

// The corpus is required: a missing ../shared fails these tests (a skip would pass silently
// with the signer untested).
fs::path suite_root() {
  const char* src = std::getenv("APPSIGNALS_SOURCE_DIR");
  fs::path base = src ? fs::path(src) : fs::path(APPSIGNALS_DEFAULT_SOURCE_DIR);
  return base / ".." / "shared" / "sigv4-test-suite";
}

std::string missing_corpus(const fs::path& where) {
  return "the SigV4 test suite is missing: no cases under " + where.lexically_normal().string() +
         " (../shared/sigv4-test-suite beside the repository; see README.md, \"Test corpora\")";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct RawRequest {
  std::string method, path, query, body;
  Headers headers;
};

// Parses the suites' raw request files: request line, headers (with obs-fold continuation
// lines), blank line, body.
RawRequest parse_raw(const std::string& text) {
  RawRequest r;
  std::vector<std::string> lines;
  std::size_t i = 0;
  bool in_body = false;
  while (i <= text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    std::string line = text.substr(i, j - i);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (in_body) {
      r.body = text.substr(i);
      break;
    }
    if (lines.empty()) {
      lines.push_back(line);
    } else if (line.empty()) {
      in_body = true;
    } else if (line[0] == ' ' || line[0] == '\t') {
      r.headers.back().second += " " + line;
    } else {
      auto colon = line.find(':');
      r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    i = j + 1;
  }
  const std::string& rl = lines.at(0);
  auto sp = rl.find(' ');
  auto http = rl.rfind(" HTTP/");
  r.method = rl.substr(0, sp);
  std::string target = rl.substr(sp + 1, http - sp - 1);
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  return r;
}

std::chrono::system_clock::time_point suite_time() { return *parse_amz_date("20150830T123600Z"); }

constexpr std::string_view kAkid = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::vector<fs::path> classic_cases() {
  std::vector<fs::path> out;
  if (!fs::exists(suite_root())) return out;
  for (auto& e : fs::recursive_directory_iterator(suite_root())) {
    if (e.path().string().find("aws-signing-test-suite") != std::string::npos) continue;
    if (e.path().extension() == ".req") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> v4_cases() {
  std::vector<fs::path> out;
  fs::path root = suite_root() / "aws-signing-test-suite" / "v4";
  if (!fs::exists(root)) return out;
  for (auto& e : fs::directory_iterator(root))
    if (fs::exists(e.path() / "context.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SigV4Suite, ClassicSuiteMatchesEveryFile) {
  auto cases = classic_cases();
  if (cases.empty()) FAIL() << missing_corpus(suite_root());
  EXPECT_GE(cases.size(), 30u);
  for (const auto& req_path : cases) {
    SCOPED_TRACE(req_path.string());
    fs::path stem = req_path;
    stem.replace_extension();
    RawRequest r = parse_raw(slurp(req_path));
    std::string expected_creq = slurp(stem.string() + ".creq");
    // Session token: taken from the expected canonical request (the suite's convention).
    Headers headers = r.headers;
    auto tok = expected_creq.find("x-amz-security-token:");
    bool has_token_header = false;
    for (auto& h : headers)
      if (h.first == "X-Amz-Security-Token") has_token_header = true;
    if (tok != std::string::npos && !has_token_header) {
      auto end = expected_creq.find('\n', tok);
      headers.emplace_back("X-Amz-Security-Token",
                           expected_creq.substr(tok + 21, end - tok - 21));
    }
    std::string signed_headers;
    std::string creq = canonical_request(
        {r.method, r.path, r.query, &headers, sha256_hex(r.body), true, true}, &signed_headers);
    EXPECT_EQ(creq, trim_trailing_newlines(expected_creq));
    std::string scope = credential_scope("20150830", "us-east-1", "service");
    std::string sts = string_to_sign("20150830T123600Z", scope, creq);
    EXPECT_EQ(sts, trim_trailing_newlines(slurp(stem.string() + ".sts")));
    std::string sig = signature(derive_signing_key(kSecret, "20150830", "us-east-1", "service"), sts);
    EXPECT_EQ(authorization_header(kAkid, scope, signed_headers, sig),
              trim_trailing_newlines(slurp(stem.string() + ".authz")));
  }
}

struct V4Context {
  std::string akid, secret, token, region, service;
  bool normalize = true, sign_body = false, omit_token = false;
  long expires = 3600;
};

V4Context load_context(const fs::path& dir) {
  auto v = boost::json::parse(slurp(dir / "context.json")).as_object();
  V4Context c;
  auto& creds = v["credentials"].as_object();
  c.akid = creds["access_key_id"].as_string().c_str();
  c.secret = creds["secret_access_key"].as_string().c_str();
  if (auto* t = creds.if_contains("token")) c.token = t->as_string().c_str();
  c.region = v["region"].as_string().c_str();
  c.service = v["service"].as_string().c_str();
  c.normalize = v["normalize"].as_bool();
  c.sign_body = v["sign_body"].as_bool();
  if (auto* o = v.if_contains("omit_session_token")) c.omit_token = o->as_bool();
  c.expires = static_cast<long>(v["expiration_in_seconds"].as_int64());
  return c;
}

SignableRequest to_signable(const RawRequest& r) {
  SignableRequest s;
  s.method = r.method;
  s.path = r.path;
  s.query = r.query;
  s.body = r.body;
  for (const auto& h : r.headers) {
    if (h.first == "Host" || h.first == "host") s.host = h.second;
    else s.headers.push_back(h);
  }
  return s;
}

TEST(SigV4Suite, CrtSuiteHeaderAndPresignedMatchEveryFile) {
  auto cases = v4_cases();
  if (cases.empty()) FAIL() << missing_corpus(suite_root() / "aws-signing-test-suite" / "v4");
  EXPECT_GE(cases.size(), 30u);
  Signer signer;
  for (const auto& dir : cases) {
    SCOPED_TRACE(dir.string());
    V4Context c = load_context(dir);
    RawRequest raw = parse_raw(slurp(dir / "request.txt"));
    SigningParams p;
    p.access_key_id = c.akid;
    p.secret_access_key = c.secret;
    p.session_token = c.token;
    p.region = c.region;
    p.service = c.service;
    p.time = suite_time();
    p.normalize_path = c.normalize;
    p.double_encode = true;
    p.add_content_sha256 = c.sign_body;
    p.sign_session_token = !c.omit_token;
    p.expires = std::chrono::seconds(c.expires);

    SignableRequest hreq = to_signable(raw);
    SigningResult h = signer.sign(hreq, p);
    EXPECT_EQ(h.canonical_request, trim_trailing_newlines(slurp(dir / "header-canonical-request.txt")));
    EXPECT_EQ(h.string_to_sign, trim_trailing_newlines(slurp(dir / "header-string-to-sign.txt")));
    EXPECT_EQ(h.signature, trim_trailing_newlines(slurp(dir / "header-signature.txt")));

    SigningParams qp = p;
    qp.add_content_sha256 = false;
    SignableRequest qreq = to_signable(raw);
    SigningResult q = signer.presign(qreq, qp);
    EXPECT_EQ(q.canonical_request, trim_trailing_newlines(slurp(dir / "query-canonical-request.txt")));
    EXPECT_EQ(q.string_to_sign, trim_trailing_newlines(slurp(dir / "query-string-to-sign.txt")));
    EXPECT_EQ(q.signature, trim_trailing_newlines(slurp(dir / "query-signature.txt")));
    EXPECT_NE(qreq.query.find("X-Amz-Signature=" + q.signature), std::string::npos);
  }
}

TEST(SigV4Verify, AcceptsWhatTheSignerProducesAndRejectsTampering) {
  Signer signer;
  SignableRequest req;
  req.method = "POST";
  req.host = "logs.us-east-1.amazonaws.com";
  req.path = "/";
  req.body = R"({"logGroupName":"a"})";
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "Logs_20140328.DescribeLogGroups"},
                 {"User-Agent", "appsignals-mcp/test"}};
  SigningParams p;
  p.access_key_id = "AKID";
  p.secret_access_key = "SECRET";
  p.session_token = "TOKEN";
  p.region = "us-east-1";
  p.service = "logs";
  p.time = std::chrono::system_clock::now();
  signer.sign(req, p);
  Headers incoming = req.headers;
  incoming.emplace_back("Host", req.host);
  auto lookup = [](std::string_view akid) -> std::optional<std::string> {
    if (akid == "AKID") return std::string("SECRET");
    return std::nullopt;
  };
  auto ok = verify({"POST", "/", "", &incoming, req.body}, lookup);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(ok->auth.service, "logs");
  EXPECT_EQ(ok->auth.region, "us-east-1");

  auto bad_body = verify({"POST", "/", "", &incoming, "{}"}, lookup);
  ASSERT_FALSE(bad_body.ok());
  EXPECT_EQ(bad_body.error().details, "SignatureDoesNotMatch");

  auto wrong_secret = verify({"POST", "/", "", &incoming, req.body},
                             [](std::string_view) { return std::optional<std::string>("nope"); });
  ASSERT_FALSE(wrong_secret.ok());
  EXPECT_EQ(wrong_secret.error().details, "SignatureDoesNotMatch");

  auto unknown = verify({"POST", "/", "", &incoming, req.body},
                        [](std::string_view) { return std::optional<std::string>(); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().details, "InvalidClientTokenId");

  VerifyOptions late;
  late.now = p.time + std::chrono::hours(1);
  auto expired = verify({"POST", "/", "", &incoming, req.body}, lookup, late);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().details, "RequestExpired");

  Headers none = {{"Host", "x"}};
  auto missing = verify({"GET", "/", "", &none, ""}, lookup);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().details, "MissingAuthenticationToken");
}

TEST(SigV4Signer, S3PathIsNotNormalisedNorDoubleEncodedAndPayloadMayBeUnsigned) {
  Signer signer;
  SignableRequest req;
  req.method = "GET";
  req.host = "bucket.s3.us-east-1.amazonaws.com";
  req.path = "/a/../my%20key";
  SigningParams p;
  p.access_key_id = "AKID";
  p.secret_access_key = "SECRET";
  p.region = "us-east-1";
  p.service = "s3";
  p.time = suite_time();
  p.normalize_path = false;
  p.double_encode = false;
  p.add_content_sha256 = true;
  p.unsigned_payload = true;
  auto r = signer.sign(req, p);
  EXPECT_TRUE(r.canonical_request.starts_with("GET\n/a/../my%20key\n"));
  EXPECT_TRUE(r.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(r.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD"), std::string::npos);
}

// The signing-key cache: one derivation per (secret, day, region, service), reused for every
// request that shares them, and a fresh one when any of them changes. Every signature is also
// checked against a key derived from scratch, so a reused key is the right one.
struct KeyCacheCase {
  Signer signer;
  SigningParams params(std::string_view secret, std::string_view amz_date_time, std::string_view region,
                       std::string_view service) {
    SigningParams p;
    p.access_key_id = "AKID";
    p.secret_access_key = secret;
    p.region = region;
    p.service = service;
    p.time = *parse_amz_date(amz_date_time);
    return p;
  }
  // Signs one request and checks its signature against a key derived from scratch.
  void sign_and_check(const SigningParams& p) {
    SignableRequest req;
    req.method = "POST";
    req.host = "example.amazonaws.com";
    req.path = "/";
    req.body = "{}";
    auto r = signer.sign(req, p);
    std::string fresh = derive_signing_key(p.secret_access_key, scope_date(p.time), p.region, p.service);
    EXPECT_EQ(r.signature, signature(fresh, r.string_to_sign));
  }
};

TEST(SigV4SignerKeyCache, KeyIsReusedWithinItsDayRegionAndService) {
  KeyCacheCase c;
  c.sign_and_check(c.params("SECRET", "20150830T000001Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 1u);
  c.sign_and_check(c.params("SECRET", "20150830T123600Z", "us-east-1", "monitoring"));
  c.sign_and_check(c.params("SECRET", "20150830T235959Z", "us-east-1", "monitoring"));
  SignableRequest presigned;
  presigned.method = "GET";
  presigned.host = "example.amazonaws.com";
  presigned.path = "/";
  c.signer.presign(presigned, c.params("SECRET", "20150830T120000Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 1u);
}

TEST(SigV4SignerKeyCache, KeyIsDerivedAgainAfterTheDayChanges) {
  KeyCacheCase c;
  c.sign_and_check(c.params("SECRET", "20150830T235959Z", "us-east-1", "monitoring"));
  c.sign_and_check(c.params("SECRET", "20150831T000000Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 2u);
  c.sign_and_check(c.params("SECRET", "20150831T080000Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 2u);
}

TEST(SigV4SignerKeyCache, KeyIsDerivedForAnotherRegionServiceOrSecret) {
  KeyCacheCase c;
  c.sign_and_check(c.params("SECRET", "20150830T123600Z", "us-east-1", "monitoring"));
  c.sign_and_check(c.params("SECRET", "20150830T123600Z", "eu-west-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 2u);
  c.sign_and_check(c.params("SECRET", "20150830T123600Z", "us-east-1", "application-signals"));
  EXPECT_EQ(c.signer.key_derivations(), 3u);
  c.sign_and_check(c.params("ROTATED", "20150830T123600Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 4u);
  // Each of them stays cached: signing again for any of the four derives nothing.
  c.sign_and_check(c.params("SECRET", "20150830T150000Z", "us-east-1", "monitoring"));
  c.sign_and_check(c.params("SECRET", "20150830T150000Z", "eu-west-1", "monitoring"));
  c.sign_and_check(c.params("SECRET", "20150830T150000Z", "us-east-1", "application-signals"));
  c.sign_and_check(c.params("ROTATED", "20150830T150000Z", "us-east-1", "monitoring"));
  EXPECT_EQ(c.signer.key_derivations(), 4u);
}


// The hashes are computed with a digest fetched once and a context reused per thread (not
// OpenSSL's one-shot calls): checked against FIPS 180-2 and RFC 4231 vectors, including keys
// longer than a block (hashed first) and a block-sized key, and from several threads at once.
std::string hex(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
  }
  return out;
}

TEST(SigV4Hashes, Sha256MatchesFipsVectors) {
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(SigV4Hashes, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Test cases 6 and 7: a 131-byte key (longer than a block: hashed first).
  EXPECT_EQ(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(hmac_sha256(std::string(131, '\xaa'),
                            "This is a test using a larger than block-size key and a larger than block-size "
                            "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  // A key of exactly one block is used as it is; an empty key and empty data are valid.
  EXPECT_EQ(hmac_sha256(std::string(64, 'k'), "data"), hmac_sha256(std::string(64, 'k'), "data"));
  EXPECT_NE(hmac_sha256(std::string(64, 'k'), "data"), hmac_sha256(std::string(65, 'k'), "data"));
  EXPECT_EQ(hex(hmac_sha256("", "")), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(SigV4Hashes, EachThreadHashesIndependently) {
  const std::string expected = hex(hmac_sha256("Jefe", "what do ya want for nothing?"));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (hex(hmac_sha256("Jefe", "what do ya want for nothing?")) != expected) ++mismatches;
        if (sha256_hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace appsignals::aws::sigv4
