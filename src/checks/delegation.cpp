// delegation.cpp: what a zone file shows about its delegations and its own nameservers: glue (RFC 9471), NS count
// (RFC 1034 §4.1), address and name diversity (RFC 2182 §3.1), and origin doubling.
#include <arpa/inet.h>

#include <algorithm>
#include <optional>
#include <set>

#include "checks/common.hpp"
#include "core/parallel.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
namespace rrtype = zone::rrtype;

std::vector<core::WireName> ns_targets(const zone::Zone& z, const zone::RRset& ns) {
  std::vector<core::WireName> out;
  for (const zone::Record& r : z.records_of(ns)) {
    std::string_view rd = z.rdata(r);
    std::size_t pos = 0;
    core::WireName name;
    if (core::read_wire_name(rd, pos, name)) out.push_back(core::name_lower(name));
  }
  return out;
}

bool has_address_at(const zone::Zone& z, std::uint32_t n) {
  return z.find(n, rrtype::A) || z.find(n, rrtype::AAAA);
}

/// True when a name exists in the zone, itself or as an empty non-terminal above existing names.
bool name_exists(const zone::Zone& z, std::string_view name) {
  auto it = std::lower_bound(z.names.begin(), z.names.end(), name,
                             [](const core::WireName& a, std::string_view b) { return core::name_compare(a, b) < 0; });
  return it != z.names.end() && core::name_is_subdomain(*it, name);
}

/// The index of `name` among the first names after `cut` when they lie below it (a delegation's glue follows it in
/// canonical order), without a search of the whole zone; empty when it is not among the first 16 (the caller then
/// searches, so that a delegation with many names below it costs no more than a search each).
std::optional<std::uint32_t> find_below(const zone::Zone& z, std::uint32_t cut, std::string_view name) {
  const std::string_view top = z.names[cut];
  const auto end = static_cast<std::uint32_t>(std::min<std::size_t>(z.names.size(), std::size_t{cut} + 17));
  for (std::uint32_t n = cut + 1; n < end && core::name_is_subdomain(z.names[n], top); ++n) {
    if (core::name_equal(z.names[n], name)) return n;
  }
  return std::nullopt;
}

/// True when the zone answers an address query for `name`: the name's own A/AAAA, or, when the name does not
/// exist, an authoritative wildcard at its closest encloser (RFC 4592 §3.3.1). `cut` is a delegation `name` lies
/// below, if known.
bool has_address(const zone::Zone& z, const core::WireName& name, std::optional<std::uint32_t> cut = std::nullopt) {
  if (cut) {
    if (auto n = find_below(z, *cut, name)) return has_address_at(z, *n);
  }
  if (auto n = z.find_name(name)) return has_address_at(z, *n);
  if (name_exists(z, name)) return false;  // an empty non-terminal has no addresses
  const int labels = core::name_label_count(name);
  for (int strip = 1; strip <= labels; ++strip) {
    std::string_view encloser = core::name_strip_labels(name, strip);
    if (!name_exists(z, encloser)) continue;
    core::WireName wildcard = std::string("\x01*", 2) + std::string(encloser);
    auto w = z.find_name(wildcard);
    return w && z.kinds[*w] == zone::NodeKind::Authoritative && has_address_at(z, *w);
  }
  return false;
}

/// True when `target` lies at or below a delegation of the zone other than `own` (a sibling nameserver).
bool below_other_cut(const zone::Zone& z, const core::WireName& target, std::uint32_t own) {
  int labels = core::name_label_count(target);
  int apex_labels = core::name_label_count(z.origin);
  // From the apex down: in a TLD the first name below the apex is the delegation (one search, not one per label).
  for (int strip = labels - apex_labels - 1; strip >= 0; --strip) {
    auto n = z.find_name(core::name_strip_labels(target, strip));
    if (n && *n != own && z.kinds[*n] == zone::NodeKind::Delegation) return true;
  }
  return false;
}

/// The registered domain of a nameserver name, approximated without a public-suffix list: its last two labels
/// (its parent when the name has only two labels).
core::WireName operator_domain(const core::WireName& name) {
  int labels = core::name_label_count(name);
  int keep = std::min(2, std::max(labels - 1, 1));
  return core::WireName(core::name_strip_labels(name, labels - keep));
}

/// GLUE_MISSING over every NS RRset of the apex and of the delegations.
void check_glue(const zone::Zone& z, Reporter& rep) {
  // GLUE_MISSING: RFC 9471 §2.1: "glue records for in-domain name servers MUST be included". A nameserver below
  // the delegation itself (in-domain), or in this zone's authoritative data, needs an address in this zone. One
  // below another delegation of this zone (sibling) is found through that delegation and is not required here.
  // Every NS RRset of the apex and of the delegations, on all cores. NS RDATA is one canonical (lower-case) name.
  core::parallel_for(
      z.rrsets.size(),
      [&](std::size_t si) {
        const zone::RRset& set = z.rrsets[si];
        if (set.type != rrtype::NS) return;
        zone::NodeKind kind = z.kinds[set.name];
        if (kind != zone::NodeKind::Delegation && kind != zone::NodeKind::Apex) return;
        const core::WireName& cut = z.names[set.name];
        std::set<std::string_view> seen;  // a target listed twice is checked once
        for (const zone::Record& r : z.records_of(set)) {
          const std::string_view target = z.rdata(r);
          if (!core::name_is_subdomain(target, z.origin)) continue;  // most targets: nothing to check here
          if (!seen.insert(target).second) continue;
          const core::WireName name = core::name_lower(target);
          bool in_domain = kind == zone::NodeKind::Delegation && core::name_is_subdomain(name, cut);
          if (!in_domain && below_other_cut(z, name, set.name)) continue;
          if (!has_address(z, name, in_domain ? std::optional(set.name) : std::nullopt)) {
            rep.rrset(Code::GLUE_MISSING, set, {{"nameserver", core::name_to_text(name)}});
          }
        }
      },
      4096);
}

/// ZONE_ORIGIN_DOUBLED: authoritative names under the origin written twice (a missing final dot).
void check_origin_doubled(const zone::Zone& z, Reporter& rep) {
  if (z.origin.size() > 1) {
    core::WireName doubled = z.origin.substr(0, z.origin.size() - 1) + z.origin;
    for (std::uint32_t n = 0; n < z.names.size(); ++n) {
      // Only authoritative names: "sl.sl." delegated to its registrant is a real name, not a doubling.
      if (z.kinds[n] == zone::NodeKind::Authoritative && core::name_is_subdomain(z.names[n], doubled)) {
        rep.name(Code::ZONE_ORIGIN_DOUBLED, n, 0, z.records[z.rrsets[z.name_rrsets[n]].first].src);
      }
    }
  }
}

/// NS_SINGLE_PREFIX, when the zone itself holds addresses for every nameserver.
void check_single_prefix(const zone::Zone& z, const zone::RRset& ns, const std::set<core::WireName>& distinct,
                         Reporter& rep) {
  std::set<std::string> v4;
  std::set<std::string> v6;
  std::size_t addresses = 0;
  for (const auto& t : distinct) {
    auto n = z.find_name(t);
    if (!n) return;
    bool any = false;
    if (const zone::RRset* aset = z.find(*n, rrtype::A)) {
      for (const zone::Record& r : z.records_of(*aset)) {
        std::string_view rd = z.rdata(r);
        if (rd.size() != 4) continue;
        char buf[INET_ADDRSTRLEN];
        unsigned char b[4] = {static_cast<unsigned char>(rd[0]), static_cast<unsigned char>(rd[1]),
                              static_cast<unsigned char>(rd[2]), 0};
        inet_ntop(AF_INET, b, buf, sizeof buf);
        v4.insert(std::string(buf) + "/24");
        ++addresses;
        any = true;
      }
    }
    if (const zone::RRset* aaaa = z.find(*n, rrtype::AAAA)) {
      for (const zone::Record& r : z.records_of(*aaaa)) {
        std::string_view rd = z.rdata(r);
        if (rd.size() != 16) continue;
        unsigned char b[16] = {};
        for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(rd[static_cast<std::size_t>(i)]);
        char buf[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, b, buf, sizeof buf);
        v6.insert(std::string(buf) + "/48");
        ++addresses;
        any = true;
      }
    }
    if (!any) return;  // an address is unknown here; the live check decides
  }
  if (addresses >= 2 && v4.size() <= 1 && v6.size() <= 1) {
    std::string prefix;
    for (const auto& p : v4) prefix += p;
    for (const auto& p : v6) prefix += (prefix.empty() ? "" : " and ") + p;
    rep.rrset(Code::NS_SINGLE_PREFIX, ns, {{"prefix", prefix}});
  }
}

void check_zone(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  Reporter rep(ctx, sink);
  check_glue(z, rep);
  check_origin_doubled(z, rep);
}

/// The apex NS set: how many servers, in how many domains and prefixes. Needs only the NS RRset, so it runs on
/// servers' views too (when the NS set was asked).
void check_apex_ns_set(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  Reporter rep(ctx, sink);
  auto apex = z.apex();
  if (!apex || !ctx.coverage.covers(z.origin, rrtype::NS)) return;
  const zone::RRset* ns = z.find(*apex, rrtype::NS);
  if (!ns) {
    const zone::RRset& first = z.rrsets[z.name_rrsets[*apex]];
    rep.name(Code::NS_COUNT_LOW, *apex, rrtype::NS, z.records[first.first].src, {{"count", "0"}});
    return;
  }
  std::vector<core::WireName> targets = ns_targets(z, *ns);
  std::set<core::WireName> distinct(targets.begin(), targets.end());
  // RFC 1034 §4.1: "a minimum of two servers for each zone".
  if (distinct.size() < 2) rep.rrset(Code::NS_COUNT_LOW, *ns, {{"count", std::to_string(distinct.size())}});

  std::set<core::WireName> domains;
  for (const auto& t : distinct) domains.insert(operator_domain(t));
  if (domains.size() == 1) {
    rep.rrset(Code::NS_SINGLE_DOMAIN, *ns, {{"domain", core::name_to_text(*domains.begin())}});
  }

  check_single_prefix(z, *ns, distinct, rep);
}

}  // namespace

void check_delegations(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, sink);
}

void check_apex_ns(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_apex_ns_set(ctx, sink);
}

}  // namespace zw::checks
