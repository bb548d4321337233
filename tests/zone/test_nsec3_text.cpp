// test_nsec3_text.cpp: NSEC3 next hashed owner names are unpadded base32hex in presentation format (RFC 5155 §3.3).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "zone/loader.hpp"

namespace {

zw::zone::Zone load(const std::string& next_hash) {
  std::string text =
      "$ORIGIN example.\n@ 3600 IN SOA ns1 admin 1 7200 3600 1209600 3600\n@ 3600 IN NS ns1\n"
      "ns1 3600 IN A 192.0.2.1\n"
      "I7A7A184GGMI35K1E3IR650LKO7NOB5R 3600 IN NSEC3 1 0 0 - " +
      next_hash + " A RRSIG\n";
  return zw::zone::load_zone_text(text, "nsec3.zone", {});
}

}  // namespace

TEST_CASE("NSEC3 next hashed owner: unpadded accepted, padded refused", "[loader][nsec3]") {
  // A SHA-1 hash is 32 base32hex digits (no padding needed); shorter hashes are written without '='.
  CHECK_NOTHROW(load("IMQ912BREQP1POLAH3RMONGUED541AS0"));
  zw::zone::Zone z = load("CPNMU");
  auto n =
      z.find_name(std::string("\x20i7a7a184ggmi35k1e3ir650lko7nob5r\x07"
                              "example\x00",
                              42));
  REQUIRE(n);
  const zw::zone::RRset* set = z.find(*n, zw::zone::rrtype::NSEC3);
  REQUIRE(set);
  std::string_view rd = z.rdata(z.records[set->first]);
  REQUIRE(rd.size() > 6);
  CHECK(static_cast<unsigned char>(rd[5]) == 3);  // hash length: "CPNMU" decodes to 3 octets
  CHECK_THROWS_AS(load("CPNMU==="), zw::Error);
  try {
    load("CPNMU===");
  } catch (const zw::Error& e) {
    CHECK(std::string(e.what()).find("nsec3.zone:5") != std::string::npos);
  }
}
