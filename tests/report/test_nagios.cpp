// test_nagios.cpp: the nagios format against the monitoring-plugins development guidelines (the status line, the
// performance data grammar, the return codes), -w/-c, and the check_zonewarden name.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <utility>

#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;

namespace {

// doc/developer-guidelines.sgml of the monitoring-plugins repository, "Performance data":
//   'label'=value[UOM];[warn];[crit];[min];[max]
// label: any characters but '=' and '\'' (quotes optional without spaces); value, min and max in [-0-9.] (or "U"
// for the value); UOM one of s us ms % B KB MB TB c or none; warn and crit in the range format "[@]start:end"
// ("Threshold and ranges": start and ':' omitted when 0, '~' negative infinity, end omitted for infinity); trailing
// empty fields may be dropped.
const std::string kNumber = R"(-?[0-9]+(\.[0-9]+)?)";
const std::string kRange = "@?((" + kNumber + "|~):)?(" + kNumber + ")?";
const std::string kPerfItem = "('[^'=]+'|[^'= ]+)=(" + kNumber + "|U)(s|us|ms|%|B|KB|MB|TB|c)?(;(" + kRange + ")(;(" +
                              kRange + ")(;(" + kNumber + ")?(;(" + kNumber + ")?)?)?)?)?";
// "SERVICE STATUS: Information text" — ours: ZONEWARDEN STATE - text, then " | " and the perfdata (optional: a
// plugin that could not check has none).
const std::regex kStatusLine("ZONEWARDEN (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+( \\| " + kPerfItem + "( " + kPerfItem +
                             ")*)?");

void require_plugin_output(const std::string& out) {
  INFO(out);
  REQUIRE(!out.empty());
  REQUIRE(out.back() == '\n');
  std::istringstream lines(out);
  std::string first;
  std::getline(lines, first);
  CHECK(std::regex_match(first, kStatusLine));
  // Later lines are long output: a '|' there would start a second part of the performance data.
  for (std::string line; std::getline(lines, line);) CHECK(line.find('|') == std::string::npos);
}

std::string first_line(const std::string& out) {
  return out.substr(0, out.find('\n'));
}

}  // namespace

TEST_CASE("the grammar of the guidelines matches their own examples and rejects broken perfdata", "[report][nagios]") {
  const std::regex item(kPerfItem);
  for (const char* good : {"'load1'=4.7", "time=0.042824s;0.000000;0.000000;0.000000;10.000000", "'a b'=U",
                           "'x'=-3s;5:;~:10;0;", "users=3;@10:20;20"}) {
    INFO(good);
    CHECK(std::regex_match(std::string(good), item));
  }
  for (const char* bad : {"'a'b'=1", "a b=1", "'x'=1seconds", "'x'=", "'x'=1;;;;;"}) {
    INFO(bad);
    CHECK_FALSE(std::regex_match(std::string(bad), item));
  }
}

TEST_CASE("nagios: the exit status is the plugin's state and the output follows the guidelines", "[report][nagios]") {
  Run expired = run_zw("zone -f nagios " + kExpired + " " + kEr);
  require_plugin_output(expired.out);
  CHECK(expired.status == 2);
  CHECK(first_line(expired.out).rfind("ZONEWARDEN CRITICAL - er.: ZONE_BOGUS ", 0) == 0);
  CHECK(expired.out.find("'er. signature_validity'=-") != std::string::npos);
  CHECK(expired.err.empty());

  Run valid = run_zw("zone -f nagios " + kValid + " " + kEr);
  require_plugin_output(valid.out);
  CHECK(valid.status == 0);  // its one finding is info, under the plugin's --fail-on warning
  CHECK(first_line(valid.out).rfind("ZONEWARDEN OK - er.: secure, a signature expires in 10d21h ", 0) == 0);
  CHECK(std::regex_search(valid.out, std::regex("'er\\. signature_validity'=[0-9]+s ")));

  Run unknown = run_zw("zone -f nagios " + kValid + " /nonexistent/missing.zone");
  require_plugin_output(unknown.out);
  CHECK(unknown.status == 3);
  CHECK(first_line(unknown.out).rfind("ZONEWARDEN UNKNOWN - /nonexistent/missing.zone: ", 0) == 0);

  Run usage = run_zw("zone -f nagios --no-such-option " + kEr);
  CHECK(usage.status == 3);
  CHECK(usage.out.rfind("ZONEWARDEN UNKNOWN - unknown option --no-such-option\n", 0) == 0);
}

TEST_CASE("nagios: -w and -c are the minimum remaining signature validity", "[report][nagios]") {
  Run plain = run_zw("zone -f nagios " + kValid + " " + kEr);
  REQUIRE(plain.status <= 1);
  Run warn = run_zw("zone -f nagios -w 3650d " + kValid + " " + kEr);
  require_plugin_output(warn.out);
  CHECK(warn.status == 1);
  CHECK(first_line(warn.out).rfind("ZONEWARDEN WARNING - er.: a signature expires in ", 0) == 0);
  CHECK(std::regex_search(warn.out, std::regex("'er\\. signature_validity'=[0-9]+s;315360000:; ")));
  Run crit = run_zw("zone -f nagios -w 3650d -c 3000d " + kValid + " " + kEr);
  require_plugin_output(crit.out);
  CHECK(crit.status == 2);
  CHECK(std::regex_search(crit.out, std::regex("signature_validity'=[0-9]+s;315360000:;259200000: ")));
  Run loose = run_zw("zone -f nagios -w 1s -c 1s " + kValid + " " + kEr);
  CHECK(loose.status == plain.status);
  CHECK(run_zw("zone -f nagios -w soon " + kEr).status == 3);
}

TEST_CASE("nagios: several zones name the worst first and count the zones per state", "[report][nagios]") {
  Run r = run_zw("zone -f nagios " + kValid + " " + kArab + " " + kEr + " " + kBadTtl);
  require_plugin_output(r.out);
  CHECK(r.status == 3);
  CHECK(first_line(r.out).rfind("ZONEWARDEN UNKNOWN - " + kBadTtl + ":", 0) == 0);
  CHECK(std::regex_search(first_line(r.out), std::regex(R"(\(worst of 3 zones: 1 UNKNOWN, .*\) \| )")));
  CHECK(r.out.find("'zones'=3;;;0") != std::string::npos);
  Run again = run_zw("zone -f nagios " + kValid + " " + kArab + " " + kEr + " " + kBadTtl);
  CHECK(again.out == r.out);
}

TEST_CASE("invoked as check_zonewarden the report is the plugin output", "[report][nagios][cli]") {
  Scratch dir("plugin");
  const auto link = dir.path("check_zonewarden");
  std::filesystem::create_symlink(ZW_BINARY, link);
  Run r = shell(link.string() + " zone " + kExpired + " " + kEr);
  require_plugin_output(r.out);
  CHECK(r.status == 2);
  Run text = shell(link.string() + " zone -f text " + kExpired + " " + kEr);
  CHECK(text.out.rfind("zonewarden zone: evaluated at", 0) == 0);
  Run usage = shell(link.string() + " --bogus");
  CHECK(usage.status == 3);
  CHECK(usage.out.find("ZONEWARDEN UNKNOWN - ") != std::string::npos);
  // Under the plugin name the default --fail-on is warning; it can still be set.
  Run fail_on = shell(link.string() + " zone --fail-on critical " + kExpired + " " + kEr);
  CHECK(fail_on.status == 2);  // RRSIG_EXPIRED is critical
}

TEST_CASE("the nagios writer on a run with no subjects and with a message holding '|'", "[report][nagios]") {
  zw::report::Run run;
  run.now = 1700000000;
  std::ostringstream empty;
  zw::report::write_nagios(empty, run, {});
  require_plugin_output(empty.str());
  CHECK(zw::report::nagios_status(run, {}) == 0);
  std::ostringstream err;
  zw::report::write_nagios_error(err, "a|b\nc");
  CHECK(err.str() == "ZONEWARDEN UNKNOWN - a/b c\n");
}

TEST_CASE("nagios for a live run: a zone no server answers is CRITICAL and a clean walk OK",
          "[report][nagios][check]") {
  const std::string captures = kSrc + "/test-vectors/capture/";
  Run dark = run_zw("check -f nagios --capture " + captures + "dark.capture");
  require_plugin_output(dark.out);
  CHECK(dark.status == 2);
  CHECK(first_line(dark.out).rfind("ZONEWARDEN CRITICAL - dark.svc.: ZONE_UNREACHABLE ", 0) == 0);
  Run clean = run_zw("check -f nagios --capture " + captures + "clean.capture");
  require_plugin_output(clean.out);
  CHECK(clean.status == 0);
  CHECK(first_line(clean.out).rfind("ZONEWARDEN OK - ", 0) == 0);
  CHECK(std::regex_search(first_line(clean.out), std::regex(R"(\(worst of ([0-9]+) zones: \1 OK\) \| )")));
}

TEST_CASE("nagios: among zones in the same state the one whose signature expires first is named", "[report][nagios]") {
  zw::report::Run run;
  run.now = 1700000000;
  for (const auto& [name, days] : {std::pair<const char*, int>{"late.", 10}, {"soon.", 2}, {"unsigned.", 0}}) {
    zw::report::Subject z;
    z.name = name;
    z.verdict = days ? zw::report::Verdict::Secure : zw::report::Verdict::Insecure;
    if (days) z.earliest_expiry = run.now + days * 86400;
    run.subjects.push_back(z);
  }
  std::ostringstream out;
  zw::report::write_nagios(out, run, {});
  require_plugin_output(out.str());
  CHECK(first_line(out.str()) ==
        "ZONEWARDEN OK - soon.: secure, a signature expires in 2d (2023-11-16T22:13:20Z) (worst of 3 zones: 3 OK) | "
        "'late. signature_validity'=864000s 'soon. signature_validity'=172800s 'critical'=0;;;0 'error'=0;;;0 "
        "'warning'=0;;;0 'notice'=0;;;0 'info'=0;;;0 'zones'=3;;;0");
  zw::report::WriteOptions warn;
  warn.warning = 3 * 86400;
  CHECK(zw::report::nagios_status(run, warn) == 1);
  warn.critical = 86400;
  CHECK(zw::report::nagios_status(run, warn) == 1);
  warn.critical = 7 * 86400;
  CHECK(zw::report::nagios_status(run, warn) == 2);
}

namespace {

// A run of `n` signed zones, zone i's earliest signature expiring in i+1 days; the second one has an error.
zw::report::Run zones_run(std::size_t n) {
  zw::report::Run run;
  run.now = 1700000000;
  for (std::size_t i = 0; i < n; ++i) {
    zw::report::Subject z;
    z.name = "z" + std::to_string(i) + ".";
    z.verdict = zw::report::Verdict::Secure;
    z.earliest_expiry = run.now + static_cast<zw::core::EpochSeconds>((i + 1) * 86400);
    run.subjects.push_back(z);
  }
  zw::Finding f;
  f.code = zw::catalog::Code::RRSIG_MISSING;
  f.severity = zw::Severity::Error;
  f.zone = "z1.";
  f.owner = "www.z1.";
  f.type = "A";
  run.findings.push_back(f);
  run.exit = 2;
  return run;
}

std::string perfdata_of(const zw::report::Run& run, const zw::report::WriteOptions& opt) {
  std::ostringstream out;
  zw::report::write_nagios(out, run, opt);
  require_plugin_output(out.str());
  const std::string first = first_line(out.str());
  return first.substr(first.find(" | ") + 3);
}

}  // namespace

TEST_CASE("nagios --perfdata: one item per zone up to the documented number of zones, a summary above",
          "[report][nagios]") {
  using zw::report::Perfdata;
  const std::string summary_of_three =
      "'signature_validity'=86400s 'zones_ok'=2;;;0 'zones_warning'=0;;;0 'zones_critical'=1;;;0 "
      "'zones_unknown'=0;;;0 'critical'=0;;;0 'error'=1;;;0 'warning'=0;;;0 'notice'=0;;;0 'info'=0;;;0 "
      "'zones'=3;;;0";
  zw::report::WriteOptions opt;
  const zw::report::Run few = zones_run(3);
  CHECK(perfdata_of(few, opt).rfind("'z0. signature_validity'=86400s 'z1. signature_validity'=172800s ", 0) == 0);
  opt.perfdata = Perfdata::Summary;
  CHECK(perfdata_of(few, opt) == summary_of_three);
  opt.warning = 2 * 86400;
  opt.critical = 86400 / 2;
  CHECK(perfdata_of(few, opt).rfind("'signature_validity'=86400s;172800:;43200: 'zones_ok'=1;;;0 'zones_warning'=1;",
                                    0) == 0);

  // The default switches at kPerfdataZonesMax zones: the line no longer grows with the watch-list.
  opt = {};
  const zw::report::Run at_limit = zones_run(zw::report::kPerfdataZonesMax);
  const zw::report::Run above = zones_run(zw::report::kPerfdataZonesMax + 1);
  CHECK(perfdata_of(at_limit, opt).find("'z19. signature_validity'=") != std::string::npos);
  const std::string summary = perfdata_of(above, opt);
  CHECK(summary.find(". signature_validity'") == std::string::npos);
  CHECK(summary.rfind("'signature_validity'=86400s 'zones_ok'=20;;;0 'zones_warning'=0;;;0 'zones_critical'=1;;;0 ",
                      0) == 0);
  CHECK(summary.find("'zones'=21;;;0") != std::string::npos);
  CHECK(perfdata_of(zones_run(500), opt).size() == summary.size() + 2);  // 'zones_ok'=499, 'zones'=500
  opt.perfdata = Perfdata::Zones;
  CHECK(perfdata_of(above, opt).find("'z20. signature_validity'=1814400s") != std::string::npos);
}

TEST_CASE("nagios --perfdata on the command line", "[report][nagios][cli]") {
  Run summary = run_zw("zone -f nagios --perfdata summary " + kValid + " " + kEr);
  require_plugin_output(summary.out);
  CHECK(std::regex_search(first_line(summary.out),
                          std::regex(R"( \| 'signature_validity'=[0-9]+s 'zones_ok'=1;;;0 'zones_warning'=0;;;0 )")));
  Run zones = run_zw("zone -f nagios --perfdata zones " + kValid + " " + kEr);
  CHECK(zones.out.find("'er. signature_validity'=") != std::string::npos);
  CHECK(run_zw("zone -f nagios --perfdata all " + kEr).status == 3);
}
