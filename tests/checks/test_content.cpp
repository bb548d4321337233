// test_content.cpp: the content rules every zone gate has (CNAME beside other data, data below a DNAME), and the
// severity conditions the catalogue states (stale signatures beside current ones), on small zones and the vectors.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "pipeline/zone_job.hpp"
#include "zone/loader.hpp"

namespace {

using zw::Finding;
using zw::Severity;
using zw::catalog::Code;

/// Runs every registered check over a zone (signed or not) given as text, at the vectors' time.
std::vector<Finding> check_text(const std::string& text) {
  zw::zone::Zone z = zw::zone::load_zone_text(text, "t.zone", {});
  zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z);
  zw::checks::CheckInput in;
  in.options.now = zw::core::parse_time("2026-01-01T00:00:00Z", 0);
  zw::checks::ZoneContext ctx;
  ctx.name = zw::core::name_to_text(z.origin);
  ctx.zone = &z;
  ctx.analysis = &a;
  in.zones.push_back(ctx);
  return zw::checks::run_checks(in, {});
}

std::vector<const Finding*> with_code(const std::vector<Finding>& fs, Code c) {
  std::vector<const Finding*> out;
  for (const Finding& f : fs) {
    if (f.code == c) out.push_back(&f);
  }
  return out;
}

const std::string kHead =
    "$ORIGIN t.\n@ 3600 IN SOA ns1 admin 1 7200 3600 1209600 3600\n@ NS ns1.other.example.\n"
    "@ NS ns2.other.example.\n";

/// Runs a vector of test-vectors/zone/ with its --ds and --previous files.
zw::report::Run run_vector(const std::string& rel, const std::vector<std::string>& ds = {},
                           const std::vector<std::string>& previous = {}) {
  const std::string dir = std::string(ZW_SOURCE_DIR) + "/test-vectors/zone/";
  zw::pipeline::ZoneJob job;
  job.files = {dir + rel};
  job.origin = "example.";
  for (const auto& d : ds) job.ds_files.push_back(dir + d);
  for (const auto& p : previous) job.previous_files.push_back(dir + p);
  job.options.now = zw::core::parse_time("2026-01-01T00:00:00Z", 0);
  return zw::pipeline::run_zone_job(job);
}

std::vector<Severity> severities(const zw::report::Run& r, Code c) {
  std::vector<Severity> out;
  for (const Finding& f : r.findings) {
    if (f.code == c) out.push_back(f.severity);
  }
  return out;
}

std::string read_vector(const std::string& rel) {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/zone/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("CNAME_AND_OTHER_DATA: a CNAME beside other data, or a second CNAME", "[content]") {
  auto other = check_text(kHead + "www CNAME host.other.example.\nwww TXT \"x\"\nwww A 192.0.2.1\n");
  auto found = with_code(other, Code::CNAME_AND_OTHER_DATA);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->owner == "www.t.");
  CHECK(found[0]->severity == Severity::Error);
  CHECK(found[0]->param("detail") == "other-data");
  CHECK(found[0]->param("types") == "A TXT");

  auto two = check_text(kHead + "www CNAME a.other.example.\nwww CNAME b.other.example.\n");
  found = with_code(two, Code::CNAME_AND_OTHER_DATA);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->param("detail") == "multiple-cname");
  CHECK(found[0]->param("types") == "CNAME");

  // At the apex, SOA and NS are other data too.
  auto apex = check_text(kHead + "@ CNAME elsewhere.example.\n");
  CHECK(with_code(apex, Code::CNAME_AND_OTHER_DATA).size() == 1);

  // DNSSEC types and KEY may stand beside a CNAME (RFC 4035 §2.5, RFC 2181 §10.1); a lone CNAME is fine.
  auto allowed = check_text(kHead +
                            "www CNAME host.other.example.\n"
                            "www NSEC zz.t. CNAME RRSIG NSEC\n"
                            "www KEY 256 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n"
                            "ok CNAME www.t.\n");
  CHECK(with_code(allowed, Code::CNAME_AND_OTHER_DATA).empty());

  // Below a delegation the data is the child's (glue), not this zone's.
  auto glue = check_text(kHead + "sub NS ns.sub.t.\nns.sub A 192.0.2.9\nx.sub CNAME a.b.\nx.sub TXT \"child\"\n");
  CHECK(with_code(glue, Code::CNAME_AND_OTHER_DATA).empty());
}

TEST_CASE("DATA_BELOW_DNAME: records below a DNAME owner, not below a DNAME at a delegation", "[content]") {
  auto below =
      check_text(kHead + "dn DNAME example.net.\nwww.dn A 192.0.2.1\nx.y.dn TXT \"deep\"\nother A 192.0.2.2\n");
  auto found = with_code(below, Code::DATA_BELOW_DNAME);
  REQUIRE(found.size() == 2);
  std::set<std::string> owners;
  for (const Finding* f : found) {
    owners.insert(f->owner);
    CHECK(f->param("dname") == "dn.t.");
    CHECK(f->severity == Severity::Error);
  }
  CHECK(owners == std::set<std::string>{"www.dn.t.", "x.y.dn.t."});

  // RFC 6672 §2.3: a DNAME beside NS at a delegation is occluded by the delegation; the names below are glue.
  auto cut = check_text(kHead + "sub NS ns.sub.t.\nsub DNAME example.net.\nns.sub A 192.0.2.9\n");
  CHECK(with_code(cut, Code::DATA_BELOW_DNAME).empty());
  // A DNAME with nothing below it is fine.
  auto alone = check_text(kHead + "dn DNAME example.net.\n");
  CHECK(with_code(alone, Code::DATA_BELOW_DNAME).empty());
}

TEST_CASE("RRSIG_EXPIRED is a warning beside a current valid signature, an error alone", "[content][timing]") {
  auto beside = run_vector("timing/rrsig-expired-beside-valid.zone");
  CHECK(severities(beside, Code::RRSIG_EXPIRED) == std::vector<Severity>{Severity::Warning});
  auto alone = run_vector("timing/rrsig-expired.zone");
  CHECK(severities(alone, Code::RRSIG_EXPIRED) == std::vector<Severity>{Severity::Error});
  auto dnskey = run_vector("outcome/dnskey-rrsig-expired.zone");
  CHECK(severities(dnskey, Code::RRSIG_EXPIRED) == std::vector<Severity>{Severity::Error});
}

TEST_CASE("RRSIG_NOT_YET_VALID is a warning beside a current valid signature of the same algorithm",
          "[content][timing]") {
  // The vector's only www A signature starts tomorrow: an error. Beside it, the current signature by the same ZSK over
  // the same data (taken from rrsig-expired-beside-valid): a warning.
  const std::string early = read_vector("timing/rrsig-not-yet-valid.zone");
  auto alone = check_text(early);
  REQUIRE(with_code(alone, Code::RRSIG_NOT_YET_VALID).size() == 1);
  CHECK(with_code(alone, Code::RRSIG_NOT_YET_VALID)[0]->severity == Severity::Error);

  std::string current;
  std::istringstream lines(read_vector("timing/rrsig-expired-beside-valid.zone"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("www.example.", 0) == 0 &&
        line.find("RRSIG\tA 8 2 3600 20260129000000 20251225000000") != std::string::npos) {
      current = line + "\n";
    }
  }
  REQUIRE_FALSE(current.empty());
  auto beside = check_text(early + current);
  REQUIRE(with_code(beside, Code::RRSIG_NOT_YET_VALID).size() == 1);
  CHECK(with_code(beside, Code::RRSIG_NOT_YET_VALID)[0]->severity == Severity::Warning);
}

TEST_CASE("an apex RRset without RRSIG is RRSIG_MISSING beside ZONE_UNSIGNED_APEX", "[content][signature]") {
  auto r = run_vector("signature/zone-unsigned-apex.zone");
  CHECK(severities(r, Code::ZONE_UNSIGNED_APEX).size() == 1);
  CHECK(severities(r, Code::RRSIG_MISSING) == std::vector<Severity>{Severity::Error});
  CHECK(severities(r, Code::ZONE_BOGUS).size() == 1);
}

TEST_CASE("a second complete NSEC3 chain is NSEC3_CHAIN_EXTRA, not NSEC3_PARAM_MISMATCH", "[content][denial]") {
  auto r = run_vector("denial/nsec3-chain-extra.zone");
  CHECK(severities(r, Code::NSEC3_CHAIN_EXTRA) == std::vector<Severity>{Severity::Notice});
  CHECK(severities(r, Code::NSEC3_PARAM_MISMATCH).empty());
  CHECK(severities(r, Code::NSEC3_CHAIN_BROKEN).empty());
  // A second chain with a record missing is a fragment, not a finished chain: the error stays.
  std::string text = read_vector("denial/nsec3-chain-extra.zone");
  const auto at = text.find(" aabbccdd ");
  REQUIRE(at != std::string::npos);
  const auto line_start = text.rfind('\n', at) + 1;
  const std::string owner = text.substr(line_start, text.find('\t', line_start) - line_start);
  std::string cut;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(owner, 0) != 0) cut += line + "\n";
  }
  auto fragment = check_text(cut);
  CHECK(with_code(fragment, Code::NSEC3_CHAIN_EXTRA).empty());
  CHECK_FALSE(with_code(fragment, Code::NSEC3_PARAM_MISMATCH).empty());
  // An NSEC3PARAM that names no chain stays the error.
  auto differs = run_vector("denial/nsec3-param-differs.zone");
  CHECK_FALSE(severities(differs, Code::NSEC3_PARAM_MISMATCH).empty());
  CHECK(severities(differs, Code::NSEC3_CHAIN_EXTRA).empty());
}

TEST_CASE("DNSSEC removed between versions: error, critical with the DS still published", "[content][history]") {
  auto plain = run_vector("history/dnssec-removed.zone", {}, {"history/dnssec-removed-previous.zone"});
  CHECK(severities(plain, Code::ZONE_DNSSEC_REMOVED) == std::vector<Severity>{Severity::Error});
  CHECK(severities(plain, Code::UNSIGN_BEFORE_DS_REMOVED).empty());

  auto ds = run_vector("history/dnssec-removed-ds-published.zone", {"history/dnssec-removed-ds-published.ds"},
                       {"history/dnssec-removed-ds-published-previous.zone"});
  CHECK(severities(ds, Code::ZONE_DNSSEC_REMOVED) == std::vector<Severity>{Severity::Critical});
  CHECK(severities(ds, Code::UNSIGN_BEFORE_DS_REMOVED) == std::vector<Severity>{Severity::Critical});
  CHECK(severities(ds, Code::ZONE_BOGUS).size() == 1);
  CHECK(zw::checks::exit_status(ds.findings, Severity::Error) == 2);
}
