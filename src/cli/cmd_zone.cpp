// cmd_zone.cpp: `zonewarden zone`: offline verification of signed zone files (the CI gate).
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/address_options.hpp"
#include "cli/commands.hpp"
#include "cli/policy.hpp"
#include "cli/rollover_options.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/name.hpp"
#include "core/parallel.hpp"
#include "pipeline/check_job.hpp"
#include "pipeline/zone_job.hpp"
#include "report/progress.hpp"
#include "report/report.hpp"
#include "rollover/history.hpp"

namespace zw::cli {
namespace {

struct ZoneArgs {
  std::vector<std::string> files;
  std::string origin;
  std::vector<std::string> ds;
  std::vector<std::string> anchors;
  std::string now = "now";
  std::string min_validity = "3d";
  std::string max_validity = "180d";
  OutputArgs out;
  PolicyArgs policy;
  AsnArgs asn;
  RolloverArgs rollover;
  bool against_live = false;
  std::string root_hints = "/usr/share/dns/root.hints";
  double timeout = 2;
  bool only4 = false;
  std::string max_input_size = "4G";
  std::string include_root;
  std::vector<std::string> previous;
  std::vector<std::string> keys;
  std::string key_history;
  double max_shrink = 5.0;
  bool stats = false;
  bool quiet = false;
  unsigned threads = 0;
};

// --stats: where the time went, on stderr so that the report on stdout stays machine-readable.
void print_stats(const report::Run& r) {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  for (const report::Subject& z : r.subjects) {
    if (!z.checked()) continue;
    const double rate = z.load_seconds > 0 ? static_cast<double>(z.records) / z.load_seconds / 1000.0 : 0.0;
    std::cerr << fmt::format(
        "zonewarden: stats: {}: load {:.3f} s ({} records, {:.0f}k records/s); "
        "signatures {:.3f} s ({} signatures, {} valid; the checks that need no signature alongside)\n",
        z.name, z.load_seconds, z.records, rate, z.verify_seconds, z.signatures, z.signatures_verified);
  }
  std::string each;
  for (const auto& [name, secs] : r.metrics.check_times) {
    if (secs >= 0.001) each += fmt::format("{}{} {:.3f}", each.empty() ? "" : ", ", name, secs);
  }
  if (!each.empty()) std::cerr << "zonewarden: stats: check times (side by side): " << each << " s\n";
  if (!r.metrics.delegations_by_asns.empty()) {
    std::string spread;
    for (const auto& [asns, n] : r.metrics.delegations_by_asns)
      spread += fmt::format("{}{} in {} AS{}", spread.empty() ? "" : ", ", n, asns, asns == 1 ? "" : "es");
    std::cerr << "zonewarden: stats: delegations by the origin ASes of their nameservers (0: no address covered): "
              << spread << "\n";
  }
  std::cerr << fmt::format(
      "zonewarden: stats: checks after verification {:.3f} s; {} threads; peak memory {} MB; CPU {:.2f} s user, "
      "{:.2f} s system\n",
      r.metrics.checks_seconds, core::worker_count(), ru.ru_maxrss / 1024,
      static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6,
      static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6);
}

std::uint64_t parse_size(const std::string& text) {
  const std::size_t digits = text.find_first_not_of("0123456789");
  const std::string unit = digits == std::string::npos ? std::string() : text.substr(digits);
  const unsigned shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : 99;
  const auto v = core::parse_decimal(std::string_view(text).substr(0, digits), std::uint64_t{1} << 62);
  if (shift == 99 || !v || *v == 0 || *v > (std::uint64_t{1} << (62 - shift))) {
    throw Error("--max-input-size: invalid size '" + text + "' (e.g. 512M, 16G)");
  }
  return *v << shift;
}

/// A private temporary directory, removed with what it holds.
struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string t = std::string(base && *base ? base : "/tmp") + "/zonewarden-XXXXXX";
    if (::mkdtemp(t.data()) == nullptr) throw Error("cannot make a temporary directory under " + t);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// --against-live: the versions the zone's servers serve now are recorded in the timeline the gate then reads (the
/// --state directory, else `scratch`), so that the file is judged as the next step after them. The live run's own
/// findings are not the gate's.
void record_live_versions(const ZoneArgs& a, pipeline::ZoneJob& job, const std::string& scratch) {
  if (a.origin.empty()) throw Error("--against-live needs -o/--origin: the zone whose servers to ask");
  if (a.files.size() != 1) throw Error("--against-live checks one zone file");
  pipeline::CheckJob live;
  live.names = {a.origin};
  live.root_hints = a.root_hints;
  live.anchor_files = a.anchors;
  live.ipv6 = !a.only4;
  live.timeout_seconds = a.timeout;
  live.options = job.options;
  live.now_given = true;
  live.resolver = false;
  live.rollover = job.rollover;
  live.rollover.state_dir = job.rollover.state_dir.empty() ? scratch : job.rollover.state_dir;
  live.rollover.timing.sampled = true;
  live.rollover.record_always = true;
  const report::Run seen = pipeline::run_check_job(live);
  std::string zone = a.origin;
  if (zone.back() != '.') zone.push_back('.');
  const bool answered = std::any_of(seen.subjects.begin(), seen.subjects.end(), [&](const report::Subject& s) {
    return s.checked() && core::name_lower(s.name) == core::name_lower(zone);
  });
  if (!answered) throw Error("--against-live: no server of " + zone + " answered");
  job.rollover.state_dir = live.rollover.state_dir;
  // -k anchored the walk; the file's chain starts at the DS set the parent's servers publish now (unless --ds or
  // --no-ds say otherwise).
  job.anchor_files.clear();
  if (!job.ds_files.empty() || job.rollover.no_ds) return;
  const rollover::History h = rollover::load_history(live.rollover.state_dir, zone);
  if (h.epochs.empty() || !h.epochs.back().state.ds) return;
  const rollover::SnapDsSet& ds = *h.epochs.back().state.ds;
  if (ds.records.empty()) {
    job.rollover.no_ds = true;
    return;
  }
  std::string text;
  for (const rollover::SnapDs& d : ds.records) {
    text += fmt::format("{} {} IN DS {} {} {} {}\n", zone, ds.ttl, d.tag, d.algorithm, d.digest_type, d.digest);
  }
  const std::string file = scratch + "/live.ds";
  std::ofstream(file) << text;
  job.ds_files = {file};
  if (!job.rollover.ds_ttl) job.rollover.ds_ttl = ds.ttl;
}

int run(const ZoneArgs& a) {
  pipeline::ZoneJob job;
  job.files = a.files;
  job.origin = a.origin;
  job.ds_files = a.ds;
  job.anchor_files = a.anchors;
  job.options.now = parse_now(a.now);
  job.max_input_bytes = parse_size(a.max_input_size);
  job.include_root = a.include_root;
  job.previous_files = a.previous;
  job.key_dirs = a.keys;
  job.key_history = a.key_history;
  job.rollover = build_rollover_settings(a.rollover, true, !a.ds.empty());
  job.options.max_shrink = a.max_shrink / 100.0;
  job.options.min_validity = core::parse_duration(a.min_validity);
  job.options.max_validity = core::parse_duration(a.max_validity);
  job.options.asn_max_age = core::parse_duration(a.asn.max_age);
  job.delegation_spread = a.stats;
  job.addresses = build_address_data(a.asn);
  job.policy = build_policy(a.policy);

  if (a.threads != 0) core::set_worker_count(a.threads);
  std::optional<TempDir> scratch;
  if (a.against_live) {
    scratch.emplace();
    record_live_versions(a, job, scratch->path);
  }
  job.fail_on = build_fail_on(a.policy, a.out);
  const report::WriteOptions write_options = build_write_options(a.out, job.fail_on);
  ReportWriter writer(a.out);
  const report::Run result =
      run_reported(job, writer, a.quiet, [](const auto& j) { return pipeline::run_zone_job(j); });
  scratch.reset();
  if (a.stats) print_stats(result);
  if (!a.quiet) {
    for (const std::string& w : result.warnings) std::cerr << "zonewarden: warning: " << w << "\n";
  }
  for (const report::Subject& z : result.subjects) {
    if (!z.checked()) std::cerr << "zonewarden: error: " << z.error << "\n";
  }
  const int status = writer.finish(result, write_options);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // The zones are still allocated (report::Run::retained). Leave without freeing them: the operating system takes
  // the memory back at once, where the destructors would take a noticeable part of a second for a TLD zone.
  // Sanitizer builds return normally, so that leak checking still covers this path.
  if (result.retained) {
    std::fflush(nullptr);
    std::_Exit(status);
  }
#endif
  return status;
}

}  // namespace

Action add_zone_command(CLI::App& app) {
  auto args = std::make_shared<ZoneArgs>();
  CLI::App* sub = app.add_subcommand("zone", "Verify signed zone files offline (the CI gate)");
  sub->add_option("FILE", args->files, "Zone file(s) in master format, dig AXFR output or gzip; each is its own zone")
      ->required();
  sub->add_option("-o,--origin", args->origin, "Zone origin (default: $ORIGIN or the SOA owner)");
  // A repeatable option takes exactly one value per occurrence, so that the files after it stay zone files.
  auto repeatable = [](CLI::Option* o) { o->allow_extra_args(false); };
  repeatable(sub->add_option("--ds", args->ds,
                             "The parent's DS records (master format, or dig +short DS with -o); repeatable"));
  repeatable(sub->add_option(
      "-k,--trust-anchor", args->anchors,
      "Trust anchor: DS/DNSKEY records, IANA root-anchors.xml or BIND trust-anchors (bind.keys); repeatable"));
  sub->add_option(
      "--now", args->now,
      "Validation time: epoch, YYYYMMDD[HHMMSS], RFC 3339, now±DUR, +N/-N seconds or +ND/-NH... (default: now)");
  sub->add_option("--min-validity", args->min_validity, "Warn when a signature expires within DUR (default 3d)");
  sub->add_option("--max-validity", args->max_validity,
                  "Notice when a signature is valid longer than DUR (default 180d)");
  add_output_options(sub, args->out);
  add_policy_options(sub, args->policy);
  add_asn_options(sub, args->asn);
  add_rollover_options(sub, args->rollover, true);
  sub->add_flag("--against-live", args->against_live,
                "Judge the file as the next version after what the zone's servers serve now (needs -o)");
  sub->add_option("--root-hints", args->root_hints, "--against-live: root hints (default /usr/share/dns/root.hints)")
      ->type_name("FILE");
  sub->add_option("--timeout", args->timeout, "--against-live: seconds one question may cost (default 2)")
      ->type_name("SEC")
      ->check(CLI::Range(0.05, 60.0));
  sub->add_flag("-4", args->only4, "--against-live: IPv4 only");
  repeatable(sub->add_option(
      "--previous", args->previous,
      "The last published version of the zone (same origin): ZONE_SHRINK and rollover state; repeatable"));
  sub->add_option("--max-shrink", args->max_shrink,
                  "ZONE_SHRINK when more than PERCENT of names or delegations are lost (default 5)")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_flag("--stats", args->stats, "Print load, verification and check times and peak memory on stderr");
  sub->add_flag("-q,--quiet", args->quiet, "No progress line and no warnings on stderr (errors are still shown)");
  sub->add_option("-j,--threads", args->threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1U, 1024U));
  repeatable(sub->add_option("--keys", args->keys,
                             "The signer's key directory (BIND/ldns K*.key/.private, PKCS#8 PEM); repeatable"));
  sub->add_option("--key-history", args->key_history,
                  "File of public keys seen in earlier runs; read, then every key of this run is appended");
  sub->add_option("--max-input-size", args->max_input_size,
                  "Refuse a zone larger than SIZE after decompression, its $INCLUDEs counted (default 4G)");
  sub->add_option("--include-root", args->include_root,
                  "$INCLUDE only files in DIR and below (default: the zone file's directory)");
  // What each option's value is, for --help ("--ds FILE", not "--ds TEXT").
  const std::pair<const char*, const char*> value_names[] = {{"FILE", "FILE"},
                                                             {"--origin", "ORIGIN"},
                                                             {"--ds", "FILE"},
                                                             {"--trust-anchor", "FILE"},
                                                             {"--now", "TIME"},
                                                             {"--min-validity", "DUR"},
                                                             {"--max-validity", "DUR"},
                                                             {"--previous", "FILE"},
                                                             {"--max-shrink", "PERCENT"},
                                                             {"--threads", "N"},
                                                             {"--keys", "DIR"},
                                                             {"--key-history", "FILE"},
                                                             {"--max-input-size", "SIZE"},
                                                             {"--include-root", "DIR"},
                                                             {"--timeout", "SEC"}};
  for (const auto& [option, value] : value_names) sub->get_option(option)->type_name(value);
  return [args, sub]() {
    collect_toggles(*sub, args->policy);
    return run(*args);
  };
}

Action add_explain_command(CLI::App& app) {
  auto code = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("explain", "Explain a finding code");
  sub->add_option("CODE", *code, "Finding code, e.g. RRSIG_EXPIRED")->required();
  return [code]() {
    auto c = catalog::find(*code);
    if (!c) throw Error("unknown finding code '" + *code + "' (see `zonewarden catalog`)");
    report::write_explain(std::cout, catalog::entry(*c));
    return 0;
  };
}

Action add_catalog_command(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto output = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("catalog", "List every finding code");
  sub->add_option("-f,--format", *format, "text, json or man")->check(CLI::IsMember({"text", "json", "man"}));
  sub->add_option("--output", *output, "Write to FILE instead of standard output (the build writes the manual so)");
  return [format, output]() {
    std::ostringstream text;
    if (*format == "json") {
      report::write_catalog_json(text);
    } else if (*format == "man") {
      text << report::catalog_man_page();
    } else {
      report::write_catalog_text(text);
    }
    if (output->empty()) {
      std::cout << text.str();
      return 0;
    }
    std::ofstream out(*output, std::ios::binary | std::ios::trunc);
    out << text.str();
    out.close();
    if (!out) throw Error(*output + ": cannot write: " + std::strerror(errno ? errno : EIO));
    return 0;
  };
}

}  // namespace zw::cli
