// test_denial.cpp: the authenticated-denial checks on RFC 5155 Appendix A, the real ccTLD and root zones, Knot's
// NSEC/NSEC3 semantic-check rows and small built zones (opt-out threshold, listing cap, NSEC3 owner form).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "checks/denial_support.hpp"
#include "core/codec.hpp"
#include "core/name.hpp"
#include "core/time.hpp"
#include "dnssec/nsec3.hpp"
#include "pipeline/zone_job.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

namespace {

using zw::test::denial_only;
using zw::test::hashed;

using zw::Finding;
using zw::Severity;
using zw::catalog::Code;

const std::string kSource = std::string(ZW_SOURCE_DIR) + "/";

zw::report::Run run(const std::string& file, const std::string& origin, const std::string& now,
                    std::vector<std::string> anchors = {}) {
  zw::pipeline::ZoneJob job;
  job.files = {kSource + file};
  job.origin = origin;
  job.anchor_files = std::move(anchors);
  job.options.now = zw::core::parse_time(now, 0);
  return zw::pipeline::run_zone_job(job);
}

bool is_denial(Code c) {
  return zw::catalog::entry(c).area == "denial";
}

/// Names of the denial-area codes reported (any severity).
std::set<std::string> denial_codes(const std::vector<Finding>& findings) {
  std::set<std::string> out;
  for (const Finding& f : findings) {
    if (is_denial(f.code)) out.insert(std::string(zw::catalog::name(f.code)));
  }
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
  return out.empty() ? "-" : out;
}

const Finding* find(const std::vector<Finding>& findings, Code c) {
  for (const Finding& f : findings) {
    if (f.code == c) return &f;
  }
  return nullptr;
}

std::size_t count(const std::vector<Finding>& findings, Code c) {
  std::size_t n = 0;
  for (const Finding& f : findings) n += f.code == c ? 1 : 0;
  return n;
}

const std::string kHead =
    "$ORIGIN example.\n$TTL 3600\n"
    "@ SOA ns1.provider.net. hostmaster 1 7200 3600 1209600 3600\n"
    "@ NS ns1.provider.net.\n@ NS ns2.provider.net.\n"
    "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n";

/// An NSEC3 zone (0 iterations, no salt) whose names are all one label below the apex: the apex plus each
/// (label, types) pair; labels whose types are exactly "NS" are unsigned delegations, left out of the chain when
/// `optout` is set (the flag is then set on every record).
std::string nsec3_zone(const std::vector<std::pair<std::string, std::string>>& names, bool optout) {
  std::string text = kHead + "@ NSEC3PARAM 1 0 0 -\n";
  std::vector<std::pair<std::string, std::string>> chain = {{hashed("example."), "NS SOA RRSIG DNSKEY NSEC3PARAM"}};
  for (const auto& [label, types] : names) {
    std::istringstream ts(types);
    for (std::string t; ts >> t;) {
      if (t == "A") text += label + " A 192.0.2.1\n";
      if (t == "NS") text += label + " NS ns1.provider.net.\n";
      if (t == "TXT") text += label + " TXT x\n";
    }
    bool insecure = types == "NS";
    if (optout && insecure) continue;
    chain.emplace_back(hashed(label + ".example."), insecure ? types : types + " RRSIG");
  }
  std::sort(chain.begin(), chain.end());
  for (std::size_t i = 0; i < chain.size(); ++i) {
    text += chain[i].first + " NSEC3 1 " + (optout ? "1" : "0") + " 0 - " + chain[(i + 1) % chain.size()].first + " " +
            chain[i].second + "\n";
  }
  return text;
}

std::vector<std::pair<std::string, std::string>> delegations(std::size_t n, const std::string& prefix = "d") {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(prefix + std::to_string(i), "NS");
  return out;
}

}  // namespace

TEST_CASE("RFC 5155 Appendix A: a complete opt-out NSEC3 chain with the RFC's parameters", "[denial]") {
  auto r = run("test-vectors/kat/rfc5155-appendix-a.zone", "example.", "2010-01-01T00:00:00Z");
  INFO("denial codes: " << join(denial_codes(r.findings)));
  // No chain, bitmap, parameter or TTL finding: the ring, both ENTs (w, y.w), the signed delegation a. and the
  // opted-out unsigned delegation c. are all correct.
  CHECK(denial_codes(r.findings) ==
        std::set<std::string>{"NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"});
  const Finding* it = find(r.findings, Code::NSEC3_ITERATIONS_NONZERO);
  REQUIRE(it);
  CHECK(it->param("iterations") == "12");
  CHECK(it->severity == Severity::Warning);
  CHECK(it->type == "NSEC3PARAM");
  CHECK(count(r.findings, Code::NSEC3_ITERATIONS_NONZERO) == 1);  // once per zone, not per record
  const Finding* salt = find(r.findings, Code::NSEC3_SALT_PRESENT);
  REQUIRE(salt);
  CHECK(salt->param("salt") == "AABBCCDD");
  CHECK(count(r.findings, Code::NSEC3_SALT_PRESENT) == 1);
  const Finding* optout = find(r.findings, Code::NSEC3_OPTOUT_UNJUSTIFIED);
  REQUIRE(optout);
  CHECK(optout->param("delegations") == "1");  // c.example. only
  CHECK(optout->severity == Severity::Notice);
  // The RFC's example keys: 512-bit RSA, algorithm 7 (RSASHA1-NSEC3-SHA1).
  CHECK(count(r.findings, Code::KEY_RSA_TOO_SHORT) == 2);
  CHECK(count(r.findings, Code::ALGORITHM_DEPRECATED) == 2);
}

TEST_CASE("RFC 5155 Appendix A with one NSEC3 removed or edited", "[denial]") {
  std::ifstream in(kSource + "test-vectors/kat/rfc5155-appendix-a.zone");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string zone = ss.str();

  SECTION("the NSEC3 of the empty non-terminal w.example. is missing") {
    // k8udemvp… = H(w.example); the record and its signature are the 8 lines from its owner.
    std::string text = zone;
    auto at = text.find("k8udemvp1j2f7eg6jebps17vp3n8i58h.example. NSEC3");
    REQUIRE(at != std::string::npos);
    auto end = text.find("kohar7mbb8dc2ce8a9qvl8hon4k53uhi.example.", at);
    text.erase(at, end - at);
    auto f = denial_only(text);
    CHECK(count(f, Code::NSEC3_CHAIN_BROKEN) == 2);  // w.example has no NSEC3; ji6neoae… points to its hash
    bool ent = false;
    for (const Finding& x : f) {
      ent = ent || (x.code == Code::NSEC3_CHAIN_BROKEN && x.param("detail") == "ent-missing" &&
                    x.param("name") == "w.example.");
    }
    CHECK(ent);
  }
  SECTION("an NSEC3 owner two labels below the apex is a chain error") {
    std::string text = zone +
                       "x.0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd "
                       "2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n";
    auto f = denial_only(text);
    const Finding* b = find(f, Code::NSEC3_CHAIN_BROKEN);
    REQUIRE(b);
    CHECK(b->param("detail") == "owner-not-below-apex");
  }
  SECTION("an NSEC3 owner label that is not a 20-octet base32hex hash is a chain error") {
    std::string text = zone + "notahash.example. NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n";
    auto f = denial_only(text);
    const Finding* b = find(f, Code::NSEC3_CHAIN_BROKEN);
    REQUIRE(b);
    CHECK(b->param("detail") == "owner-not-hash");
  }
}

TEST_CASE("opt-out is justified from 1000 unsigned delegations that are the majority of names", "[denial]") {
  // One signed name (www) beside the delegations.
  auto zone_with = [](std::size_t unsigned_delegations, std::size_t other_names) {
    auto names = delegations(unsigned_delegations);
    for (std::size_t i = 0; i < other_names; ++i) names.emplace_back("h" + std::to_string(i), "A");
    return nsec3_zone(names, true);
  };
  auto unjustified = [](const std::vector<Finding>& f) { return find(f, Code::NSEC3_OPTOUT_UNJUSTIFIED); };
  auto f999 = denial_only(zone_with(999, 1));
  REQUIRE(unjustified(f999));
  CHECK(unjustified(f999)->param("delegations") == "999");
  CHECK(denial_codes(f999) == std::set<std::string>{"NSEC3_OPTOUT_UNJUSTIFIED"});
  auto f1000 = denial_only(zone_with(1000, 1));
  CHECK(denial_codes(f1000).empty());
  // 1000 unsigned delegations among 2001 names are not the majority.
  auto fhalf = denial_only(zone_with(1000, 1000));
  REQUIRE(unjustified(fhalf));
  CHECK(denial_codes(fhalf) == std::set<std::string>{"NSEC3_OPTOUT_UNJUSTIFIED"});
  // Without opt-out the same delegations carry NSEC3 records and nothing is reported.
  CHECK(denial_codes(denial_only(nsec3_zone(delegations(20), false))).empty());
}

TEST_CASE("an unsigned delegation may have an NSEC3 under opt-out, with an NS-only bitmap", "[denial]") {
  auto names = delegations(3);
  std::string text = nsec3_zone(names, true);
  // Add d1's NSEC3 back into the ring (RFC 5155 §7.1: unsigned delegations MAY have one).
  const std::string apex = hashed("example.");
  const std::string d1 = hashed("d1.example.");
  std::string edited;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(apex + " NSEC3", 0) == 0) {
      edited += apex + " NSEC3 1 1 0 - " + d1 + " NS SOA RRSIG DNSKEY NSEC3PARAM\n";
      edited += d1 + " NSEC3 1 1 0 - " + apex + " NS\n";
    } else {
      edited += line + "\n";
    }
  }
  auto f = denial_only(edited);
  CHECK(denial_codes(f) == std::set<std::string>{"NSEC3_OPTOUT_UNJUSTIFIED"});
  // The same record with RRSIG in its bitmap is wrong: the delegation's NS RRset is not signed.
  auto at = edited.find(d1 + " NSEC3 1 1 0 - " + apex + " NS\n");
  REQUIRE(at != std::string::npos);
  edited.replace(at, (d1 + " NSEC3 1 1 0 - " + apex + " NS\n").size(), d1 + " NSEC3 1 1 0 - " + apex + " NS RRSIG\n");
  auto g = denial_only(edited);
  const Finding* b = find(g, Code::NSEC_BITMAP_MISMATCH);
  REQUIRE(b);
  CHECK(b->owner == "d1.example.");
  CHECK(b->param("extra") == "RRSIG");
  CHECK(b->param("missing") == "none");
}

TEST_CASE("every broken link is reported: JSON keeps them all, text summarises", "[denial]") {
  std::string text = kHead + "@ NSEC example. NS SOA RRSIG NSEC DNSKEY\n";
  for (int i = 0; i < 1100; ++i) text += "h" + std::to_string(i) + " A 192.0.2.1\n";
  auto f = denial_only(text);
  // 1100 names without NSEC and the apex NSEC closing too early.
  CHECK(count(f, Code::NSEC_CHAIN_BROKEN) == 1101);
}

TEST_CASE("signed zones without any NSEC or NSEC3, and mixed zones", "[denial]") {
  auto none = denial_only(kHead);
  CHECK(denial_codes(none) == std::set<std::string>{"DENIAL_MISSING"});
  // An unsigned zone needs no denial records.
  CHECK(denial_only("$ORIGIN example.\n@ 3600 SOA ns1 h 1 2 3 4 5\n@ 3600 NS ns1.provider.net.\n").empty());
  // An NSEC chain plus a stray NSEC3PARAM (no NSEC3 records): the mix is reported once; the NSEC chain, the one
  // servers can use, is checked and is correct.
  auto mixed = denial_only(kHead + "@ NSEC example. NS SOA RRSIG NSEC DNSKEY NSEC3PARAM\n@ NSEC3PARAM 1 0 0 -\n");
  CHECK(denial_codes(mixed) == std::set<std::string>{"NSEC3_PARAM_MISMATCH"});
}

TEST_CASE("real ccTLD transfers: only the RFC 9276 policy findings of .fj and .xn--wgbh1c", "[denial][realdata]") {
  auto fj = run("zones/tld/FJ.zone.gz", "", "20241011163831");
  CHECK(denial_codes(fj.findings) == std::set<std::string>{"NSEC3_ITERATIONS_NONZERO", "NSEC3_SALT_PRESENT"});
  const Finding* it = find(fj.findings, Code::NSEC3_ITERATIONS_NONZERO);
  REQUIRE(it);
  CHECK(it->param("iterations") == "5");
  const Finding* salt = find(fj.findings, Code::NSEC3_SALT_PRESENT);
  REQUIRE(salt);
  CHECK(salt->param("salt") == "9F2844DF1E60A1B7");

  // The Egyptian IDN ccTLD: NSEC3 without opt-out, 0 iterations, an 8-octet salt; NSEC3 TTL 900 = SOA MINIMUM.
  auto eg = run("zones/tld/XN--WGBH1C.zone", "", "20241011180543");
  CHECK(denial_codes(eg.findings) == std::set<std::string>{"NSEC3_SALT_PRESENT"});

  const std::map<std::string, std::string> nsec_zones = {
      {"zones/tld/ARPA.zone", "20241011161057"},
      {"zones/tld/ER.zone", "20241011163511"},
      {"zones/tld/XN--54B7FTA0CC.zone", "20241011175253"},
      {"zones/tld/SL.zone.gz", "20241011173344"},
  };
  for (const auto& [file, now] : nsec_zones) {
    INFO(file);
    CHECK(denial_codes(run(file, "", now).findings).empty());
  }
}

TEST_CASE("NSEC3 checking time on the .fj zone", "[denial][realdata]") {
  zw::zone::LoadOptions lo;
  const zw::zone::Zone z = zw::zone::load_zone_file(kSource + "zones/tld/FJ.zone.gz", lo);
  const zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z, false);
  zw::checks::CheckInput in;
  zw::checks::ZoneContext ctx;
  ctx.name = "fj.";
  ctx.zone = &z;
  ctx.analysis = &a;
  in.zones.push_back(ctx);
  zw::FindingSink sink;
  const auto t0 = std::chrono::steady_clock::now();
  zw::checks::check_denial(in, sink);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  auto f = sink.take();
  CHECK(denial_codes(f) == std::set<std::string>{"NSEC3_ITERATIONS_NONZERO", "NSEC3_SALT_PRESENT"});
  std::cout << "[denial] fj.: " << z.records.size() << " records, " << z.names.size() << " names, NSEC3 check " << ms
            << " ms\n";
}

TEST_CASE("all eight root-zone snapshots have a correct NSEC chain", "[denial][realdata][root]") {
  const std::string ds = kSource + "zones/root/root-anchors.ds";
  const std::map<std::string, std::string> snapshots = {
      {"root-2014071301.zone.gz", "20140715000000"},      {"root-2017082100.zone.gz", "20170825000000"},
      {"root-2019010300.zone.gz", "20190108000000"},      {"root-2019012200.zone.gz", "20190128000000"},
      {"root-2019033102.zone.gz", "20190405000000"},      {"root-2023051100.zone.gz", "20230515000000"},
      {"root-2024101100.axfr.zone.gz", "20241011160628"}, {"root-2026073102.zone.gz", "20260805000000"},
  };
  for (const auto& [file, now] : snapshots) {
    INFO(file);
    auto r = run("zones/root/" + file, "", now, {ds});
    CHECK(denial_codes(r.findings).empty());
  }
}

namespace {

/// One Knot 3.2.6 NSEC/NSEC3 row and what zonewarden reports for it.
struct KnotRow {
  std::string file;
  std::string knot;              ///< "error" or "correct"
  Code mapped;                   ///< error rows: the code Knot's message maps to (severity error)
  std::set<std::string> denial;  ///< every denial-area code we report (any severity)
};

// DENIAL_TTL_WRONG, NSEC3_ITERATIONS_NONZERO, NSEC3_SALT_PRESENT and NSEC3_OPTOUT_UNJUSTIFIED beside the mapped code
// are policy findings Knot does not check: its zones were dumped by Knot 2.x/3.1 before RFC 9077 (NSEC TTL = SOA
// MINIMUM 86400 while the SOA TTL is 3600) and use 10 iterations, a salt and opt-out as pre-RFC 9276 defaults.
const std::vector<KnotRow> kKnotRows = {
    // "inconsistent NSEC(3) chain" / "missing NSEC(3) record" in NSEC zones
    {"nsec_broken_chain_01.signed", "error", Code::NSEC_CHAIN_BROKEN, {"NSEC_CHAIN_BROKEN", "DENIAL_TTL_WRONG"}},
    {"nsec_broken_chain_02.signed", "error", Code::NSEC_CHAIN_BROKEN, {"NSEC_CHAIN_BROKEN", "DENIAL_TTL_WRONG"}},
    {"nsec_missing.signed", "error", Code::NSEC_CHAIN_BROKEN, {"NSEC_CHAIN_BROKEN", "DENIAL_TTL_WRONG"}},
    // www's NSEC RRset holds two records (one pointing to itself): "missing NSEC(3) record" for Knot.
    {"nsec_multiple.signed", "error", Code::NSEC_CHAIN_BROKEN, {"NSEC_CHAIN_BROKEN", "DENIAL_TTL_WRONG"}},
    // mail.example.com. owns only an RRSIG (over an NSEC that is not there): a name of the zone without NSEC.
    {"missing.signed", "error", Code::NSEC_CHAIN_BROKEN, {"NSEC_CHAIN_BROKEN"}},
    // "wrong NSEC(3) bitmap"
    {"nsec_wrong_bitmap_01.signed", "error", Code::NSEC_BITMAP_MISMATCH, {"NSEC_BITMAP_MISMATCH", "DENIAL_TTL_WRONG"}},
    {"nsec_wrong_bitmap_02.signed", "error", Code::NSEC_BITMAP_MISMATCH, {"NSEC_BITMAP_MISMATCH", "DENIAL_TTL_WRONG"}},
    {"nsec3_wrong_bitmap_01.signed",
     "error",
     Code::NSEC_BITMAP_MISMATCH,
     {"NSEC_BITMAP_MISMATCH", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    {"nsec3_wrong_bitmap_02.signed",
     "error",
     Code::NSEC_BITMAP_MISMATCH,
     {"NSEC_BITMAP_MISMATCH", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    // The unsigned delegation's NSEC3 lists RRSIG because its NS and glue were (wrongly) signed.
    {"delegation.signed", "error", Code::NSEC_BITMAP_MISMATCH, {"NSEC_BITMAP_MISMATCH", "NSEC3_ITERATIONS_NONZERO"}},
    // NSEC3 chains
    {"nsec3_missing.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    // deleg. has a DS, so it needs an NSEC3 even though one record of the chain has the opt-out flag.
    {"nsec3_ds.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED"}},
    // "wrong NSEC3 opt-out": zzz. (unsigned) has no NSEC3 and the record covering it has no opt-out flag.
    {"nsec3_optout.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    {"nsec3_chain_01.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    {"nsec3_chain_02.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    {"nsec3_chain_03.signed",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO"}},
    // The ENT ent.example.com. has no NSEC3 although deleg1 below it has one (so it is not "only derived from
    // an insecure delegation covered by an Opt-Out NSEC3 RR").
    {"nsec3_optout_ent.invalid",
     "error",
     Code::NSEC3_CHAIN_BROKEN,
     {"NSEC3_CHAIN_BROKEN", "NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"}},
    // "invalid flags in NSEC3PARAM" (flags 4) and "missing NSEC(3) record": the two NSEC3 records use different
    // parameters (algorithm 4 and iterations 15), so the apex and dns1 have none with the chain's.
    {"nsec3_param_invalid.signed",
     "error",
     Code::NSEC3_PARAM_MISMATCH,
     {"NSEC3_PARAM_MISMATCH", "NSEC3_CHAIN_BROKEN", "DENIAL_TTL_WRONG", "NSEC3_ITERATIONS_NONZERO",
      "NSEC3_OPTOUT_UNJUSTIFIED"}},
    // correct rows: no chain, bitmap or parameter finding
    {"no_error_delegation_bitmap.signed", "correct", Code::DENIAL_MISSING, {"DENIAL_TTL_WRONG"}},
    {"no_error_nsec3_optout.signed",
     "correct",
     Code::DENIAL_MISSING,
     {"NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"}},
    // Opt-out ENT with an NSEC3 (one delegation below it has one): valid.
    {"nsec3_optout_ent.valid",
     "correct",
     Code::DENIAL_MISSING,
     {"NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"}},
    // Opt-out ENT without an NSEC3 (both delegations below it are opted out): valid (BIND's way).
    {"nsec3_optout_ent.all",
     "correct",
     Code::DENIAL_MISSING,
     {"NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"}},
    // Apex DNAME: everything else is occluded; the NSEC3 owner names are not.
    {"dname_apex_nsec3.signed",
     "correct",
     Code::DENIAL_MISSING,
     {"NSEC3_ITERATIONS_NONZERO", "NSEC3_OPTOUT_UNJUSTIFIED", "NSEC3_SALT_PRESENT"}},
};

bool nsec_row(const std::string& mode, const std::string& message) {
  if (mode != "error") return false;
  return message.find("NSEC") != std::string::npos || message.find("opt-out") != std::string::npos ||
         message.find("bitmap") != std::string::npos;
}

}  // namespace

TEST_CASE("Knot 3.2.6 NSEC/NSEC3 semantic-check rows: our mapped code or no chain finding", "[denial][knot]") {
  const std::string dir = kSource + "test-vectors/knot/";
  // Every NSEC/NSEC3 error row of the TSV must be in the table.
  std::ifstream tsv(dir + "expected-v3.2.6.tsv");
  REQUIRE(tsv);
  std::set<std::string> table;
  for (const KnotRow& k : kKnotRows) table.insert(k.file);
  std::string line;
  std::size_t tsv_rows = 0;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cells.push_back(c);
    REQUIRE(cells.size() >= 6);
    if (!nsec_row(cells[1], cells[5])) continue;
    ++tsv_rows;
    INFO("TSV row " << cells[0] << " '" << cells[5] << "'");
    CHECK(table.count(cells[0]) == 1);
  }
  CHECK(tsv_rows == 19);  // nsec3_param_invalid.signed has two rows

  std::size_t agree = 0;
  for (const KnotRow& k : kKnotRows) {
    INFO("file " << k.file << " (Knot: " << k.knot << ")");
    auto r = run("test-vectors/knot/semantic_check_data-v3.2.6/" + k.file, "example.com", "2026-11-23T00:00:00Z");
    const auto codes = denial_codes(r.findings);
    INFO("our denial codes: " << join(codes));
    CHECK(codes == k.denial);
    bool ok = false;
    if (k.knot == "error") {
      for (const Finding& f : r.findings) ok = ok || (f.code == k.mapped && f.severity >= Severity::Error);
    } else {
      ok = true;
      for (const Finding& f : r.findings) ok = ok && !(is_denial(f.code) && f.severity >= Severity::Error);
    }
    CHECK(ok);
    agree += ok ? 1 : 0;
    std::cout << "[denial] knot " << k.file << ": knot=" << k.knot << " ours=" << join(codes)
              << " agree=" << (ok ? "yes" : "NO") << "\n";
  }
  std::cout << "[denial] knot total: " << kKnotRows.size() << " files, " << agree << " agree\n";
}

namespace {

/// A synthetic signed zone "example." with `n` single-label names (A) and a correct NSEC or NSEC3 chain, built in
/// memory (no signatures: analyse(…, false) only marks it signed).
zw::zone::Zone synthetic_zone(std::size_t n, bool nsec3) {
  using namespace std::string_literals;
  const std::string origin = "\x07"s + "example" + "\0"s;
  zw::zone::ZoneBuilder b(origin);
  const zw::zone::SourceRef src{0, 1};
  const std::string soa = "\x03ns1"s + origin + "\x02hm"s + origin + std::string(16, '\x01') + "\x00\x00\x0e\x10"s;
  b.add(origin, zw::zone::rrtype::SOA, 1, 3600, soa, src);
  b.add(origin, zw::zone::rrtype::NS, 1, 3600, "\x03ns1"s + origin, src);
  b.add(origin, zw::zone::rrtype::DNSKEY, 1, 3600, "\x01\x01\x03\x0d"s + std::string(64, '\x42'), src);
  std::vector<std::string> labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string label = "h" + std::to_string(i);
    labels[i] = static_cast<char>(label.size()) + label;
    b.add(labels[i] + origin, zw::zone::rrtype::A, 1, 3600, "\xc0\x00\x02\x01"s, src);
  }
  const std::string a_bitmap = "\x00\x06\x40\x00\x00\x00\x00\x02"s;  // A RRSIG
  if (!nsec3) {
    const std::string apex_bitmap = "\x00\x07\x22\x00\x00\x00\x00\x03\x80"s;  // NS SOA RRSIG NSEC DNSKEY
    std::sort(labels.begin(), labels.end(), [](const std::string& x, const std::string& y) {
      return x.substr(1) < y.substr(1);  // canonical order of single lower-case labels
    });
    b.add(origin, zw::zone::rrtype::NSEC, 1, 3600, labels.front() + origin + apex_bitmap, src);
    for (std::size_t i = 0; i < n; ++i) {
      std::string next = i + 1 < n ? labels[i + 1] + origin : origin;
      b.add(labels[i] + origin, zw::zone::rrtype::NSEC, 1, 3600, next + "\x00\x06\x40\x00\x00\x00\x00\x03"s, src);
    }
    return std::move(b).finish();
  }
  const std::string apex_bitmap = "\x00\x07\x22\x00\x00\x00\x00\x02\x90"s;  // NS SOA RRSIG DNSKEY NSEC3PARAM
  b.add(origin, zw::zone::rrtype::NSEC3PARAM, 1, 0, "\x01\x00\x00\x00\x00"s, src);
  std::vector<std::pair<std::string, bool>> hashes(n + 1);
  hashes[0] = {zw::dnssec::nsec3_hash(origin, "", 0), true};
  for (std::size_t i = 0; i < n; ++i) hashes[i + 1] = {zw::dnssec::nsec3_hash(labels[i] + origin, "", 0), false};
  std::sort(hashes.begin(), hashes.end());
  for (std::size_t i = 0; i <= n; ++i) {
    const std::string owner = "\x20"s + zw::core::base32hex_encode(hashes[i].first) + origin;
    std::string rd = "\x01\x00\x00\x00\x00\x14"s + hashes[(i + 1) % (n + 1)].first;
    rd += hashes[i].second ? apex_bitmap : a_bitmap;
    b.add(owner, zw::zone::rrtype::NSEC3, 1, 3600, rd, src);
  }
  return std::move(b).finish();
}

double denial_ms(const zw::zone::Zone& z, std::vector<Finding>& findings) {
  const zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z, false);
  zw::checks::CheckInput in;
  zw::checks::ZoneContext ctx;
  ctx.name = "example.";
  ctx.zone = &z;
  ctx.analysis = &a;
  in.zones.push_back(ctx);
  zw::FindingSink sink;
  const auto t0 = std::chrono::steady_clock::now();
  zw::checks::check_denial(in, sink);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  findings = sink.take();
  return ms;
}

}  // namespace

TEST_CASE("synthetic NSEC and NSEC3 zones are clean (small)", "[denial]") {
  for (bool nsec3 : {false, true}) {
    std::vector<Finding> f;
    denial_ms(synthetic_zone(500, nsec3), f);
    INFO((nsec3 ? "NSEC3" : "NSEC") << ": " << join(denial_codes(f)));
    CHECK(denial_codes(f).empty());
  }
}

TEST_CASE("denial check time on synthetic TLD-sized zones", "[.][denial][bench]") {
  // ZW_BENCH_NAMES (default 1000000) names; run with: zw_tests '[bench]'
  const char* env = std::getenv("ZW_BENCH_NAMES");
  const std::size_t n = env ? std::stoul(env) : 1000000;
  for (bool nsec3 : {false, true}) {
    const zw::zone::Zone z = synthetic_zone(n, nsec3);
    std::vector<Finding> f;
    const double ms = denial_ms(z, f);
    CHECK(denial_codes(f).empty());
    std::cout << "[denial] synthetic " << (nsec3 ? "NSEC3" : "NSEC") << ": " << z.names.size() << " names, "
              << z.records.size() << " records, check " << ms << " ms\n";
  }
}
