#include "tools/enablement/guide_fragments.h"

namespace appsignals::tools::enablement {
namespace {

constexpr int kMaxDepth = 4;

void expand_into(std::string& out, std::string_view text, const Vars& vars, bool recursive, int depth) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    auto name = text.substr(open + 2, close - open - 2);
    auto it = vars.find(name);
    if (it == vars.end()) {
      out.append(text.substr(open, close + 2 - open));  // not ours: keep it for a later pass
    } else if (recursive && depth < kMaxDepth) {
      expand_into(out, it->second, vars, recursive, depth + 1);
    } else {
      out.append(it->second);
    }
    pos = close + 2;
  }
  out.append(text.substr(pos));
}

}  // namespace

std::string expand_placeholders(std::string_view text, const Vars& vars, bool recursive) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  expand_into(out, text, vars, recursive, 0);
  return out;
}

std::string render_env(std::span<const EnvVar> vars, EnvFormat format, std::string_view indent) {
  std::string out;
  if (format == EnvFormat::kTable) out += "| Variable | Value | Purpose |\n| --- | --- | --- |\n";
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const auto& v = vars[i];
    std::string name(v.name);
    std::string value(v.value);
    out += indent;
    switch (format) {
      case EnvFormat::kTable:
        out += "| `" + name + "` | `" + value + "` | " + std::string(v.purpose) + " |";
        break;
      case EnvFormat::kShell:
        out += "export " + name + "=\"" + value + "\"";
        break;
      case EnvFormat::kEnvFile:
        out += name + "=\"" + value + "\"";
        break;
      case EnvFormat::kEcsJson:
        out += "{ \"name\": \"" + name + "\", \"value\": \"" + value + "\" }";
        if (i + 1 < vars.size()) out += ",";  // JSON: no trailing comma
        break;
      case EnvFormat::kCdk:
        out += name + ": '" + value + "',";
        break;
      case EnvFormat::kYaml:
        out += "- name: " + name + "\n" + std::string(indent) + "  value: \"" + value + "\"";
        break;
      case EnvFormat::kJsLine:
        out += "'" + name + "=\"" + value + "\"',";
        break;
      case EnvFormat::kTerraform:
        out += "{ name = \"" + name + "\", value = \"" + value + "\" },";
        break;
    }
    out += "\n";
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace appsignals::tools::enablement
