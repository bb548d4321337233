// test_zonemd.cpp: RFC 8976 zone digests: the Appendix A examples verify, tampering is caught.
#include <catch2/catch.hpp>

#include "pipeline/zone_job.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

namespace {

const std::string kKat = std::string(ZW_SOURCE_DIR) + "/test-vectors/kat/rfc8976-zonemd/";

std::vector<zw::Finding> zonemd_findings(const zw::zone::Zone& z) {
  zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z);
  return zw::test::run_check(&zw::checks::check_zonemd, z, a);
}

}  // namespace

TEST_CASE("RFC 8976 Appendix A zone digests verify", "[zonemd]") {
  for (const char* f : {"A.1.Simple-EXAMPLE-Zone", "A.2.Complex-EXAMPLE-Zone", "A.3.EXAMPLE-Zone-with-multiple-digests",
                        "A.4.The-URI.ARPA-Zone", "A.5.The-ROOT-SERVERS.NET-Zone"}) {
    INFO(f);
    zw::zone::Zone z = zw::zone::load_zone_file(kKat + f, {});
    CHECK(z.find(*z.apex(), zw::zone::rrtype::ZONEMD) != nullptr);
    CHECK(zonemd_findings(z).empty());
  }
}

TEST_CASE("a repeated scheme and hash algorithm makes the ZONEMD RRset fail", "[zonemd]") {
  zw::zone::Zone z = zw::zone::load_zone_file(kKat + "repeated-ZONEMD-scheme-and-algorithm", {});
  auto f = zonemd_findings(z);
  REQUIRE(f.size() == 2);
  CHECK(f[0].code == zw::catalog::Code::ZONEMD_INVALID);
}

TEST_CASE("changing one octet of any record breaks the digest", "[zonemd]") {
  zw::zone::Zone z = zw::zone::load_zone_file(kKat + "A.2.Complex-EXAMPLE-Zone", {});
  REQUIRE(zonemd_findings(z).empty());
  std::size_t checked = 0;
  for (std::size_t i = 0; i < z.records.size(); ++i) {
    zw::zone::Record& r = z.records[i];
    if (r.type == zw::zone::rrtype::ZONEMD || r.rdata_len == 0) continue;
    if (z.kinds[r.name] == zw::zone::NodeKind::OutOfZone) continue;  // excluded from the digest by RFC 8976 §3.3
    char& octet = z.arenas[r.arena][r.rdata_off + r.rdata_len - 1];
    octet = static_cast<char>(octet ^ 1);
    INFO("record " << i);
    CHECK_FALSE(zonemd_findings(z).empty());
    octet = static_cast<char>(octet ^ 1);
    ++checked;
  }
  CHECK(checked >= 8);
  CHECK(zonemd_findings(z).empty());
}

TEST_CASE("the 2026 root zone's ZONEMD verifies, and a changed TTL does not", "[zonemd][realdata]") {
  zw::zone::Zone z = zw::zone::load_zone_file(std::string(ZW_SOURCE_DIR) + "/zones/root/root-2026073102.zone.gz", {});
  CHECK(zonemd_findings(z).empty());
  z.records[z.records.size() / 2].ttl += 1;
  auto f = zonemd_findings(z);
  REQUIRE(f.size() == 1);
  CHECK(f[0].param("detail") == "digest-mismatch");
}
