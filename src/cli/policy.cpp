// policy.cpp: the options every checking subcommand shares.
#include "cli/policy.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "core/error.hpp"
#include "report/report.hpp"

namespace zw::cli {
namespace {

catalog::Code code_or_throw(const std::string& text, const char* option) {
  auto c = catalog::find(text);
  if (!c) throw Error(std::string(option) + ": unknown finding code '" + text + "' (see `zonewarden catalog`)");
  return *c;
}

// --disable/--enable CODE[,CODE...]: an empty element is a mistake, never "no code".
std::vector<std::string> split_codes(const std::string& list, const char* option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw Error(std::string(option) + ": empty finding code in '" + list + "'");
    out.push_back(std::move(item));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

void add_policy_options(CLI::App* sub, PolicyArgs& a) {
  // A repeatable option takes exactly one value per occurrence, so that the arguments after it stay positional.
  auto repeatable = [](CLI::Option* o) { o->allow_extra_args(false); };
  sub->add_option("--fail-on", a.fail_on, "Lowest severity that makes the exit status non-zero (default error)")
      ->type_name("LEVEL");
  repeatable(sub->add_option("--severity", a.severity, "Override a code's severity: CODE=LEVEL; repeatable")
                 ->type_name("CODE=LEVEL"));
  a.disable_option = sub->add_option("--disable", a.disable, "Do not report CODE (or CODE,CODE...); repeatable");
  a.enable_option =
      sub->add_option("--enable", a.enable, "Report CODE (or CODE,CODE...) again after --disable; repeatable");
  a.disable_option->type_name("CODE[,CODE]");
  a.enable_option->type_name("CODE[,CODE]");
  repeatable(a.disable_option);
  repeatable(a.enable_option);
}

void collect_toggles(const CLI::App& sub, PolicyArgs& a) {
  std::size_t next_disable = 0;
  std::size_t next_enable = 0;
  a.toggles.clear();
  for (const CLI::Option* o : sub.parse_order()) {
    if (o == a.disable_option && next_disable < a.disable.size())
      a.toggles.emplace_back(false, a.disable[next_disable++]);
    if (o == a.enable_option && next_enable < a.enable.size()) a.toggles.emplace_back(true, a.enable[next_enable++]);
  }
}

checks::Policy build_policy(const PolicyArgs& a) {
  checks::Policy policy;
  for (const std::string& s : a.severity) {
    auto eq = s.find('=');
    if (eq == std::string::npos) throw Error("--severity: expected CODE=LEVEL, got '" + s + "'");
    auto level = parse_severity(s.substr(eq + 1));
    if (!level) throw Error("--severity: unknown level in '" + s + "'");
    policy.severity[code_or_throw(s.substr(0, eq), "--severity")] = *level;
  }
  for (const auto& [enable, list] : a.toggles) {
    const char* option = enable ? "--enable" : "--disable";
    for (const std::string& text : split_codes(list, option)) {
      catalog::Code c = code_or_throw(text, option);
      if (enable) {
        policy.disabled.erase(c);
      } else {
        policy.disabled.insert(c);
      }
    }
  }
  return policy;
}

Severity build_fail_on(const PolicyArgs& a) {
  auto fail_on = parse_severity(a.fail_on);
  if (!fail_on) throw Error("--fail-on: unknown level '" + a.fail_on + "' (info, notice, warning, error, critical)");
  return *fail_on;
}

core::EpochSeconds parse_now(const std::string& text) {
  const auto wall = static_cast<core::EpochSeconds>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  return core::parse_time(text, wall);
}

std::pair<std::vector<std::string>, std::string> format_choices() {
  std::vector<std::string> names;
  std::string help = "Output format:";
  for (const report::Format& f : report::formats()) {
    names.emplace_back(f.name);
    help += std::string(" ") + f.name + " (" + f.description + ");";
  }
  help.pop_back();
  return {names, help};
}

void write_report(const report::Run& run, const std::string& format, std::size_t max_per_code) {
  report::WriteOptions wo;
  wo.max_per_code = max_per_code;
  wo.color = format == "text" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  report::find_format(format)->write(std::cout, run, wo);
  // A report that did not reach its reader (a full disk, a closed pipe) is a run that could not check.
  std::cout.flush();
  if (!std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw Error(std::string("standard output: write error: ") + std::strerror(errno ? errno : EIO));
  }
}

}  // namespace zw::cli
