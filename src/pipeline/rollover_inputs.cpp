// rollover_inputs.cpp: snapshots and timelines for the rollover check, and the timelines written back.
#include "pipeline/rollover_inputs.hpp"

#include <algorithm>

#include "rollover/history.hpp"
#include "zone/rdata.hpp"

namespace zw::pipeline {
namespace {

using checks::ChainSource;
using checks::ZoneContext;

constexpr std::uint32_t kDefaultDsTtl = 86400;

/// Whether the view's DS set at the parent is known, and its TTL.
rollover::DsInput ds_input(const RolloverSettings& s, const std::vector<ZoneContext>& zones, const ZoneContext& ctx) {
  rollover::DsInput in;
  const ChainSource src = ctx.chain.source;
  in.known = src == ChainSource::Ds || src == ChainSource::ParentZone || src == ChainSource::InsecureDelegation;
  in.ttl = s.ds_ttl.value_or(kDefaultDsTtl);
  if (!s.ds_ttl && ctx.chain.parent) {
    const zone::Zone& p = *zones[*ctx.chain.parent].zone;
    if (const zone::RRset* ds = p.find(ctx.chain.parent_delegation, zone::rrtype::DS)) in.ttl = p.min_ttl_of(*ds);
  }
  return in;
}

/// The timeline as it stood at `now`: a run that checks an older version (now before later sightings) is judged
/// against what was seen until then, never against its future.
rollover::History as_of(rollover::History h, core::EpochSeconds now) {
  std::erase_if(h.epochs, [&](const rollover::Epoch& e) { return e.first_seen > now; });
  for (rollover::Epoch& e : h.epochs) e.last_seen = std::min(e.last_seen, now);
  std::erase_if(h.items, [&](const auto& item) { return item.second.first > now; });
  for (auto& [name, seen] : h.items) seen.last = std::min(seen.last, now);
  return h;
}

/// The --previous version as the epoch before now: served until now, since an unknown time.
void add_previous(rollover::History& h, const rollover::Snapshot& prev, core::EpochSeconds now) {
  rollover::Epoch e;
  e.first_seen = rollover::kUnknownTime;
  e.last_seen = now;
  e.serial_first = e.serial_last = prev.serial;
  e.state = prev;
  h.epochs.insert(h.epochs.begin(), std::move(e));
  auto see = [&](const std::string& item) {
    auto [it, added] = h.items.try_emplace(item, rollover::Seen{rollover::kUnknownTime, now});
    if (!added) it->second.first = rollover::kUnknownTime;
  };
  for (const rollover::SnapKey& k : prev.keys) {
    see("dnskey:" + k.id);
    if (k.signs_dnskey) see("signs-dnskey:" + k.id);
    if (k.signs_data) see("signs-data:" + k.id);
    if (k.revoked()) see("revoked:" + k.id);
  }
}

}  // namespace

void attach_rollover(const RolloverSettings& settings, core::EpochSeconds now, std::vector<ZoneContext>& zones,
                     RolloverInputs& out) {
  std::map<std::string, rollover::History> loaded;
  for (ZoneContext& ctx : zones) {
    auto v = std::make_unique<rollover::ViewRollover>();
    const rollover::DsInput ds = ds_input(settings, zones, ctx);
    v->current = rollover::take_snapshot(*ctx.zone, *ctx.analysis, ctx.chain, ds, now);
    if (!settings.state_dir.empty()) {
      auto it = loaded.find(ctx.name);
      if (it == loaded.end()) it = loaded.emplace(ctx.name, rollover::load_history(settings.state_dir, ctx.name)).first;
      v->prior = as_of(it->second, now);
    }
    v->prior.zone = ctx.name;
    if (ctx.previous && ctx.previous_analysis) {
      add_previous(v->prior, rollover::take_snapshot(*ctx.previous, *ctx.previous_analysis, ctx.chain, ds, now), now);
    }
    v->timeline.prior = &v->prior;
    v->timeline.now = now;
    v->timeline.options = settings.timing;
    v->timeline.options.rfc5011 |= ctx.name == ".";
    auto& seen = out.seen[ctx.name];
    if (std::none_of(seen.begin(), seen.end(), [&](const rollover::Snapshot& s) { return s.same_state(v->current); }))
      seen.push_back(v->current);
    ctx.rollover = v.get();
    out.views.push_back(std::move(v));
  }
}

void save_rollover(const RolloverSettings& settings, core::EpochSeconds now, const RolloverInputs& in) {
  if (settings.state_dir.empty()) return;
  for (const auto& [zone, seen] : in.seen) rollover::save_observation(settings.state_dir, zone, seen, now);
}

}  // namespace zw::pipeline
