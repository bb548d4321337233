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

std::vector<zw::Finding> shrink(const std::string& before, const std::string& after, double limit = 0.05) {
  zw::zone::Zone prev = zw::zone::load_zone_text(before, "prev.zone", {});
  zw::zone::Zone cur = zw::zone::load_zone_text(after, "cur.zone", {});
  zw::dnssec::ZoneAnalysis pa = zw::dnssec::analyse(prev, false);
  zw::dnssec::ZoneAnalysis ca = zw::dnssec::analyse(cur);
  zw::checks::CheckInput in;
  in.options.max_shrink = limit;
  zw::checks::ZoneContext ctx;
  ctx.name = "tld.";
  ctx.zone = &cur;
  ctx.analysis = &ca;
  ctx.previous = &prev;
  ctx.previous_analysis = &pa;
  in.zones.push_back(ctx);
  zw::FindingSink sink;
  zw::checks::check_history(in, sink);
  return sink.take();
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
