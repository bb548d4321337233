// test_keys.cpp: findings about many keys at once stay one per group, and their cost stays linear in the keys:
// KEYTAG_COLLISION per tag group, KEY_RSA_FACTORABLE per shared factor, CDS against CDNSKEY by digest lookup.
#include <gmp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/codec.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "dnssec/batch_gcd.hpp"
#include "keytrap_support.hpp"
#include "support.hpp"

using namespace zw;
using catalog::Code;

namespace {

std::vector<Finding> with_code(const std::vector<Finding>& all, Code code) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

checks::Options at_2026() {
  checks::Options o;
  o.now = core::make_epoch(2026, 1, 1, 0, 0, 0);
  return o;
}

/// The members listed in a KEYTAG_COLLISION's `keys` param ("; "-separated).
std::vector<std::string> members(const Finding& f) {
  std::vector<std::string> out;
  const std::string keys = f.param("keys");
  std::size_t start = 0;
  while (start <= keys.size()) {
    const std::size_t end = std::min(keys.find("; ", start), keys.size());
    out.push_back(keys.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

/// A signed-looking zone whose apex holds the given extra records.
zone::Zone zone_with(const std::string& records) {
  const std::string text =
      "$ORIGIN example.\n"
      "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
      "@ 3600 IN NS ns1\n"
      "ns1 3600 IN A 192.0.2.1\n" +
      records;
  zone::LoadOptions lo;
  return zone::load_zone_text(text, "keys.zone", lo);
}

/// `n` RSA-1024 public keys (exponent 65537) whose moduli p·q_i all share the prime p, as DNSKEY lines.
std::string shared_prime_keys(int n) {
  test::GmpRandom random(20261207);
  dnssec::Mpz p, q, modulus;
  mpz_urandomb(p.get(), random.get(), 512);
  mpz_setbit(p.get(), 511);
  mpz_nextprime(p.get(), p.get());
  std::string out;
  for (int i = 0; i < n; ++i) {
    mpz_urandomb(q.get(), random.get(), 512);
    mpz_setbit(q.get(), 511);
    mpz_nextprime(q.get(), q.get());
    mpz_mul(modulus.get(), p.get(), q.get());
    out += "@ 3600 IN DNSKEY 256 3 8 " + test::base64(std::string("\x03\x01\x00\x01", 4) + modulus.to_bytes()) + "\n";
  }
  return out;
}

/// The partners a KEY_RSA_FACTORABLE names in its `others` param: "A, B[, and N more]".
std::size_t partners_listed(const Finding& f) {
  const std::string others = f.param("others");
  std::size_t n = 1;
  for (std::size_t at = others.find(", key "); at != std::string::npos; at = others.find(", key ", at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("KEY_RSA_FACTORABLE: keys sharing a prime name a bounded list of the others", "[keys]") {
  const zone::Zone z = zone_with(shared_prime_keys(300));
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const auto hits = with_code(test::run_check(checks::check_key_sharing, z, a, at_2026()), Code::KEY_RSA_FACTORABLE);
  REQUIRE(hits.size() == 300);  // one per key: each DNSKEY record must go
  for (const Finding& f : hits) {
    INFO(f.param("others"));
    CHECK(f.param("detail") == "shared-prime");
    CHECK(f.param("others").starts_with("key "));
    CHECK(partners_listed(f) == 8);  // the first eight of its 299 partners
    // 299 partners, fewer names when two of them share a tag (one name, "key TAG of example.", for both)
    CHECK(std::regex_search(f.param("others"), std::regex(" of example\\., and 29[01] more$")));
  }
}

TEST_CASE("KEY_REUSED: one public key under many flags names a bounded list of the others", "[keys]") {
  // 300 DNSKEYs with one Ed25519 public key and 300 different flags values: each is reused by the 299 others.
  const std::string pub = test::base64(test::colliding_key(7, 4242));
  std::string records;
  for (int i = 0; i < 300; ++i) records += "@ 3600 IN DNSKEY " + std::to_string(256 + 2 * i) + " 3 15 " + pub + "\n";
  const zone::Zone z = zone_with(records);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const auto hits = with_code(test::run_check(checks::check_key_sharing, z, a, at_2026()), Code::KEY_REUSED);
  REQUIRE(hits.size() == 300);
  for (const Finding& f : hits) {
    INFO(f.param("other"));
    CHECK(std::regex_match(f.param("other"), std::regex("(example\\. flags [0-9]+, ){8}and 291 more")));
  }
}

TEST_CASE("CDS against CDNSKEY: each key digested once, each CDS looked up", "[keys]") {
  // 3,000 CDNSKEY and 3,000 CDS records: compared pairwise that is 9,000,000 digests.
  std::string records;
  for (int i = 0; i < 3000; ++i) {
    const std::string pub = test::bytes(static_cast<std::uint64_t>(i) + 5, 32);
    const std::string rdata = std::string("\x01\x00\x03\x0f", 4) + pub;
    const std::string key = test::base64(pub);
    const auto digest = dnssec::ds_digest(2,
                                          std::string("\x07"
                                                      "example\x00",
                                                      9),
                                          rdata);
    REQUIRE(digest);
    records += "@ 3600 IN DNSKEY 256 3 15 " + key + "\n@ 3600 IN CDNSKEY 256 3 15 " + key + "\n@ 3600 IN CDS " +
               std::to_string(dnssec::key_tag(rdata)) + " 15 2 " + core::hex_encode(*digest) + "\n";
  }
  const zone::Zone z = zone_with(records);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const auto start = std::chrono::steady_clock::now();
  const auto all = test::run_check(checks::check_cds, z, a, at_2026());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto mismatches = with_code(all, Code::CDS_CDNSKEY_MISMATCH);
  std::string details;
  for (const Finding& f : mismatches) details += f.param("keytag") + ": " + f.param("detail") + "\n";
  INFO(details);
  CHECK(mismatches.empty());  // every CDS has its CDNSKEY and its DNSKEY
  INFO(seconds << " s");
  CHECK(seconds < 4.0);  // linear: 0.1 s in release, 2 s under ASan on a loaded machine; quadratic: 5 s and more
}

TEST_CASE("KEYTAG_COLLISION: keys sharing a tag are one finding per tag group, not one per pair", "[keys]") {
  const zone::Zone z = test::keytrap(12, 0);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const auto hits = with_code(test::run_check(checks::check_keys, z, a, at_2026()), Code::KEYTAG_COLLISION);
  REQUIRE(hits.size() == 1);  // not the 66 pairs
  const Finding& f = hits[0];
  CHECK(f.severity == Severity::Warning);  // no key of the group signs
  CHECK(f.param("keytag") == "4242");
  CHECK(f.param("algorithm") == "15 (ED25519)");
  CHECK(f.param("count") == "12");
  const auto listed = members(f);
  REQUIRE(listed.size() == 9);  // the first eight, then how many more
  CHECK(listed.back() == "and 4 more");
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(listed[i].starts_with("key 4242 (flags 256, "));
    CHECK(listed[i].ends_with("..., published)"));
    if (i > 0) CHECK(listed[i - 1] != listed[i]);  // each key told apart from the others
  }
}
