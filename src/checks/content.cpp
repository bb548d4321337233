// content.cpp: what a zone may hold at and below a name: a CNAME stands alone (RFC 1034 §3.6.2, RFC 2181 §10.1) and
// nothing lives below a DNAME (RFC 6672 §2.4); the records of an RRset share one TTL (RFC 2181 §5.2).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using zone::NodeKind;
namespace rrtype = zone::rrtype;

constexpr std::uint16_t kTypeKey = 25;

/// RFC 2181 §10.1: "An alias name (label of a CNAME record) may, if DNSSEC is in use, have SIG, NXT, and KEY RRs,
/// but may have no other data." RFC 4035 §2.5 carries that over to RRSIG and NSEC, RFC 5155 to NSEC3.
bool allowed_beside_cname(std::uint16_t type) {
  return type == rrtype::CNAME || type == rrtype::RRSIG || type == rrtype::NSEC || type == rrtype::NSEC3 ||
         type == kTypeKey;
}

void check_cname(const zone::Zone& z, std::uint32_t n, Reporter& rep) {
  const zone::RRset* cname = z.find(n, rrtype::CNAME);
  if (!cname) return;
  // RFC 1034 §3.6.2: "If a CNAME RR is present at a node, no other data should be present; this ensures that the
  // data for a canonical name and its aliases cannot be different."
  std::string others;
  for (const zone::RRset& s : z.rrsets_of(n)) {
    if (allowed_beside_cname(s.type)) continue;
    others += (others.empty() ? "" : " ") + zone::type_name(s.type);
  }
  if (!others.empty()) rep.rrset(Code::CNAME_AND_OTHER_DATA, *cname, {{"detail", "other-data"}, {"types", others}});
  // RFC 2181 §10.1: an alias has exactly one canonical name, so the CNAME RRset has one record.
  if (cname->count > 1)
    rep.rrset(Code::CNAME_AND_OTHER_DATA, *cname, {{"detail", "multiple-cname"}, {"types", "CNAME"}});
}

/// RFC 2181 §5.2: "the TTLs of all RRs in an RRSet must be the same." (RRSIGs at one name cover different RRsets.)
void check_ttls(const zone::Zone& z, Reporter& rep) {
  for (const zone::RRset& s : z.rrsets) {
    if (s.count < 2 || s.type == rrtype::RRSIG) continue;
    std::uint32_t lo = UINT32_MAX;
    std::uint32_t hi = 0;
    for (const zone::Record& r : z.records_of(s)) {
      lo = std::min(lo, r.ttl);
      hi = std::max(hi, r.ttl);
    }
    if (lo != hi) rep.rrset(Code::RRSET_TTL_MISMATCH, s, {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
  }
}

/// The DNAME that occludes `n`: the one nearest the apex among its ancestors (a DNAME below it is occluded as well).
std::optional<std::uint32_t> occluding_dname(const zone::Zone& z, std::uint32_t n) {
  const std::string_view name = z.names[n];
  const int depth = core::name_label_count(name) - core::name_label_count(z.origin);
  for (int strip = depth; strip >= 1; --strip) {
    auto a = z.find_name(core::name_strip_labels(name, strip));
    if (a && z.find(*a, rrtype::DNAME)) return a;
  }
  return std::nullopt;
}

void check_zone(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  Reporter rep(ctx, sink);
  check_ttls(z, rep);
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    switch (z.kinds[n]) {
      case NodeKind::Apex:
      case NodeKind::Authoritative:
      case NodeKind::Delegation: check_cname(z, n, rep); break;
      case NodeKind::Occluded: {
        // RFC 6672 §2.4: "Resource records MUST NOT exist at any subdomain of the owner of a DNAME RR." A DNAME at
        // a delegation point is occluded by the delegation itself (RFC 6672 §2.3): the names below it are the
        // child's (NodeKind::Glue), so only a DNAME of this zone's own data makes a name Occluded.
        auto dname = occluding_dname(z, n);
        const zone::RRset& first = z.rrsets[z.name_rrsets[n]];
        rep.name(Code::DATA_BELOW_DNAME, n, 0, z.records[first.first].src,
                 {{"dname", dname ? core::name_to_text(z.names[*dname]) : "?"}});
        break;
      }
      default: break;
    }
  }
}

}  // namespace

void check_content(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, sink);
}

}  // namespace zw::checks
