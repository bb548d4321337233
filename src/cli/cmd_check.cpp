// cmd_check.cpp: `zonewarden check`: the live walk from the root trust anchor over every authoritative server.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli/address_options.hpp"
#include "cli/commands.hpp"
#include "cli/policy.hpp"
#include "cli/rollover_options.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "core/time.hpp"
#include "pipeline/check_job.hpp"
#include "report/progress.hpp"

namespace zw::cli {
namespace {

struct CheckArgs {
  std::vector<std::string> names;
  std::vector<std::string> lists;
  std::string root_hints = "/usr/share/dns/root.hints";
  std::vector<std::string> anchors;
  bool only4 = false;
  bool only6 = false;
  std::vector<std::string> probes;
  std::vector<std::string> services;
  double timeout = 2;
  unsigned retries = 1;
  std::size_t parallel = 64;
  std::size_t per_address = 8;
  double deadline = 0;
  std::string seed;
  bool no_resolver = false;
  std::string save_capture;
  std::string capture;
  std::string now;
  std::string min_validity = "3d";
  std::string max_validity = "180d";
  OutputArgs out;
  bool quiet = false;
  bool stats = false;
  PolicyArgs policy;
  AsnArgs asn;
  RolloverArgs rollover;
};

// --stats: where the time went, on stderr so that the report on stdout stays machine-readable. The analysis and the
// validator run side by side after the walk.
void print_stats(const report::Run& r) {
  const report::Metrics& m = r.metrics;
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::cerr << fmt::format(
      "zonewarden: stats: walk {:.3f} s ({} rounds; {} questions over UDP, {} over TCP, {} not answered)\n",
      m.walk_seconds, m.walk_rounds, m.questions_udp, m.questions_tcp, m.questions_unanswered);
  std::cerr << fmt::format(
      "zonewarden: stats: analysis {:.3f} s (checks after verification {:.3f} s); validator {:.3f} s, side by side\n",
      m.analysis_seconds, m.checks_seconds, m.validator_seconds);
  std::cerr << fmt::format("zonewarden: stats: {} threads; peak memory {} MB; CPU {:.2f} s user, {:.2f} s system\n",
                           core::worker_count(), ru.ru_maxrss / 1024,
                           static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
                           static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6);
}

int run(const CheckArgs& a) {
  pipeline::CheckJob job;
  job.names = a.names;
  job.lists = a.lists;
  job.root_hints = a.root_hints;
  job.anchor_files = a.anchors;
  if (a.only4 && a.only6) throw Error("-4 and -6 exclude each other");
  job.ipv4 = !a.only6;
  job.ipv6 = !a.only4;
  job.probes = a.probes;
  job.services = a.services;
  job.timeout_seconds = a.timeout;
  job.retries = a.retries;
  job.parallel = a.parallel;
  job.per_address = a.per_address;
  job.deadline_seconds = a.deadline;
  if (!a.seed.empty()) {
    auto v = core::parse_decimal(a.seed, ~std::uint64_t{0});
    if (!v) throw Error("--seed: not a decimal number: '" + a.seed + "'");
    job.seed = *v;
  }
  job.resolver = !a.no_resolver;
  job.save_capture = a.save_capture;
  job.capture = a.capture;
  if (!a.capture.empty() && !a.save_capture.empty()) throw Error("--capture and --save-capture exclude each other");
  if (a.capture.empty() && a.names.empty() && a.lists.empty()) throw Error("no name to check (NAME… or --list FILE)");
  if (!a.now.empty()) {
    job.options.now = parse_now(a.now);
    job.now_given = true;
  }
  job.options.min_validity = core::parse_duration(a.min_validity);
  job.options.max_validity = core::parse_duration(a.max_validity);
  job.options.asn_max_age = core::parse_duration(a.asn.max_age);
  job.addresses = build_address_data(a.asn);
  job.asn_source_given = !a.asn.sources.empty();
  job.rollover = build_rollover_settings(a.rollover, false, false);
  job.policy = build_policy(a.policy);
  job.fail_on = build_fail_on(a.policy, a.out);
  const report::WriteOptions write_options = build_write_options(a.out, job.fail_on);
  ReportWriter writer(a.out);
  const report::Run result =
      run_reported(job, writer, a.quiet, [](const auto& j) { return pipeline::run_check_job(j); });
  if (!a.quiet) {
    for (const std::string& w : result.warnings) std::cerr << "zonewarden: warning: " << w << "\n";
  }
  const int status = writer.finish(result, write_options);
  if (a.stats) print_stats(result);
  return status;
}

}  // namespace

Action add_check_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* sub = app.add_subcommand(
      "check", "Walk the chain of trust from the root to each NAME and check every authoritative server");
  auto repeatable = [](CLI::Option* o) { o->allow_extra_args(false); };
  sub->add_option("NAME", args->names, "Names to check (a name that is not a zone apex is checked at its zone)");
  repeatable(sub->add_option("--list", args->lists, "Names to check, one per line, '#' comments; repeatable")
                 ->type_name("FILE"));
  sub->add_option("--root-hints", args->root_hints, "Root hints (default /usr/share/dns/root.hints)")
      ->type_name("FILE");
  repeatable(sub->add_option("-k,--trust-anchor", args->anchors,
                             "Trust anchor: DS/DNSKEY records, IANA root-anchors.xml or bind.keys (default "
                             "/usr/share/dns/root.key); repeatable")
                 ->type_name("FILE"));
  sub->add_flag("-4", args->only4, "IPv4 only");
  sub->add_flag("-6", args->only6, "IPv6 only");
  repeatable(sub->add_option("--service", args->services,
                             "A watched service name: its A and AAAA from every server of its zone, and "
                             "SERVICE_ENDPOINT_CONCENTRATION when they all sit in one AS; repeatable")
                 ->type_name("NAME"));
  repeatable(sub->add_option("--probe", args->probes, "Also ask every server of NAME's zone for NAME/TYPE; repeatable")
                 ->type_name("NAME/TYPE"));
  sub->add_option("--timeout", args->timeout, "Seconds one question may take, retries included (default 2)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.05, 60.0));
  sub->add_option("--retries", args->retries, "Further tries within the timeout (default 1)")
      ->type_name("N")
      ->check(CLI::Range(0U, 5U));
  sub->add_option("--parallel", args->parallel, "Questions in flight at once (default 64)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  sub->add_option("--per-address", args->per_address, "Questions in flight at once to one address (default 8)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  sub->add_option("--deadline", args->deadline, "Stop asking after SECONDS and report what was learned (default: none)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0));
  sub->add_option("--seed", args->seed, "Seed of the random names of denial probes (default: from the clock)")
      ->type_name("N");
  sub->add_flag("--no-resolver", args->no_resolver, "Do not ask libunbound for an independent verdict");
  sub->add_option("--save-capture", args->save_capture, "Write every exchange to FILE (JSON) for --capture")
      ->type_name("FILE");
  sub->add_option("--capture", args->capture, "Re-analyse a saved capture offline (no queries)")->type_name("FILE");
  sub->add_option("--now", args->now, "Validation time (default: now; with --capture, the capture's time)")
      ->type_name("TIME");
  sub->add_option("--min-validity", args->min_validity, "Warn when a signature expires within DUR (default 3d)")
      ->type_name("DUR");
  sub->add_option("--max-validity", args->max_validity,
                  "Notice when a signature is valid longer than DUR (default 180d)")
      ->type_name("DUR");
  add_output_options(sub, args->out);
  add_policy_options(sub, args->policy);
  add_asn_options(sub, args->asn);
  add_rollover_options(sub, args->rollover, false);
  sub->add_flag("-q,--quiet", args->quiet, "No progress line and no warnings on stderr (errors are still shown)");
  sub->add_flag("--stats", args->stats, "Print where the time went (walk, analysis, validator) on stderr");
  return [args, sub]() {
    collect_toggles(*sub, args->policy);
    return run(*args);
  };
}

}  // namespace zw::cli
