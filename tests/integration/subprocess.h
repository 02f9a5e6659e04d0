#pragma once
// A child process for integration tests: the real binaries, started with arguments and extra
// environment, stderr+stdout captured through a pipe, signalled and reaped by the test.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

extern char** environ;

namespace appsignals::testing {

inline std::string bin_path(const std::string& name) {
  const char* dir = std::getenv("APPSIGNALS_BIN_DIR");
  return std::string(dir ? dir : APPSIGNALS_DEFAULT_BIN_DIR) + "/" + name;
}

class Subprocess {
 public:
  // With separate_stderr, stdout and stderr are read through different pipes (stdout()
  // and stderr_text()); with_stdin gives the test the child's stdin (write_stdin/close_stdin).
  Subprocess(const std::string& path, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {}, bool with_stdin = false,
             bool separate_stderr = false) {
    int fds[2];
    if (pipe(fds) != 0) return;
    int err_fds[2] = {-1, -1};
    int in_fds[2] = {-1, -1};
    if (separate_stderr && pipe(err_fds) != 0) return;
    if (with_stdin && pipe(in_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, separate_stderr ? err_fds[1] : fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    if (separate_stderr) posix_spawn_file_actions_addclose(&actions, err_fds[0]);
    if (with_stdin) {
      posix_spawn_file_actions_adddup2(&actions, in_fds[0], 0);
      posix_spawn_file_actions_addclose(&actions, in_fds[1]);
    }
    std::vector<std::string> argv_s{path};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      auto eq = kv.find('=');
      if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    // Loopback only: never the instance metadata service or the machine's AWS profile.
    merged.emplace("AWS_EC2_METADATA_DISABLED", "true");
    merged.emplace("AWS_CONFIG_FILE", "/dev/null");
    merged.emplace("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    for (auto& [k, v] : env) merged[k] = v;
    std::vector<std::string> env_s;
    for (auto& [k, v] : merged) env_s.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_fd_ = fds[0];
    if (separate_stderr) {
      close(err_fds[1]);
      err_fd_ = err_fds[0];
    }
    if (with_stdin) {
      close(in_fds[0]);
      in_fd_ = in_fds[1];
    }
  }
  ~Subprocess() {
    if (pid_ > 0 && !exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
    close_stdin();
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Reads output until `pattern` matches (returns the first capture group, or the whole match)
  // or the process closes its output.
  std::optional<std::string> wait_for(const std::string& pattern) {
    std::regex re(pattern);
    for (;;) {
      std::smatch m;
      if (std::regex_search(output_, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
      if (!read_more()) return std::nullopt;
    }
  }
  // Reads all remaining output (until the process closes it).
  const std::string& drain() {
    while (read_more()) {
    }
    return output_;
  }
  const std::string& output() const { return output_; }

  void write_stdin(const std::string& text) {
    std::size_t off = 0;
    while (off < text.size()) {
      ssize_t n = ::write(in_fd_, text.data() + off, text.size() - off);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }
  void close_stdin() {
    if (in_fd_ >= 0) close(in_fd_);
    in_fd_ = -1;
  }
  // All of stderr (with separate_stderr), read to its end.
  std::string stderr_text() {
    std::string text;
    char buf[4096];
    ssize_t n;
    while (err_fd_ >= 0 && (n = read(err_fd_, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    return text;
  }

  void signal(int sig) { kill(pid_, sig); }
  // Waits for exit; the exit code, or 128+signal.
  int wait() {
    if (exit_code_) return *exit_code_;
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_code_;
  }

 private:
  bool read_more() {
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return false;
    output_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int in_fd_ = -1;
  std::string output_;
  std::optional<int> exit_code_;
};

}  // namespace appsignals::testing
