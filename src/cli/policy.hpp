// policy.hpp: the options every checking subcommand shares: what to report (--severity, --disable, --enable,
// --fail-on) and how the report is written (-f, --max-per-code, standard output errors).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <utility>
#include <vector>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "report/run.hpp"

namespace zw::cli {

struct PolicyArgs {
  std::string fail_on = "error";
  std::vector<std::string> severity;
  std::vector<std::string> disable;
  std::vector<std::string> enable;
  /// --disable and --enable values in command-line order (true: enable), each possibly a comma list.
  std::vector<std::pair<bool, std::string>> toggles;
  CLI::Option* disable_option = nullptr;
  CLI::Option* enable_option = nullptr;
};

/// Registers --fail-on, --severity, --disable and --enable on `sub`.
void add_policy_options(CLI::App* sub, PolicyArgs& a);

/// Orders --disable and --enable as given (the last one for a code wins); call after parsing.
void collect_toggles(const CLI::App& sub, PolicyArgs& a);

/// The policy the options give; throws zw::Error on an unknown code or level.
checks::Policy build_policy(const PolicyArgs& a);
Severity build_fail_on(const PolicyArgs& a);

/// --now: any time format of core::parse_time, relative ones counted from the system clock.
core::EpochSeconds parse_now(const std::string& text);

/// The -f values and their help text, from the formats table.
std::pair<std::vector<std::string>, std::string> format_choices();

/// Writes the run in `format` to standard output; a write error is zw::Error (exit 3).
void write_report(const report::Run& run, const std::string& format, std::size_t max_per_code);

}  // namespace zw::cli
