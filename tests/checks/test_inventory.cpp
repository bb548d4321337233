// test_inventory.cpp: the signer's key directory and the key history against the published keys (--keys,
// --key-history).
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "zone/keyfiles.hpp"
#include "zone/loader.hpp"

using namespace zw;
using zw::catalog::Code;

namespace {

const std::string kKeydirs = ZW_SOURCE_DIR "/test-vectors/keydirs/";
const std::string kZones = ZW_SOURCE_DIR "/test-vectors/zone/";

/// Zones loaded and analysed as the zone job does, then checked with the given inventory and history.
struct Run {
  std::vector<std::unique_ptr<zone::Zone>> zones;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> analyses;
  checks::CheckInput in;

  explicit Run(const std::vector<std::string>& files) {
    in.options.now = core::make_epoch(2026, 1, 1, 0, 0, 0);  // the vectors' zw-now
    for (const std::string& f : files) {
      zones.push_back(std::make_unique<zone::Zone>(zone::load_zone_file(f, {})));
      analyses.push_back(std::make_unique<dnssec::ZoneAnalysis>(dnssec::analyse(*zones.back())));
      checks::ZoneContext ctx;
      ctx.name = core::name_to_text(zones.back()->origin);
      ctx.zone = zones.back().get();
      ctx.analysis = analyses.back().get();
      in.zones.push_back(ctx);
    }
  }
  std::vector<Finding> findings() const { return checks::run_checks(in, {}); }
};

std::vector<Finding> with_code(const std::vector<Finding>& all, Code code) {
  std::vector<Finding> out;
  for (const Finding& f : all) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

/// Findings at warning or above, as "CODE" strings (for readable failures).
std::vector<std::string> serious(const std::vector<Finding>& all) {
  std::vector<std::string> out;
  for (const Finding& f : all) {
    if (f.severity >= Severity::Warning) out.push_back(std::string(catalog::name(f.code)) + " " + render_message(f));
  }
  return out;
}

zone::InventoryKey inventory_key(const std::string& dir, const std::string& file) {
  for (zone::InventoryKey& k : zone::read_key_directory(kKeydirs + dir)) {
    if (k.file.ends_with("/" + file)) return k;
  }
  FAIL("no " << file << " in " << dir);
  return {};
}

std::string published_key(const zone::Zone& z, std::uint16_t tag) {
  for (const zone::Record& r : z.records) {
    if (r.type == zone::rrtype::DNSKEY && dnssec::key_tag(z.rdata(r)) == tag) return std::string(z.rdata(r));
  }
  FAIL("no DNSKEY " << tag);
  return {};
}

zone::HistoryKey history_key(const std::string& zone_text, const std::string& rdata, const std::string& source) {
  zone::HistoryKey h;
  std::string err;
  REQUIRE(core::parse_name(zone_text, ".", h.zone, err));
  h.dnskey_rdata = rdata;
  h.algorithm = static_cast<std::uint8_t>(rdata[3]);
  h.flags =
      static_cast<std::uint16_t>(static_cast<unsigned char>(rdata[0]) << 8 | static_cast<unsigned char>(rdata[1]));
  h.first_seen = core::make_epoch(2025, 6, 1, 0, 0, 0);
  h.source = source;
  return h;
}

}  // namespace

TEST_CASE("must show: an unpublished key sharing a published key's tag is found before it signs", "[inventory]") {
  Run run({kKeydirs + "collision-unpublished.zone"});
  REQUIRE(serious(run.findings()).empty());  // the zone alone is clean: nothing has been signed with the twin

  run.in.inventory = zone::read_key_directory(kKeydirs + "collision-unpublished");
  auto all = run.findings();
  auto hits = with_code(all, Code::KEYTAG_COLLISION);
  REQUIRE(hits.size() == 1);
  const Finding& f = hits[0];
  CHECK(f.severity == Severity::Warning);  // the twin signs nothing yet
  CHECK(f.param("keytag") == "18805");
  CHECK(f.param("count") == "2");
  // keys: "key 18805 (flags 256, AwEAA...…, published, signing); key 18805 (flags 256, …, key file next-zsk.key)"
  const std::string keys = f.param("keys");
  CHECK(keys.starts_with("key 18805 (flags 256, "));
  CHECK(keys.find("; key 18805 (flags 256, ") != std::string::npos);
  CHECK(keys.find("..., published, signing)") != std::string::npos);
  CHECK(keys.find("..., key file next-zsk.key)") != std::string::npos);
  CHECK(f.param("algorithm") == "8 (RSASHA256)");
  CHECK(f.file == kKeydirs + "collision-unpublished/next-zsk.key");
  CHECK(f.owner == "example.");
  CHECK(f.type == "DNSKEY");
  CHECK(serious(all).size() == 1);
}

TEST_CASE("a private key that is not the pair of its .key file or of the published key with its tag", "[inventory]") {
  Run run({kKeydirs + "collision-unpublished.zone"});
  run.in.inventory = zone::read_key_directory(kKeydirs + "mismatch");
  auto all = run.findings();
  auto hits = with_code(all, Code::KEY_PRIVATE_PUBLIC_MISMATCH);
  REQUIRE(hits.size() == 2);
  for (const Finding& f : hits) CHECK(f.severity == Severity::Error);
  CHECK(hits[0].param("keytag") == "18805");  // consistent pair, but key B: the published 18805 is key A
  CHECK(hits[0].param("file") == kKeydirs + "mismatch/Kexample.+008+18805.private");
  CHECK(hits[1].param("keytag") == "20045");  // the .private is another key's
  CHECK(hits[1].param("file") == kKeydirs + "mismatch/Kexample.+008+20045.private");
  CHECK(with_code(all, Code::KEYTAG_COLLISION).empty());  // explained by the mismatch
  CHECK(serious(all).size() == 2);
}

TEST_CASE("a key whose tag equals another key's tag once revoked (RFC 5011 §7)", "[inventory]") {
  Run run({kKeydirs + "revoked-collision.zone"});
  REQUIRE(serious(run.findings()).empty());
  run.in.inventory = zone::read_key_directory(kKeydirs + "revoked-collision");
  auto all = run.findings();
  auto hits = with_code(all, Code::KEYTAG_COLLISION);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].severity == Severity::Warning);
  CHECK(hits[0].param("keytag") == "13579");
  const Finding& f = hits[0];
  CHECK(f.param("count") == "2");
  const std::string keys = f.param("keys");
  CHECK(keys.find("key 13451 (flags 257, ") != std::string::npos);  // 13579 once revoked
  CHECK(keys.find("key 13579 (flags ") != std::string::npos);
  const std::size_t ksk = keys.find("key 13451 (flags 257, ");
  CHECK(keys.find("..., published, signing)", ksk) < keys.find(')', ksk) + 1);
  CHECK(serious(all).size() == 1);
}

TEST_CASE("clean inventories: nothing at warning or above", "[inventory]") {
  struct Case {
    const char* dir;
    std::string zone;
  };
  for (const Case& c : {Case{"clean", kZones + "clean/clean-rsasha256-nsec.zone"},
                        Case{"pem", kZones + "clean/clean-ed25519-nsec.zone"},
                        Case{"bind-keygen", kKeydirs + "collision-unpublished.zone"},
                        Case{"ldns-keygen", kKeydirs + "collision-unpublished.zone"}}) {
    INFO(c.dir);
    Run run({c.zone});
    run.in.inventory = zone::read_key_directory(kKeydirs + c.dir);
    REQUIRE_FALSE(run.in.inventory.empty());
    CHECK(serious(run.findings()).empty());
  }
}

TEST_CASE("an unpublished twin that already signs: the collision is an error", "[inventory]") {
  // signing-key-not-published: CSK A (257, tag 18806) is published; its twin B signs half the RRsets.
  Run run({kZones + "signature/signing-key-not-published.zone"});
  zone::InventoryKey twin = inventory_key("collision-unpublished", "next-zsk.key");
  twin.dnskey_rdata[1] = 1;  // B as a CSK: flags 257, tag 18806
  twin.private_rdata = twin.dnskey_rdata;
  run.in.inventory = {twin};
  auto hits = with_code(run.findings(), Code::KEYTAG_COLLISION);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].severity == Severity::Error);
  CHECK(hits[0].param("keytag") == "18806");
  CHECK(hits[0].param("keys").find("..., key file next-zsk.key, signing)") != std::string::npos);
}

TEST_CASE("key history: a tag reused over time, a key reused by another zone", "[inventory]") {
  Run run({kKeydirs + "collision-unpublished.zone"});
  const zone::Zone& z = *run.zones[0];
  const std::string twin = inventory_key("collision-unpublished", "next-zsk.key").dnskey_rdata;

  SECTION("an earlier key of the zone had the tag of a current one") {
    run.in.history = {history_key("example.", twin, "hist:7"),
                      history_key("example.", published_key(z, 20045), "hist:8")};
    auto hits = with_code(run.findings(), Code::KEYTAG_COLLISION);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].severity == Severity::Warning);
    CHECK(hits[0].param("keytag") == "18805");
    CHECK(hits[0].param("count") == "2");
    CHECK(hits[0].param("keys").find("key 18805 (flags 256, ") == 0);
    CHECK(hits[0].param("keys").find("..., published, signing)") != std::string::npos);
    CHECK(hits[0].param("keys").find("..., key history hist:7, first seen 2025-06-01T00:00:00Z)") != std::string::npos);
    CHECK(hits[0].param("algorithm") == "8 (RSASHA256)");
    CHECK(hits[0].file == z.files[0]);  // on the published DNSKEY record
  }
  SECTION("a key recorded for another zone") {
    run.in.history = {history_key("other.", published_key(z, 18805), "hist:3")};
    auto hits = with_code(run.findings(), Code::KEY_REUSED);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].param("keytag") == "18805");
    CHECK(hits[0].param("other") == "a key of other. (key history since 2025-06-01T00:00:00Z, hist:3)");
  }
  SECTION("an inventory key of another zone") {
    zone::InventoryKey k = inventory_key("collision-unpublished", "Kexample.+008+18805.key");
    std::string err;
    REQUIRE(core::parse_name("example2.", ".", k.zone, err));
    run.in.inventory = {k};
    auto hits = with_code(run.findings(), Code::KEY_REUSED);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].param("other") == "a key of example2. (Kexample.+008+18805.key)");
  }
}

TEST_CASE("an RSA modulus sharing a prime with a key in the history", "[inventory]") {
  Run earlier({kZones + "algorithm/rsa-shared-prime.zone"});
  const std::string old = published_key(*earlier.zones[0], 56890);
  Run run({kZones + "algorithm/rsa-shared-prime-2.zone"});
  REQUIRE(serious(run.findings()).empty());
  run.in.history = {history_key("example.", old, "hist:2")};
  auto hits = with_code(run.findings(), Code::KEY_RSA_FACTORABLE);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].param("keytag") == "47091");
  CHECK(hits[0].param("detail") == "shared-prime");
  CHECK(hits[0].param("others") == "key 56890 of example. in the key history (hist:2)");
}
