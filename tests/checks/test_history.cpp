// test_history.cpp: --previous: ZONE_SHRINK when a new version loses too many names or delegations.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "checks/runner.hpp"
#include "zone/loader.hpp"

namespace {

/// An unsigned TLD-like zone with `delegations` delegations and `hosts` ordinary names.
std::string tld(int delegations, int hosts, int first = 0) {
  std::string t =
      "$ORIGIN tld.\n@ 3600 IN SOA ns1 admin 1 7200 3600 1209600 3600\n@ NS ns1.nic.example.\n@ NS ns2.nic.example.\n";
  for (int i = first; i < first + delegations; ++i) t += fmt::format("d{} NS ns.d{}.example.\n", i, i);
  for (int i = 0; i < hosts; ++i) t += fmt::format("h{} A 192.0.2.{}\n", i, i % 250 + 1);
  return t;
}

/// check_history over two versions given as text (ZONE_SHRINK above `max_shrink`); only the findings of `code`.
std::vector<zw::Finding> history(const std::string& before, const std::string& after, zw::catalog::Code code,
                                 double max_shrink = 0.05) {
  zw::zone::Zone prev = zw::zone::load_zone_text(before, "prev.zone", {});
  zw::zone::Zone cur = zw::zone::load_zone_text(after, "cur.zone", {});
  zw::dnssec::ZoneAnalysis pa = zw::dnssec::analyse(prev, false);
  zw::dnssec::ZoneAnalysis ca = zw::dnssec::analyse(cur);
  zw::checks::CheckInput in;
  in.options.max_shrink = max_shrink;
  zw::checks::ZoneContext ctx;
  ctx.name = "tld.";
  ctx.zone = &cur;
  ctx.analysis = &ca;
  ctx.previous = &prev;
  ctx.previous_analysis = &pa;
  in.zones.push_back(ctx);
  zw::FindingSink sink;
  zw::checks::check_history(in, sink);
  std::vector<zw::Finding> out;
  for (auto& f : sink.take()) {
    if (f.code == code) out.push_back(std::move(f));
  }
  return out;
}

std::vector<zw::Finding> shrink(const std::string& before, const std::string& after, double limit = 0.05) {
  return history(before, after, zw::catalog::Code::ZONE_SHRINK, limit);
}

}  // namespace

TEST_CASE("ZONE_SHRINK fires above the limit only", "[history]") {
  // 1000 delegations; losing 40 (4 %) is normal churn, losing 60 (6 %) is over the default 5 %.
  CHECK(shrink(tld(1000, 10), tld(960, 10)).empty());
  auto f = shrink(tld(1000, 10), tld(940, 10));
  REQUIRE(f.size() == 1);
  CHECK(f[0].code == zw::catalog::Code::ZONE_SHRINK);
  CHECK(f[0].param("lost_delegations") == "60");
  CHECK(f[0].param("share") == "6.0 %");
  // Renamed delegations count as lost even when the total stays the same.
  CHECK_FALSE(shrink(tld(100, 0), tld(100, 0, 50)).empty());
  // Growth never fires; a higher limit tolerates more.
  CHECK(shrink(tld(100, 10), tld(200, 10)).empty());
  CHECK(shrink(tld(1000, 10), tld(940, 10), 0.10).empty());
  // Ordinary names count too: a truncated zone loses its hosts.
  CHECK_FALSE(shrink(tld(10, 100), tld(10, 50)).empty());
}

namespace {

std::string versioned(const std::string& serial, const std::string& extra = {}) {
  return "$ORIGIN tld.\n@ 3600 IN SOA ns1 admin " + serial + " 7200 3600 1209600 3600\n@ NS ns1.nic.example.\n" +
         "@ NS ns2.nic.example.\nwww A 192.0.2.1\n" + extra;
}

}  // namespace

TEST_CASE("SOA_SERIAL_NOT_INCREASED follows RFC 1982 serial arithmetic", "[history]") {
  using zw::catalog::Code;
  // Increases, including a wrap (RFC 1982 §3.2: i2 - i1 < 2^31 modulo 2^32).
  CHECK(history(versioned("1"), versioned("2", "new A 192.0.2.2\n"), Code::SOA_SERIAL_NOT_INCREASED).empty());
  CHECK(history(versioned("4294967000"), versioned("100"), Code::SOA_SERIAL_NOT_INCREASED).empty());
  CHECK(history(versioned("1"), versioned("2147483648"), Code::SOA_SERIAL_NOT_INCREASED).empty());
  // Same serial, same content: the same version checked again.
  CHECK(history(versioned("7"), versioned("7"), Code::SOA_SERIAL_NOT_INCREASED).empty());
  // Decreased, also through the wrap, and by exactly 2^31 (undefined in RFC 1982: not an increase).
  auto down = history(versioned("10"), versioned("9"), Code::SOA_SERIAL_NOT_INCREASED);
  REQUIRE(down.size() == 1);
  CHECK(down[0].severity == zw::Severity::Error);
  CHECK(down[0].param("serial") == "9");
  CHECK(down[0].param("previous") == "10");
  CHECK(down[0].param("detail") == "decreased");
  CHECK(history(versioned("100"), versioned("4294967000"), Code::SOA_SERIAL_NOT_INCREASED).size() == 1);
  CHECK(history(versioned("1"), versioned("2147483649"), Code::SOA_SERIAL_NOT_INCREASED).size() == 1);
  // Same serial, changed content (a record added, or only a TTL changed).
  auto same = history(versioned("7"), versioned("7", "new A 192.0.2.2\n"), Code::SOA_SERIAL_NOT_INCREASED);
  REQUIRE(same.size() == 1);
  CHECK(same[0].param("detail") == "equal-content-changed");
  std::string ttl_changed = versioned("7");
  ttl_changed.replace(ttl_changed.find("www A"), 5, "www 60 A");
  CHECK(history(versioned("7"), ttl_changed, Code::SOA_SERIAL_NOT_INCREASED).size() == 1);
}

TEST_CASE("ZONE_DNSSEC_REMOVED only when the previous version was signed", "[history]") {
  using zw::catalog::Code;
  const std::string key = "@ DNSKEY 256 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n";
  CHECK(history(versioned("1", key), versioned("2"), Code::ZONE_DNSSEC_REMOVED).size() == 1);
  CHECK(history(versioned("1"), versioned("2"), Code::ZONE_DNSSEC_REMOVED).empty());
  CHECK(history(versioned("1", key), versioned("2", key), Code::ZONE_DNSSEC_REMOVED).empty());
}
