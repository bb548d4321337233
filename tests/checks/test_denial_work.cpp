// test_denial_work.cpp: the denial checks' work stays proportional to the zone: the NSEC3 hashing budget above the
// iteration cap, empty non-terminals without NSEC3 reported once per subtree, many NSEC3 parameter sets.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "checks/denial_support.hpp"
#include "core/codec.hpp"
#include "core/name.hpp"
#include "dnssec/analysis.hpp"
#include "dnssec/nsec3.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

namespace {

using zw::test::denial_only;
using zw::test::hashed;

using zw::Finding;
using zw::catalog::Code;

std::vector<const Finding*> with_code(const std::vector<Finding>& findings, Code c) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) {
    if (f.code == c) out.push_back(&f);
  }
  return out;
}

std::string param(const Finding& f, const std::string& name) {
  for (const auto& [k, v] : f.params) {
    if (k == name) return v;
  }
  return "<absent>";
}

/// A stand-in hashed owner label: 32 base32hex characters made from `i`.
std::string fake_hash(std::size_t i) {
  return zw::core::base32hex_encode(zw::dnssec::nsec3_hash("\x01x\x00" + std::to_string(i), "", 0));
}

const std::string kHead =
    "$ORIGIN example.\n$TTL 3600\n"
    "@ SOA ns1.provider.net. hostmaster 1 7200 3600 1209600 3600\n"
    "@ NS ns1.provider.net.\n"
    "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n";

/// `names` names with an A record, and an NSEC3 ring of `names` + 1 records with `iterations` whose hashed owners
/// are the hash of none of them: every name must be hashed to find that it has no NSEC3.
std::string unmatched_chain_zone(std::size_t names, std::uint16_t iterations) {
  const std::string it = std::to_string(iterations);
  std::string text = kHead + "@ NSEC3PARAM 1 0 " + it + " -\n";
  for (std::size_t i = 0; i < names; ++i) text += "n" + std::to_string(i) + " A 192.0.2.1\n";
  std::vector<std::string> ring;
  for (std::size_t i = 0; i <= names; ++i) ring.push_back(fake_hash(i));
  std::sort(ring.begin(), ring.end());
  for (std::size_t k = 0; k < ring.size(); ++k) {
    text += ring[k] + " NSEC3 1 0 " + it + " - " + ring[(k + 1) % ring.size()] + " A RRSIG\n";
  }
  return text;
}

}  // namespace

TEST_CASE("NSEC3 hashing is budgeted only above the iteration cap", "[denial][budget]") {
  using zw::dnssec::nsec3_names_within_budget;
  CHECK(nsec3_names_within_budget(0) == SIZE_MAX);
  CHECK(nsec3_names_within_budget(150) == SIZE_MAX);  // RFC 9276 §3.2 limits of Unbound and BIND: never budgeted
  CHECK(nsec3_names_within_budget(151) == zw::dnssec::kNsec3HashBudget / 152);
  CHECK(nsec3_names_within_budget(65535) == zw::dnssec::kNsec3HashBudget / 65536);
  CHECK(nsec3_names_within_budget(65535) >= 1);
}

TEST_CASE("65,535 NSEC3 iterations: names past the hashing budget are not hashed, and that is a finding",
          "[denial][budget]") {
  const std::size_t limit = zw::dnssec::nsec3_names_within_budget(65535);
  const std::size_t names = limit + 100;
  const auto start = std::chrono::steady_clock::now();
  const auto all = denial_only(unmatched_chain_zone(names, 65535));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(seconds << " s");
  const auto budget = with_code(all, Code::VALIDATION_BUDGET_EXCEEDED);
  REQUIRE(budget.size() == 1);
  CHECK(budget[0]->type == "NSEC3PARAM");
  CHECK(param(*budget[0], "detail") == "nsec3-hashing");
  CHECK(param(*budget[0], "keytag") == "<absent>");
  CHECK(param(*budget[0], "limit") == std::to_string(limit));
  CHECK(with_code(all, Code::NSEC3_ITERATIONS_EXCESSIVE).size() == 1);
  // The names hashed are still checked: each of the first `limit` (the apex and n0 …) has no NSEC3. The records
  // whose owners match no name are not reported, since most names were never hashed.
  CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).size() == limit);
}

TEST_CASE("NSEC3 iterations at the cap are hashed in full: no budget finding", "[denial][budget]") {
  const auto all = denial_only(unmatched_chain_zone(50, 150));
  CHECK(with_code(all, Code::VALIDATION_BUDGET_EXCEEDED).empty());
  CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).size() == 51 + 51);  // every name, every unmatched record
}

namespace {

/// `names` names of `depth` labels below example., each under a top label of its own (t0, t1, …), with an NSEC3
/// chain over the apex and the names themselves but none of the empty non-terminals between them, except those
/// listed in `kept_ents`.
std::string deep_zone(std::size_t names, std::size_t depth, const std::vector<std::string>& kept_ents = {}) {
  std::string text = kHead + "@ NSEC3PARAM 1 0 0 -\n";
  std::vector<std::pair<std::string, std::string>> chain = {{hashed("example."), "NS SOA RRSIG DNSKEY NSEC3PARAM"}};
  for (std::size_t i = 0; i < names; ++i) {
    std::string name = "t" + std::to_string(i);
    for (std::size_t k = 1; k < depth; ++k) name = std::string(1, static_cast<char>('a' + k % 26)) + "." + name;
    text += name + " A 192.0.2.1\n";
    chain.emplace_back(hashed(name + ".example."), "A RRSIG");
  }
  for (const std::string& ent : kept_ents) chain.emplace_back(hashed(ent + ".example."), "");
  std::sort(chain.begin(), chain.end());
  for (std::size_t k = 0; k < chain.size(); ++k) {
    text += chain[k].first + " NSEC3 1 0 0 - " + chain[(k + 1) % chain.size()].first + " " + chain[k].second + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("Empty non-terminals without NSEC3 are reported once per missing subtree", "[denial][ent]") {
  SECTION("each deep name's ancestors: one finding per name, not one per empty non-terminal") {
    const auto all = denial_only(deep_zone(5, 30));
    CHECK(all.size() == with_code(all, Code::NSEC3_CHAIN_BROKEN).size());
    CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).size() == 5);  // 5 × 29 before
  }
  SECTION("an empty non-terminal with an NSEC3 splits its ancestors' subtree from its descendants'") {
    // e.d.c.b.t0 has the ENTs t0, b.t0, c.b.t0 and d.c.b.t0 above it; b.t0 keeps its NSEC3.
    const auto all = denial_only(deep_zone(1, 5, {"b.t0"}));
    CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).size() == 2);  // t0 alone, and c.b.t0 with d.c.b.t0 below
  }
  SECTION("a single missing empty non-terminal is one finding, as before") {
    const auto all = denial_only(deep_zone(1, 2));
    CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).size() == 1);
  }
}

TEST_CASE("Many NSEC3 parameter sets cost time linear in their number", "[denial][budget]") {
  // Each of 3,000 NSEC3 records has a salt of its own and points to itself, beside 3,000 names and a chain the
  // NSEC3PARAM names: each set is reported, and is found incomplete without hashing every name once per set.
  const std::size_t n = 3000;
  std::string text = kHead + "@ NSEC3PARAM 1 0 0 -\n";
  std::vector<std::string> ring = {hashed("example.")};
  for (std::size_t i = 0; i < n; ++i) {
    text += "n" + std::to_string(i) + " A 192.0.2.1\n";
    ring.push_back(hashed("n" + std::to_string(i) + ".example."));
  }
  std::sort(ring.begin(), ring.end());
  for (std::size_t k = 0; k < ring.size(); ++k) {
    text += ring[k] + " NSEC3 1 0 0 - " + ring[(k + 1) % ring.size()] +
            (ring[k] == hashed("example.") ? " NS SOA RRSIG DNSKEY NSEC3PARAM\n" : " A RRSIG\n");
  }
  char salt[16];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(salt, sizeof salt, "%08zx", i);
    const std::string owner = fake_hash(i);
    text += owner + " NSEC3 1 0 0 " + salt + " " + owner + " A RRSIG\n";
  }
  zw::zone::LoadOptions lo;
  const zw::zone::Zone z = zw::zone::load_zone_text(text, "test.zone", lo);
  const zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z, false);
  const auto start = std::chrono::steady_clock::now();
  const auto all = zw::test::run_check(&zw::checks::check_denial, z, a);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(with_code(all, Code::NSEC3_PARAM_MISMATCH).size() == n);
  CHECK(with_code(all, Code::NSEC3_CHAIN_EXTRA).empty());
  INFO(seconds << " s");
  CHECK(seconds < 2.0);  // linear: 0.05 s in release; quadratic: 3.4 s in release
}

TEST_CASE("Small NSEC3 parameter sets do not use up the chains hashed for completeness", "[denial][budget]") {
  // The chain the NSEC3PARAM names, ten one-record rings with salts 00000000… (sorted first), and a complete second
  // chain with salt FF: a parameter change in progress, found although the ten rings come before it.
  const std::size_t n = 20;
  std::string text = kHead + "@ NSEC3PARAM 1 0 0 -\n";
  std::vector<std::string> names = {"example."};
  for (std::size_t i = 0; i < n; ++i) {
    text += "n" + std::to_string(i) + " A 192.0.2.1\n";
    names.push_back("n" + std::to_string(i) + ".example.");
  }
  for (const std::string salt : {"", "\xff"}) {
    std::vector<std::pair<std::string, std::string>> ring;
    for (const std::string& name : names) {
      zw::core::WireName w;
      std::string err;
      REQUIRE(zw::core::parse_name(name, ".", w, err));
      ring.emplace_back(zw::core::base32hex_encode(zw::dnssec::nsec3_hash(w, salt, 0)),
                        name == "example." ? "NS SOA RRSIG DNSKEY NSEC3PARAM" : "A RRSIG");
    }
    std::sort(ring.begin(), ring.end());
    for (std::size_t k = 0; k < ring.size(); ++k) {
      text += ring[k].first + " NSEC3 1 0 0 " + (salt.empty() ? "-" : "FF") + " " + ring[(k + 1) % ring.size()].first +
              " " + ring[k].second + "\n";
    }
  }
  char salt[16];
  for (std::size_t i = 0; i < 10; ++i) {
    std::snprintf(salt, sizeof salt, "%08zx", i);
    const std::string owner = fake_hash(i);
    text += owner + " NSEC3 1 0 0 " + salt + " " + owner + " A RRSIG\n";
  }
  const auto all = denial_only(text);
  CHECK(with_code(all, Code::NSEC3_CHAIN_EXTRA).size() == 1);
  CHECK(with_code(all, Code::NSEC3_PARAM_MISMATCH).size() == 10);
  CHECK(with_code(all, Code::NSEC3_CHAIN_BROKEN).empty());
}
