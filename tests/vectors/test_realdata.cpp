// test_realdata.cpp: the verdicts on the real root-zone snapshots and ccTLD transfers bundled in zones/.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "pipeline/zone_job.hpp"

namespace {

const std::string kZones = std::string(ZW_SOURCE_DIR) + "/zones/";

zw::report::Run run(const std::string& file, const std::string& now, std::vector<std::string> anchors = {}) {
  zw::pipeline::ZoneJob job;
  job.files = {kZones + file};
  job.anchor_files = std::move(anchors);
  job.options.now = zw::core::parse_time(now, 0);
  return zw::pipeline::run_zone_job(job);
}

std::multiset<std::string> codes_at_or_above(const zw::report::Run& r, zw::Severity s) {
  std::multiset<std::string> out;
  for (const auto& f : r.findings) {
    if (f.severity >= s) out.insert(std::string(zw::catalog::name(f.code)));
  }
  return out;
}

bool has(const zw::report::Run& r, zw::catalog::Code c, const std::string& param = {}, const std::string& value = {}) {
  for (const auto& f : r.findings) {
    if (f.code == c && (param.empty() || f.param(param) == value)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("all eight root-zone snapshots verify without error or warning at their time", "[realdata][root]") {
  const std::string ds = kZones + "root/root-anchors.ds";
  const std::map<std::string, std::string> snapshots = {
      {"root-2014071301.zone.gz", "20140715000000"},      {"root-2017082100.zone.gz", "20170825000000"},
      {"root-2019010300.zone.gz", "20190108000000"},      {"root-2019012200.zone.gz", "20190128000000"},
      {"root-2019033102.zone.gz", "20190405000000"},      {"root-2023051100.zone.gz", "20230515000000"},
      {"root-2024101100.axfr.zone.gz", "20241011160628"}, {"root-2026073102.zone.gz", "20260805000000"},
  };
  for (const auto& [file, now] : snapshots) {
    SECTION(file) {
      auto r = run("root/" + file, now, {ds});
      REQUIRE(r.subjects.size() == 1);
      CHECK(r.subjects[0].chain == "trust-anchor");
      CHECK(r.subjects[0].signatures_verified == r.subjects[0].signatures);
      auto bad = codes_at_or_above(r, zw::Severity::Warning);
      std::string list;
      for (const auto& c : bad) list += c + " ";
      INFO("warnings or worse: " << list);
      CHECK(bad.empty());
      CHECK(zw::checks::exit_status(r.findings, zw::Severity::Warning) == 0);
    }
  }
}

TEST_CASE("root rollover states are recognised", "[realdata][root]") {
  const std::string ds = kZones + "root/root-anchors.ds";
  using zw::catalog::Code;
  // 2017: KSK-2017 (20326) pre-published, stand-by.
  auto r2017 = run("root/root-2017082100.zone.gz", "20170825000000", {ds});
  CHECK(has(r2017, Code::DNSKEY_STANDBY, "keytag", "20326"));
  // 2026: KSK-2024 (38696) pre-published.
  auto r2026 = run("root/root-2026073102.zone.gz", "20260805000000", {ds});
  CHECK(has(r2026, Code::DNSKEY_STANDBY, "keytag", "38696"));
  // 2019-01-22: KSK-2010 revoked (flags 385, tag 19164), signing the DNSKEY RRset as RFC 5011 §2.1 asks.
  auto r2019 = run("root/root-2019012200.zone.gz", "20190128000000", {ds});
  CHECK(has(r2019, Code::KEY_REVOKED_PRESENT, "keytag", "19164"));
  CHECK_FALSE(has(r2019, Code::KEY_REVOKED_MISUSED));
  CHECK_FALSE(has(r2019, Code::KEYTAG_COLLISION));
  // The IANA XML anchor (19036 valid only until 2019-01-11) gives the same verdict.
  auto xml = run("root/root-2019012200.zone.gz", "20190128000000", {kZones + "root/root-anchors.xml"});
  CHECK(codes_at_or_above(xml, zw::Severity::Warning).empty());
}

TEST_CASE("the 2026 root snapshot is bogus today", "[realdata][root]") {
  auto r = run("root/root-2026073102.zone.gz", "2026-11-23", {kZones + "root/root-anchors.ds"});
  CHECK(has(r, zw::catalog::Code::RRSIG_EXPIRED));
  CHECK(has(r, zw::catalog::Code::ZONE_BOGUS));
  CHECK(zw::checks::exit_status(r.findings, zw::Severity::Error) == 2);
}

TEST_CASE("the .fj transfer: signed glue and an in-domain nameserver without glue", "[realdata][tld]") {
  auto r = run("tld/FJ.zone.gz", "20241011163831");
  std::set<std::string> signed_glue;
  for (const auto& f : r.findings) {
    if (f.code == zw::catalog::Code::RRSIG_ON_NON_AUTHORITATIVE) signed_glue.insert(f.owner);
  }
  CHECK(signed_glue == std::set<std::string>{"ns1.kidanet.com.fj.", "ns2.kidanet.com.fj.", "ns1.unwired.com.fj.",
                                             "ns2.unwired.com.fj."});
  CHECK(has(r, zw::catalog::Code::GLUE_MISSING, "nameserver", "ssswztcfjilq.www.smc.ac.fj."));
  // The expired signatures on that glue are not validated data, so they are not reported as expired.
  CHECK_FALSE(has(r, zw::catalog::Code::RRSIG_EXPIRED));
  CHECK_FALSE(has(r, zw::catalog::Code::ZONE_BOGUS));
}

TEST_CASE("the .sl transfer uses a deprecated algorithm", "[realdata][tld]") {
  auto r = run("tld/SL.zone.gz", "20241011173344");
  CHECK(has(r, zw::catalog::Code::ALGORITHM_DEPRECATED));
  CHECK_FALSE(has(r, zw::catalog::Code::ZONE_BOGUS));
  CHECK_FALSE(has(r, zw::catalog::Code::RRSIG_INVALID));
  // Its four DS RRsets at names without NS break no resolution: warnings, so the zone's worst is a warning.
  std::size_t stray_ds = 0;
  for (const auto& f : r.findings) {
    if (f.code != zw::catalog::Code::DS_NOT_AT_DELEGATION) continue;
    ++stray_ds;
    CHECK(f.severity == zw::Severity::Warning);
  }
  CHECK(stray_ds == 4);
  CHECK(codes_at_or_above(r, zw::Severity::Error).empty());
  CHECK(zw::checks::exit_status(r.findings, zw::Severity::Error) == 0);
}

TEST_CASE("the other transfers verify without errors at their transfer time", "[realdata][tld]") {
  const std::map<std::string, std::string> zones = {
      {"tld/ARPA.zone", "20241011161057"},
      {"tld/ER.zone", "20241011163511"},
      {"tld/XN--WGBH1C.zone", "20241011180543"},
      {"tld/XN--54B7FTA0CC.zone", "20241011175253"},
      {"tld/root-servers.net.zone", "20241011183254"},
  };
  for (const auto& [file, now] : zones) {
    SECTION(file) {
      auto r = run(file, now);
      auto bad = codes_at_or_above(r, zw::Severity::Warning);
      // The Bangladesh IDN ccTLD's ZSK is a 1024-bit RSA key: a real weakness, reported as a warning.
      if (file == "tld/XN--54B7FTA0CC.zone") {
        CHECK(bad == std::multiset<std::string>{"KEY_RSA_TOO_SHORT"});
      } else {
        CHECK(bad.empty());
      }
    }
  }
}
