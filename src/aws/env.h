#pragma once
// The process environment as an injectable seam: production reads getenv(), tests pass a map
// so they never mutate the real environment. Implementations are thread-safe for reads.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace appsignals::aws {

class Env {
 public:
  virtual ~Env() = default;
  // The variable's value; nullopt when unset. An empty value is returned as "".
  virtual std::optional<std::string> get(std::string_view name) const = 0;
  // Unset or empty -> nullopt.
  std::optional<std::string> get_non_empty(std::string_view name) const;
  // "true"/"1"/"yes" (any case) -> true; "false"/"0"/"no" -> false; else nullopt.
  std::optional<bool> get_bool(std::string_view name) const;
  // $HOME (used for ~/.aws).
  std::string home() const;
};

class ProcessEnv final : public Env {
 public:
  std::optional<std::string> get(std::string_view name) const override;
  static const ProcessEnv& instance();
};

class MapEnv final : public Env {
 public:
  MapEnv() = default;
  explicit MapEnv(std::map<std::string, std::string, std::less<>> vars) : vars_(std::move(vars)) {}
  std::optional<std::string> get(std::string_view name) const override;
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace appsignals::aws
