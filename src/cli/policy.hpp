// policy.hpp: the options every checking subcommand shares: what to report (--severity, --disable, --enable,
// --fail-on) and how the report is written (-f, --output, -w/-c, --max-per-code, write errors).
#pragma once

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "report/progress.hpp"
#include "report/report.hpp"
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
  CLI::Option* fail_on_option = nullptr;
};

/// How the report is written: -f, --output, and the monitoring thresholds -w/-c.
struct OutputArgs {
  std::string format;    ///< default_format() unless -f says otherwise
  std::string output;    ///< --output FILE; empty: standard output
  std::string warning;   ///< -w DUR: minimum remaining signature validity before WARNING (nagios)
  std::string critical;  ///< -c DUR: minimum remaining signature validity before CRITICAL (nagios)
  std::size_t max_per_code = 5;
  std::string perfdata;  ///< --perfdata zones|summary (nagios); empty: zones up to report::kPerfdataZonesMax zones
};

/// The format a report takes when -f is not given: "text", or "nagios" when invoked as check_zonewarden.
const std::string& default_format();
void set_default_format(std::string format);

/// Registers -f/--format, --output, -w/--warning, -c/--critical, --perfdata and --max-per-code on `sub`.
void add_output_options(CLI::App* sub, OutputArgs& a);

/// Registers --fail-on, --severity, --disable and --enable on `sub`.
void add_policy_options(CLI::App* sub, PolicyArgs& a);

/// Orders --disable and --enable as given (the last one for a code wins); call after parsing.
void collect_toggles(const CLI::App& sub, PolicyArgs& a);

/// The policy the options give; throws zw::Error on an unknown code or level.
checks::Policy build_policy(const PolicyArgs& a);
/// --fail-on; when it is not given, `error`, or `warning` under -f nagios (DESIGN.md §6).
Severity build_fail_on(const PolicyArgs& a, const OutputArgs& o);

/// --now: any time format of core::parse_time, relative ones counted from the system clock.
core::EpochSeconds parse_now(const std::string& text);

/// The -f values and their help text, from the formats table.
std::pair<std::vector<std::string>, std::string> format_choices();

/// The writer's options that -w, -c, --perfdata, --max-per-code and the fail-on level give; zw::Error on a malformed
/// duration (call before the run, so that a mistake costs nothing).
report::WriteOptions build_write_options(const OutputArgs& o, Severity fail_on);

/// Writes the run as -f says, to standard output or atomically to --output (a temporary file in the same directory,
/// then renamed over FILE); a write error is zw::Error (exit 3). Returns the exit status: the format's own (nagios)
/// or Run::exit.
int write_report(const report::Run& run, const OutputArgs& o, const report::WriteOptions& wo);

/// A run's report, streamed subject by subject while the job runs when it goes to standard output as -f jsonl
/// (report::JsonlStream: the run's order, each line flushed), else written whole at the end by write_report (--output
/// is still replaced atomically at the end).
class ReportWriter {
 public:
  explicit ReportWriter(const OutputArgs& o);
  /// What the job tells as each subject is final (its subject_done); empty when the report is written whole.
  report::SubjectDone subject_done();
  /// Writes what is left of the report; returns the exit status as write_report does. zw::Error on a write error.
  int finish(const report::Run& run, const report::WriteOptions& wo);

 private:
  const OutputArgs& out_;
  std::unique_ptr<report::JsonlStream> stream_;  ///< null: written whole
};

/// Runs `job` through `run` (the zone or check pipeline) with `writer` told of each final subject, and, on a
/// terminal and unless `quiet`, a progress line that says what a run of more than two seconds is doing and is
/// cleared when it is done.
template <typename Job, typename RunFn>
report::Run run_reported(Job& job, ReportWriter& writer, bool quiet, RunFn run) {
  job.subject_done = writer.subject_done();
  report::Progress progress(std::cerr, !quiet && isatty(STDERR_FILENO));
  job.progress = [&progress](std::string text) { progress.phase(std::move(text)); };
  report::Run result = run(job);
  job.progress = nullptr;
  return result;
}

}  // namespace zw::cli
