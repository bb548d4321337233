// timing.cpp: signature validity windows against the --now clock (RFC 4035 §5.3.1, RFC 4034 §3.1.5, RFC 6781 §4.4.2).
#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;
using dnssec::SigStatus;

/// True when another signature over the same RRset lets a validator accept it now and comes from the same key or
/// algorithm as `s`: RFC 4035 §5.3.3 lets a validator use any RRSIG that validates, and RFC 6840 §5.11 asks no more
/// than one valid signature per algorithm, so `s` being out of its window then breaks nothing. The apex DNSKEY RRset
/// must be signed by an entry key, so there the other signature must come from the same key or a SEP key.
bool covered_by_another(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const dnssec::SigInfo& s,
                        core::EpochSeconds now) {
  const zone::RRset& covered = z.rrsets[static_cast<std::size_t>(s.rrset)];
  const auto apex = z.apex();
  const bool apex_dnskey = apex && covered.name == *apex && covered.type == zone::rrtype::DNSKEY;
  for (const dnssec::SigInfo& o : a.sigs_of(static_cast<std::uint32_t>(s.rrset))) {
    if (&o == &s || !o.parsed || !sig_accepts(a, o, now)) continue;
    const bool same_key = s.key >= 0 && o.key == s.key;
    if (apex_dnskey) {
      const bool sep = (a.keys[static_cast<std::size_t>(o.key)].key.flags & dnssec::kFlagSep) != 0;
      if (same_key || (sep && o.rrsig.algorithm == s.rrsig.algorithm)) return true;
    } else if (same_key || o.rrsig.algorithm == s.rrsig.algorithm) {
      return true;
    }
  }
  return false;
}

void check_zone(const ZoneContext& ctx, const Options& opt, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  if (!a.signed_zone) return;
  Reporter rep(ctx, sink);
  const core::EpochSeconds now = opt.now;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (!s.parsed || s.rrset < 0) continue;
    const zone::RRset& covered = z.rrsets[static_cast<std::size_t>(s.rrset)];
    if (!dnssec::is_authoritative(z, covered)) continue;
    const core::EpochSeconds exp = core::rrsig_time(s.rrsig.expiration, now);
    const core::EpochSeconds inc = core::rrsig_time(s.rrsig.inception, now);
    const std::string tag = std::to_string(s.rrsig.key_tag);
    // RFC 4035 §5.3.1: "The validator's notion of the current time MUST be less than or equal to the time listed
    // in the RRSIG RR's Expiration field" and "greater than or equal to the time listed in the Inception field".
    // Where another current, valid signature by the same key or algorithm covers the RRset, the catalogue's
    // condition de-escalates the finding to a warning; where this one could be the only one to validate, an error.
    if (now > exp) {
      rep.rrset(Code::RRSIG_EXPIRED, covered, {{"keytag", tag}, {"expiration", core::format_time(exp)}},
                covered_by_another(z, a, s, now) ? When(Code::RRSIG_EXPIRED, "another-valid") : When());
    } else if (now < inc) {
      rep.rrset(Code::RRSIG_NOT_YET_VALID, covered, {{"keytag", tag}, {"inception", core::format_time(inc)}},
                covered_by_another(z, a, s, now) ? When(Code::RRSIG_NOT_YET_VALID, "another-valid") : When());
    } else if (exp - now < opt.min_validity) {
      rep.rrset(Code::RRSIG_EXPIRES_SOON, covered,
                {{"keytag", tag},
                 {"expiration", core::format_time(exp)},
                 {"remaining", core::format_duration(exp - now)},
                 {"horizon", core::format_duration(opt.min_validity)}});
    }
    const std::int64_t validity = exp - inc;
    if (validity > opt.max_validity) {
      rep.rrset(Code::RRSIG_VALIDITY_TOO_LONG, covered,
                {{"keytag", tag},
                 {"validity", core::format_duration(validity)},
                 {"limit", core::format_duration(opt.max_validity)}});
    }
    // RFC 2181 §5.2: a resolver treats every record of an RRset as having the lowest TTL among them (an RRset of mixed
    // TTLs is RRSET_TTL_MISMATCH), so that is the TTL compared here.
    const std::uint32_t ttl = z.min_ttl_of(covered);
    // RFC 4035 §5.3.3: validators cap the TTL at the Original TTL; a larger TTL means the zone changed after signing.
    if (ttl > s.rrsig.original_ttl) {
      rep.rrset(
          Code::RRSIG_ORIGINAL_TTL_EXCEEDED, covered,
          {{"keytag", tag}, {"ttl", std::to_string(ttl)}, {"original_ttl", std::to_string(s.rrsig.original_ttl)}});
    }
    // A TTL longer than the whole validity period means every cached copy outlives its signature, however fresh
    // the signature was when served. (A TTL longer than the *remaining* validity is normal late in a signature's
    // life, and RFC 4035 §5.3.3 makes validators cap the TTL at the expiration.)
    if (validity > 0 && static_cast<std::int64_t>(ttl) > validity) {
      rep.rrset(Code::RRSIG_TTL_BEYOND_EXPIRATION, covered,
                {{"keytag", tag}, {"ttl", std::to_string(ttl)}, {"validity", core::format_duration(validity)}});
    }
  }
}

}  // namespace

void check_timing(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, in.options, sink);
}

}  // namespace zw::checks
