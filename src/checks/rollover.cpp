// rollover.cpp: which rollover each view is in (ROLLOVER_IN_PROGRESS) and whether the step it shows was taken too
// early for what caches may still hold (RFC 7583, RFC 6781 §4.1.4, RFC 5011); the rules are in rollover/rules.cpp.
#include "checks/common.hpp"
#include "rollover/rules.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;

/// Reports a verdict at the parent's DS records of its key tag (UNSIGN_BEFORE_DS_REMOVED while they are published).
void at_parent_ds(const ZoneContext& ctx, Reporter& rep, const rollover::TimingVerdict& v) {
  for (const ExternalRecord& r : ctx.chain.parent_ds) {
    auto ds = dnssec::parse_ds(r.rdata);
    if (ds && std::to_string(ds->key_tag) == v.params.front().second) rep.external(v.code, r, "DS", v.params);
  }
}

/// ZONE_DNSSEC_REMOVED from the timeline (--state): the version last recorded was signed, this one is not. With
/// --previous the history check says it; live views are not zone files.
void dnssec_removed(const ZoneContext& ctx, const rollover::ViewRollover& r, Reporter& rep) {
  if (r.current.signed_zone || ctx.previous || !ctx.servers.empty() || r.prior.epochs.empty()) return;
  const rollover::Epoch* latest = &r.prior.epochs.front();
  for (const rollover::Epoch& e : r.prior.epochs) {
    if (e.last_seen >= latest->last_seen) latest = &e;
  }
  if (!latest->state.signed_zone) return;
  const bool ds_published = !ctx.chain.parent_ds.empty();
  rep.zone(Code::ZONE_DNSSEC_REMOVED, {}, ds_published ? When(Code::ZONE_DNSSEC_REMOVED, "ds-published") : When());
}

void check_view(const ZoneContext& ctx, FindingSink& sink) {
  const rollover::ViewRollover& r = *ctx.rollover;
  Reporter rep(ctx, sink);
  dnssec_removed(ctx, r, rep);
  const zone::Zone& z = *ctx.zone;
  const auto apex = z.apex();
  const zone::RRset* dnskey = apex ? z.find(*apex, zone::rrtype::DNSKEY) : nullptr;
  auto report = [&](Code code, Reporter::Params params, When when) {
    if (dnskey) {
      rep.rrset(code, *dnskey, std::move(params), when);
    } else {
      rep.zone(code, std::move(params), when);
    }
  };
  for (const rollover::Stage& s : rollover::rollover_stages(r.timeline, r.current)) {
    report(Code::ROLLOVER_IN_PROGRESS,
           {{"kind", s.kind}, {"stage", s.stage}, {"method", s.method}, {"old", s.old_keys}, {"new", s.new_keys}}, {});
  }
  for (const rollover::TimingVerdict& v : rollover::judge_timing(r.timeline, r.current)) {
    if (v.at_parent_ds) {
      at_parent_ds(ctx, rep, v);
      continue;
    }
    report(v.code, v.params, v.condition.empty() ? When() : When(v.code, v.condition));
  }
}

}  // namespace

void check_rollover(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) {
    if (ctx.rollover) check_view(ctx, sink);
  }
}

}  // namespace zw::checks
