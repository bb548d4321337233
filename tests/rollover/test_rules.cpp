// test_rules.cpp: the timing rules on hand-made timelines: what caches may hold decides (RFC 7583), signatures
// bound how long (RFC 4035 §5.3.3), and a DS published before its key counts from its own publication.
#include <catch2/catch.hpp>

#include "rollover/rules.hpp"

using namespace zw;
using rollover::Snapshot;

namespace {

constexpr core::EpochSeconds kT0 = 1'780'000'000;

rollover::SnapKey key(const char* id, std::uint16_t tag, std::uint16_t flags, bool dnskey, bool data) {
  return {id, 13, tag, flags, dnskey, data};
}

/// KSK "k1" signing the DNSKEY RRset, and `zsks` (id, tag) of which `signing` signs the data alone.
Snapshot version(std::vector<std::pair<const char*, std::uint16_t>> zsks, const char* signing) {
  Snapshot s;
  s.signed_zone = true;
  s.dnskey_ttl = 3600;
  s.keys.push_back(key("k1", 1, 257, true, false));
  std::uint16_t tag = 0;
  for (const auto& [id, t] : zsks) {
    s.keys.push_back(key(id, t, 256, false, std::string(id) == signing));
    if (std::string(id) == signing) tag = t;
  }
  s.signer_sets.push_back({{{signing, 13, tag}}, 86400, 10, 0});
  return s;
}

std::vector<rollover::TimingVerdict> judge(rollover::History& h, const Snapshot& now_state, core::EpochSeconds now) {
  rollover::Timeline t;
  t.prior = &h;
  t.now = now;
  t.options.propagation = 300;
  return rollover::judge_timing(t, now_state);
}

std::string param(const rollover::TimingVerdict& v, const char* name) {
  for (const auto& [k, val] : v.params) {
    if (k == name) return val;
  }
  return {};
}

}  // namespace

TEST_CASE("an old ZSK removed while RRsets it alone signed may be cached, unless their signatures expired",
          "[rollover]") {
  rollover::History h;
  h.zone = "example.";
  // z1 signs; z2 is published; z2 signs and z1 is still published; ten minutes later z1 is removed.
  h.record({version({{"z1", 11}}, "z1")}, kT0);
  h.record({version({{"z1", 11}, {"z2", 22}}, "z1")}, kT0 + 3600);
  h.record({version({{"z1", 11}, {"z2", 22}}, "z2")}, kT0 + 7200);
  const Snapshot removed = version({{"z2", 22}}, "z2");
  auto v = judge(h, removed, kT0 + 7200 + 600);
  REQUIRE(v.size() == 1);
  CHECK(v[0].code == catalog::Code::ZSK_RETIRED_TOO_EARLY);
  CHECK(param(v[0], "keytag") == "11");
  // Served until kT0 + 7200 (the next version's first sighting), cached for the day-long TTL and propagation.
  CHECK(param(v[0], "safe_from") == core::format_time(kT0 + 7200 + 86400 + 300));
  // The same RRsets whose signatures by z1 expire in five minutes: no cache holds them past that.
  for (auto& e : h.epochs) e.state.signer_sets.front().expires = kT0 + 7200 + 900;
  v = judge(h, removed, kT0 + 7200 + 600);
  REQUIRE(v.size() == 1);
  CHECK(param(v[0], "safe_from") == core::format_time(kT0 + 7200 + 900));
  CHECK(judge(h, removed, kT0 + 7200 + 901).empty());
}

TEST_CASE("a new KSK that alone signs before its DS propagated counts from the DS's publication, not the key's",
          "[rollover]") {
  auto with_ds = [](Snapshot s, std::vector<rollover::SnapDs> ds) {
    s.ds = rollover::SnapDsSet{std::move(ds), 3600};
    return s;
  };
  const rollover::SnapDs ds1{1, 13, 2, "aa", "k1"};
  rollover::SnapDs ds2{2, 13, 2, "bb", ""};  // published before its key: it matches nothing yet
  rollover::History h;
  h.zone = "example.";
  const Snapshot steady = with_ds(version({{"z1", 11}}, "z1"), {ds1});
  h.record({steady}, kT0);
  h.record({with_ds(version({{"z1", 11}}, "z1"), {ds1, ds2})}, kT0 + 3600);  // the new DS
  // Thirty minutes later the new KSK k2 arrives and signs the DNSKEY RRset alone.
  Snapshot swapped = with_ds(version({{"z1", 11}}, "z1"), {ds1, {2, 13, 2, "bb", "k2"}});
  swapped.keys[0].signs_dnskey = false;
  swapped.keys.push_back(key("k2", 2, 257, true, false));
  const auto v = judge(h, swapped, kT0 + 3600 + 1800);
  REQUIRE(v.size() == 1);
  CHECK(v[0].code == catalog::Code::KSK_ACTIVE_BEFORE_DS);
  CHECK(param(v[0], "keytag") == "2");
  // The DS set without DS 2 was served until DS 2 was first seen: cached until then + DS TTL + propagation.
  CHECK(param(v[0], "safe_from") == core::format_time(kT0 + 3600 + 3600 + 300));
  CHECK(judge(h, swapped, kT0 + 3600 + 3600 + 300).empty());
}
