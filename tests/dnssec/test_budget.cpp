// test_budget.cpp: the work budgets of signature verification against KeyTrap (CVE-2023-50387): many keys sharing a
// tag, many signatures failing over one RRset; zones whose signatures verify are verified in full.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

using namespace zw;
using catalog::Code;
using dnssec::SigStatus;

namespace {

const std::string kZones = ZW_SOURCE_DIR "/test-vectors/zone/";

std::string base64(const std::string& in) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const auto v = static_cast<unsigned char>(in[i]) << 16;
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

/// Reproducible bytes (a linear congruential generator; only their variety matters).
std::string bytes(std::uint64_t seed, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out += static_cast<char>(seed >> 56);
  }
  return out;
}

/// An Ed25519 zone key (flags 256) on the curve whose tag is `tag`: random key bytes, the last two chosen so that
/// the checksum (RFC 4034 Appendix B) comes out at `tag`.
std::string colliding_key(std::uint64_t seed, std::uint16_t tag) {
  for (;; ++seed) {
    std::string pub = bytes(seed, 32);
    for (unsigned w = 0; w < 0x10000; ++w) {
      pub[30] = static_cast<char>(w >> 8);
      pub[31] = static_cast<char>(w & 0xFF);
      const std::string rdata = std::string("\x01\x00\x03\x0f", 4) + pub;
      if (dnssec::key_tag(rdata) != tag) continue;
      if (dnssec::parse_dnskey(rdata).problem == dnssec::KeyProblem::None) return pub;
      break;  // not a point on the curve: next seed
    }
  }
}

/// A KeyTrap zone: `keys` Ed25519 zone keys sharing tag 4242, and `sigs` signatures over www A that name it and
/// verify under none (random R, canonical S).
zone::Zone keytrap(int keys, int sigs, int sig_tag = 4242) {
  std::string text =
      "$ORIGIN example.\n"
      "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
      "@ 3600 IN NS ns1\n"
      "ns1 3600 IN A 192.0.2.1\n"
      "www 3600 IN A 192.0.2.2\n";
  for (int k = 0; k < keys; ++k) {
    text += "@ 3600 IN DNSKEY 256 3 15 " + base64(colliding_key(static_cast<std::uint64_t>(k) * 1000003, 4242)) + "\n";
  }
  for (int s = 0; s < sigs; ++s) {
    std::string sig = bytes(static_cast<std::uint64_t>(s) + 77, 64);
    sig[63] = 0;  // S < L: a canonical scalar, so verification runs in full
    text += "www 3600 IN RRSIG A 15 2 3600 20270101000000 20251201000000 " + std::to_string(sig_tag) + " example. " +
            base64(sig) + "\n";
  }
  zone::LoadOptions lo;
  return zone::load_zone_text(text, "keytrap.zone", lo);
}

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
