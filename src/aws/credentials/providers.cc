#include "aws/credentials/providers.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fstream>
#include <sstream>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "aws/aws_client.h"
#include "aws/http/url.h"

extern char** environ;

namespace appsignals::aws {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

Error not_configured(std::string what) { return Error(ErrorCode::kUnauthenticated, std::move(what)); }

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string str_field(const json::object& o, std::string_view k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Credentials JSON of the container endpoint and IMDS (field "Token").
Result<Credentials> parse_metadata_credentials(std::string_view body, std::string_view source) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    return Error(ErrorCode::kUnavailable, std::string(source) + " returned malformed credentials JSON");
  const auto& o = v.as_object();
  if (auto code = str_field(o, "Code"); !code.empty() && code != "Success")
    return Error(ErrorCode::kUnauthenticated, std::string(source) + " returned error code " + code);
  Credentials c;
  c.access_key_id = str_field(o, "AccessKeyId");
  c.secret_access_key = str_field(o, "SecretAccessKey");
  c.session_token = str_field(o, "Token");
  c.account_id = str_field(o, "AccountId");
  if (auto exp = str_field(o, "Expiration"); !exp.empty()) c.expiration = parse_iso8601(exp);
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    return Error(ErrorCode::kUnauthenticated, std::string(source) + " returned no credentials");
  return c;
}

asio::thread_pool& blocking_pool() {
  static asio::thread_pool pool(1);
  return pool;
}

// Shell-style split: whitespace separates, single and double quotes group, backslash escapes.
std::vector<std::string> split_command(std::string_view cmd) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < cmd.size(); ++i) {
    char c = cmd[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < cmd.size()) cur.push_back(cmd[++i]);
      else cur.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < cmd.size()) {
      cur.push_back(cmd[++i]);
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur.push_back(c);
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(cur));
  return out;
}

struct ProcessResult {
  int status = -1;  // exit status, or -1 when killed by a signal
  int signal = 0;   // the signal that ended it, if any
  std::string out;
  std::string err;  // the first kMaxStderr bytes
  bool out_overflow = false;
};

constexpr std::size_t kMaxStdout = 1 << 20;  // credentials JSON is a few KiB
constexpr std::size_t kMaxStderr = 4 << 10;  // enough for a message; the rest is read and dropped

// Closes a descriptor once.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// Runs argv without a shell, in a process group of its own, and reads its stdout and stderr
// together (poll on both, so a helper that fills one pipe is never blocked on it while we
// wait on the other). Finishes when both pipes are at EOF and the process has exited; at
// `deadline` the whole group is killed and reaped and kDeadlineExceeded is returned. Errors
// never quote the output (stdout carries the secrets). Blocking: call on the helper pool.
Result<ProcessResult> run_process(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                                  const std::string& what) {
  if (args.empty()) return Error(ErrorCode::kInvalidArgument, what + " is empty");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Error(ErrorCode::kInternal, what + ": pipe failed");
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return Error(ErrorCode::kInternal, what + ": pipe failed");
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_w.fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: a timeout kills what it started too
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  out_w.reset();
  err_w.reset();
  if (rc != 0)
    return Error(ErrorCode::kUnauthenticated,
                 what + " could not be started (" + args[0] + ": " + std::strerror(rc) + ")");

  // Readable when the process has exited; without pidfd (old kernels) the final waitpid blocks.
  Fd exit_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  ProcessResult r;
  bool exited = exit_fd.fd < 0;
  while (out_r.fd >= 0 || err_r.fd >= 0 || !exited) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(-pid, SIGKILL);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      const auto ms = timeout.count();
      return Error(ErrorCode::kDeadlineExceeded,
                   what + " did not finish within " +
                       (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms") +
                       " and was stopped");
    }
    pollfd fds[3];
    nfds_t n = 0;
    for (int fd : {out_r.fd, err_r.fd, exited ? -1 : exit_fd.fd})
      if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
    int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (ready < 0 && errno != EINTR) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return Error(ErrorCode::kInternal, what + ": poll failed");
    }
    for (nfds_t i = 0; ready > 0 && i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == exit_fd.fd) {
        exited = true;
        continue;
      }
      char buf[16384];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      Fd& pipe = fds[i].fd == out_r.fd ? out_r : err_r;
      if (got <= 0) {
        pipe.reset();  // EOF (or a read error: treated as the end of that stream)
        continue;
      }
      std::string& sink = &pipe == &out_r ? r.out : r.err;
      const std::size_t cap = &pipe == &out_r ? kMaxStdout : kMaxStderr;
      const auto take = std::min(static_cast<std::size_t>(got), cap - std::min(cap, sink.size()));
      sink.append(buf, take);
      if (&pipe == &out_r && take < static_cast<std::size_t>(got)) r.out_overflow = true;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  return r;
}

}  // namespace

asio::awaitable<Result<Credentials>> StaticCredentialsProvider::get() { co_return creds_; }

std::optional<Credentials> credentials_from_env(const Env& env) {
  auto akid = env.get_non_empty("AWS_ACCESS_KEY_ID");
  auto secret = env.get_non_empty("AWS_SECRET_ACCESS_KEY");
  if (!akid || !secret) return std::nullopt;
  Credentials c;
  c.access_key_id = *akid;
  c.secret_access_key = *secret;
  if (auto t = env.get_non_empty("AWS_SECURITY_TOKEN")) c.session_token = *t;
  if (auto t = env.get_non_empty("AWS_SESSION_TOKEN")) c.session_token = *t;
  if (auto e = env.get_non_empty("AWS_CREDENTIAL_EXPIRATION")) c.expiration = parse_iso8601(*e);
  if (auto a = env.get_non_empty("AWS_ACCOUNT_ID")) c.account_id = *a;
  return c;
}

Result<Credentials> ProcessCredentialsProvider::parse_output(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return Error(ErrorCode::kUnauthenticated, "its output is not JSON");
  const auto& o = v.as_object();
  auto* ver = o.if_contains("Version");
  if (!ver || !ver->is_int64() || ver->as_int64() != 1)
    return Error(ErrorCode::kUnauthenticated, "its output must have Version 1");
  Credentials c;
  c.access_key_id = str_field(o, "AccessKeyId");
  c.secret_access_key = str_field(o, "SecretAccessKey");
  c.session_token = str_field(o, "SessionToken");
  c.account_id = str_field(o, "AccountId");
  if (auto exp = str_field(o, "Expiration"); !exp.empty()) {
    c.expiration = parse_iso8601(exp);
    if (!c.expiration) return Error(ErrorCode::kUnauthenticated, "its Expiration is not RFC 3339");
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    return Error(ErrorCode::kUnauthenticated, "it returned no AccessKeyId/SecretAccessKey");
  return c;
}

asio::awaitable<Result<Credentials>> ProcessCredentialsProvider::get() {
  const std::string what = "credential_process of profile " + profile_;
  auto home = co_await asio::this_coro::executor;
  // Leave the io thread: the completion must be bound to the pool, or post() hands it back to
  // this coroutine's own executor and the command would run (and block) on the io thread.
  co_await asio::post(asio::bind_executor(blocking_pool().get_executor(), asio::use_awaitable));
  auto r = run_process(split_command(command_), timeout_, what);
  co_await asio::post(home, asio::use_awaitable);  // back to the caller's executor
  if (!r.ok()) co_return std::move(r).error();
  if (r->signal != 0)
    co_return Error(ErrorCode::kUnauthenticated, what + " was killed by signal " + std::to_string(r->signal));
  if (r->status != 0)
    // Its output is never quoted: a failing helper may print a token or half a credential.
    co_return Error(ErrorCode::kUnauthenticated,
                    what + " exited with status " + std::to_string(r->status) + " (" + std::to_string(r->err.size()) +
                        " bytes on stderr, not shown: run the command yourself to see them)");
  if (r->out_overflow)
    co_return Error(ErrorCode::kUnauthenticated, what + " wrote more than 1 MiB to stdout");
  auto c = parse_output(r->out);
  if (!c.ok()) co_return Error(c.error().code, what + ": " + c.error().message);
  co_return c;
}

ContainerCredentialsProvider::ContainerCredentialsProvider(std::shared_ptr<HttpClient> http, const Env& env)
    : http_(std::move(http)) {
  if (auto rel = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url_ = "http://169.254.170.2" + *rel;
  } else if (auto full = env.get_non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    auto parts = parse_url(*full);
    if (!parts.ok()) {
      config_error_ = "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL";
    } else {
      const std::string& h = parts->host;
      bool allowed = parts->scheme == "https" || h == "127.0.0.1" || h.rfind("127.", 0) == 0 ||
                     h == "[::1]" || h == "localhost" || h == "169.254.170.2" || h == "169.254.170.23" ||
                     h == "[fd00:ec2::23]";
      if (!allowed) config_error_ = "AWS_CONTAINER_CREDENTIALS_FULL_URI host is not allowed over http";
      url_ = *full;
    }
  }
  if (auto f = env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) token_file_ = *f;
  else if (auto t = env.get_non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN")) token_ = *t;
}

asio::awaitable<Result<Credentials>> ContainerCredentialsProvider::get() {
  if (url_.empty()) co_return not_configured("container credentials not configured");
  if (!config_error_.empty()) co_return Error(ErrorCode::kInvalidArgument, config_error_);
  HttpRequest req;
  req.method = "GET";
  req.url = url_;
  req.connect_timeout = std::chrono::milliseconds(2000);
  req.total_timeout = std::chrono::milliseconds(2000);
  req.headers.emplace_back("Accept", "application/json");
  std::string token = token_;
  if (!token_file_.empty()) {
    auto t = read_file(token_file_);
    if (!t) co_return Error(ErrorCode::kUnauthenticated, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    token = trim(*t);
  }
  if (token.find_first_of("\r\n") != std::string::npos)
    co_return Error(ErrorCode::kInvalidArgument, "container authorization token contains CR or LF");
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  Result<HttpResponse> res = Error(ErrorCode::kUnavailable, "not attempted");
  for (int attempt = 0; attempt < 3; ++attempt) {
    res = co_await http_->send(req);
    if (res.ok() && res->status < 500) break;
  }
  if (!res.ok()) co_return Error(res.error().code, "container credentials endpoint: " + res.error().message);
  if (res->status != 200)
    co_return Error(ErrorCode::kUnauthenticated,
                    "container credentials endpoint returned HTTP " + std::to_string(res->status));
  co_return parse_metadata_credentials(res->body, "container credentials endpoint");
}

asio::awaitable<Result<Credentials>> ImdsCredentialsProvider::get() {
  std::string role_path = "/latest/meta-data/iam/security-credentials/";
  auto role = co_await imds_.get(role_path);
  if (!role.ok()) co_return std::move(role).error();
  std::string name = trim(*role);
  if (auto nl = name.find('\n'); nl != std::string::npos) name.resize(nl);
  if (name.empty()) co_return not_configured("the instance has no IAM role");
  std::string creds_path = role_path + name;
  auto body = co_await imds_.get(creds_path);
  if (!body.ok()) co_return std::move(body).error();
  co_return parse_metadata_credentials(*body, "IMDS");
}

Result<Credentials> credentials_from_sts_result(const json::value& result) {
  if (!result.is_object()) return Error(ErrorCode::kUnauthenticated, "STS returned no credentials");
  auto* c = result.as_object().if_contains("Credentials");
  if (!c || !c->is_object()) return Error(ErrorCode::kUnauthenticated, "STS returned no credentials");
  const auto& o = c->as_object();
  Credentials out;
  out.access_key_id = str_field(o, "AccessKeyId");
  out.secret_access_key = str_field(o, "SecretAccessKey");
  out.session_token = str_field(o, "SessionToken");
  if (auto exp = str_field(o, "Expiration"); !exp.empty()) out.expiration = parse_iso8601(exp);
  if (out.access_key_id.empty() || out.secret_access_key.empty())
    return Error(ErrorCode::kUnauthenticated, "STS returned incomplete credentials");
  if (auto* user = result.as_object().if_contains("AssumedRoleUser"); user && user->is_object()) {
    std::string arn = str_field(user->as_object(), "Arn");  // arn:aws:sts::<account>:assumed-role/...
    auto a = arn.find("::");
    if (a != std::string::npos) out.account_id = arn.substr(a + 2, arn.find(':', a + 2) - a - 2);
  }
  return out;
}

namespace {
std::shared_ptr<ClientContext> sts_client_context(const StsContext& sts, std::shared_ptr<CredentialsProvider> creds) {
  auto ctx = std::make_shared<ClientContext>();
  ctx->http = sts.http;
  ctx->endpoints = sts.endpoints;
  ctx->credentials = std::move(creds);
  ctx->user_agent = sts.user_agent;
  return ctx;
}
}  // namespace

AssumeRoleProvider::AssumeRoleProvider(StsContext sts, std::shared_ptr<CredentialsProvider> source, Params params,
                                       std::string description)
    : sts_(std::move(sts)), source_(std::move(source)), params_(std::move(params)),
      description_(std::move(description)) {}

asio::awaitable<Result<Credentials>> AssumeRoleProvider::get() {
  AwsClient client(sts_client_context(sts_, source_), services::kSts, sts_.region);
  json::object input;
  input["RoleArn"] = params_.role_arn;
  input["RoleSessionName"] = params_.session_name.empty()
                                 ? "appsignals-mcp-" + std::to_string(std::time(nullptr))
                                 : params_.session_name;
  if (params_.duration_seconds > 0) input["DurationSeconds"] = params_.duration_seconds;
  if (!params_.external_id.empty()) input["ExternalId"] = params_.external_id;
  std::string op = "AssumeRole";
  OperationRequest req = query_request(services::kSts, op, input);
  CallOptions opts;
  auto r = co_await client.call_json(op, std::move(req), opts);
  if (!r.ok()) co_return Error(r.error().code, "AssumeRole " + params_.role_arn + " failed: " + r.error().message,
                               r.error().details);
  co_return credentials_from_sts_result(*r);
}

WebIdentityProvider::WebIdentityProvider(StsContext sts, std::string token_file, std::string role_arn,
                                         std::string session_name, std::string description)
    : sts_(std::move(sts)), token_file_(std::move(token_file)), role_arn_(std::move(role_arn)),
      session_name_(std::move(session_name)), description_(std::move(description)) {}

asio::awaitable<Result<Credentials>> WebIdentityProvider::get() {
  auto token = read_file(token_file_);
  if (!token) co_return Error(ErrorCode::kUnauthenticated, "cannot read the web identity token file");
  AwsClient client(sts_client_context(sts_, nullptr), services::kSts, sts_.region);
  json::object input;
  input["RoleArn"] = role_arn_;
  input["RoleSessionName"] =
      session_name_.empty() ? "appsignals-mcp-" + std::to_string(std::time(nullptr)) : session_name_;
  input["WebIdentityToken"] = trim(*token);
  CallOptions opts;
  opts.unsigned_request = true;
  std::string op = "AssumeRoleWithWebIdentity";
  OperationRequest req = query_request(services::kSts, op, input);
  auto r = co_await client.call_json(op, std::move(req), opts);
  if (!r.ok())
    co_return Error(r.error().code, "AssumeRoleWithWebIdentity " + role_arn_ + " failed: " + r.error().message,
                    r.error().details);
  co_return credentials_from_sts_result(*r);
}

}  // namespace appsignals::aws
