// test_bind_corpus.cpp: BIND 9's named-checkzone DNSSEC test zones (bin/tests/system/checkzone) run through
// `zonewarden zone`, with named-checkzone's verdict per row mapped to ours; disagreements are asserted as documented.
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_util.hpp"

namespace {

using zw::Severity;
using zw::catalog::Code;

const std::string kDir = std::string(ZW_SOURCE_DIR) + "/test-vectors/bind/";
/// The signed files (warn.deprecated.*) carry signatures valid 2025-06-30 .. 2090-12-31.
const std::string kNow = "2026-11-23T00:00:00Z";

struct TsvRow {
  std::string file, command, expect, message;
};

std::vector<TsvRow> read_tsv() {
  std::ifstream in(kDir + "expected.tsv");
  REQUIRE(in);
  std::vector<TsvRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    REQUIRE(f.size() >= 3);
    f.resize(5);
    rows.push_back({f[0], f[1], f[2], f[3]});
  }
  return rows;
}

/// Why a row is not compared, or empty when it is.
std::string skip_reason(const TsvRow& r) {
  if (r.file == "bad-cname-and-dsync.db") return "DSYNC (type 66) is not a type the loader knows";
  if (r.file.rfind("bad-nsec3", 0) == 0 || r.file.rfind("good-nsec3", 0) == 0) {
    return "NSEC3 hash padding/length syntax: a later NSEC3 issue";
  }
  return {};
}

/// One compared row: named-checkzone's verdict ("ok", "warn", "fail"), the codes its message maps to, and ours.
struct Expect {
  std::string file;
  std::string bind;          ///< ok / warn / fail
  std::vector<Code> mapped;  ///< fail: one at severity >= error; warn: one at severity >= warning
  std::vector<Code> family;  ///< ok: none of these at severity >= error
  std::string ours;          ///< our verdict: "error", "warning" or "clean"
  bool agree;
};

const std::vector<Code> kCdsFamily = {Code::CDS_CDNSKEY_MISMATCH};

/// Every compared row. "agree = false" rows are listed with their reason in test-vectors/bind/README.md.
const std::vector<Expect> kExpect = {
    // named-checkzone does not validate signatures (dnssec-verify does); zonewarden sees a DNSKEY RRset and no
    // RRSIG at all and reports ZONE_UNSIGNED_APEX, RRSIG_MISSING and ZONE_BOGUS.
    {"good-cdnskey.db", "ok", {}, kCdsFamily, "error", false},
    {"good-cds-unsigned.db", "ok", {}, kCdsFamily, "warning", true},
    {"good-cds.db", "ok", {}, kCdsFamily, "error", false},
    {"bad-cdnskey.db", "fail", kCdsFamily, {}, "error", true},
    {"bad-cds.db", "fail", kCdsFamily, {}, "error", true},
    // A DS at a name without NS breaks no resolution: DS_NOT_AT_DELEGATION is a warning (the .sl zone has four);
    // our verdict is an error only through the unsigned-zone findings.
    {"bad-ds.db", "fail", {Code::DS_NOT_AT_DELEGATION}, {}, "error", false},
    {"bad-ds-2.db", "fail", {Code::DS_NOT_AT_DELEGATION}, {}, "error", false},
    {"bad-cname-and-cdnskey.db", "fail", {Code::CNAME_AND_OTHER_DATA}, {}, "error", true},
    {"bad-cname-and-cds.db", "fail", {Code::CNAME_AND_OTHER_DATA}, {}, "error", true},
    {"bad-cname-and-zonemd.db", "fail", {Code::CNAME_AND_OTHER_DATA}, {}, "error", true},
    // RFC 2181 §10.1 allows KEY beside a CNAME (BIND 9.18 accepts the file too).
    {"bad-cname-and-key.db", "fail", {Code::CNAME_AND_OTHER_DATA}, {}, "clean", false},
    {"warn.deprecated.rsasha1.db", "warn", {Code::ALGORITHM_DEPRECATED}, {}, "warning", true},
    {"warn.deprecated.nsec3rsasha1.db", "warn", {Code::ALGORITHM_DEPRECATED}, {}, "warning", true},
    // The CDS becomes the DS set: RFC 8624 §3.3 applies (DS_DIGEST_SHA1, warning).
    {"warn.deprecated.cds-sha1.db", "warn", {Code::DS_DIGEST_SHA1}, {}, "warning", true},
    // Delegation DS with a SHA-1 digest: DS_DIGEST_SHA1 at notice (the child's choice, chain.cpp policy).
    {"warn.deprecated.digest-sha1.db", "warn", {Code::DS_DIGEST_SHA1}, {}, "clean", false},
    // Delegation DS naming algorithm 5: only prohibited/unknown DS algorithms are reported.
    {"warn.deprecated.ds-alg.db", "warn", {Code::ALGORITHM_DEPRECATED}, {}, "clean", false},
    // A KEY record (type 25, SIG(0)/RFC 2535), not a DNSKEY: outside zonewarden's scope.
    {"warn.deprecated.key-alg.db", "warn", {Code::ALGORITHM_DEPRECATED}, {}, "clean", false},
};

bool check_row(const Expect& e) {
  INFO("file " << e.file << " (named-checkzone: " << e.bind << ")");
  const auto r = zw::corpus::run_zone(kDir + e.file, "example", kNow);
  const std::string ours = zw::corpus::verdict(r);
  const auto errors = zw::corpus::codes_at_or_above(r, Severity::Error);
  const auto warnings = zw::corpus::codes_at_or_above(r, Severity::Warning);
  INFO("ours: " << ours << ", codes >= warning: " << zw::corpus::join(warnings));
  CHECK(ours == e.ours);
  bool agree = false;
  auto any_mapped = [&](Severity min) {
    for (Code c : e.mapped) {
      if (zw::corpus::has_code(r, c, min)) return true;
    }
    return false;
  };
  if (e.bind == "fail") {
    agree = ours == "error" && any_mapped(Severity::Error);
  } else if (e.bind == "warn") {
    agree = ours == "warning" && any_mapped(Severity::Warning);
  } else {
    bool family_error = false;
    for (Code c : e.family) family_error = family_error || zw::corpus::has_code(r, c, Severity::Error);
    CHECK_FALSE(family_error);  // the CDS/CDNSKEY checks themselves accept every "ok" zone
    agree = ours != "error";
  }
  CHECK(agree == e.agree);
  CHECK_FALSE(zw::corpus::has_code(r, Code::RRSIG_EXPIRED, Severity::Info));
  CHECK_FALSE(zw::corpus::has_code(r, Code::RRSIG_NOT_YET_VALID, Severity::Info));
  std::cout << "[corpus] bind " << e.file << ": bind=" << e.bind << " ours=" << ours
            << " codes>=warning=" << zw::corpus::join(warnings) << " agree=" << (agree ? "yes" : "NO") << "\n";
  return agree;
}

}  // namespace

TEST_CASE("BIND 9 checkzone corpus: named-checkzone's verdicts against ours", "[corpus][bind]") {
  const auto rows = read_tsv();
  REQUIRE(rows.size() == 22);
  std::map<std::string, const Expect*> by_file;
  for (const Expect& e : kExpect) by_file[e.file] = &e;
  std::size_t compared = 0, agreed = 0, skipped = 0;
  std::set<std::string> used;
  for (const TsvRow& row : rows) {
    INFO("TSV row " << row.file << " " << row.expect << " '" << row.message << "'");
    const std::string why = skip_reason(row);
    auto it = by_file.find(row.file);
    if (!why.empty()) {
      CHECK(it == by_file.end());
      std::cout << "[corpus] bind skip " << row.file << " (" << row.expect << "): " << why << "\n";
      ++skipped;
      continue;
    }
    REQUIRE(it != by_file.end());
    CHECK(it->second->bind == row.expect);
    used.insert(row.file);
    ++compared;
    if (check_row(*it->second)) ++agreed;
  }
  CHECK(used.size() == kExpect.size());
  std::cout << "[corpus] bind total: " << rows.size() << " TSV rows, " << skipped << " skipped, " << compared
            << " compared, " << agreed << " agree, " << compared - agreed << " documented disagreements\n";
}
