// test_budget.cpp: the work budgets of signature verification against KeyTrap (CVE-2023-50387): many keys sharing a
// tag, many signatures failing over one RRset, many valid signatures over a huge RRset; zones whose signatures verify
// are verified in full.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/handles.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "keytrap_support.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

using namespace zw;
using catalog::Code;
using dnssec::SigStatus;

using test::keytrap;

namespace {

const std::string kZones = ZW_SOURCE_DIR "/test-vectors/zone/";

std::vector<Finding> with_code(const std::vector<Finding>& all, Code code) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

std::string param(const Finding& f, const std::string& key) {
  for (const auto& [k, v] : f.params) {
    if (k == key) return v;
  }
  return {};
}

/// The correctly signed Ed25519 vector (KSK 1795, ZSK 19496), as text to add records to.
std::string clean_ed25519_text() {
  std::ifstream in(kZones + "clean/clean-ed25519-nsec.zone");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Tally {
  int valid = 0, unverified = 0;
};

/// The statuses of the signatures over `type`; the one by `valid_tag` must be valid.
Tally tally(const dnssec::ZoneAnalysis& a, std::uint16_t type, std::uint16_t valid_tag) {
  Tally t;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (!s.parsed || s.rrsig.type_covered != type) continue;
    if (s.rrsig.key_tag == valid_tag) CHECK(s.status == SigStatus::Valid);
    t.valid += s.status == SigStatus::Valid ? 1 : 0;
    t.unverified += s.status == SigStatus::Unverified ? 1 : 0;
  }
  return t;
}

checks::Options at_2026() {
  checks::Options o;
  o.now = core::make_epoch(2026, 1, 1, 0, 0, 0);
  return o;
}

}  // namespace

TEST_CASE("KeyTrap: many keys sharing a tag stop at the per-tag and per-RRset budgets", "[budget]") {
  const zone::Zone z = keytrap(40, 40);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  // 4 keys tried for each of the first 4 signatures, then the RRset's 16 failures are spent: 16 validations, not the
  // 1,600 of every key for every signature.
  CHECK(a.validations == 16);
  int unverified = 0;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.parsed && s.rrsig.type_covered == zone::rrtype::A) {
      CHECK(s.status == SigStatus::Unverified);  // never valid, never called invalid
      unverified += s.status == SigStatus::Unverified ? 1 : 0;
    }
  }
  CHECK(unverified == 40);
  const auto all = test::run_check(checks::check_signatures, z, a, at_2026());
  const auto budget = with_code(all, Code::VALIDATION_BUDGET_EXCEEDED);
  REQUIRE(budget.size() == 1);  // once per RRset, not once per signature
  CHECK(param(budget[0], "detail") == "keytag");
  CHECK(param(budget[0], "keytag") == "4242");
  CHECK(param(budget[0], "limit") == "4");
  CHECK(with_code(all, Code::RRSIG_INVALID).empty());
}

TEST_CASE("KeyTrap: a few colliding keys stop at the per-RRset budget", "[budget]") {
  const zone::Zone z = keytrap(3, 40);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  CHECK(a.validations == 16);  // 3 + 3 + 3 + 3 + 3 + 1
  int invalid = 0, unverified = 0;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (!s.parsed || s.rrsig.type_covered != zone::rrtype::A) continue;
    invalid += s.status == SigStatus::Invalid ? 1 : 0;
    unverified += s.status == SigStatus::Unverified ? 1 : 0;
  }
  CHECK(invalid == 5);  // every key tried: these fail, as before
  CHECK(unverified == 35);
  const auto budget =
      with_code(test::run_check(checks::check_signatures, z, a, at_2026()), Code::VALIDATION_BUDGET_EXCEEDED);
  REQUIRE(budget.size() == 1);
  CHECK(param(budget[0], "detail") == "rrset");
  CHECK(param(budget[0], "limit") == "16");
}

TEST_CASE("KeyTrap: the budgets are parameters", "[budget]") {
  const zone::Zone z = keytrap(6, 6);
  dnssec::VerifyBudget unlimited;
  unlimited.failures_per_rrset = 1000;
  unlimited.keys_per_tag = 1000;
  const dnssec::ZoneAnalysis a = dnssec::analyse(z, true, unlimited);
  CHECK(a.validations == 36);  // every key for every signature
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.parsed && s.rrsig.type_covered == zone::rrtype::A) CHECK(s.status == SigStatus::Invalid);
  }
}

TEST_CASE("KeyTrap: colliding keys cost at most 4 times the validations of the same data without the collision",
          "[budget]") {
  // The documented cap (zonewarden-zone(1) LIMITS): a signature tries at most 4 keys of its tag where, without the
  // collision, it has exactly one key to try; an RRset fails at most 16 validations either way.
  struct Size {
    int keys, sigs;
    std::size_t trap, control;
  };
  for (const Size& n :
       {Size{3, 3, 9, 3}, Size{6, 6, 16, 6}, Size{2, 40, 16, 16}, Size{40, 40, 16, 16}, Size{40, 400, 16, 16}}) {
    INFO(n.keys << " keys, " << n.sigs << " signatures");
    const zone::Zone trap = keytrap(n.keys, n.sigs);
    const zone::Zone control = keytrap(n.keys, n.sigs, 4242, false);
    const dnssec::ZoneAnalysis a = dnssec::analyse(trap);
    const dnssec::ZoneAnalysis b = dnssec::analyse(control);
    CHECK(a.validations == n.trap);
    CHECK(b.validations == n.control);
    CHECK(a.validations <= 4 * b.validations);
  }
  // Without the budget the same KeyTrap zone is every key for every signature.
  dnssec::VerifyBudget unlimited;
  unlimited.failures_per_rrset = 100000;
  unlimited.keys_per_tag = 100000;
  CHECK(dnssec::analyse(keytrap(40, 40), true, unlimited).validations == 1600);
}

TEST_CASE("Budgets leave zones whose signatures verify fully verified", "[budget]") {
  for (const char* file : {"signature/keytag-collision.zone", "signature/rrsig-invalid-beside-valid.zone",
                           "signature/signing-key-not-published.zone"}) {
    INFO(file);
    zone::LoadOptions lo;
    const zone::Zone z = zone::load_zone_file(kZones + file, lo);
    const dnssec::ZoneAnalysis a = dnssec::analyse(z);
    dnssec::VerifyBudget unlimited;
    unlimited.failures_per_rrset = 1u << 30;
    unlimited.keys_per_tag = 1u << 30;
    const dnssec::ZoneAnalysis full = dnssec::analyse(z, true, unlimited);
    CHECK(a.validations == full.validations);
    REQUIRE(a.sigs.size() == full.sigs.size());
    for (std::size_t i = 0; i < a.sigs.size(); ++i) {
      CHECK(a.sigs[i].status != SigStatus::Unverified);
      CHECK(a.sigs[i].status == full.sigs[i].status);
    }
    CHECK(with_code(test::run_check(checks::check_signatures, z, a, at_2026()), Code::VALIDATION_BUDGET_EXCEEDED)
              .empty());
  }
}

TEST_CASE("Many signatures naming an unpublished key cost time linear in their number", "[budget]") {
  // Each RRSIG_NO_MATCHING_DNSKEY asks whether another signature accepts the RRset; asked once per RRset, not once
  // per signature (100,000 signatures: 10^10 questions otherwise).
  const zone::Zone z = keytrap(1, 100000, 4243);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const auto start = std::chrono::steady_clock::now();
  const auto all = test::run_check(checks::check_signatures, z, a, at_2026());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(with_code(all, Code::RRSIG_NO_MATCHING_DNSKEY).size() == 100000);
  INFO(seconds << " s");
  CHECK(seconds < 2.0);
}

namespace {

/// A zone with one RRset of `records` A records at www.example. and `sigs` valid Ed25519 signatures over it, each
/// with another inception time.
zone::Zone big_rrset(int records, int sigs, bool alternate_ttl = false) {
  const std::string seed(32, '\x2a');
  core::EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                                     reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  REQUIRE(pkey);
  std::string pub(32, '\0');
  std::size_t pub_len = pub.size();
  REQUIRE(EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(pub.data()), &pub_len) == 1);
  const std::uint16_t tag = dnssec::key_tag(std::string("\x01\x00\x03\x0f", 4) + pub);
  std::string text =
      "$ORIGIN example.\n"
      "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
      "@ 3600 IN NS ns1\n"
      "ns1 3600 IN A 192.0.2.1\n"
      "@ 3600 IN DNSKEY 256 3 15 " +
      test::base64(pub) + "\n";
  std::vector<std::string> rdatas;
  for (int i = 0; i < records; ++i) {
    const std::string a{10, static_cast<char>(i >> 16), static_cast<char>(i >> 8), static_cast<char>(i)};
    rdatas.push_back(a);
    text += "www 3600 IN A 10." + std::to_string(static_cast<unsigned char>(a[1])) + "." +
            std::to_string(static_cast<unsigned char>(a[2])) + "." + std::to_string(static_cast<unsigned char>(a[3])) +
            "\n";
  }
  const std::vector<std::string_view> views(rdatas.begin(), rdatas.end());
  dnssec::Rrsig sig;
  sig.type_covered = zone::rrtype::A;
  sig.algorithm = 15;
  sig.labels = 2;
  sig.original_ttl = 3600;
  sig.expiration = 1798761600;  // 2027-01-01
  sig.key_tag = tag;
  sig.signer = std::string(
      "\x07"
      "example\x00",
      9);
  for (int s = 0; s < sigs; ++s) {
    sig.inception = 1764547200 + static_cast<std::uint32_t>(s);  // 2025-12-01 + s seconds
    sig.original_ttl = alternate_ttl && s % 2 == 1 ? 7200 : 3600;
    const std::string data = dnssec::signed_data(sig,
                                                 std::string("\x03www\x07"
                                                             "example\x00",
                                                             13),
                                                 zone::rrtype::A, 1, views);
    core::EvpMdCtxPtr md(EVP_MD_CTX_new());
    std::string signature(64, '\0');
    std::size_t len = signature.size();
    REQUIRE(EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, pkey.get()) == 1);
    REQUIRE(EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                           reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1);
    text += "www 3600 IN RRSIG A 15 2 " + std::to_string(sig.original_ttl) + " 1798761600 " +
            std::to_string(sig.inception) + " " + std::to_string(tag) + " example. " + test::base64(signature) + "\n";
  }
  zone::LoadOptions lo;
  return zone::load_zone_text(text, "big-rrset.zone", lo);
}

}  // namespace

TEST_CASE("Many valid signatures over a huge RRset stop at the per-RRset hashing budget", "[budget]") {
  // 20,000 records: 540,000 octets of signed data per signature, 108 MB for 200 signatures; the budget is 64 MiB.
  const zone::Zone z = big_rrset(20000, 200);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  int valid = 0, unverified = 0;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (!s.parsed || s.rrsig.type_covered != zone::rrtype::A) continue;
    valid += s.status == SigStatus::Valid ? 1 : 0;
    if (s.status == SigStatus::Unverified) {
      ++unverified;
      CHECK(s.budget == dnssec::BudgetStop::Bytes);
    }
  }
  CHECK(valid == 124);  // 124 × 540,027 octets fit in 64 MiB
  CHECK(unverified == 76);
  const auto budget =
      with_code(test::run_check(checks::check_signatures, z, a, at_2026()), Code::VALIDATION_BUDGET_EXCEEDED);
  REQUIRE(budget.size() == 1);
  CHECK(param(budget[0], "detail") == "bytes");
  CHECK(param(budget[0], "limit") == "67108864");
}

TEST_CASE("A zone whose RRsets verify stays within the hashing budget", "[budget]") {
  const zone::Zone z = big_rrset(200, 50);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.parsed && s.rrsig.type_covered == zone::rrtype::A) CHECK(s.status == SigStatus::Valid);
  }
}

TEST_CASE("Signatures of one RRset that differ in Original TTL each verify over their own signed data", "[budget]") {
  // The signed data is reused between signatures that agree on Labels and Original TTL, rebuilt when they do not.
  const zone::Zone z = big_rrset(50, 9, true);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  int valid = 0;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.parsed && s.rrsig.type_covered == zone::rrtype::A) valid += s.status == SigStatus::Valid ? 1 : 0;
  }
  CHECK(valid == 9);
}

TEST_CASE("KeyTrap: signatures naming a crowded tag do not spend the budget before the valid one", "[budget]") {
  // A correctly signed zone, plus 40 keys on tag 4242 and 40 signatures over the apex SOA naming that tag (expiring a
  // day before the valid one, so that they come first in the RRset's signatures).
  std::string extra;
  for (int k = 0; k < 40; ++k) {
    extra += "example. 3600 IN DNSKEY 256 3 15 " +
             test::base64(test::colliding_key(static_cast<std::uint64_t>(k) * 1000003, 4242)) + "\n";
  }
  for (int s = 0; s < 40; ++s) {
    std::string sig = test::bytes(static_cast<std::uint64_t>(s) + 77, 64);
    sig[63] = 0;
    extra +=
        "example. 3600 IN RRSIG SOA 15 1 3600 20260128000000 20251225000000 4242 example. " + test::base64(sig) + "\n";
  }
  zone::LoadOptions lo;
  const zone::Zone z = zone::load_zone_text(clean_ed25519_text() + extra, "keytrap-beside-valid.zone", lo);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const Tally t = tally(a, zone::rrtype::SOA, 19496);
  CHECK(t.valid == 1);
  CHECK(t.unverified == 40);
  const auto all = test::run_check(checks::check_signatures, z, a, at_2026());
  CHECK(with_code(all, Code::VALIDATION_BUDGET_EXCEEDED).size() == 1);
  // (The DNSKEY RRset grew by the 40 keys: its signature is invalid now; the SOA's is not.)
  for (const Finding& f : with_code(all, Code::RRSIG_INVALID)) CHECK(f.type != "SOA");
}

TEST_CASE("Over the DNSKEY RRset the SEP keys' signatures come first: junk signatures cannot spend the budget first",
          "[budget]") {
  // A correctly signed zone, plus 40 signatures over the DNSKEY RRset that name the ZSK (19496, a tag of its own,
  // like the KSK's 1795) and verify under it not, expiring a day before the KSK's, so that they come first.
  std::string extra;
  for (int s = 0; s < 40; ++s) {
    std::string sig = test::bytes(static_cast<std::uint64_t>(s) + 99, 64);
    sig[63] = 0;
    extra += "example. 3600 IN RRSIG DNSKEY 15 1 3600 20260128000000 20251225000000 19496 example. " +
             test::base64(sig) + "\n";
  }
  zone::LoadOptions lo;
  const zone::Zone z = zone::load_zone_text(clean_ed25519_text() + extra, "junk-beside-ksk.zone", lo);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z);
  const Tally t = tally(a, zone::rrtype::DNSKEY, 1795);
  CHECK(t.valid == 1);
  CHECK(t.unverified == 40 - 16);  // 16 failed, the RRset's budget
  const auto all = test::run_check(checks::check_signatures, z, a, at_2026());
  CHECK(with_code(all, Code::VALIDATION_BUDGET_EXCEEDED).size() == 1);
}
