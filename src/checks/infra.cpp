// infra.cpp: the spread of nameservers over ASes, operators and countries (NS_SINGLE_ASN, NS_SINGLE_OPERATOR,
// NS_SINGLE_COUNTRY), and address data
// that cannot tell (ADDRESS_DATA_MISSING). RFC 2182 §3.1; facebook.com (2021) had every server in one AS.
#include <atomic>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/name.hpp"
#include "core/parallel.hpp"
#include "infra/diversity.hpp"

namespace zw::checks {

using catalog::Code;
namespace rrtype = zone::rrtype;

namespace {

// Judges one NS set; true when the address data covered some of its addresses.
bool judge_set(const ZoneContext& ctx, const zone::RRset& set, const infra::AddressData& data, Reporter& rep) {
  const auto by_name = infra::nameserver_addresses(*ctx.zone, set, ctx.ns_addresses);
  if (by_name.empty()) return false;
  const infra::Spread s = infra::spread_of(by_name, data);
  if (infra::single_asn(s)) rep.rrset(Code::NS_SINGLE_ASN, set, {{"asn", std::to_string(s.asns.begin()->first)}});
  if (const std::string org = infra::single_operator(s); !org.empty()) {
    std::string asns;
    for (const auto& [asn, name] : s.asns) asns += (asns.empty() ? "AS" : ", AS") + std::to_string(asn);
    rep.rrset(Code::NS_SINGLE_OPERATOR, set, {{"organisation", org}, {"asns", asns}});
  }
  if (infra::single_country(s)) rep.rrset(Code::NS_SINGLE_COUNTRY, set, {{"country", *s.countries.begin()}});
  if (!s.uncovered.empty()) {
    std::string list;
    for (const std::string& a : s.uncovered) list += (list.empty() ? "" : " ") + a;
    rep.rrset(Code::ADDRESS_DATA_MISSING, set, {{"detail", "uncovered"}, {"addresses", list}});
  }
  return s.covered > 0;
}

// Sources older than --asn-max-age, said once per zone whose servers they placed (views of one zone merge).
void judge_sources(const CheckInput& in, Reporter& rep) {
  for (const auto& src : in.addresses->sources()) {
    if (!src->built) continue;
    const std::int64_t age = in.options.now - *src->built;
    if (age <= in.options.asn_max_age) continue;
    rep.zone(Code::ADDRESS_DATA_MISSING,
             {{"detail", "stale-source"}, {"source", src->name}, {"age", core::format_duration(age)}},
             catalog::When(Code::ADDRESS_DATA_MISSING, "stale-source"));
  }
}

// Every delegation whose nameservers' addresses the zone holds (the root zone holds every TLD's).
void judge_delegations(const ZoneContext& ctx, const infra::AddressData& data, Reporter& rep, std::atomic<bool>& used) {
  const zone::Zone& z = *ctx.zone;
  core::parallel_for(
      z.rrsets.size(),
      [&](std::size_t si) {
        const zone::RRset& set = z.rrsets[si];
        if (set.type == rrtype::NS && z.kinds[set.name] == zone::NodeKind::Delegation && judge_set(ctx, set, data, rep))
          used = true;
      },
      4096);
}

void check_zone(const CheckInput& in, const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  Reporter rep(ctx, sink);
  std::atomic<bool> used = false;
  if (auto apex = z.apex(); apex && ctx.coverage.covers(z.origin, rrtype::NS)) {
    if (const zone::RRset* ns = z.find(*apex, rrtype::NS)) used = judge_set(ctx, *ns, *in.addresses, rep);
  }
  if (ctx.coverage.complete) judge_delegations(ctx, *in.addresses, rep, used);
  if (used) judge_sources(in, rep);
}

}  // namespace

void check_ns_diversity(const CheckInput& in, FindingSink& sink) {
  if (in.addresses == nullptr || in.addresses->empty()) return;
  for (const ZoneContext& ctx : in.zones) check_zone(in, ctx, sink);
}

}  // namespace zw::checks
