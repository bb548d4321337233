// test_address_data.cpp: address facts from range files (CSV, iptoasn, pfx2as; gzip), Debian's libloc database
// and the real IP-to-AS data; and the spread of NS sets over them.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "infra/address_data.hpp"
#include "infra/diversity.hpp"

using namespace zw::infra;

namespace {

std::string temp_file(const std::string& name, const std::string& content, bool gzip = false) {
  const auto dir = std::filesystem::temp_directory_path() / "zw-infra-tests";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, content.data(), static_cast<unsigned>(content.size()));
    gzclose(f);
  } else {
    std::ofstream(path) << content;
  }
  return path;
}

Address addr(const char* text) {
  auto a = Address::parse(text);
  REQUIRE(a);
  return *a;
}

const std::string kRealV4 = std::string(ZW_SOURCE_DIR) + "/../shared/realdata/asn/asn-ipv4.csv.gz";

}  // namespace

TEST_CASE("addresses: parsing, text, prefixes, special purposes", "[infra]") {
  CHECK(addr("192.0.2.1").v4);
  CHECK(addr("192.0.2.1").text() == "192.0.2.1");
  CHECK(addr("2001:DB8:0:0::1").text() == "2001:db8::1");
  CHECK(addr("198.51.100.77").prefix() == "198.51.100.0/24");
  CHECK(addr("2001:db8:aa:bb::1").prefix() == "2001:db8:aa::/48");
  CHECK_FALSE(Address::parse("192.0.2"));
  CHECK_FALSE(Address::parse("example."));
  CHECK(Address::from_rdata(std::string("\xc0\x00\x02\x01", 4))->text() == "192.0.2.1");
  CHECK_FALSE(Address::from_rdata("abc"));
  CHECK(addr("10.1.2.3").special());
  CHECK(addr("127.53.0.1").special());
  CHECK(addr("2001:db8::1").special());
  CHECK(addr("fd00::1").special());
  CHECK_FALSE(addr("31.13.24.1").special());
  CHECK_FALSE(addr("2a03:2880::1").special());
}

TEST_CASE("range files: CSV with quoting, gzip, the most specific range, built= dates", "[infra]") {
  const std::string csv =
      "# built=2026-06-17 a test extract\n"
      "31.13.24.0,31.13.31.255,32934,\"Facebook, Inc.\"\n"
      "31.13.0.0,31.13.255.255,64496,Wider Net\n"
      "2a03:2880::,2a03:2880:ffff:ffff:ffff:ffff:ffff:ffff,32934,\"Facebook, Inc.\"\n";
  for (bool gz : {false, true}) {
    const auto s = open_source(temp_file(gz ? "r.csv.gz" : "r.csv", csv, gz));
    CHECK(s->kind == "csv");
    CHECK(s->entries == 3);
    REQUIRE(s->built);
    CHECK(*s->built == 1781654400);  // 2026-06-17T00:00:00Z
    auto fb = s->lookup(addr("31.13.24.9"));
    REQUIRE(fb);
    CHECK(fb->asn == 32934);
    CHECK(fb->org == "Facebook, Inc.");
    CHECK(fb->network == "31.13.24.0/21");
    auto wider = s->lookup(addr("31.13.99.1"));
    REQUIRE(wider);
    CHECK(wider->asn == 64496);
    CHECK(s->lookup(addr("2a03:2880:f00d::1"))->asn == 32934);
    CHECK_FALSE(s->lookup(addr("31.14.0.1")));
    CHECK_FALSE(s->lookup(addr("2a03:2881::1")));
  }
}

TEST_CASE("range files: iptoasn TSV with countries, pfx2as with multi-origin prefixes", "[infra]") {
  const auto tsv = open_source(temp_file("ip2asn-v4.tsv",
                                         "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n"
                                         "1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n"
                                         "91.108.56.0\t91.108.59.255\t62041\tGB\tTELEGRAM\n"));
  CHECK(tsv->kind == "iptoasn");
  CHECK(tsv->entries == 2);  // the unrouted range is no range of an AS
  CHECK(tsv->lookup(addr("91.108.57.1"))->country == "GB");
  CHECK(tsv->lookup(addr("91.108.57.1"))->asn == 62041);
  CHECK_FALSE(tsv->lookup(addr("1.0.2.1")));
  const auto pfx = open_source("pfx2as:" + temp_file("p.txt", "129.134.0.0\t17\t32934\n192.0.0.0\t8\t64496_64497\n"));
  CHECK(pfx->lookup(addr("129.134.30.12"))->asn == 32934);
  CHECK(pfx->lookup(addr("129.134.30.12"))->network == "129.134.0.0/17");
  CHECK(pfx->lookup(addr("192.1.2.3"))->asn == 64496);
}

TEST_CASE("range files: a malformed line or an unreadable source names the file and line", "[infra]") {
  const std::string bad = temp_file("bad.csv", "1.0.0.0,1.0.0.255,13335,ok\n1.0.1.0,nonsense,13335,x\n");
  try {
    open_source(bad);
    FAIL("no error");
  } catch (const zw::Error& e) {
    CHECK(std::string(e.what()).find("bad.csv:2:") != std::string::npos);
    CHECK(e.line() == 2);
  }
  CHECK_THROWS_AS(open_source(temp_file("asn.csv", "1.0.0.0,1.0.0.255,AS-X,x\n")), zw::Error);
  CHECK_THROWS_AS(open_source(temp_file("empty.csv", "# nothing\n")), zw::Error);
  CHECK_THROWS_AS(open_source("csv:/nonexistent/file.csv"), zw::Error);
  CHECK_THROWS_AS(open_source("somefile.bin"), zw::Error);  // the kind cannot be told
  CHECK_THROWS_AS(open_source("libloc:" + bad), zw::Error);
}

TEST_CASE("libloc: Debian's location database places public addresses", "[infra]") {
  const auto s = open_source("libloc");
  CHECK(s->kind == "libloc");
  REQUIRE(s->built);
  CHECK(*s->built > 1600000000);
  auto fb = s->lookup(addr("129.134.30.12"));  // a.ns.facebook.com
  REQUIRE(fb);
  CHECK(fb->asn == 32934);
  CHECK(!fb->network.empty());
  CHECK_FALSE(s->lookup(addr("10.1.2.3")));
}

TEST_CASE("real IP-to-AS data: facebook.com's and Telegram's addresses", "[infra]") {
  const auto s = open_source(kRealV4);
  CHECK(s->entries > 400000);
  CHECK(s->lookup(addr("129.134.30.12"))->asn == 32934);
  CHECK(s->lookup(addr("185.89.218.12"))->asn == 32934);
  CHECK(s->lookup(addr("149.154.167.50"))->asn == 62041);
}

TEST_CASE("spread: one AS, one country, uncovered addresses never count as diverse", "[infra]") {
  AddressData data;
  data.add(open_source(temp_file("s.tsv",
                                 "31.13.24.0\t31.13.31.255\t32934\tUS\tFACEBOOK\n"
                                 "129.134.0.0\t129.134.127.255\t32934\tUS\tFACEBOOK\n"
                                 "185.89.218.0\t185.89.219.255\t32934\tIE\tFACEBOOK\n"
                                 "91.108.56.0\t91.108.59.255\t62041\tGB\tTELEGRAM\n")));
  std::map<std::string, std::vector<Address>> fb{{"a.ns.facebook.com.", {addr("129.134.30.12")}},
                                                 {"b.ns.facebook.com.", {addr("129.134.31.12")}},
                                                 {"c.ns.facebook.com.", {addr("185.89.218.12")}}};
  Spread s = spread_of(fb, data);
  CHECK(single_asn(s));
  CHECK_FALSE(single_country(s));  // US and IE
  CHECK(s.asns.size() == 1);
  CHECK(s.prefixes.size() == 3);  // 129.134.30.0/24, 129.134.31.0/24, 185.89.218.0/24
  fb["d.ns.facebook.com."] = {addr("203.0.113.1"), addr("8.8.8.8")};  // documentation (silent), uncovered
  s = spread_of(fb, data);
  CHECK(single_asn(s));  // 8.8.8.8 is unknown, not diverse
  CHECK(s.uncovered == std::vector<std::string>{"8.8.8.8"});
  fb["e.example."] = {addr("91.108.57.1")};
  CHECK_FALSE(single_asn(spread_of(fb, data)));
  std::map<std::string, std::vector<Address>> one{{"ns.example.", {addr("129.134.30.12")}}};
  CHECK_FALSE(single_asn(spread_of(one, data)));  // one address: NS_COUNT_LOW's business
}

TEST_CASE("MaxMind DB files: GeoLite2-ASN and -Country schemas, one after the other", "[infra]") {
  const std::string dir = std::string(ZW_SOURCE_DIR) + "/test-vectors/asn/";
  const auto asn = open_source(dir + "test-asn.mmdb");
  CHECK(asn->kind == "mmdb");
  REQUIRE(asn->built);
  auto fb = asn->lookup(addr("31.13.24.9"));
  REQUIRE(fb);
  CHECK(fb->asn == 32934);
  CHECK(fb->org == "Facebook, Inc.");
  CHECK(fb->network == "31.13.24.0/21");
  CHECK(asn->lookup(addr("2a03:2880:f00d::1"))->network == "2a03:2880::/32");
  CHECK_FALSE(asn->lookup(addr("8.8.8.8")));
  AddressData data;
  data.add(open_source("mmdb:" + dir + "test-asn.mmdb"));
  data.add(open_source(dir + "test-country.mmdb"));
  const AddressInfo tg = data.lookup(addr("91.108.57.1"));
  CHECK(tg.asn == 62041);     // from the ASN file
  CHECK(tg.country == "NL");  // from the Country file
  CHECK(tg.anycast);          // traits.is_anycast
  CHECK(data.lookup(addr("31.13.24.9")).country == "US");
  CHECK_THROWS_AS(open_source("mmdb:" + kRealV4), zw::Error);  // not a MaxMind DB
}
