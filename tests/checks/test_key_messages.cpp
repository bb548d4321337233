// test_key_messages.cpp: findings about keys and algorithm coverage carry what a person needs to act on them —
// KEYTAG_COLLISION tells the two keys apart, ALGORITHM_MISSING_SIGNATURES names the RRsets it misses.
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "zone/loader.hpp"

using namespace zw;
using zw::catalog::Code;

namespace {

const std::string kZones = ZW_SOURCE_DIR "/test-vectors/zone/";

struct Run {
  std::unique_ptr<zone::Zone> zone;
  std::unique_ptr<dnssec::ZoneAnalysis> analysis;
  checks::CheckInput in;

  explicit Run(const std::string& file) {
    in.options.now = core::make_epoch(2026, 1, 1, 0, 0, 0);  // the vectors' zw-now
    zone = std::make_unique<zone::Zone>(zone::load_zone_file(file, {}));
    analysis = std::make_unique<dnssec::ZoneAnalysis>(dnssec::analyse(*zone));
    checks::ZoneContext ctx;
    ctx.name = core::name_to_text(zone->origin);
    ctx.zone = zone.get();
    ctx.analysis = analysis.get();
    in.zones.push_back(ctx);
  }
  std::vector<Finding> with_code(Code code) const {
    std::vector<Finding> out;
    for (const Finding& f : checks::run_checks(in, {})) {
      if (f.code == code) out.push_back(f);
    }
    return out;
  }
  /// True when a published DNSKEY with this tag and flags has a public key whose base64 starts with `prefix`.
  bool has_key(const std::string& tag, const std::string& flags, const std::string& prefix) const {
    for (const dnssec::KeyInfo& k : analysis->keys) {
      if (std::to_string(k.key.tag) != tag || std::to_string(k.key.flags) != flags) continue;
      std::string out(4 * ((k.key.public_key.size() + 2) / 3) + 1, '\0');
      const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                    reinterpret_cast<const unsigned char*>(k.key.public_key.data()),
                                    static_cast<int>(k.key.public_key.size()));
      out.resize(static_cast<std::size_t>(n));
      if (out.starts_with(prefix)) return true;
    }
    return false;
  }
};

/// One key as KEYTAG_COLLISION lists it: "key TAG (flags FLAGS, BASE64..., SOURCE)".
struct Listed {
  std::string tag, flags, key, source;
};

std::vector<Listed> listed_keys(const Finding& f) {
  std::vector<Listed> out;
  const std::regex member("key ([0-9]{1,5}) \\(flags ([0-9]{1,5}), ([A-Za-z0-9+/=]+)\\.\\.\\., ([^)]*)\\)");
  const std::string keys = f.param("keys");
  for (std::sregex_iterator it(keys.begin(), keys.end(), member), end; it != end; ++it) {
    out.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[4]});
  }
  return out;
}

std::vector<Listed> check_collision_keys(const Run& run, const Finding& f) {
  INFO(render_message(f));
  CHECK(f.param("algorithm") == "8 (RSASHA256)");
  CHECK(f.param("count") == "2");
  const std::vector<Listed> keys = listed_keys(f);
  REQUIRE(keys.size() == 2);
  for (const Listed& k : keys) {
    CHECK(k.key.size() >= 8);
    CHECK(k.key.size() % 4 == 0);
    CHECK(run.has_key(k.tag, k.flags, k.key));
    CHECK(k.source.starts_with("published"));
  }
  CHECK(keys[0].key != keys[1].key);  // the two keys told apart
  return keys;
}

}  // namespace

TEST_CASE("KEYTAG_COLLISION names each key: tag, flags, algorithm, first octets of the public key", "[key-messages]") {
  SECTION("two ZSKs with one tag") {
    Run run(kZones + "signature/keytag-collision.zone");
    auto hits = run.with_code(Code::KEYTAG_COLLISION);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].param("keytag") == "18805");
    const auto keys = check_collision_keys(run, hits[0]);
    CHECK(keys[0].tag == "18805");
    CHECK(keys[1].tag == "18805");
  }
  SECTION("a KSK whose tag once revoked is the ZSK's") {
    Run run(kZones + "signature/keytag-collision-revoked.zone");
    auto hits = run.with_code(Code::KEYTAG_COLLISION);
    REQUIRE(hits.size() == 1);
    const auto keys = check_collision_keys(run, hits[0]);
    CHECK((keys[0].tag == hits[0].param("keytag") || keys[1].tag == hits[0].param("keytag")));
    CHECK(keys[0].tag != keys[1].tag);
  }
}

TEST_CASE("ALGORITHM_MISSING_SIGNATURES: one finding per algorithm, with the count and the first RRsets",
          "[key-messages]") {
  SECTION("one RRset lacks the algorithm") {
    Run run(kZones + "signature/algorithm-missing-signatures.zone");
    auto hits = run.with_code(Code::ALGORITHM_MISSING_SIGNATURES);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].param("algorithm") == "13 (ECDSAP256SHA256)");
    CHECK(hits[0].param("rrsets") == "1");
    CHECK(hits[0].param("examples") == "www.example. A");
    CHECK(render_message(hits[0]).find("1 RRset:") != std::string::npos);
  }
  SECTION("many RRsets lack it: the first three and how many more") {
    Run run(kZones + "signature/algorithm-missing-signatures.zone");
    // Drop every ECDSA signature but those over the apex SOA and DNSKEY RRsets.
    auto& sigs = run.analysis->sigs;
    std::size_t covered = 0;
    for (auto& s : sigs) {
      if (s.rrsig.algorithm != 13 || s.rrset < 0) continue;
      const auto type = run.zone->rrsets[static_cast<std::size_t>(s.rrset)].type;
      if (type == zone::rrtype::SOA || type == zone::rrtype::DNSKEY) continue;
      s.rrsig.algorithm = 8;  // now counted as another RSA signature
      ++covered;
    }
    REQUIRE(covered > 10);
    auto hits = run.with_code(Code::ALGORITHM_MISSING_SIGNATURES);
    REQUIRE(hits.size() == 1);
    const int n = std::stoi(hits[0].param("rrsets"));
    CHECK(n > 10);
    const std::string& ex = hits[0].param("examples");
    INFO(ex);
    CHECK(std::regex_match(
        ex, std::regex("[^,]+\\. [A-Z0-9]+, [^,]+\\. [A-Z0-9]+, [^,]+\\. [A-Z0-9]+ \\(\\+[0-9]+ more\\)")));
    CHECK(ex.ends_with("(+" + std::to_string(n - 3) + " more)"));
  }
}
