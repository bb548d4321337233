// test_prometheus.cpp: the prometheus format read by Prometheus's own checker, `promtool check metrics`.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;

namespace {

// promtool reads the exposition on standard input and says nothing when it has nothing to say.
Run promtool(const Scratch& dir, const std::string& metrics) {
  REQUIRE(std::system("command -v promtool >/dev/null 2>&1") == 0);  // scripts/setup installs prometheus
  const std::string file = dir.put("metrics.prom", metrics);
  return shell("promtool check metrics <'" + file + "'");
}

}  // namespace

TEST_CASE("promtool accepts the metrics of zones checked and not checked", "[report][prometheus]") {
  Scratch dir("prometheus");
  Run r = run_zw("zone -f prometheus " + kExpired + " " + kEr + " " + kArab + " " + kBadTtl);
  CHECK(r.status == 3);
  Run lint = promtool(dir, r.out);
  INFO(r.out);
  INFO(lint.out);
  CHECK(lint.status == 0);
  CHECK(lint.out.empty());
  CHECK(r.out.find("zonewarden_last_run_timestamp_seconds 1780272000\n") != std::string::npos);
  CHECK(r.out.find("zonewarden_zone_status{zone=\"er.\"} 2\n") != std::string::npos);
  CHECK(r.out.find("zonewarden_zone_status{zone=\"" + kBadTtl + "\"} 3\n") != std::string::npos);
  CHECK(std::regex_search(r.out, std::regex(R"(zonewarden_zone_findings\{zone="er\.",severity="critical"\} [1-9])")));
  CHECK(std::regex_search(
      r.out, std::regex(R"(zonewarden_rrsig_earliest_expiry_timestamp_seconds\{zone="er\."\} 1[0-9]{9}\n)")));
  CHECK(std::regex_search(
      r.out, std::regex(R"(zonewarden_dnskey_info\{zone="er\.",tag="[0-9]+",algorithm="[0-9]+",flags="257"\} 1\n)")));
  // No address data in this run: no nameserver metric at all.
  CHECK(r.out.find("zonewarden_nameserver_asns") == std::string::npos);
  for (const char* family :
       {"zonewarden_last_run_timestamp_seconds", "zonewarden_zone_status", "zonewarden_zone_findings",
        "zonewarden_rrsig_earliest_expiry_timestamp_seconds", "zonewarden_dnskey_info"}) {
    INFO(family);
    CHECK(r.out.find(std::string("# HELP ") + family + " ") != std::string::npos);
    CHECK(r.out.find(std::string("# TYPE ") + family + " gauge\n") != std::string::npos);
  }
  CHECK(run_zw("zone -f prometheus " + kExpired + " " + kEr + " " + kArab + " " + kBadTtl).out == r.out);
}

TEST_CASE("promtool accepts nameserver AS counts and label values that need escaping", "[report][prometheus]") {
  Scratch dir("prometheus-asn");
  zw::report::Run run;
  run.now = 1700000000;
  zw::report::Subject a;
  a.name = "ex\"am\\ple.";
  a.verdict = zw::report::Verdict::Secure;
  a.nameserver_asns = 1;
  a.earliest_expiry = 1700100000;
  a.dnskeys = {{12345, 13, 257}, {23456, 13, 256}};
  zw::report::Subject b;
  b.name = "two.";
  b.verdict = zw::report::Verdict::Insecure;
  b.nameserver_asns = 2;
  run.subjects = {a, b};
  std::ostringstream out;
  zw::report::write_prometheus(out, run, {});
  Run lint = promtool(dir, out.str());
  INFO(out.str());
  INFO(lint.out);
  CHECK(lint.status == 0);
  CHECK(lint.out.empty());
  CHECK(out.str().find("zonewarden_nameserver_asns{zone=\"ex\\\"am\\\\ple.\"} 1\n") != std::string::npos);
  CHECK(out.str().find("zonewarden_nameserver_asns{zone=\"two.\"} 2\n") != std::string::npos);
  CHECK(out.str().find(
            "zonewarden_dnskey_info{zone=\"ex\\\"am\\\\ple.\",tag=\"23456\",algorithm=\"13\",flags=\"256\"} 1\n") !=
        std::string::npos);
  // A broken exposition is rejected: the check can fail.
  CHECK(promtool(dir, "zonewarden_zone_status{zone=\"a\" 1\n").status != 0);
}

TEST_CASE("promtool accepts the metrics of a live run", "[report][prometheus][check]") {
  Scratch dir("prometheus-live");
  Run r = run_zw("check -f prometheus --capture " + kSrc + "/test-vectors/capture/dark.capture");
  CHECK(r.status == 2);
  Run lint = promtool(dir, r.out);
  INFO(lint.out);
  CHECK(lint.status == 0);
  CHECK(lint.out.empty());
  CHECK(r.out.find("zonewarden_zone_status{zone=\"dark.svc.\"} 2\n") != std::string::npos);
  CHECK(r.out.find("zonewarden_zone_findings{zone=\"dark.svc.\",severity=\"critical\"} 1\n") != std::string::npos);
}

TEST_CASE("promtool accepts the nameserver AS count of the root zone from the bundled address extract",
          "[report][prometheus][asn]") {
  Scratch dir("prometheus-root");
  Run r = run_zw("zone -f prometheus --asn-source " + kSrc + "/zones/asn/asn-extract.csv --now 2026-08-05 " + kSrc +
                 "/zones/root/root-2026073102.zone.gz");
  CHECK(r.status == 0);
  Run lint = promtool(dir, r.out);
  INFO(lint.out);
  CHECK(lint.status == 0);
  CHECK(lint.out.empty());
  CHECK(std::regex_search(r.out, std::regex(R"(\nzonewarden_nameserver_asns\{zone="\."\} [1-9][0-9]*\n)")));
}
