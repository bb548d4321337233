// test_vectors.cpp: runs every one-defect zone in test-vectors/zone/ and checks the codes its header expects.
//
// Header lines (DESIGN.md §4):
//   ; zw-vector: description            ; zw-origin: example.          ; zw-now: 2026-01-01T00:00:00Z
//   ; zw-expect: CODE ...                (every listed code must be reported: the defect the vector shows)
//   ; zw-allow: CODE ...                 (codes that may also be reported, below warning: the facts every vector
//                                          zone shares, such as NS_SINGLE_DOMAIN for its in-zone nameservers)
//   ; zw-forbid: CODE ...                (no listed code may be reported, whatever its severity)
//   ; zw-args: --ds FILE -k FILE --previous FILE --keys DIR --max-shrink PCT --min-validity DUR --max-validity DUR
//              --asn-source FILE (address data; without it, none)
//              OTHER-ZONE-FILE ...
// Every reported code must be listed: in zw-expect, or in zw-allow when it is below warning.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "catalog/detail_cases.hpp"
#include "core/error.hpp"
#include "infra/address_data.hpp"
#include "pipeline/zone_job.hpp"
#include "vectors/rollover_sequences.hpp"
#include "vectors/vector_header.hpp"

namespace fs = std::filesystem;
using zw::test::job_for;
using zw::test::read_header;
using zw::test::Vector;

namespace {

std::vector<fs::path> vector_files() {
  std::vector<fs::path> out;
  // One-defect zones, the zones that go with the key directories of test-vectors/keydirs/, and the zones real
  // signers wrote (test-vectors/signers/).
  for (const char* folder : {"zone", "keydirs", "signers"}) {
    fs::path root = fs::path(ZW_SOURCE_DIR) / "test-vectors" / folder;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_regular_file() && e.path().extension() == ".zone") {
        // Second zones of multi-zone vectors carry no header of their own.
        if (read_header(e.path()).has_expect) out.push_back(e.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every one-defect vector reports exactly its expected codes", "[vectors]") {
  auto files = vector_files();
  REQUIRE(files.size() >= 40);
  std::set<std::string> expected_anywhere;
  for (const fs::path& p : files) {
    Vector v = read_header(p);
    for (const auto& c : v.expect) expected_anywhere.insert(c);
    DYNAMIC_SECTION(fs::relative(p, fs::path(ZW_SOURCE_DIR) / "test-vectors").string()) {
      zw::report::Run r = zw::pipeline::run_zone_job(job_for(v));
      std::set<std::string> reported;
      std::set<std::string> unexpected;
      for (const zw::Finding& f : r.findings) {
        std::string code(zw::catalog::name(f.code));
        reported.insert(code);
        // An incidental code may be allowed only below warning: a warning or worse is always a listed defect.
        const bool allowed = v.allow.count(code) && f.severity < zw::Severity::Warning;
        if (!v.expect.count(code) && !allowed)
          unexpected.insert(code + "(" + std::string(zw::severity_name(f.severity)) + ")");
      }
      for (const std::string& c : v.expect) {
        INFO("vector " << p.filename().string() << " must report " << c);
        CHECK(reported.count(c) == 1);
      }
      for (const std::string& c : v.forbid) {
        INFO("vector " << p.filename().string() << " must not report " << c);
        CHECK(reported.count(c) == 0);
      }
      std::string extra;
      for (const auto& c : unexpected) extra += c + " ";
      INFO("vector " << p.filename().string() << " reported unexpected codes: " << extra);
      CHECK(unexpected.empty());
    }
  }
}

TEST_CASE("every expected or forbidden code of a vector exists in the catalogue", "[vectors]") {
  std::size_t forbidding = 0;
  for (const fs::path& p : vector_files()) {
    Vector v = read_header(p);
    for (const std::string& c : v.expect) {
      INFO(p.filename().string() << ": " << c);
      CHECK(zw::catalog::find(c).has_value());
    }
    for (const std::string& c : v.forbid) {
      INFO(p.filename().string() << ": zw-forbid " << c);
      CHECK(zw::catalog::find(c).has_value());
      CHECK(v.expect.count(c) == 0);
    }
    for (const std::string& c : v.allow) {
      INFO(p.filename().string() << ": zw-allow " << c);
      CHECK(zw::catalog::find(c).has_value());
      CHECK(v.expect.count(c) == 0);
      CHECK(v.forbid.count(c) == 0);
    }
    forbidding += v.forbid.empty() ? 0 : 1;
  }
  CHECK(forbidding >= 5);
}

namespace {

constexpr const char* kProofCase = "tests/dnssec/test_denial_proof.cpp shows it (no capture vectors yet)";

/// Detail tokens and severity conditions no vector shows, each with the test that does (or why none can yet).
const std::map<std::string, std::string> kTokensOutsideVectors = {
    {"KEY_ENCODING_INVALID detail=rejected", "OpenSSL refusing a well-formed key: no known input does"},
    {"VALIDATION_BUDGET_EXCEEDED detail=bytes",
     "64 MiB of signed data over one RRset needs a huge zone: tests/dnssec/test_budget.cpp shows it"},
    {"NSEC_CHAIN_BROKEN detail=malformed", "the loader refuses NSEC RDATA that does not parse, at its line"},
    {"ZONEMD_INVALID detail=truncated", "the loader refuses ZONEMD RDATA shorter than 6 octets, at its line"},
    {"RESPONSE_TOO_LARGE when=tcp-answers", "measured live only: tests/live/test_check_lab.cpp shows it"},
    // A live code: capture vectors will show these; until then the proof's own tests do, token by token.
    {"DENIAL_PROOF_INVALID detail=no-denial-records", kProofCase},
    {"DENIAL_PROOF_INVALID detail=malformed-record", kProofCase},
    {"DENIAL_PROOF_INVALID detail=nsec3-params-inconsistent", kProofCase},
    {"DENIAL_PROOF_INVALID detail=nsec3-iterations-over-cap", kProofCase},
    {"DENIAL_PROOF_INVALID detail=qname-not-covered", kProofCase},
    {"DENIAL_PROOF_INVALID detail=nxdomain-name-exists", kProofCase},
    {"DENIAL_PROOF_INVALID detail=ancestor-delegation", kProofCase},
    {"DENIAL_PROOF_INVALID detail=wildcard-not-denied", kProofCase},
    {"DENIAL_PROOF_INVALID detail=wildcard-not-closest", kProofCase},
    {"DENIAL_PROOF_INVALID detail=nodata-type-present", kProofCase},
    {"DENIAL_PROOF_INVALID detail=nodata-cname-present", kProofCase},
    {"DENIAL_PROOF_INVALID detail=no-matching-record", kProofCase},
    {"DENIAL_PROOF_INVALID detail=wildcard-type-present", kProofCase},
    {"DENIAL_PROOF_INVALID detail=no-closest-encloser", kProofCase},
    {"DENIAL_PROOF_INVALID detail=next-closer-not-covered", kProofCase},
    {"DENIAL_PROOF_INVALID detail=next-closer-not-opt-out", kProofCase},
    {"DENIAL_PROOF_INVALID detail=delegation-bitmap-wrong", kProofCase},
};

}  // namespace

TEST_CASE("every detail token and severity condition is shown by a vector or listed with its test",
          "[vectors][catalog]") {
  // Only the vectors that report a code with detail tokens or conditions are run again; the small zones of
  // tests/catalog/detail_cases.hpp show the rest (each checked there).
  std::set<std::string> shown;
  std::set<std::string> by_cases;
  for (const zw::test::DetailCase& c : zw::test::detail_case_list()) by_cases.insert(c.token);
  for (const fs::path& p : vector_files()) {
    Vector v = read_header(p);
    bool relevant = false;
    for (const std::string& c : v.expect) {
      auto code = zw::catalog::find(c);
      relevant =
          relevant || (code && (!zw::catalog::details(*code).empty() || !zw::catalog::conditions(*code).empty()));
    }
    if (!relevant) continue;
    for (const zw::Finding& f : zw::pipeline::run_zone_job(job_for(v)).findings) {
      const std::string code(zw::catalog::name(f.code));
      if (!zw::catalog::details(f.code).empty()) shown.insert(code + " detail=" + f.param("detail"));
      if (!f.condition.empty()) shown.insert(code + " when=" + std::string(f.condition));
    }
  }
  // The rollover sequences, step by step.
  for (const fs::path& dir : zw::test::sequence_dirs()) {
    for (const zw::test::StepRun& run : zw::test::run_sequence(dir)) {
      for (const zw::Finding& f : run.run.findings) {
        const std::string code(zw::catalog::name(f.code));
        if (!zw::catalog::details(f.code).empty()) shown.insert(code + " detail=" + f.param("detail"));
        if (!f.condition.empty()) shown.insert(code + " when=" + std::string(f.condition));
      }
    }
  }
  std::set<std::string> declared;
  for (const zw::catalog::Entry& e : zw::catalog::all()) {
    for (const auto& d : zw::catalog::details(e.code))
      declared.insert(std::string(e.name) + " detail=" + std::string(d.token));
    for (const auto& c : zw::catalog::conditions(e.code))
      declared.insert(std::string(e.name) + " when=" + std::string(c.token));
  }
  for (const std::string& t : declared) {
    INFO(t << ": shown by no vector or detail case, or by one of them and also listed in kTokensOutsideVectors");
    CHECK((shown.count(t) + by_cases.count(t) + kTokensOutsideVectors.count(t)) == 1);
  }
  for (const auto& [t, why] : kTokensOutsideVectors) {
    INFO(t << " (" << why << ")");
    CHECK(declared.count(t) == 1);
    CHECK(shown.count(t) + by_cases.count(t) == 0);  // a vector or a case shows it now: take it off the list
  }
}
