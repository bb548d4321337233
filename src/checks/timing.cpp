// timing.cpp: signature validity windows against the --now clock (RFC 4035 §5.3.1, RFC 4034 §3.1.5, RFC 6781 §4.4.2).
#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using dnssec::SigStatus;

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
    if (now > exp) {
      rep.rrset(Code::RRSIG_EXPIRED, covered, {{"keytag", tag}, {"expiration", core::format_time(exp)}});
    } else if (now < inc) {
      rep.rrset(Code::RRSIG_NOT_YET_VALID, covered, {{"keytag", tag}, {"inception", core::format_time(inc)}});
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
    const std::uint32_t ttl = z.ttl_of(covered);
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
