// test_knot_corpus.cpp: Knot DNS 3.2.6's semantic-check corpus (tests/knot/semantic_check_data) run through
// `zonewarden zone`, with kzonecheck's verdict per row mapped to ours; disagreements are asserted as documented.
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

const std::string kDir = std::string(ZW_SOURCE_DIR) + "/test-vectors/knot/";
const std::string kData = kDir + "semantic_check_data-v3.2.6/";
/// Upstream runs kzonecheck without --time, and the signatures of every handled file except duplicate.signature
/// are valid from 2016-2021 to 2040-2084, so "now" is the corpus collection date.
const std::string kNow = "2026-11-23T00:00:00Z";

struct TsvRow {
  std::string file, mode, origin, fatal, count, message, note;
};

std::vector<TsvRow> read_tsv() {
  std::ifstream in(kDir + "expected-v3.2.6.tsv");
  REQUIRE(in);
  std::vector<TsvRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    REQUIRE(f.size() >= 6);
    f.resize(8);
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  return rows;
}

/// Why a row is not compared, or empty when it is.
std::string skip_reason(const TsvRow& r) {
  if (r.mode == "correct_no_dnssec") return "kzonecheck -d off (DNSSEC checks disabled); no zonewarden equivalent";
  const std::string& m = r.message;
  if (m.find("CNAME") != std::string::npos || m.find("DNAME") != std::string::npos) {
    return "CNAME/DNAME conflicts: not checked by zonewarden yet";
  }
  if (m.find("NSEC") != std::string::npos || m.find("opt-out") != std::string::npos ||
      m.find("bitmap") != std::string::npos) {
    return "NSEC/NSEC3 rows: checked with their mapped codes in tests/checks/test_denial.cpp";
  }
  return {};
}

/// One compared row: Knot's verdict, the zonewarden codes its message maps to, and what we assert about ours.
struct Expect {
  std::string file;
  std::string knot_mode;     ///< "error" or "correct"
  std::string now = kNow;    ///< --now
  std::vector<Code> mapped;  ///< error rows: one of these must be reported at severity error or critical
  std::size_t mapped_count;  ///< when > 0: number of findings with the (first) mapped code, as Knot's line count
  std::string ours;          ///< our verdict (corpus_util verdict()): "error", "warning" or "clean"
  bool agree;                ///< Knot's verdict and reason match ours
  bool in_window = true;     ///< --now lies inside every signature's validity window
};

const std::vector<Code> kNoValidSig = {Code::RRSIG_INVALID, Code::RRSIG_MISSING, Code::RRSIG_SIGNER_NAME_WRONG,
                                       Code::SIGNING_KEY_NOT_PUBLISHED, Code::RRSIG_NO_MATCHING_DNSKEY};
const std::vector<Code> kCds = {Code::CDS_CDNSKEY_MISMATCH};

/// Every compared row. "agree = false" rows are listed with their reason in test-vectors/knot/README.md.
const std::vector<Expect> kExpect = {
    // error rows
    {"ns_apex.missing", "error", kNow, {Code::NS_COUNT_LOW}, 0, "error", true},
    {"glue_apex_both.missing", "error", kNow, {Code::GLUE_MISSING}, 2, "error", true},
    {"glue_apex_one.missing", "error", kNow, {Code::GLUE_MISSING}, 1, "error", true},
    {"glue_besides.missing", "error", kNow, {Code::GLUE_MISSING}, 1, "error", true},
    {"glue_deleg.missing", "error", kNow, {Code::GLUE_MISSING}, 1, "error", true},
    {"glue_in_apex.missing", "error", kNow, {Code::GLUE_MISSING}, 1, "error", true},
    {"different_signer_name.signed", "error", kNow, kNoValidSig, 0, "error", true},
    {"no_rrsig.signed", "error", kNow, kNoValidSig, 0, "error", true},
    {"no_rrsig_with_delegation.signed", "error", kNow, kNoValidSig, 0, "error", true},
    // An RRSIG over an RRSIG: we warn (RRSIG_ON_NON_AUTHORITATIVE); the error verdict comes from its 512-bit keys.
    {"rrsig_signed.signed", "error", kNow, kNoValidSig, 0, "error", true},
    {"rrsig_rdata_ttl.signed", "error", kNow, kNoValidSig, 0, "error", true},
    {"duplicate.signature", "error", kNow, kNoValidSig, 0, "error", true, false},
    {"dnskey_param_error.signed",
     "error",
     kNow,
     {Code::DNSKEY_PROTOCOL_INVALID, Code::KEY_ENCODING_INVALID},
     0,
     "error",
     true},
    {"invalid_ds.signed",
     "error",
     kNow,
     {Code::DS_DIGEST_INVALID, Code::ALGORITHM_UNKNOWN, Code::ALGORITHM_PROHIBITED},
     2,
     "error",
     true},
    {"cdnskey.invalid", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.invalid.param", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.nocds", "error", kNow, kCds, 0, "warning", false},
    {"cdnskey.nocdnskey", "error", kNow, kCds, 0, "warning", false},
    {"cdnskey.nodnskey", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.orphan.cds", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.orphan.cdnskey", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.delete.invalid.cds", "error", kNow, kCds, 0, "error", true},
    {"cdnskey.delete.invalid.cdnskey", "error", kNow, kCds, 0, "error", true},
    // correct rows
    {"rrsig_ttl.signed", "correct", kNow, {}, 0, "warning", true},
    {"no_error_delegation_bitmap.signed", "correct", kNow, {}, 0, "warning", true},
    {"no_error_nsec3_optout.signed", "correct", kNow, {}, 0, "warning", true},
    {"glue_wildcard.valid", "correct", kNow, {}, 0, "error", false},
    {"glue_no_foreign.valid", "correct", kNow, {}, 0, "clean", true},
    {"glue_in_deleg.valid", "correct", kNow, {}, 0, "clean", true},
    {"cdnskey.cds", "correct", kNow, {}, 0, "warning", true},
    {"cdnskey.delete.both", "correct", kNow, {}, 0, "warning", true},
    {"dname_apex_nsec3.signed", "correct", kNow, {}, 0, "warning", true},
    {"nsec3_optout_ent.valid", "correct", kNow, {}, 0, "warning", true},
    {"nsec3_optout_ent.all", "correct", kNow, {}, 0, "warning", true},
};

/// Extra row, not in the TSV: duplicate.signature inside its signatures' 50-second window. The local kzonecheck
/// 3.2.6 (`kzonecheck -o example.com -t 20170403124330`) exits 0 there. The stale signature by an unpublished key sits
/// beside a current, valid one of the same algorithm: RRSIG_EXPIRED and RRSIG_NO_MATCHING_DNSKEY are warnings.
const Expect kDuplicateInWindow = {
    "duplicate.signature", "correct", "2017-04-03T12:43:30Z", {}, 0, "warning", true, false};

bool mapped_present(const zw::report::Run& r, const std::vector<Code>& mapped) {
  for (Code c : mapped) {
    if (zw::corpus::has_code(r, c, Severity::Error)) return true;
  }
  return false;
}

/// Checks one row; returns whether it agrees with Knot.
bool check_row(const Expect& e, const std::string& origin) {
  INFO("file " << e.file << " at " << e.now << " (Knot: " << e.knot_mode << ")");
  const auto r = zw::corpus::run_zone(kData + e.file, origin, e.now);
  const std::string ours = zw::corpus::verdict(r);
  const auto errors = zw::corpus::codes_at_or_above(r, Severity::Error);
  INFO("ours: " << ours << ", error codes: " << zw::corpus::join(errors));
  CHECK(ours == e.ours);
  bool agree = false;
  if (e.knot_mode == "error") {
    const bool present = mapped_present(r, e.mapped);
    agree = ours == "error" && present;
    if (e.mapped_count > 0) CHECK(zw::corpus::count_code(r, e.mapped.front()) == e.mapped_count);
  } else {
    agree = ours != "error";
  }
  CHECK(agree == e.agree);
  if (e.in_window) {
    CHECK_FALSE(zw::corpus::has_code(r, Code::RRSIG_EXPIRED, Severity::Info));
    CHECK_FALSE(zw::corpus::has_code(r, Code::RRSIG_NOT_YET_VALID, Severity::Info));
  }
  std::cout << "[corpus] knot " << e.file << " @" << e.now << ": knot=" << e.knot_mode << " ours=" << ours
            << " errors=" << zw::corpus::join(errors) << " agree=" << (agree ? "yes" : "NO") << "\n";
  return agree;
}

}  // namespace

TEST_CASE("Knot 3.2.6 semantic-check corpus: kzonecheck's verdicts against ours", "[corpus][knot]") {
  const auto rows = read_tsv();
  REQUIRE(rows.size() == 91);
  std::map<std::string, const Expect*> by_key;
  for (const Expect& e : kExpect) by_key[e.file + "|" + e.knot_mode] = &e;
  std::set<std::string> used;
  std::size_t compared = 0, agreed = 0, skipped = 0;
  for (const TsvRow& row : rows) {
    INFO("TSV row " << row.file << " " << row.mode << " '" << row.message << "'");
    const std::string why = skip_reason(row);
    auto it = by_key.find(row.file + "|" + row.mode);
    if (!why.empty()) {
      CHECK(it == by_key.end());
      std::cout << "[corpus] knot skip " << row.file << " (" << row.mode << ", '" << row.message << "'): " << why
                << "\n";
      ++skipped;
      continue;
    }
    REQUIRE(it != by_key.end());  // every DNSSEC-related row has a mapping
    REQUIRE(row.origin == "example.com");
    used.insert(it->first);
    ++compared;
    if (check_row(*it->second, row.origin)) ++agreed;
  }
  CHECK(used.size() == kExpect.size());  // no stale table entries
  ++compared;
  if (check_row(kDuplicateInWindow, "example.com")) ++agreed;
  std::cout << "[corpus] knot total: " << rows.size() << " TSV rows, " << skipped << " skipped, " << compared
            << " compared (incl. 1 extra in-window row), " << agreed << " agree, " << compared - agreed
            << " documented disagreements\n";
}
