// chain_inputs.cpp: --ds and -k files read and matched to the zones checked, and parent zones linked to children.
#include "pipeline/chain_inputs.hpp"

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/error.hpp"
#include "dnssec/crypto.hpp"

namespace zw::pipeline {

using checks::ChainInput;
using checks::ChainSource;
using checks::ZoneContext;

void require_usable_anchor(const std::vector<zone::AnchorRecord>& records, const std::string& file) {
  const bool usable = std::any_of(records.begin(), records.end(), [](const zone::AnchorRecord& r) {
    if (r.type == zone::rrtype::DNSKEY) return dnssec::parse_dnskey(r.rdata).problem == dnssec::KeyProblem::None;
    auto ds = dnssec::parse_ds(r.rdata);
    return ds && ds->digest_type != 3 && dnssec::ds_digest_length(ds->digest_type) == ds->digest.size() &&
           !ds->digest.empty();
  });
  if (!usable)
    throw Error(file + ": no usable trust anchor (unknown algorithm or digest type, or malformed key or digest)");
}

std::vector<zone::AnchorRecord> read_chain_files(const std::vector<std::string>& files, bool anchors,
                                                 core::EpochSeconds now, const core::WireName& origin) {
  zone::AnchorReadOptions opt;
  opt.allow_dnskey = anchors;
  opt.now = now;
  opt.origin = core::name_lower(origin);
  std::vector<zone::AnchorRecord> out;
  for (const std::string& f : files) {
    auto recs = zone::read_anchor_file(f, opt);
    // A trust anchor must be one a validator can use; a DS set's flaws are findings about the zone's parent.
    if (anchors) require_usable_anchor(recs, f);
    out.insert(out.end(), std::make_move_iterator(recs.begin()), std::make_move_iterator(recs.end()));
  }
  return out;
}

namespace {

/// Every --ds and -k record must be for a zone being checked: one for any other name would be silently unused.
void require_served(const std::vector<zone::AnchorRecord>& records, const std::vector<ZoneContext>& zones,
                    const char* what) {
  for (const zone::AnchorRecord& r : records) {
    bool served =
        std::any_of(zones.begin(), zones.end(), [&](const ZoneContext& z) { return z.zone->origin == r.owner; });
    if (served) continue;
    std::string checked;
    for (const ZoneContext& z : zones) checked += (checked.empty() ? "" : ", ") + z.name;
    throw Error(r.file + ":" + std::to_string(r.line) + ": " + what + " for " + core::name_to_text(r.owner) +
                " serves none of the zones checked (" + checked + ")");
  }
}

/// The checked zone that is the parent of zone `i` (its deepest checked ancestor, when that delegates to it).
void find_parent(std::vector<ZoneContext>& zones, std::size_t i) {
  const core::WireName& origin = zones[i].zone->origin;
  std::optional<std::size_t> best;
  for (std::size_t j = 0; j < zones.size(); ++j) {
    const core::WireName& o = zones[j].zone->origin;
    if (o.size() >= origin.size() || !core::name_is_subdomain(origin, o)) continue;
    if (!best || o.size() > zones[*best].zone->origin.size()) best = j;
  }
  if (!best) return;
  const zone::Zone& p = *zones[*best].zone;
  auto cut = p.find_name(origin);
  if (!cut || p.kinds[*cut] != zone::NodeKind::Delegation) return;
  zones[i].chain.parent = *best;
  zones[i].chain.parent_delegation = *cut;
}

}  // namespace

void link_chain_inputs(std::vector<ZoneContext>& zones, const std::vector<zone::AnchorRecord>& ds,
                       const std::vector<zone::AnchorRecord>& anchors, bool all_loaded) {
  if (all_loaded) {
    require_served(ds, zones, "DS");
    require_served(anchors, zones, "trust anchor");
  }
  std::vector<std::size_t> order(zones.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return core::name_label_count(zones[a].zone->origin) < core::name_label_count(zones[b].zone->origin);
  });
  for (std::size_t i : order) {
    ZoneContext& ctx = zones[i];
    ChainInput& chain = ctx.chain;
    for (const auto& r : ds) {
      if (r.owner == ctx.zone->origin) chain.parent_ds.push_back({r.rdata, r.file, r.line, {}});
    }
    for (const auto& r : anchors) {
      if (r.owner != ctx.zone->origin) continue;
      (r.type == zone::rrtype::DS ? chain.anchor_ds : chain.anchor_dnskey).push_back({r.rdata, r.file, r.line, {}});
    }
    find_parent(zones, i);
    if (!chain.parent_ds.empty()) {
      chain.source = ChainSource::Ds;
    } else if (!chain.anchor_ds.empty() || !chain.anchor_dnskey.empty()) {
      chain.source = ChainSource::TrustAnchor;
    } else if (chain.parent) {
      const ZoneContext& parent = zones[*chain.parent];
      const zone::Zone& p = *parent.zone;
      const zone::RRset* set = p.find(chain.parent_delegation, zone::rrtype::DS);
      // RFC 4035 §5.2: without a signed parent, or with an authenticated absence of DS, the child is insecure.
      if (!parent.analysis->signed_zone || parent.chain.source == ChainSource::InsecureDelegation || !set) {
        chain.source = ChainSource::InsecureDelegation;
      } else {
        chain.source = ChainSource::ParentZone;
        for (const zone::Record& r : p.records_of(*set)) {
          // From a server's answer the record has no file: it names the parent's servers that gave it.
          if (r.src.is_exchange()) {
            chain.parent_ds.push_back({std::string(p.rdata(r)), {}, 0, parent.servers});
          } else {
            chain.parent_ds.push_back({std::string(p.rdata(r)), p.files[r.src.file], r.src.line, {}});
          }
        }
      }
    }
  }
}

}  // namespace zw::pipeline
