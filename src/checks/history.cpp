// history.cpp: what changed since the previous published version of a zone (--previous): ZONE_SHRINK, the SOA
// serial (RFC 1982) and DNSSEC removed.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "checks/common.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;
using zone::NodeKind;

/// Owner names that make up the zone's namespace: authoritative names and delegation points, without the NSEC3
/// owners (they change with every salt or parameter change) and without glue.
std::vector<std::uint32_t> namespace_names(const zone::Zone& z, bool delegations_only) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    NodeKind k = z.kinds[n];
    if (k == NodeKind::Delegation) {
      out.push_back(n);
    } else if (!delegations_only && (k == NodeKind::Authoritative || k == NodeKind::Apex)) {
      auto sets = z.rrsets_of(n);
      bool only_nsec3 = std::all_of(sets.begin(), sets.end(), [](const zone::RRset& s) {
        return s.type == zone::rrtype::NSEC3 || s.type == zone::rrtype::RRSIG;
      });
      if (!only_nsec3) out.push_back(n);
    }
  }
  return out;
}

/// How many of `before`'s names (indices into `prev`) are missing from `now`. Both lists are in canonical order.
std::size_t lost(const zone::Zone& prev, const std::vector<std::uint32_t>& before, const zone::Zone& cur,
                 const std::vector<std::uint32_t>& after) {
  std::size_t missing = 0;
  std::size_t j = 0;
  for (std::uint32_t n : before) {
    const auto& name = prev.names[n];
    while (j < after.size() && core::name_compare(cur.names[after[j]], name) < 0) ++j;
    if (j == after.size() || core::name_compare(cur.names[after[j]], name) != 0) ++missing;
  }
  return missing;
}

/// The apex SOA's serial, or empty when the zone has none (or it is malformed).
std::optional<std::uint32_t> soa_serial(const zone::Zone& z, const zone::RRset** where = nullptr) {
  const auto f = zone::apex_soa(z, where);
  if (!f) return std::nullopt;
  return f->serial;
}

/// RFC 1982 §3.2: "s1 is said to be less than s2 if, and only if, s1 is not equal to s2, and (i1 < i2 and i2 - i1 <
/// 2^(SERIAL_BITS - 1)) or (i1 > i2 and i1 - i2 > 2^(SERIAL_BITS - 1))". A difference of exactly 2^31 is undefined
/// there, so it is no increase either.
bool serial_less(std::uint32_t s1, std::uint32_t s2) {
  const std::uint32_t forward = s2 - s1;  // modulo 2^32
  return forward != 0 && forward < (std::uint32_t{1} << 31);
}

/// True when both versions hold the same records (names, types, classes, TTLs and RDATA).
bool same_content(const zone::Zone& a, const zone::Zone& b) {
  if (a.records.size() != b.records.size()) return false;
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const zone::Record& x = a.records[i];
    const zone::Record& y = b.records[i];
    if (x.type != y.type || x.rclass != y.rclass || x.ttl != y.ttl || a.rdata(x) != b.rdata(y) ||
        a.names[x.name] != b.names[y.name]) {
      return false;
    }
  }
  return true;
}

void check_serial(const ZoneContext& ctx, Reporter& rep) {
  const zone::RRset* soa = nullptr;
  auto now = soa_serial(*ctx.zone, &soa);
  auto before = soa_serial(*ctx.previous);
  if (!now || !before || serial_less(*before, *now)) return;
  // RFC 1034 §4.3.5: a secondary transfers the zone when the master's serial is greater than its own; an equal
  // serial means "no change", so a changed zone under the old serial never reaches the secondaries.
  if (*now == *before && same_content(*ctx.previous, *ctx.zone)) return;
  rep.rrset(Code::SOA_SERIAL_NOT_INCREASED, *soa,
            {{"serial", std::to_string(*now)},
             {"previous", std::to_string(*before)},
             {"detail", *now == *before ? "equal-content-changed" : "decreased"}});
}

/// RFC 6781 §4.3.2: going insecure, the DS is removed first and the zone stays signed until it has left caches
/// (the rollover check reports UNSIGN_BEFORE_DS_REMOVED while the DS is published or cached).
void check_dnssec_removed(const ZoneContext& ctx, Reporter& rep) {
  if (!ctx.previous_analysis || !ctx.previous_analysis->signed_zone || ctx.analysis->signed_zone) return;
  const bool ds_published = !ctx.chain.parent_ds.empty();
  rep.zone(Code::ZONE_DNSSEC_REMOVED, {}, ds_published ? When(Code::ZONE_DNSSEC_REMOVED, "ds-published") : When());
}

void check_zone(const ZoneContext& ctx, const Options& opt, FindingSink& sink) {
  if (!ctx.previous) return;
  {
    Reporter rep(ctx, sink);
    check_serial(ctx, rep);
    check_dnssec_removed(ctx, rep);
  }
  const zone::Zone& cur = *ctx.zone;
  const zone::Zone& prev = *ctx.previous;
  auto names_before = namespace_names(prev, false);
  auto names_after = namespace_names(cur, false);
  auto delegs_before = namespace_names(prev, true);
  auto delegs_after = namespace_names(cur, true);
  const std::size_t lost_names = lost(prev, names_before, cur, names_after);
  const std::size_t lost_delegations = lost(prev, delegs_before, cur, delegs_after);
  const double names_share =
      names_before.empty() ? 0.0 : static_cast<double>(lost_names) / static_cast<double>(names_before.size());
  const double deleg_share =
      delegs_before.empty() ? 0.0 : static_cast<double>(lost_delegations) / static_cast<double>(delegs_before.size());
  const double share = std::max(names_share, deleg_share);
  // A registry zone loses a few names per version; losing a large share at once is a generation fault (.de 2010:
  // a truncated zone was published).
  if (share > opt.max_shrink) {
    Reporter rep(ctx, sink);
    rep.zone(Code::ZONE_SHRINK, {{"lost_names", std::to_string(lost_names)},
                                 {"lost_delegations", std::to_string(lost_delegations)},
                                 {"share", fmt::format("{:.1f} %", share * 100)},
                                 {"limit", fmt::format("{:.1f} %", opt.max_shrink * 100)}});
  }
}

}  // namespace

void check_history(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, in.options, sink);
}

}  // namespace zw::checks
