// test_changes.cpp: key changes between two real root-zone versions (the 2018 KSK rollover and the revocation).
#include <catch2/catch.hpp>

#include "rollover/changes.hpp"
#include "zone/loader.hpp"

namespace {

zw::rollover::ZoneChanges compare(const std::string& a, const std::string& b) {
  const std::string dir = std::string(ZW_SOURCE_DIR) + "/zones/root/";
  zw::zone::Zone za = zw::zone::load_zone_file(dir + a, {});
  zw::zone::Zone zb = zw::zone::load_zone_file(dir + b, {});
  auto aa = zw::dnssec::analyse(za, false);
  auto ab = zw::dnssec::analyse(zb, false);
  return zw::rollover::compare_versions(za, aa, zb, ab);
}

const zw::rollover::KeyChange* by_tag(const zw::rollover::ZoneChanges& c, std::uint16_t tag) {
  for (const auto& k : c.keys) {
    if ((k.after && k.after->tag == tag) || (k.before && k.before->tag == tag)) return &k;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("root 2019-01-03 → 2019-01-22: KSK-2010 revoked, stand-by ZSK 2134 withdrawn", "[changes][realdata]") {
  auto c = compare("root-2019010300.zone.gz", "root-2019012200.zone.gz");
  CHECK(c.serial_before == 2019010300);
  CHECK(c.serial_after == 2019012200);
  // The revoked key is the same public key with new flags (tag 19036 → 19164).
  const auto* ksk2010 = by_tag(c, 19164);
  REQUIRE(ksk2010);
  REQUIRE(ksk2010->before);
  REQUIRE(ksk2010->after);
  CHECK(ksk2010->before->flags == 257);
  CHECK(ksk2010->after->flags == 385);
  CHECK_FALSE(ksk2010->before->signs_dnskey);
  CHECK(ksk2010->after->signs_dnskey);
  const auto* ksk2017 = by_tag(c, 20326);
  REQUIRE(ksk2017);
  CHECK(ksk2017->before->signs_dnskey);
  CHECK(ksk2017->after->signs_dnskey);
  std::size_t removed = 0;
  for (const auto& k : c.keys) removed += k.removed() ? 1 : 0;
  CHECK(removed == 1);
  const auto* zsk2134 = by_tag(c, 2134);
  REQUIRE(zsk2134);
  CHECK(zsk2134->removed());
  CHECK_FALSE(zsk2134->before->signs_data);
  const auto* zsk16749 = by_tag(c, 16749);
  REQUIRE(zsk16749);
  CHECK(zsk16749->after->signs_data);
}

TEST_CASE("root 2019-01-22 → 2019-03-31: the revoked key is gone", "[changes][realdata]") {
  auto c = compare("root-2019012200.zone.gz", "root-2019033102.zone.gz");
  const auto* revoked = by_tag(c, 19164);
  REQUIRE(revoked);
  CHECK(revoked->removed());
}
