// history.cpp: what changed since the previous published version of a zone (--previous): ZONE_SHRINK.
#include <fmt/format.h>

#include <algorithm>

#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
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

void check_zone(const ZoneContext& ctx, const Options& opt, FindingSink& sink) {
  if (!ctx.previous) return;
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
